import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderRefusalSummary, renderSummary, type RunFacts } from '../../../src/report/summary.js';
import type { Settings } from '../../../src/settings/inputs.js';
import { pushResult } from '../../helpers/results.js';

const settings = {
  direction: 'push',
  directoryInput: 'public',
  bucket: 'www.example.com',
  prefix: '',
  requestLimit: 1_000_000,
} as Settings;
const facts: RunFacts = {
  requests: 1234,
  requestsByKind: { LIST: 1, PUT: 1233, HEAD: 0 },
  durationMs: 2500,
  warnings: 1,
  source: undefined,
};

describe('renderSummary', () => {
  it('shows done counts, requests by kind with thousands separated, and the changes', () => {
    const html = renderSummary(pushResult({ copied: 3, redirected: 1, deleted: 2 }), settings, facts);
    assert.match(html, /<h2>s3-force-copy push<\/h2>/);
    assert.match(html, /<td>Uploaded<\/td><td>3<\/td>/);
    assert.match(html, /1,234 of 1,000,000 allowed \(1 LIST, 1,233 PUT\)/);
    assert.match(html, /<summary>Changes \(6\)<\/summary>/);
    assert.doesNotMatch(html, /failed|Dry run/);
  });

  it('heads the summary with what changed, in words', () => {
    const pushed = renderSummary(pushResult({ copied: 3, redirected: 1, deleted: 2 }), settings, facts);
    assert.match(
      pushed,
      /^<h2>s3-force-copy push<\/h2>\n<p><strong>Uploaded 3 files, wrote 1 redirect and deleted 2 objects\.<\/strong><\/p>/,
    );
    const planned = renderSummary(pushResult({}, { dryRun: true }), settings, facts);
    assert.match(planned, /<strong>Would upload 3 files, write 1 redirect and delete 2 objects\.<\/strong>/);
    const pulled = renderSummary(pushResult({ copied: 1, deleted: 1 }, { direction: 'pull' }), settings, facts);
    assert.match(pulled, /<strong>Downloaded 1 file and deleted 1 file\.<\/strong>/);
  });

  it('says when nothing changed, and leaves zero counts out of the table', () => {
    const plan = { copies: [], redirects: [], updates: [], deletes: [], unchanged: ['same.txt'], warnings: [] };
    const html = renderSummary(pushResult({}, { plan, warnings: [] }), settings, { ...facts, warnings: 0 });
    assert.match(html, /<p><strong>Nothing changed\.<\/strong><\/p>/);
    assert.match(html, /<td>Skipped \(up to date\)<\/td><td>1<\/td>/);
    assert.match(html, /<td>Requests<\/td><td>1,234 of 1,000,000 allowed/);
    assert.match(html, /<td>Duration<\/td><td>2\.5 s<\/td>/);
    assert.doesNotMatch(html, /<td>0<\/td>|0 B|Uploaded|Redirects|Headers|Deleted|Warnings/);
    const dry = renderSummary(pushResult({}, { plan, warnings: [], dryRun: true }), settings, {
      ...facts,
      warnings: 0,
    });
    assert.match(dry, /<p><strong>Nothing would change\.<\/strong><\/p>/);
  });

  it('shows a redirect row as the key, where it leads, and why', () => {
    const html = renderSummary(pushResult({ redirected: 1 }), settings, facts);
    assert.match(html, /<li>redirected: <code>latest\.html<\/code> → <code>index\.html<\/code> — new<\/li>/);
    assert.doesNotMatch(html, /— →/);
  });

  it('labels a dry run’s numbers as planned', () => {
    const html = renderSummary(pushResult({}, { dryRun: true }), settings, facts);
    assert.match(html, /<h2>s3-force-copy push \(dry run\)<\/h2>/);
    assert.match(html, /<td>Would upload<\/td><td>3<\/td>/);
    assert.match(html, /<td>Would delete<\/td><td>2<\/td>/);
    assert.match(html, /<summary>Planned changes \(6\)<\/summary>/);
    assert.match(html, /<li>upload: <code>/, 'a planned change is said as planned');
  });

  it('after a failure says what failed, where it stopped, what is done and what state the bucket is in', () => {
    const result = pushResult({ copied: 2 }, { failure: new Error('x') });
    const html = renderSummary(result, settings, facts, {
      message: 'S3 denied s3:PutObject on s3://www.example.com/index.html (AccessDenied).',
      stoppedAt: 'upload index.html',
    });
    assert.match(html, /<h2>s3-force-copy push failed<\/h2>/);
    assert.match(html, /Stopped at: <code>upload index\.html<\/code>/);
    assert.match(
      html,
      /The destination now: uploaded 2 of 3 files; wrote 0 of 1 redirect; nothing was deleted; re-run/,
    );
    assert.match(html, /<td>Uploaded<\/td><td>2<\/td>/);
    assert.match(html, /<summary>Changes made before the failure \(2\)<\/summary>/);
  });

  it('escapes every key, warning and message', () => {
    const result = pushResult({ copied: 1 });
    result.plan.copies[0] = { ...result.plan.copies[0]!, key: '<img src=x onerror=alert(1)>.html' };
    result.outcome.copied[0] = result.plan.copies[0];
    result.warnings = [{ key: '<b>w</b>', message: '<script>' }];
    const html = renderSummary(result, settings, facts, { message: '<i>boom</i>' });
    assert.ok(!/<img|<b>|<script>|<i>/.test(html), html);
    assert.ok(html.includes('&#60;img src=x onerror=alert(1)&#62;.html'));
  });

  it('counts every warning printed, and gives the reason a CloudFront invalidation failed', () => {
    const reason = 'Distribution E1: access denied to cloudfront:CreateInvalidation (<denied>).';
    const invalidation = {
      distributions: [
        { distributionId: 'E1', paths: ['/a.html'], billablePaths: 0, status: 'failed' as const, warnings: [reason] },
      ],
      warnings: [reason],
    };
    const html = renderSummary(pushResult({ copied: 1 }), settings, { ...facts, warnings: 4 }, undefined, invalidation);
    assert.match(html, /<td>Warnings<\/td><td>4<\/td>/);
    assert.match(
      html,
      /<td>failed: Distribution E1: access denied to cloudfront:CreateInvalidation \(&#60;denied&#62;\)\.<\/td>/,
    );
    assert.match(html, /<code>\/a\.html<\/code>/);
  });

  it('a refusal before any change says so with the requests spent', () => {
    const html = renderRefusalSummary('Refused & nothing changed.', settings, 3);
    assert.match(html, /<h2>s3-force-copy push failed<\/h2>/);
    assert.match(html, /<strong>Refused &#38; nothing changed\.<\/strong>/);
    assert.match(html, /S3 requests sent: 3 of 1,000,000 allowed/);
  });
});
