import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { DEFAULT_CONCURRENCY, InputError, readSettings, type Settings } from '../../../src/settings/inputs.js';

// @actions/core reads INPUT_<NAME> with spaces turned into "_" and dashes kept.
const envName = (input: string) => `INPUT_${input.replace(/ /g, '_').toUpperCase()}`;

const REQUIRED = { direction: 'push', directory: 'site', bucket: 'my-site' };
const WORKSPACE = path.resolve('/workspace/repo');

function clearInputs(): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
}

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  clearInputs();
});
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
});

/** readSettings with exactly these inputs (over valid required ones, replacing any set before) and this environment. */
function read(inputs: Record<string, string> = {}, env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: WORKSPACE }): Settings {
  clearInputs();
  for (const [name, value] of Object.entries({ ...REQUIRED, ...inputs })) process.env[envName(name)] = value;
  return readSettings(env);
}

/** The input is refused with one sentence that names it. */
function refuses(inputs: Record<string, string>, name: string, detail?: RegExp): void {
  assert.throws(
    () => read(inputs),
    (error: unknown) => {
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.ok(error.message.includes(name), `"${error.message}" names ${name}`);
      assert.match(error.message, /\.$/, 'ends as a sentence');
      assert.equal(error.message.split(/[.!?]\s+(?=[A-Z])/).length, 1, `"${error.message}" is one sentence`);
      if (detail) assert.match(error.message, detail);
      return true;
    },
    `${name}: ${JSON.stringify(inputs)}`,
  );
}

describe('readSettings defaults', () => {
  it('fills every optional input with its documented default', () => {
    const settings = read({}, { GITHUB_WORKSPACE: WORKSPACE });
    assert.deepEqual(settings, {
      direction: 'push',
      directory: path.join(WORKSPACE, 'site'),
      directoryInput: 'site',
      bucket: 'my-site',
      prefix: '',
      requestLimit: 1_000_000,
      region: 'us-east-1',
      endpoint: undefined,
      forcePathStyle: false,
      credentials: undefined,
      concurrency: DEFAULT_CONCURRENCY,
      exclude: [],
      cacheControl: [],
      headers: [],
      gzip: [],
      manifestKey: '.s3-force-copy/manifest.json',
      dryRun: false,
      delete: true,
      maxDelete: 256,
      limitToHalf: true,
      allowEmpty: false,
      force: false,
      checksums: 'when-supported',
      cloudfrontDistributionIds: [],
      cloudfrontMaxPaths: 30,
      cloudfrontWait: false,
      indexDocument: 'index.html',
      prComment: false,
      githubToken: '',
      siteUrl: undefined,
      lock: true,
      lockWait: 600,
      keepDeploys: 20,
      deployId: undefined,
      storage: {},
      expectedBucketOwner: undefined,
      links: 'redirect',
    } satisfies Settings);
  });

  it('reads the dashed names as @actions/core spells them (INPUT_REQUEST-LIMIT)', () => {
    for (const [name, value] of Object.entries(REQUIRED)) process.env[envName(name)] = value;
    process.env['INPUT_REQUEST-LIMIT'] = '42';
    process.env['INPUT_MAX-DELETE'] = '7';
    const settings = readSettings({});
    assert.equal(settings.requestLimit, 42);
    assert.equal(settings.maxDelete, 7);
  });
});

describe('required inputs and direction', () => {
  for (const name of ['direction', 'directory', 'bucket']) {
    it(`refuses a missing ${name}`, () => {
      refuses({ [name]: '' }, name, new RegExp(`^The ${name} input is required\\.$`));
    });
  }

  it('accepts push, pull, remove and rollback only', () => {
    assert.equal(read({ direction: 'pull' }).direction, 'pull');
    assert.equal(read({ direction: 'remove', directory: '' }).directory, '', 'remove needs no directory');
    assert.equal(read({ direction: 'rollback', directory: '' }).directory, '', 'rollback needs no directory');
    for (const direction of ['sync', 'PUSH', 'Pull', 'upload']) {
      refuses(
        { direction },
        'direction',
        new RegExp(`must be "push", "pull", "remove" or "rollback", not "${direction}"`),
      );
    }
  });

  it('deploy-id is a deploy id, for a rollback only', () => {
    const id = '20261206T191800123Z-0123456';
    assert.equal(read({ direction: 'rollback', 'deploy-id': id }).deployId, id);
    assert.equal(read({ direction: 'rollback' }).deployId, undefined, 'the one before the latest');
    refuses({ direction: 'rollback', 'deploy-id': '../x' }, 'deploy-id', /must be a deploy's id/);
    refuses({ direction: 'push', 'deploy-id': id }, 'deploy-id', /names the deploy a rollback restores/);
  });

  it('refuses a bucket that is not a bucket name', () => {
    for (const bucket of ['s3://my-site', 'my site', 'a', 'my-site/prefix']) refuses({ bucket }, 'bucket');
    assert.equal(read({ bucket: 'my.site-2' }).bucket, 'my.site-2');
  });
});

describe('whole numbers', () => {
  it('request-limit must be a positive whole number', () => {
    for (const raw of ['0', '-1', '-5', '1.5', 'abc', '10k', '1e3', '0x10', '1,000', '+5', '9007199254740993']) {
      const message = `The request-limit input must be a whole number 1 or more, not "${raw}".`;
      refuses({ 'request-limit': raw }, 'request-limit', new RegExp(`^${message.replace(/[.+]/g, '\\$&')}$`));
    }
    assert.equal(read({ 'request-limit': '1' }).requestLimit, 1);
    assert.equal(read({ 'request-limit': ' 250 ' }).requestLimit, 250, 'surrounding spaces are trimmed');
    assert.equal(read({ 'request-limit': '1_000' }).requestLimit, 1000, 'YAML-style digit separators');
  });

  it('concurrency must be from 1 to 256', () => {
    for (const raw of ['0', '257', '2.5', '-4', 'many']) {
      refuses({ concurrency: raw }, 'concurrency', /must be a whole number from 1 to 256/);
    }
    assert.equal(read({ concurrency: '1' }).concurrency, 1);
    assert.equal(read({ concurrency: '256' }).concurrency, 256);
  });

  it('max-delete is empty (256 on push, no limit on pull) or a whole number from 0', () => {
    assert.equal(read({ 'max-delete': '' }).maxDelete, 256);
    assert.equal(read({ 'max-delete': '', direction: 'pull' }).maxDelete, undefined);
    assert.equal(read({ 'max-delete': '0' }).maxDelete, 0);
    assert.equal(read({ 'max-delete': '500' }).maxDelete, 500);
    // The half limit comes with push's default only: a max-delete you set replaces both.
    assert.equal(read({ 'max-delete': '' }).limitToHalf, true);
    assert.equal(read({ 'max-delete': '500' }).limitToHalf, false);
    assert.equal(read({ 'max-delete': '', direction: 'pull' }).limitToHalf, false);
    assert.equal(read({ 'max-delete': '', direction: 'remove', prefix: 'pr-1' }).limitToHalf, false);
    for (const raw of ['-1', '1.5', 'none', '1e2']) {
      refuses({ 'max-delete': raw }, 'max-delete', /must be a whole number 0 or more/);
    }
  });
});

describe('lock-wait', () => {
  it('is a whole number of seconds, 0 to 6 hours, 600 unless set', () => {
    assert.equal(read().lockWait, 600);
    assert.equal(read({ 'lock-wait': '0' }).lockWait, 0);
    for (const raw of ['-1', '1.5', '21601', 'ten']) refuses({ 'lock-wait': raw }, 'lock-wait');
  });

  it('keep-deploys is 1 to 1000, 20 unless set', () => {
    assert.equal(read().keepDeploys, 20);
    assert.equal(read({ 'keep-deploys': '3' }).keepDeploys, 3);
    for (const raw of ['0', '1001', 'all']) refuses({ 'keep-deploys': raw }, 'keep-deploys');
  });
});

describe('booleans', () => {
  const FLAGS: [input: string, key: keyof Settings, fallback: boolean][] = [
    ['dry-run', 'dryRun', false],
    ['delete', 'delete', true],
    ['allow-empty', 'allowEmpty', false],
    ['force', 'force', false],
    ['force-path-style', 'forcePathStyle', false],
    ['lock', 'lock', true],
  ];
  for (const [input, key, fallback] of FLAGS) {
    it(`${input} is true or false (default ${fallback})`, () => {
      assert.equal(read()[key], fallback);
      for (const raw of ['true', 'True', 'TRUE']) assert.equal(read({ [input]: raw })[key], true, raw);
      for (const raw of ['false', 'False', 'FALSE']) assert.equal(read({ [input]: raw })[key], false, raw);
      for (const raw of ['yes', '1', 'on', 'no']) refuses({ [input]: raw }, input, /must be true or false/);
      refuses({ [input]: 'YES' }, input, /not "YES"\.$/);
    });
  }
});

describe('exclude and cache-control', () => {
  it('exclude is one glob a line; blank lines and # comments are skipped', () => {
    const settings = read({ exclude: '*.log\r\n\n  # drafts stay local\n  drafts/**  \n.env' });
    assert.deepEqual(settings.exclude, ['*.log', 'drafts/**', '.env']);
  });

  it('cache-control rules are "glob: value" lines, in order, split at the first colon', () => {
    const settings = read({
      'cache-control': '**/*.html: no-cache\n# comment\nassets/**:  public, max-age=31536000, immutable\n*.x: a:b',
    });
    assert.deepEqual(settings.cacheControl, [
      { pattern: '**/*.html', value: 'no-cache' },
      { pattern: 'assets/**', value: 'public, max-age=31536000, immutable' },
      { pattern: '*.x', value: 'a:b' },
    ]);
  });

  it('refuses a cache-control line without a glob or a value, quoting the line', () => {
    for (const line of ['no-cache', ': no-cache', '*.html:', '*.html:   ']) {
      refuses(
        { 'cache-control': `**/*.css: max-age=60\n${line}` },
        'cache-control',
        new RegExp(`got "${line.trim().replace(/[*.]/g, '\\$&')}"`),
      );
    }
  });
});

describe('endpoint and request checksums', () => {
  it('auto means when-supported on AWS and when-required on a custom endpoint', () => {
    assert.equal(read().checksums, 'when-supported');
    const custom = read({ endpoint: 'http://127.0.0.1:9000' });
    assert.equal(custom.endpoint, 'http://127.0.0.1:9000');
    assert.equal(custom.checksums, 'when-required');
    assert.equal(
      read({ endpoint: 'https://minio.example.com', 'request-checksums': 'auto' }).checksums,
      'when-required',
    );
  });

  it('an explicit request-checksums wins over the endpoint default', () => {
    const settings = read({ endpoint: 'https://r2.example.com', 'request-checksums': 'when-supported' });
    assert.equal(settings.checksums, 'when-supported');
    assert.equal(read({ 'request-checksums': 'when-required' }).checksums, 'when-required');
  });

  it('refuses an unknown request-checksums and an endpoint that is not an http(s) URL', () => {
    for (const value of ['when_required', 'WHEN_REQUIRED', 'always'])
      refuses({ 'request-checksums': value }, 'request-checksums');
    for (const endpoint of ['localhost:9000', 'ftp://example.com', 'https://', 's3.amazonaws.com']) {
      refuses({ endpoint }, 'endpoint');
    }
  });
});

describe('region, directory and prefix', () => {
  it('region comes from the input, then AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1', () => {
    const env = { GITHUB_WORKSPACE: WORKSPACE, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' };
    assert.equal(read({ region: 'us-west-2' }, env).region, 'us-west-2');
    assert.equal(read({}, env).region, 'eu-west-1');
    assert.equal(read({}, { ...env, AWS_REGION: '' }).region, 'ap-south-1');
    assert.equal(read({}, { GITHUB_WORKSPACE: WORKSPACE }).region, 'us-east-1');
  });

  it('a relative directory is resolved against GITHUB_WORKSPACE, an absolute one is kept', () => {
    const relative = read({ directory: 'build/site' });
    assert.equal(relative.directory, path.join(WORKSPACE, 'build', 'site'));
    assert.equal(relative.directoryInput, 'build/site');
    const absolute = path.resolve('/srv/www');
    assert.equal(read({ directory: absolute }).directory, absolute);
    assert.equal(read({ directory: 'out' }, {}).directory, path.resolve(process.cwd(), 'out'), 'no workspace: cwd');
  });

  it('the process environment is the default environment', () => {
    process.env.GITHUB_WORKSPACE = WORKSPACE;
    process.env.AWS_REGION = 'eu-central-1';
    for (const [name, value] of Object.entries(REQUIRED)) process.env[envName(name)] = value;
    const settings = readSettings();
    assert.equal(settings.directory, path.join(WORKSPACE, 'site'));
    assert.equal(settings.region, 'eu-central-1');
  });

  it('prefix loses its leading and trailing slashes', () => {
    assert.equal(read({ prefix: '/site/v2/' }).prefix, 'site/v2');
    assert.equal(read({ prefix: '/' }).prefix, '');
  });

  it('refuses a prefix that could never be part of a safe key', () => {
    for (const prefix of ['a//b', '../site', 'site/..', 'a/./b', 'a\\b']) {
      refuses({ prefix }, 'prefix', /cannot be used: it /);
    }
  });
});

describe('credentials', () => {
  const SECRETS = {
    'aws-access-key-id': 'AKIAEXAMPLEKEYID0001',
    'aws-secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws-session-token': 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
  };

  /** Runs work with stdout captured (and kept off the test output). */
  function captureStdout(work: () => void): { lines: string[]; error: unknown } {
    const chunks: string[] = [];
    const spy = mock.method(process.stdout, 'write', (chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    let error: unknown;
    try {
      work();
    } catch (thrown) {
      error = thrown;
    } finally {
      spy.mock.restore();
    }
    return { lines: chunks.join('').split(/\r?\n/).filter(Boolean), error };
  }

  it('passes both keys and the session token through', () => {
    let settings: Settings | undefined;
    captureStdout(() => {
      settings = read(SECRETS);
    });
    assert.deepEqual(settings?.credentials, {
      accessKeyId: SECRETS['aws-access-key-id'],
      secretAccessKey: SECRETS['aws-secret-access-key'],
      sessionToken: SECRETS['aws-session-token'],
    });
  });

  it('masks every credential with ::add-mask:: before writing anything else', () => {
    const { lines, error } = captureStdout(() => read(SECRETS));
    assert.equal(error, undefined);
    assert.deepEqual(
      lines.slice(0, 3),
      Object.values(SECRETS).map((secret) => `::add-mask::${secret}`),
    );
  });

  it('masks the credentials even when a later input is refused', () => {
    const { lines, error } = captureStdout(() => read({ ...SECRETS, direction: 'sideways' }));
    assert.ok(error instanceof InputError);
    assert.ok(!Object.values(SECRETS).some((secret) => error.message.includes(secret)));
    assert.deepEqual(
      lines,
      Object.values(SECRETS).map((secret) => `::add-mask::${secret}`),
    );
  });

  it('refuses one key without the other, after masking it', () => {
    for (const name of ['aws-access-key-id', 'aws-secret-access-key'] as const) {
      const { lines, error } = captureStdout(() => read({ [name]: SECRETS[name] }));
      assert.deepEqual(lines, [`::add-mask::${SECRETS[name]}`]);
      assert.ok(error instanceof InputError);
      assert.equal(
        error.message,
        'Set both aws-access-key-id and aws-secret-access-key, or neither to use the default credentials.',
      );
    }
  });

  it('refuses a session token without the keys, after masking it', () => {
    const { lines, error } = captureStdout(() => read({ 'aws-session-token': SECRETS['aws-session-token'] }));
    assert.deepEqual(lines, [`::add-mask::${SECRETS['aws-session-token']}`]);
    assert.ok(error instanceof InputError);
    assert.match(error.message, /^The aws-session-token input needs aws-access-key-id and aws-secret-access-key/);
  });

  it('leaves credentials to the default chain when no key is given', () => {
    let settings: Settings | undefined;
    const { lines } = captureStdout(() => {
      settings = read();
    });
    assert.ok(settings);
    assert.equal(settings.credentials, undefined);
    assert.deepEqual(lines, []);
  });
});

describe('encryption, ACL, storage class and expected bucket owner', () => {
  it('reads each into what every write carries', () => {
    const settings = read({
      sse: 'aws:kms',
      'sse-kms-key-id': 'alias/site',
      'sse-bucket-key': 'true',
      acl: 'bucket-owner-full-control',
      'storage-class': 'STANDARD_IA',
      'expected-bucket-owner': '123456789012',
    });
    assert.deepEqual(settings.storage, {
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: 'alias/site',
      BucketKeyEnabled: true,
      ACL: 'bucket-owner-full-control',
      StorageClass: 'STANDARD_IA',
    });
    assert.equal(settings.expectedBucketOwner, '123456789012');
    assert.deepEqual(read({ sse: 'AES256' }).storage, { ServerSideEncryption: 'AES256' });
  });

  it('refuses bad values and combinations before any request, in one sentence', () => {
    refuses({ sse: 'kms' }, 'sse', /must be AES256, aws:kms or aws:kms:dsse, not "kms"/);
    refuses({ 'sse-kms-key-id': 'alias/site' }, 'sse-kms-key-id', /needs sse set to aws:kms/);
    refuses({ sse: 'AES256', 'sse-kms-key-id': 'alias/site' }, 'sse-kms-key-id', /needs sse set to aws:kms/);
    refuses({ acl: 'public' }, 'acl', /canned ACL/);
    refuses({ 'storage-class': 'COLD' }, 'storage-class', /S3 storage class/);
    refuses(
      { direction: 'pull', 'storage-class': 'GLACIER' },
      'storage-class',
      /applies to what a push or rollback writes/,
    );
    refuses({ 'sse-bucket-key': 'yes' }, 'sse-bucket-key');
    for (const owner of ['12345678901', '1234567890123', 'acct-1234567']) {
      refuses({ 'expected-bucket-owner': owner }, 'expected-bucket-owner', /12-digit AWS account ID/);
    }
  });
});

describe('links', () => {
  it('refuses anything but redirect or copy, in one sentence', () => {
    refuses({ links: 'symlink' }, 'links', /^The links input must be redirect or copy, not "symlink"\.$/);
  });
});
