import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OperationError, RefusedError, RequestLimitError, type Operation } from '../../../src/model/errors.js';
import { describeFailure, IAM_ACTION, stoppedAt } from '../../../src/report/failure.js';
import type { Settings } from '../../../src/settings/inputs.js';

const settings = { bucket: 'www.example.com', prefix: 'live', endpoint: undefined } as Settings;
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
