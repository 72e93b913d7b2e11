/** IAM policy documents as typed plain data, the JSON AWS reads, key for key. */

export type OneOrMany<T> = T | T[];

export type Principal =
  | '*'
  | { AWS: OneOrMany<string> }
  | { Service: OneOrMany<string> }
  | { Federated: OneOrMany<string> };

/** Operator → condition key → value(s), e.g. `{ StringEquals: { 'sts:ExternalId': '…' } }`. */
export type Conditions = Record<string, Record<string, OneOrMany<string>>>;

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  Action: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  Condition?: Conditions;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function policyDocument(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
