// Made by scripts/cli-flags.mjs from action.yml; docs.test.ts checks that it is current.

/** One input of action.yml, as a flag of the same name. */
export interface ActionInput {
  name: string;
  /** Takes true or false: `--name` alone is true, `--no-name` false. */
  boolean: boolean;
  /** A list of lines in the action: the flag may be repeated, one line each. */
  repeatable: boolean;
}

export const ACTION_INPUTS: readonly ActionInput[] = [
  { name: 'direction', boolean: false, repeatable: false },
  { name: 'directory', boolean: false, repeatable: false },
  { name: 'bucket', boolean: false, repeatable: false },
  { name: 'prefix', boolean: false, repeatable: false },
  { name: 'request-limit', boolean: false, repeatable: false },
  { name: 'region', boolean: false, repeatable: false },
  { name: 'endpoint', boolean: false, repeatable: false },
  { name: 'force-path-style', boolean: true, repeatable: false },
  { name: 'aws-access-key-id', boolean: false, repeatable: false },
  { name: 'aws-secret-access-key', boolean: false, repeatable: false },
  { name: 'aws-session-token', boolean: false, repeatable: false },
  { name: 'concurrency', boolean: false, repeatable: false },
  { name: 'exclude', boolean: false, repeatable: true },
  { name: 'cache-control', boolean: false, repeatable: true },
  { name: 'headers', boolean: false, repeatable: true },
  { name: 'gzip', boolean: false, repeatable: true },
  { name: 'links', boolean: false, repeatable: false },
  { name: 'manifest-key', boolean: false, repeatable: false },
  { name: 'dry-run', boolean: true, repeatable: false },
  { name: 'delete', boolean: true, repeatable: false },
  { name: 'max-delete', boolean: false, repeatable: false },
  { name: 'allow-empty', boolean: true, repeatable: false },
  { name: 'force', boolean: true, repeatable: false },
  { name: 'request-checksums', boolean: false, repeatable: false },
  { name: 'cloudfront-distribution-id', boolean: false, repeatable: true },
  { name: 'cloudfront-max-paths', boolean: false, repeatable: false },
  { name: 'cloudfront-wait', boolean: true, repeatable: false },
  { name: 'index-document', boolean: false, repeatable: false },
  { name: 'pr-comment', boolean: true, repeatable: false },
  { name: 'github-token', boolean: false, repeatable: false },
  { name: 'site-url', boolean: false, repeatable: false },
  { name: 'lock', boolean: true, repeatable: false },
  { name: 'lock-wait', boolean: false, repeatable: false },
  { name: 'keep-deploys', boolean: false, repeatable: false },
  { name: 'deploy-id', boolean: false, repeatable: false },
  { name: 'sse', boolean: false, repeatable: false },
  { name: 'sse-kms-key-id', boolean: false, repeatable: false },
  { name: 'sse-bucket-key', boolean: true, repeatable: false },
  { name: 'acl', boolean: false, repeatable: false },
  { name: 'storage-class', boolean: false, repeatable: false },
  { name: 'expected-bucket-owner', boolean: false, repeatable: false },
];
