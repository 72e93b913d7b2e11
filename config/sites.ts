/**
 * Datadog sites and the AWS account that assumes the integration role from each.
 *
 * Source: DataDog/cloudformation-template `aws_quickstart/main_v2.yaml`, mapping
 * `DdAccountIdBySite`. A site serves customers of one or two AWS partitions; the pair
 * (site, partition) must appear here.
 */
import type { Partition } from './regions';
import type { DatadogSettings } from './types';

export type DatadogSite = DatadogSettings['site'];

/** Every site's Datadog account; the schema's `datadog.site` enum names the same sites (the type makes it exhaustive). */
const DATADOG_ACCOUNT_BY_SITE: Record<DatadogSite, Partial<Record<Partition, string>>> = {
  'datadoghq.com': { aws: '464622532012' },
  'us3.datadoghq.com': { aws: '464622532012' },
  'us5.datadoghq.com': { aws: '464622532012' },
  'datadoghq.eu': { aws: '464622532012' },
  'ap1.datadoghq.com': { aws: '417141415827' },
  'ap2.datadoghq.com': { aws: '412381753143' },
  'uk1.datadoghq.com': { aws: '117348461845' },
  'ddog-gov.com': { aws: '392588925713', 'aws-us-gov': '065115117704' },
  'us2.ddog-gov.com': { aws: '382742775718', 'aws-us-gov': '486737091498' },
};

export const DATADOG_SITES = Object.keys(DATADOG_ACCOUNT_BY_SITE) as DatadogSite[];

/** The Datadog AWS account for a site and partition, or undefined when the site does not serve it. */
export function datadogAccountId(site: DatadogSite, partition: Partition): string | undefined {
  return DATADOG_ACCOUNT_BY_SITE[site][partition];
}

/** The sites that serve customers in a partition, for error messages. */
export function sitesServing(partition: Partition): DatadogSite[] {
  return DATADOG_SITES.filter((site) => datadogAccountId(site, partition) !== undefined);
}

/**
 * The site a user probably means by `value`: the URL they log in to, with or without
 * https:// and a path (US1 users log in at app.datadoghq.com, EU1 at app.datadoghq.eu).
 * https://docs.datadoghq.com/getting_started/site/
 */
export function siteFromUrl(value: string): DatadogSite | undefined {
  const host = value.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/?#].*$/, '').replace(/^app\./, '');
  return (DATADOG_SITES as readonly string[]).includes(host) ? (host as DatadogSite) : undefined;
}

/**
 * The API URL of a site, as the Datadog provider's `api_url` takes it: `https://api.<site>/`,
 * without `/api/` (https://registry.terraform.io/providers/DataDog/datadog/3.82.0/docs, `api_url`;
 * each site's endpoint in https://docs.datadoghq.com/api/latest/monitors/#create-a-monitor,
 * e.g. api.us3.datadoghq.com, api.datadoghq.eu, api.ddog-gov.com, api.us2.ddog-gov.com).
 */
export function datadogApiUrl(site: DatadogSite): string {
  return `https://api.${site}/`;
}
