/**
 * The config file's shape, generated from config/schema.json by `npm run docs`
 * (json-schema-to-typescript): do not edit. Optional fields are the ones a user may leave out;
 * `ResolvedConfig` (resolve.ts) is what the rest of the code sees.
 */
/**
 * One file describes the Datadog CloudTrail integration for every AWS account it covers. Each entry of `accounts` becomes one Terraform stack named after it.
 */
export interface Config {
    /**
     * Path or URL of this schema, for editors. Ignored by the toolkit.
     */
    $schema?: string;
    datadog: DatadogSettings;
    trail?: TrailSettings;
    forwarder?: ForwarderSettings;
    tags?: Tags;
    /**
     * The AWS accounts to set up, one Terraform stack each.
     *
     * @minItems 1
     */
    accounts: AccountSettings[];
    organization?: OrganizationSettings;
    controlTower?: ControlTowerSettings;
    backend?: BackendSettings;
    github?: GitHubSettings;
    enrollment?: EnrollmentSettings;
}
/**
 * The Datadog side of the integration.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "datadog".
 */
export interface DatadogSettings {
    /**
     * Your Datadog site, as in the URL you log in to. It selects the Datadog AWS account that assumes the integration role.
     */
    site: ("datadoghq.com" | "us3.datadoghq.com" | "us5.datadoghq.com" | "datadoghq.eu" | "ap1.datadoghq.com" | "ap2.datadoghq.com" | "uk1.datadoghq.com" | "ddog-gov.com" | "us2.ddog-gov.com");
    /**
     * The external ID that Datadog issued for one AWS account (32 lowercase hex characters), used by the account that sets no accounts[].externalId of its own. Datadog issues an external ID for one AWS account integration, and one ID shared by accounts registered days apart fails with "invalid External ID" (it expires 48 hours after it is generated unless used), so no two accounts may trust the same ID: with several accounts, give each its own accounts[].externalId. Find it in Datadog's AWS integration tile when adding the account, or generate one with the Datadog API (Generate a new external ID). Not needed with createRole false, whose existing role's trust is yours; refused with manageIntegration, where Datadog generates each account's ID.
     */
    externalId?: string;
    /**
     * Full ARN (with its 6-character random suffix) of the AWS Secrets Manager secret that holds the Datadog API key; the forwarder reads it at run time and its role may read only this secret. Never put the key itself in this file. It serves each account that runs a forwarder and sets no accounts[].apiKeySecretArn; the forwarder reads it in its own region, and from another account only with apiKeySecretKmsKeyArn (the stack then prints the statements the secret's owner adds).
     */
    apiKeySecretArn: string;
    /**
     * ARN of the customer managed KMS key the API key secret is encrypted with, if it is not Secrets Manager's default aws/secretsmanager key. The forwarder's role may then kms:Decrypt with this key, only through Secrets Manager for that secret; without the grant the forwarder fails with AccessDenied when it reads the key. A key ARN (key/<id>), not an alias, in the secret's region. Required when a forwarder of another account reads the secret: the AWS managed key cannot be used across accounts.
     */
    apiKeySecretKmsKeyArn?: string;
    /**
     * Name of the Datadog integration IAM role in each account.
     */
    roleName?: string;
    /**
     * true: create the role, trusting Datadog's AWS account with the external ID. false: the role already exists (for example from Datadog's CloudFormation); attach the CloudTrail policy to it and create no role.
     */
    createRole?: boolean;
    /**
     * true: each account's stack also registers the account with Datadog's AWS integration through the Datadog Terraform provider, as Datadog's Terraform guide does: the registration (datadog_integration_aws_account) names the role and no external ID, so that Datadog generates the account's own, which the role then trusts; in the account that runs the forwarder it also names the forwarder (for Datadog's view of it: delivery does not depend on it). No externalId is then set in this file, and the role must be created (createRole true). Terraform reads the Datadog keys from DD_API_KEY and DD_APP_KEY in its environment, never from this file. false: register each account in Datadog's AWS integration tile and copy its external ID into accounts[].externalId.
     */
    manageIntegration?: boolean;
    /**
     * With manageIntegration: also let Datadog collect CloudWatch metrics for each account, and attach to its role the read permissions Datadog documents for the AWS integration (policies/datadog-metrics.ts). false: metrics, resource collection and X-Ray traces stay off, and the role keeps only the CloudTrail permissions.
     */
    collectMetrics?: boolean;
    /**
     * With manageIntegration: the AWS regions Datadog collects from in every account. Absent: all regions.
     *
     * @minItems 1
     */
    regions?: string[];
    /**
     * With manageIntegration: a Datadog log monitor per account that runs a forwarder, alerting when no CloudTrail log from its bucket has reached Datadog for noLogsMinutes. Absent: no monitor.
     */
    monitor?: {
        /**
         * Alert when no CloudTrail log has arrived for this many minutes (Datadog's log monitors evaluate at most the last 48 hours). CloudTrail delivers an event within about 5 minutes of the API call, but an account with little activity can go longer without any: raise it there.
         */
        noLogsMinutes?: number;
        /**
         * Datadog notification handles added to the alert message, e.g. "@slack-secops" or "@pagerduty-cloud".
         */
        notify?: string[];
    };
}
/**
 * The CloudTrail trail and the S3 bucket it writes to. Accounts may override any field but `existing` under accounts[].trail. Required unless `trail.existing` or `controlTower` adopts a trail you already run.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "trail".
 */
export interface TrailSettings {
    /**
     * Trail name: 3-128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit.
     */
    name?: string;
    /**
     * Name of the S3 bucket the toolkit creates for the trail's logs. S3 bucket names are global: with several accounts, include the token {accountId} (and {region} if you like), or set accounts[].trail.bucketName per account.
     */
    bucketName?: string;
    /**
     * Optional prefix under which CloudTrail writes (before AWSLogs/). No leading or trailing slash.
     */
    s3KeyPrefix?: string;
    /**
     * Encrypt logs with a customer managed KMS key (CIS 3.5/3.7, CloudTrail.2). false falls back to SSE-S3 and fails those benchmark checks.
     */
    kms?: boolean;
    /**
     * Days after which log objects expire from the bucket.
     */
    retentionDays?: number;
    /**
     * Days a replaced or deleted log object version is kept before it expires (versioning keeps them for tamper evidence).
     */
    noncurrentVersionRetentionDays?: number;
    /**
     * Days after which S3 server access log records expire from the access-log bucket the toolkit creates (accessLogging true). S3 writes a record per request, about three per log file (CloudTrail's write, the forwarder's and Datadog's reads), so at the log files' retention an organization's access-log bucket would keep millions of records a day for years. With accessLogging false or a bucket of your own it has no effect.
     */
    accessLogRetentionDays?: number;
    /**
     * S3 server access logging for the trail bucket (CIS 3.6, CKV_AWS_18, CloudTrail.7). true: create a bucket <bucketName>-access-logs (SSE-S3) for it; {"bucketName": "..."}: log to an existing bucket of yours; false: no access logging (fails those checks).
     */
    accessLogging?: (boolean | {
        /**
         * Existing bucket that receives the access logs (it must allow the S3 logging service to write).
         */
        bucketName: string;
    });
    /**
     * Also deliver the trail to CloudWatch Logs (CloudTrail.5): a log group in the trail's account, encrypted with the trail key, and a delivery role. An organization trail's log group is in the management account; when that is not the log-archive account, which holds the trail key, the log group gets a key of its own (alias/<trail name>-cloudwatch-logs) in the management account.
     */
    cloudWatchLogs?: {
        /**
         * Create the log group and delivery role.
         */
        enabled?: boolean;
        /**
         * Log group retention in days (benchmarks ask for at least 365).
         */
        retentionDays?: (1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 400 | 545 | 731 | 1096 | 1827 | 2192 | 2557 | 2922 | 3288 | 3653);
    };
    /**
     * Log S3 object-level data events (CIS 3.8 write, 3.9 read) for every bucket except the trail's own bucket, whose deliveries would otherwise log themselves in a loop. Data events are billed per event.
     */
    s3DataEvents?: ("none" | "write" | "read" | "all");
    existing?: ExistingTrailSettings;
}
/**
 * Adopt a trail and bucket you already run (top level only): the toolkit creates no trail, bucket, bucket policy or key, never writes the bucket's notification configuration, and scopes the Datadog roles and the forwarder to this bucket, prefix and key. The other trail fields are then unused.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "existingTrail".
 */
export interface ExistingTrailSettings {
    /**
     * The bucket the existing trail writes to.
     */
    bucketName: string;
    /**
     * The `name` of the accounts[] entry that owns the bucket: its stack gets the forwarder and its trigger, which must live in the bucket's account and region.
     */
    bucketAccount: string;
    /**
     * The trail's S3 key prefix, before AWSLogs/ (no leading or trailing slash).
     */
    s3KeyPrefix?: string;
    /**
     * ARN of the KMS key the log files are encrypted with, if any.
     */
    keyArn?: string;
    /**
     * ARNs of the trails Datadog reads (cloudtrail:GetTrailStatus is scoped to them).
     *
     * @minItems 1
     */
    trailArns: string[];
    /**
     * How new log files reach the forwarder without touching the bucket's notification configuration (S3 keeps one per bucket; writing it would replace yours). "eventbridge": an EventBridge rule for Object Created events of the trail's log files only (wildcard <prefix>/AWSLogs/* /CloudTrail/*.json.gz: no digest, Insights or AWS Config file); the bucket must send events to EventBridge, and the forwarder must read EventBridge S3 events (Datadog Forwarder 5.3.0 or later). "sns": subscribe the forwarder to the SNS topic the bucket already notifies (snsTopicArn), with a message-body filter policy passing only objects under the trail's read prefix (<prefix>/AWSLogs/, or <prefix>/AWSLogs/<o-id>/ in an organization).
     */
    trigger: ("eventbridge" | "sns");
    /**
     * With trigger "sns": the SNS topic the bucket publishes its object-created events to, in the bucket's region.
     */
    snsTopicArn?: string;
}
/**
 * The Datadog Forwarder Lambda function that ships the trail's log files to Datadog. Accounts may override any field under accounts[].forwarder.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "forwarder".
 */
export interface ForwarderSettings {
    /**
     * Lambda function name (at most 59 characters: its execution role is <functionName>-role).
     */
    functionName?: string;
    /**
     * Version of Datadog's published Datadog-Forwarder Lambda layer; it decides the function's runtime (python3.14 for layers 94-110, python3.13 for 88-93, python3.12 for 71-87, and so on: config/forwarder-layers.ts). The default, 110, is forwarder 5.4.11, the newest release (aws-dd-forwarder-5.4.11). Layers before 101 (5.4.2) drop the logs Datadog's intake refuses instead of keeping them (storeFailedEvents); before 97 (5.3.0) they keep nothing and read no EventBridge events. A layer whose runtime Lambda has deprecated is refused (python3.10 and older: layers 1-42).
     */
    layerVersion?: number;
    /**
     * Python runtime of the forwarder: one Lambda has not deprecated (python3.10 was deprecated on 2026-10-31, python3.11 will be on 2027-06-30: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). With the layer, leave it out: the layer decides it, and a runtime the layer was not built for is refused. Required with code: the runtime that release zip was built for (python3.14 for 5.2.0 and later).
     */
    runtime?: ("python3.11" | "python3.12" | "python3.13" | "python3.14");
    /**
     * Deploy a Datadog Forwarder release zip (aws-dd-forwarder-<version>.zip) from S3 instead of the published layer. layerVersion is then unused.
     */
    code?: {
        /**
         * Bucket holding the zip, in the function's region.
         */
        s3Bucket: string;
        /**
         * Key of the zip.
         */
        s3Key: string;
        /**
         * Object version of the zip, to pin it.
         */
        s3ObjectVersion?: string;
    };
    /**
     * Keep what the forwarder fails to send to Datadog (logs its intake refuses with an HTTP error, metrics, traces) in an SQS queue, <functionName>-failed-events (encrypted with SSE-SQS, messages kept 14 days), and retry it on a schedule (retryIntervalHours): Datadog's DD_STORE_FAILED_EVENTS with DD_SQS_QUEUE_URL. Needs forwarder 5.3.0 or later (layer 97); refused logs are caught from 5.4.2 (layer 101). Without it a refused send is logged and lost: the invocation still succeeds, so the failure queue never sees it.
     */
    storeFailedEvents?: boolean;
    /**
     * Hours between the scheduled retries of stored failed events (EventBridge Scheduler invokes the forwarder with {"retry": true}). Datadog's template defaults to 6; hourly here, because Datadog's intake discards logs older than 18 hours and each retry takes at most 100 stored messages.
     */
    retryIntervalHours?: number;
    /**
     * Reserved concurrent executions of the forwarder. Unset by default: Lambda refuses a reservation that leaves less than 100 unreserved executions in the account and region, so any reservation fails to deploy in accounts with the low concurrency quota new accounts often get. Set it (Datadog suggests at least 10) to guarantee the forwarder capacity and cap what it can use, in accounts whose quota allows it.
     */
    reservedConcurrency?: number;
    /**
     * Memory in MB. The forwarder reads a whole log file into memory: smaller forwarders have lost CloudTrail logs.
     */
    memorySize?: number;
    /**
     * Timeout in seconds.
     */
    timeout?: number;
    /**
     * Retention of the forwarder's own log group /aws/lambda/<functionName>.
     */
    logRetentionDays?: (1 | 3 | 5 | 7 | 14 | 30 | 60 | 90 | 120 | 150 | 180 | 365 | 400 | 545 | 731 | 1096 | 1827 | 2192 | 2557 | 2922 | 3288 | 3653);
    /**
     * DD_LOG_LEVEL of the forwarder.
     */
    logLevel?: ("DEBUG" | "INFO" | "WARN" | "ERROR");
    /**
     * DD_TAGS: extra tags the forwarder adds to every log, as comma-separated key:value pairs.
     */
    ddTags?: string;
    /**
     * CloudWatch alarms on the forwarder the toolkit deploys, in its account and region: its failure queues holding messages (failed invocations, and sends Datadog's intake refused, which SQS drops after 14 days), and any error or throttle of the function.
     */
    alarms?: {
        /**
         * Create the alarms (CloudWatch bills each alarm monthly).
         */
        enabled?: boolean;
        /**
         * The SNS topic the alarms notify when they fire and recover, in the forwarder's account and region. Absent: the alarms change state in CloudWatch only.
         */
        snsTopicArn?: string;
    };
    /**
     * ARN of a Datadog Forwarder you already run, in the bucket's account and region: the toolkit creates no function, only its trigger. Its execution role must already read the trail bucket (and decrypt with its key).
     */
    existingArn?: string;
}
/**
 * Tags applied to every resource (the AWS provider's default_tags).
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "tags".
 */
export interface Tags {
    [k: string]: string;
}
/**
 * One AWS account; it becomes one Terraform stack named after `name`.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "account".
 */
export interface AccountSettings {
    /**
     * Stack name for this account: a letter, then letters, digits, '-' or '_' (at most 64). You run `cdktf deploy <name>`.
     */
    name: string;
    /**
     * The 12-digit AWS account ID, as a string (quotes keep its leading zeros).
     */
    accountId: string;
    /**
     * The AWS region of the account's stack: the trail's home region, and where the bucket and forwarder live.
     */
    region: string;
    /**
     * This account's external ID from Datadog (32 lowercase hex characters): its Datadog role trusts only this ID. Datadog issues one per AWS account: copy it from the AWS integration tile when adding the account, or generate it with the Datadog API (Generate a new external ID, for this account). Each account needs its own, except with datadog.createRole false; an account without one uses datadog.externalId. Refused with datadog.manageIntegration, where Datadog generates it.
     */
    externalId?: string;
    /**
     * The Secrets Manager secret this account's forwarder reads the Datadog API key from, instead of datadog.apiKeySecretArn (set it on the account that runs a forwarder: per account, every account; in an organization, the log-archive account). The forwarder reads the secret in its own region: Datadog Forwarder up to 5.4.11 builds its Secrets Manager client without a region, and no release reads the region from the ARN yet. A secret of another account needs apiKeySecretKmsKeyArn: Secrets Manager's default key aws/secretsmanager cannot be used across accounts.
     */
    apiKeySecretArn?: string;
    /**
     * The customer managed KMS key of accounts[].apiKeySecretArn, as datadog.apiKeySecretKmsKeyArn is of datadog.apiKeySecretArn. An account with its own secret does not inherit datadog.apiKeySecretKmsKeyArn.
     */
    apiKeySecretKmsKeyArn?: string;
    /**
     * Role that Terraform assumes to deploy into this account (for example OrganizationAccountAccessRole). Omit to use the caller's credentials as they are.
     */
    assumeRoleArn?: string;
    /**
     * Roll-out wave, a whole number from 1 to 100: wave 1 deploys first (make it your canary), then 2, and so on. The roll-out runs the waves there are in order, whatever their numbers: number them 1, 2, 3, ...
     */
    wave?: number;
    trail?: TrailSettings;
    forwarder?: ForwarderSettings;
    tags?: Tags;
}
/**
 * Set it to run one organization trail from the management account into a log-archive account. Absent: every account gets its own trail.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "organization".
 */
export interface OrganizationSettings {
    /**
     * The AWS Organizations ID.
     */
    id: string;
    /**
     * The `name` of the management account's entry in accounts[].
     */
    managementAccount: string;
    /**
     * The `name` of the log-archive account's entry in accounts[] (may be the management account).
     */
    logArchiveAccount: string;
}
/**
 * Adopt AWS Control Tower's organization trail (in the management account's home region) and its log bucket (prefix <o-id>): no second trail (which would double CloudTrail's cost), no bucket, key or bucket policy. Needs `organization`, whose logArchiveAccount is the account of Control Tower's centralized logging (the log archive account; in landing zone 4.0 the manifest's centralizedLogging.accountId).
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "controlTower".
 */
export interface ControlTowerSettings {
    /**
     * Your landing zone version (Control Tower console, Landing zone settings). "3.x": the toolkit derives the trail name aws-controltower-BaselineCloudTrail and the bucket name aws-controltower-logs-<log archive account>-<home region>. "4.0" (and later): the CloudTrail integration is optional (centralizedLogging.enabled must be true) and its resource names carry a suffix Control Tower generates, so trailName and bucketName are required: copy Name and S3BucketName from `aws cloudtrail describe-trails --region <home region>` in the management account.
     */
    landingZoneVersion: ("3.x" | "4.0");
    /**
     * The name of Control Tower's organization trail. Required with landingZoneVersion "4.0"; with "3.x", it replaces the derived aws-controltower-BaselineCloudTrail.
     */
    trailName?: string;
    /**
     * The bucket Control Tower's organization trail writes to, in the log archive account. Required with landingZoneVersion "4.0"; with "3.x", it replaces the derived aws-controltower-logs-<log archive account>-<home region>.
     */
    bucketName?: string;
    /**
     * Control Tower's home region. Default: the management account's region.
     */
    homeRegion?: string;
    /**
     * The KMS key of the landing zone's centralized logging, if you configured one (it lives in the management account).
     */
    keyArn?: string;
    /**
     * As trail.existing.trigger.
     */
    trigger: ("eventbridge" | "sns");
    /**
     * As trail.existing.snsTopicArn.
     */
    snsTopicArn?: string;
}
/**
 * Terraform state backend. Absent: local state, one terraform.<stack>.tfstate file per stack in the project folder (fine for trying it out, not for a team).
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "backend".
 */
export interface BackendSettings {
    /**
     * An S3 backend: one state object per stack at <keyPrefix>/<stack>.tfstate, encrypted, with S3 native locking (use_lockfile).
     */
    s3: {
        /**
         * Existing S3 bucket that holds the state.
         */
        bucket: string;
        /**
         * Region of the state bucket.
         */
        region: string;
        /**
         * Key prefix for the state objects.
         */
        keyPrefix?: string;
        /**
         * Role to assume to reach the state bucket (often in a tooling account).
         */
        roleArn?: string;
    };
}
/**
 * The GitHub repository whose workflows deploy this config, and the AWS account that holds GitHub's OIDC identity provider and the CI roles (deploy, plan, enrollment). Every CI role's trust policy is derived from it (`npm run policies -- --ci` prints them), and every stack must then have a role the deploy role can assume. Absent: the CI roles are yours to set up, and nothing about them is checked.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "github".
 */
export interface GitHubSettings {
    /**
     * The repository as owner/name, spelled as GitHub shows it: the CI roles trust only this repository's workflows.
     */
    repository: string;
    /**
     * The owner's numeric ID, for a repository whose OIDC tokens carry immutable subject claims (repositories created on github.com from 15 July 2026 on, and older ones that opted in: `repo:owner@<ownerId>/name@<repositoryId>:...`). Set it with repositoryId; absent, the roles trust the name-only subject.
     */
    ownerId?: number;
    /**
     * The repository's numeric ID, with ownerId.
     */
    repositoryId?: number;
    /**
     * The repository's default branch: roll-outs, drift checks and enrollment run from it, and the deploy and enrollment roles trust only its workflows.
     */
    defaultBranch?: string;
    /**
     * The 12-digit ID of the AWS account that holds GitHub's OIDC identity provider (token.actions.githubusercontent.com) and the three CI roles: a role can trust only an identity provider of its own account. For enrollment it must be the management account or a delegated administrator of AWS Organizations.
     */
    oidcAccount: string;
    /**
     * The role of oidcAccount that the roll-out's plan and apply jobs assume; every account's assumeRoleArn role trusts it.
     */
    deployRoleName?: string;
    /**
     * The role of oidcAccount that pull-request plans and the drift check assume.
     */
    planRoleName?: string;
    /**
     * The role of oidcAccount that the enrollment workflow assumes: it may only list the organization's accounts and OUs.
     */
    enrollmentRoleName?: string;
}
/**
 * How `npm run import-accounts` and the scheduled enrollment workflow (.github/workflows/enroll.yml) add the organization's new accounts: their wave, region and deploy role, and which accounts are in scope, as a StackSet's deployment targets. Accounts that leave are reported, never removed.
 *
 * This interface was referenced by `Config`'s JSON-Schema
 * via the `definition` "enrollment".
 */
export interface EnrollmentSettings {
    /**
     * The wave of new accounts: one that some account already uses, since a new wave number would deploy in a GitHub environment (wave-N) nobody has protected. Default: the highest wave in the config.
     */
    wave?: number;
    /**
     * The region of new accounts' stacks. Default: the management account's region, else the first account's.
     */
    region?: string;
    /**
     * The role that new accounts' stacks assume (their assumeRoleArn). OrganizationAccountAccessRole trusts only the management account: with github.oidcAccount elsewhere, name the deploy role you create in every member account.
     */
    roleName?: string;
    /**
     * The OUs (IDs, or the root's ID) whose accounts are enrolled, nested OUs included. Absent: every account of the organization.
     *
     * @minItems 1
     *
     * Items: An OU ID (ou-...) or the root's ID (r-...), as `aws organizations list-organizational-units-for-parent` or `list-roots` shows it.
     */
    organizationalUnits?: string[];
    /**
     * OUs whose accounts, nested OUs included, are never enrolled, even inside an included OU.
     *
     * Items: An OU ID (ou-...), as `aws organizations list-organizational-units-for-parent` shows it.
     */
    excludeOrganizationalUnits?: string[];
    /**
     * Accounts never enrolled, wherever they are.
     *
     * Items: A 12-digit account ID.
     */
    excludeAccounts?: string[];
}
