import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperationError, RefusedError, RequestLimitError, type Operation } from '../../../src/model/errors.js';
import { describeFailure, IAM_ACTION, stoppedAt } from '../../../src/report/failure.js';
import type { Settings } from '../../../src/settings/inputs.js';

const settings = { bucket: 'www.example.com', prefix: 'live', endpoint: undefined, storage: {} } as unknown as Settings;
const serviceError = (name: string) => Object.assign(new Error(`${name} message`), { name });
const on = (operation: Operation, key: string, name: string) => new OperationError(operation, key, serviceError(name));
const describe_ = (error: unknown, requestsSucceeded = 0) => describeFailure(error, { settings, requestsSucceeded });

describe('describeFailure', () => {
  it('names the refused IAM action and the object for AccessDenied on each operation', () => {
    const expected: [Operation, string, string][] = [
      ['upload', 'index.html', 's3:PutObject on s3://www.example.com/live/index.html'],
      ['redirect', 'latest.html', 's3:PutObject on s3://www.example.com/live/latest.html'],
      ['delete', 'old.html', 's3:DeleteObject on s3://www.example.com/live/old.html'],
      ['download', 'a.css', 's3:GetObject on s3://www.example.com/live/a.css'],
      ['inspect', 'a.css', 's3:GetObject on s3://www.example.com/live/a.css'],
      ['list', 'live', 's3:ListBucket on arn:aws:s3:::www.example.com'],
    ];
    for (const [operation, key, named] of expected) {
      const message = describe_(on(operation, key, 'AccessDenied'), 3);
      assert.ok(message.startsWith(`S3 denied ${named} (AccessDenied): allow ${IAM_ACTION[operation]}`), message);
    }
  });

  it('tells a refusal of the credentials from a refusal of one request', () => {
    const first = describe_(on('list', 'live', 'SignatureDoesNotMatch'), 0);
    assert.match(first, /^S3 refused the credentials \(SignatureDoesNotMatch\): check aws-access-key-id/);
    const later = describe_(on('upload', 'über.html', 'SignatureDoesNotMatch'), 41);
    assert.match(
      later,
      /^S3 refused the request to upload s3:\/\/www\.example\.com\/live\/über\.html \(SignatureDoesNotMatch\) after 41 requests had succeeded, so the credentials work/,
    );
    assert.doesNotMatch(later, /refused the credentials/);
  });

  it('says a session that expires mid-run expired, and how to give it longer', () => {
    assert.match(describe_(on('upload', 'a', 'ExpiredToken'), 1), /after 1 request had succeeded.*session expired/);
  });

  it('keeps the core’s own sentences as they are', () => {
    for (const error of [new RefusedError('Refused.'), new RequestLimitError('Limit.', 2, 1)]) {
      assert.equal(describe_(error), error.message);
    }
    assert.equal(describe_(new OperationError('upload', 'a', new RequestLimitError('Limit.', 2, 1))), 'Limit.');
  });

  it('names the object that disappeared, and the bucket that does not exist', () => {
    assert.match(
      describe_(on('download', 'a.css', 'NoSuchKey')),
      /^s3:\/\/www\.example\.com\/live\/a\.css disappeared/,
    );
    assert.match(describe_(serviceError('NoSuchBucket')), /^The bucket s3:\/\/www\.example\.com\/ does not exist/);
  });

  it('puts the operation and object in front of any other message that lacks them', () => {
    assert.equal(
      describe_(new OperationError('upload', 'big.bin', new Error('socket hang up'))),
      'upload s3://www.example.com/live/big.bin failed: socket hang up',
    );
  });

  it('stoppedAt names the operation and key of a tagged failure only', () => {
    assert.equal(stoppedAt(on('delete', 'old.html', 'AccessDenied')), 'delete old.html');
    assert.equal(stoppedAt(new Error('x')), undefined);
  });
});

describe('advice for encrypted and company buckets', () => {
  const withSettings = (error: unknown, overrides: Partial<Settings>) =>
    describeFailure(error, { settings: { ...settings, ...overrides }, requestsSucceeded: 3 });
  const denied = (operation: Operation, message: string) =>
    new OperationError(operation, 'index.html', Object.assign(new Error(message), { name: 'AccessDenied' }));

  it('AccessControlListNotSupported: the bucket has ACLs disabled, remove acl', () => {
    const message = withSettings(on('upload', 'index.html', 'AccessControlListNotSupported'), {
      storage: { ACL: 'public-read' },
    });
    assert.match(message, /^The bucket s3:\/\/www\.example\.com has ACLs disabled .*: remove acl\.$/);
  });

  it('a PutObject AccessDenied with no sse says bucket policies often require sse', () => {
    assert.match(withSettings(on('upload', 'index.html', 'AccessDenied'), {}), /often require encryption, so set sse/);
    const encrypted = withSettings(on('upload', 'index.html', 'AccessDenied'), {
      storage: { ServerSideEncryption: 'AES256' },
    });
    assert.doesNotMatch(encrypted, /set sse/);
    assert.doesNotMatch(withSettings(on('delete', 'index.html', 'AccessDenied'), {}), /set sse/);
  });

  it('KMS denials name the KMS action and the key', () => {
    const arn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const put = denied(
      'upload',
      `User: arn:aws:sts::123456789012:assumed-role/deploy/gh is not authorized to perform: kms:GenerateDataKey on resource: ${arn} because no identity-based policy allows the kms:GenerateDataKey action`,
    );
    assert.match(
      withSettings(put, { storage: { ServerSideEncryption: 'aws:kms' } }),
      new RegExp(`^KMS denied kms:GenerateDataKey on ${arn.replace(/[/.]/g, '\\$&')} \\(AccessDenied\\): allow`),
    );
    const get = denied('download', 'not authorized to perform: kms:Decrypt');
    assert.match(
      withSettings(get, { storage: { SSEKMSKeyId: 'alias/site' } }),
      /^KMS denied kms:Decrypt on alias\/site/,
    );
  });

  it('a denial with expected-bucket-owner set says the bucket may be another account’s', () => {
    const message = withSettings(on('list', 'live', 'AccessDenied'), { expectedBucketOwner: '123456789012' });
    assert.match(message, /not owned by account 123456789012 \(the expected-bucket-owner input\)/);
  });
});
