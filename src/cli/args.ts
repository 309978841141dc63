import { parseArgs } from 'node:util';
import { ACTION_INPUTS, type ActionInput } from './action-inputs.js';

/** Flags of the command line's own, beside one per action input. */
const OWN_FLAGS = {
  json: { type: 'boolean' },
  summary: { type: 'string' },
  profile: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** A command line that cannot be read: exit code 2, with the help's pointer. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface RunRequest {
  kind: 'run';
  /** The action's inputs by name, as a runner would pass them (lists one line each). */
  inputs: Record<string, string>;
  /** Print the outputs as one JSON object on stdout. */
  json: boolean;
  /** Where to write the job summary, if anywhere. */
  summaryFile: string | undefined;
  /** The shared config profile the SDK's default chain reads. */
  profile: string | undefined;
}

export type CommandLine = { kind: 'help' } | { kind: 'version' } | RunRequest;

/** Commands whose arguments are a directory and an s3:// URL; every other takes the URL alone. */
const DIRECTORY_FIRST = 'push';
const DIRECTORY_LAST = 'pull';

/**
 * `s3-force-copy COMMAND ARGS… [--flag VALUE]…`: the command and its
 * arguments fill the direction, directory, bucket and prefix inputs, each
 * flag the input of its name. Values are not checked here but by the
 * settings, as the action's are.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const { values, positionals } = parseFlags(argv);
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const inputs: Record<string, string> = {};
  for (const input of ACTION_INPUTS) {
    const value = values[input.name];
    if (value === undefined) continue;
    inputs[input.name] = Array.isArray(value) ? value.join('\n') : String(value);
  }
  for (const [name, value] of Object.entries(commandInputs(positionals))) {
    if (inputs[name] !== undefined) {
      throw new UsageError(`The ${name} is given twice: by the command's arguments and by --${name}.`);
    }
    inputs[name] = value;
  }
  if (inputs.direction === undefined) throw new UsageError('Name a command: push, pull, remove or rollback.');
  return {
    kind: 'run',
    inputs,
    json: values.json === true,
    summaryFile: typeof values.summary === 'string' ? values.summary : undefined,
    profile: typeof values.profile === 'string' ? values.profile : undefined,
  };
}

function parseFlags(argv: readonly string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    ...OWN_FLAGS,
  };
  for (const input of ACTION_INPUTS) options[input.name] = { type: 'string', multiple: input.repeatable };
  try {
    return parseArgs({ args: spellBooleans(argv, ACTION_INPUTS), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * `--dry-run` and `--no-dry-run` become `--dry-run=true` and `=false`, so
 * that every input reaches the settings as the text a runner would pass, and
 * `--dry-run=maybe` gets the action's own sentence.
 */
export function spellBooleans(argv: readonly string[], inputs: readonly ActionInput[]): string[] {
  const booleans = new Set(inputs.filter((input) => input.boolean).map((input) => input.name));
  const end = argv.indexOf('--');
  return argv.map((arg, index) => {
    if (end !== -1 && index > end) return arg;
    if (booleans.has(arg.slice(2)) && arg.startsWith('--')) return `${arg}=true`;
    if (arg.startsWith('--no-') && booleans.has(arg.slice(5))) return `--${arg.slice(5)}=false`;
    return arg;
  });
}

/** The inputs a command and its arguments stand for. */
function commandInputs(positionals: string[]): Record<string, string> {
  const [command, ...args] = positionals;
  if (command === undefined) return {};
  if (command === DIRECTORY_FIRST || command === DIRECTORY_LAST) {
    const [first, second] = command === DIRECTORY_FIRST ? args : [...args].reverse();
    if (args.length !== 2 || first === undefined || second === undefined) {
      const shape = command === DIRECTORY_FIRST ? 'DIR s3://BUCKET[/PREFIX]' : 's3://BUCKET[/PREFIX] DIR';
      throw new UsageError(`${command} takes a directory and a bucket: s3-force-copy ${command} ${shape}.`);
    }
    return { direction: command, directory: first, ...bucketInputs(second) };
  }
  if (args.length !== 1 || args[0] === undefined) {
    throw new UsageError(`${command} takes one bucket and prefix: s3-force-copy ${command} s3://BUCKET/PREFIX.`);
  }
  return { direction: command, ...bucketInputs(args[0]) };
}

/** s3://BUCKET[/PREFIX] as the bucket and prefix inputs. */
function bucketInputs(url: string): { bucket: string; prefix?: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (match === null || match[1] === undefined) {
    throw new UsageError(`Expected s3://BUCKET or s3://BUCKET/PREFIX, not "${url}".`);
  }
  return match[2] === undefined || match[2] === '' ? { bucket: match[1] } : { bucket: match[1], prefix: match[2] };
}
