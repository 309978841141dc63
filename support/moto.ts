/**
 * moto's stand-alone server, for tests of the AWS services s3rver does not
 * emulate (CloudFront). moto is a Python package; it is not on npm:
 *
 *     pip install 'moto[server]'
 *
 * Tests call `motoAvailability()` at load time to decide whether to skip. A
 * missing moto skips the tests on a developer's machine but fails them when
 * `CI` is set, so CI can never pass by silently running none of them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

export interface MotoServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Forgets every resource created so far (moto's own reset API). */
  reset: () => Promise<void>;
  stop: () => Promise<void>;
}

interface MotoCommand {
  command: string;
  args: string[];
}

export const MOTO_INSTALL_HINT = "moto_server was not found: install it with `pip install 'moto[server]'`";

/** Dummy credentials: moto accepts any, and real ones must never reach it. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let found: MotoCommand | null | undefined;

/** How to start moto here, or undefined when it is not installed. */
function motoCommand(): MotoCommand | undefined {
  if (found === undefined) {
    const candidates: MotoCommand[] = [
      { command: 'moto_server', args: [] },
      { command: 'python3', args: ['-m', 'moto.server'] },
    ];
    found =
      candidates.find(({ command, args }) => {
        const probe = spawnSync(command, [...args, '--help'], { stdio: 'ignore', timeout: 30_000 });
        return probe.error === undefined && probe.status === 0;
      }) ?? null;
  }
  return found ?? undefined;
}

/**
 * `{ skip }` for node:test: a reason to skip when moto is missing and this is
 * not CI, else false (so that, in CI, `startMoto` runs and fails loudly).
 */
export function motoAvailability(): { skip: string | false } {
  if (motoCommand() !== undefined || process.env.CI) return { skip: false };
  return { skip: MOTO_INSTALL_HINT };
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // moto_server may be a wrapper script (pyenv's shim) that starts Python
    // as its child: the child runs in its own process group, ended whole.
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) killGroup(child);
  });
}

/** Starts moto on 127.0.0.1 on a free port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  const command = motoCommand();
  if (command === undefined) throw new Error(MOTO_INSTALL_HINT);
  // Another process may take the free port between our check and moto's bind:
  // then moto exits at once and the next port is tried.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOn(command, port);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

async function startOn({ command, args }: MotoCommand, port: number): Promise<MotoServer> {
  const child = spawn(command, [...args, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  running.add(child);
  installExitHook();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 10_000) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto_server exited before it answered (${child.exitCode ?? child.signalCode}):\n${stderr}`);
    }
    if (await answers(url)) break;
    if (Date.now() > deadline) {
      killGroup(child);
      await exited;
      throw new Error(`moto_server did not answer on ${url} within 30 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Don't let the server keep the test process alive; `exit` still ends it.
  child.unref();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  return {
    url,
    reset: async () => {
      const status = await request(`${url}/moto-api/reset`, 'POST');
      if (status !== 200) throw new Error(`moto reset answered ${status}`);
    },
    stop: async () => {
      // Referenced again, or waiting for its exit would not keep the loop alive.
      child.ref();
      killGroup(child);
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await request(`${url}/moto-api/`, 'GET')) > 0;
  } catch {
    return false;
  }
}

function request(url: string, method: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, timeout: 2_000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
