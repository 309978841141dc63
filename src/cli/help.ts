import { ACTION_INPUTS, type ActionInput } from './action-inputs.js';

/**
 * The groups --help shows the inputs in. An input no group names (one
 * added to action.yml later) is listed under "More", so every flag shows.
 */
const GROUPS: [title: string, names: string[]][] = [
  ['Where', ['direction', 'directory', 'bucket', 'prefix']],
  ['Safety', ['dry-run', 'delete', 'max-delete', 'allow-empty', 'request-limit', 'expected-bucket-owner']],
  ['What is copied', ['exclude', 'gzip', 'force', 'manifest-key', 'links']],
  [
    'Headers and storage',
    ['cache-control', 'headers', 'sse', 'sse-kms-key-id', 'sse-bucket-key', 'acl', 'storage-class'],
  ],
  [
    'Connection and credentials',
    [
      'region',
      'endpoint',
      'force-path-style',
      'request-checksums',
      'concurrency',
      'aws-access-key-id',
      'aws-secret-access-key',
      'aws-session-token',
    ],
  ],
  ['Deploys', ['lock', 'lock-wait', 'keep-deploys', 'deploy-id']],
  ['CloudFront', ['cloudfront-distribution-id', 'cloudfront-max-paths', 'cloudfront-wait']],
  ['Links in the summary', ['site-url', 'index-document']],
  ['GitHub only (no effect here)', ['pr-comment', 'github-token']],
];

const COMMANDS = `Usage:
  s3-force-copy push DIR s3://BUCKET[/PREFIX]    the bucket becomes a copy of DIR
  s3-force-copy pull s3://BUCKET[/PREFIX] DIR    DIR becomes a copy of the bucket
  s3-force-copy remove s3://BUCKET/PREFIX        delete every object under PREFIX
  s3-force-copy rollback s3://BUCKET[/PREFIX]    restore a recorded deploy (--deploy-id)

Every input of the GitHub Action is a flag of the same name; a list input's
flag may be repeated, one line each. What each does: the README's Inputs table.
Credentials: the AWS SDK's default chain (environment, ~/.aws files, SSO,
instance roles), or --profile.`;

const OWN = `Output
  --json                     print the outputs as one JSON object on stdout (the log goes to stderr)
  --summary FILE             write the job summary's Markdown to FILE
  --profile NAME             the AWS shared config profile to use
  -h, --help                 this help
  -V, --version              the version

Exit codes: 0 done; 1 failed part-way (the message says what the destination
now holds); 2 refused before any change (bad flags, a guard, the budget, an
error before the apply); 130 and 143 interrupted (no partial file left).`;

function usage(input: ActionInput): string {
  if (input.boolean) return `--${input.name}, --no-${input.name}`;
  return `--${input.name} ${input.repeatable ? 'LINE' : 'VALUE'}${input.repeatable ? ' (repeatable)' : ''}`;
}

/** --help: the commands, then the flags by group, then the command line's own. */
export function helpText(): string {
  const grouped = new Set(GROUPS.flatMap(([, names]) => names));
  const more = ACTION_INPUTS.filter((input) => !grouped.has(input.name)).map((input) => input.name);
  const sections = [...GROUPS, ['More', more] as [string, string[]]]
    .filter(([, names]) => names.length > 0)
    .map(([title, names]) => {
      const flags = names
        .map((name) => ACTION_INPUTS.find((input) => input.name === name))
        .filter((input): input is ActionInput => input !== undefined)
        .map((input) => `  ${usage(input)}`);
      return [title, ...flags].join('\n');
    });
  return [COMMANDS, ...sections, OWN].join('\n\n') + '\n';
}
