#!/usr/bin/env node
// The command line: a second host of the run the action makes (run-settings.ts).
// It reads the same settings, through the same module, from flags instead of INPUT_* variables.
import { writeFile } from 'node:fs/promises';
import { S3Client } from '@aws-sdk/client-s3';
import { TempFiles } from '../local/temp-files.js';
import { describeFailure } from '../report/failure.js';
import { Warnings } from '../report/warnings.js';
import { runSettings, type RunEnd } from '../run-settings.js';
import { readSettings, type Settings } from '../settings/inputs.js';
import { exitReleasingLeases } from '../deploys/hold.js';
import { onStopRequest } from '../thread.js';
import { version } from '../version.js';
import { parseCommandLine, UsageError, type RunRequest } from './args.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { helpText } from './help.js';
import { summaryTables } from './table.js';
import { TerminalLog } from './terminal-log.js';

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let request: RunRequest;
  try {
    const commandLine = parseCommandLine(argv);
    if (commandLine.kind === 'help') return print(process.stdout, helpText(), EXIT.done);
    if (commandLine.kind === 'version') return print(process.stdout, `${version}\n`, EXIT.done);
    request = commandLine;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return print(process.stderr, `error: ${error.message}\nRun s3-force-copy --help for the commands and flags.\n`, 2);
  }
  let settings: Settings;
  try {
    settings = await settingsFor(request);
  } catch (error) {
    const message = describeFailure(error, { settings: undefined, requestsSucceeded: 0 });
    return print(process.stderr, `error: ${message}\n`, EXIT.refused);
  }
  return runAndReport(settings, request);
}

/**
 * The settings the flags give, read as the action reads its inputs: each
 * flag becomes the INPUT_ variable a runner would set, and nothing else does.
 */
async function settingsFor(request: RunRequest): Promise<Settings> {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
  for (const [name, value] of Object.entries(request.inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  if (request.profile !== undefined) process.env.AWS_PROFILE = request.profile;
  const region = request.inputs.region ? undefined : await regionFromSharedConfig();
  // A relative directory is the current directory's, whatever a surrounding job's workspace is.
  const env = { ...process.env, GITHUB_WORKSPACE: '', ...(region === undefined ? {} : { AWS_REGION: region }) };
  // No runner reads the log here, so no secret is announced to it.
  return readSettings(env, () => undefined);
}

/** The region the SDK's chain finds (environment, then the profile's config); undefined when none. */
async function regionFromSharedConfig(): Promise<string | undefined> {
  if (process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION) return undefined;
  const probe = new S3Client({});
  try {
    return await probe.config.region();
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

async function runAndReport(settings: Settings, request: RunRequest): Promise<number> {
  // With --json, stdout holds the JSON alone and the log goes to stderr.
  const stream = request.json ? process.stderr : process.stdout;
  const log = new TerminalLog({ write: (text) => stream.write(text), live: isLive(stream) });
  const warnings = new Warnings((message) => log.line(`warning: ${message}`));
  const tempFiles = new TempFiles();
  // Ctrl-C or a CI's cancel: no partial download is left behind.
  onStopRequest((exitCode) => {
    tempFiles.removeAll();
    log.line(`Interrupted: stopped with exit code ${exitCode}.`);
    exitReleasingLeases(exitCode);
  });
  const end = await runSettings(settings, {
    reporter: log.reporter(warnings),
    warnings,
    tempFiles,
    source: undefined,
    beforeSummary: async () => undefined,
    writeSummary: (summary) => writeSummaryFile(request.summaryFile, summary, warnings),
  });
  showEnd(end, log, isLive(stream));
  if (request.json) process.stdout.write(`${JSON.stringify(end.outputs)}\n`);
  return exitCodeFor(end);
}

/** --summary FILE; one that cannot be written is a warning, as in the action: the run has happened. */
async function writeSummaryFile(file: string | undefined, summary: string, warnings: Warnings): Promise<void> {
  if (file === undefined) return;
  try {
    await writeFile(file, summary);
  } catch (error) {
    warnings.warn(
      `Could not write the summary to ${file} (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}

/** The end for a person: the tables on a terminal, the closing line elsewhere, then any failure. */
function showEnd(end: RunEnd, log: TerminalLog, live: boolean): void {
  if (end.result !== undefined && live) log.line(summaryTables(end.outputs, end.result));
  else if (end.closingLine !== undefined) log.line(end.closingLine);
  if (end.failure === undefined) return;
  process.stderr.write(`error: ${end.failure}\n`);
  // The sentence names the action's inputs and steps; here credentials come from elsewhere.
  if (/credentials/i.test(end.failure)) process.stderr.write(`${CREDENTIALS_HINT}\n`);
}

const CREDENTIALS_HINT =
  'On the command line, credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE or --profile NAME (after aws configure or aws sso login), or an instance or container role.';

/** A terminal a person watches: not a file or pipe, and not a CI's log. */
function isLive(stream: NodeJS.WriteStream): boolean {
  const ci = process.env.CI;
  return stream.isTTY === true && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}

function print(stream: NodeJS.WriteStream, text: string, exitCode: number): number {
  stream.write(text);
  return exitCode;
}

process.exitCode = await main(process.argv.slice(2));
