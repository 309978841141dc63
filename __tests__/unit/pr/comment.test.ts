/**
 * The pull request comment. No Markdown renderer is installed, so the body
 * is split the way CommonMark splits a line into code spans and text (a
 * backtick run opens a span that the next run of the same length closes; a
 * backslash escapes punctuation), and the assertions are about each part:
 * what users and buckets name must be inside a code span, or escaped.
 */
import assert from 'node:assert/strict';
import { plural } from '../../../src/model/words.js';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  COMMENT_KEY_CAP,
  COMMENT_MAX_CHARS,
  codeSpan,
  commentMarker,
  escapeText,
  formatWhen,
  renderComment,
  safeUrl,
  type CommentFacts,
} from '../../../src/pr/comment.js';

interface Part {
  code: boolean;
  /** A code span's content as rendered (one space stripped from each end when both have one). */
  text: string;
  /** For text: the characters not escaped by a backslash. */
  unescaped: string;
}

const PUNCTUATION = /[!-/:-@[-`{-~]/;

/** A line of Markdown as CommonMark sees its code spans and backslash escapes. */
function splitLine(line: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let unescaped = '';
  const flush = (): void => {
    if (text !== '') parts.push({ code: false, text, unescaped });
    text = '';
    unescaped = '';
  };
  let i = 0;
  while (i < line.length) {
    const char = line[i] ?? '';
    if (char === '\\' && PUNCTUATION.test(line[i + 1] ?? '')) {
      text += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (char === '`') {
      let run = 1;
      while (line[i + run] === '`') run += 1;
      // The closing run: the next run of exactly this length.
      let close = -1;
      for (let j = i + run; j < line.length;) {
        if (line[j] !== '`') {
          j += 1;
          continue;
        }
        let other = 1;
        while (line[j + other] === '`') other += 1;
        if (other === run) {
          close = j;
          break;
        }
        j += other;
      }
      if (close === -1) {
        text += '`'.repeat(run);
        unescaped += '`'.repeat(run);
        i += run;
        continue;
      }
      flush();
      let content = line.slice(i + run, close);
      if (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
      parts.push({ code: true, text: content, unescaped: '' });
      i = close + run;
      continue;
    }
    text += char;
    unescaped += char;
    i += 1;
  }
  flush();
  return parts;
}

function split(body: string): Part[] {
  return body.split('\n').flatMap(splitLine);
}

function codeSpans(body: string): string[] {
  return split(body)
    .filter((part) => part.code)
    .map((part) => part.text);
}

/**
 * Text outside code spans, with the markup the renderer itself writes (the
 * marker, the counts table, bold labels, `<sub>`, link targets) taken out.
 * `text` is as GitHub shows it, backslash escapes resolved: what it looks
 * for mentions and issue references in.
 */
function outside(body: string): Part[] {
  return body
    .split('\n')
    .filter((line) => !line.startsWith('<!-- s3-force-copy: ') && !line.startsWith('|'))
    .flatMap(splitLine)
    .filter((part) => !part.code)
    .map((part) => {
      const ours = (text: string): string =>
        text
          .replace(/(?<!\\)\]\([^)\s]*\)/g, ']()')
          .replace(/<\/?sub>/g, '')
          .replace(/\*\*(Site|The run failed|The plan could not be made):\*\*/g, '$1:');
      return {
        ...part,
        text: ours(part.text).replace(/\\([!-/:-@[-`{-~])/g, '$1'),
        unescaped: ours(part.unescaped),
      };
    });
}

function facts(overrides: Partial<CommentFacts> = {}): CommentFacts {
  return {
    direction: 'push',
    dryRun: false,
    bucket: 'previews.example.com',
    prefix: 'pr-7',
    counts: { copied: 2, redirected: 1, updated: 0, unchanged: 120, deleted: 1 },
    changes: [
      { key: 'index.html', action: 'uploaded' },
      { key: 'docs/index.html', action: 'uploaded' },
      { key: 'latest.html', action: 'redirected' },
      { key: 'old.html', action: 'deleted' },
    ],
    warnings: [],
    commit: 'abcdef0123456789abcdef0123456789abcdef01',
    repository: 'acme/site',
    when: new Date('2026-12-01T19:44:31Z'),
    ...overrides,
  };
}

const HOSTILE_KEYS = [
  '<img src=x onerror=alert(1)>.html',
  '**bold**.html',
  '`tick`.html',
  '@octocat.html',
  '#12.html',
  'a)b](javascript:alert(1)).html',
  '</details><script>x</script>',
  '|cell|~~strike~~ $x$ &amp; [x]: y',
  'x``y```z',
];

describe('commentMarker', () => {
  it('is a hidden HTML comment naming the location', () => {
    assert.equal(commentMarker('b', 'pr-7'), '<!-- s3-force-copy: s3://b/pr-7 -->');
    assert.equal(commentMarker('b', ''), '<!-- s3-force-copy: s3://b/ -->');
  });

  it('cannot be closed early by the prefix', () => {
    for (const prefix of ['a-->b', 'a--!>b', 'x>y', '--->', 'a\n-->', '-', 'a-', '<!--']) {
      const marker = commentMarker('b', prefix);
      const inner = marker.slice('<!--'.length, -'-->'.length);
      assert.doesNotMatch(inner, /--|>|<|\n/, marker);
      assert.ok(marker.endsWith(' -->'));
    }
  });

  it('differs for different locations, and none is the start of another', () => {
    const markers = ['pr-7', 'pr-70', 'pr-7/', 'pr-7 ', 'a--b', 'a-&#45;b', 'a>b', 'a&gt;b'].map((p) =>
      commentMarker('b', p),
    );
    assert.equal(new Set(markers).size, markers.length);
    for (const a of markers) for (const b of markers) if (a !== b) assert.ok(!b.startsWith(a), `${a} starts ${b}`);
  });
});

describe('renderComment headings and counts', () => {
  it('a dry run is a deploy plan', () => {
    const body = renderComment(facts({ dryRun: true }));
    assert.ok(body.startsWith(commentMarker('previews.example.com', 'pr-7') + '\n'));
    assert.match(body, /^### Deploy plan: what merging will publish to `s3:\/\/previews\.example\.com\/pr-7`$/m);
    assert.match(body, /^\| To upload \| 2 files \|$/m);
    assert.match(body, /^\| Redirects to write \| 1 redirect \|$/m);
    assert.match(body, /^\| To delete \| 1 object \|$/m);
    assert.match(body, /^\| Unchanged \| 120 keys \|$/m);
    assert.doesNotMatch(body, /Headers to update/, 'a row with nothing to count is left out');
    assert.match(body, /^- upload `docs\/index\.html`$/m);
    assert.match(body, /^- redirect `latest\.html`$/m);
    assert.match(body, /^#### To delete \(1 object\)$/m);
    assert.doesNotMatch(body, /Published|failed/);
  });

  it('a real push says what was published', () => {
    const body = renderComment(facts());
    assert.match(body, /^### Published to `s3:\/\/previews\.example\.com\/pr-7`$/m);
    assert.match(body, /^\| Uploaded \| 2 files \|$/m);
    assert.doesNotMatch(body, /Headers updated/);
    assert.match(body, /^#### Changed \(3 keys\)$/m);
    assert.match(body, /^- uploaded `index\.html`$/m);
    assert.match(body, /^#### Deleted \(1 object\)$/m);
    assert.match(body, /^- `old\.html`$/m);
    assert.doesNotMatch(body, /\[!WARNING\]/);
  });

  it('a failed run says so, with the error and the state in a warning callout', () => {
    const body = renderComment(
      facts({
        failure: {
          message: 'Access Denied on PUT docs/index.html',
          state: 'uploaded 6 of 11; nothing was deleted; re-run to finish',
        },
      }),
    );
    assert.match(body, /^### Deploy to `s3:\/\/previews\.example\.com\/pr-7` failed$/m);
    const callout = body.slice(body.indexOf('> [!WARNING]'));
    assert.match(
      callout,
      /^> \[!WARNING\]\n> \*\*The run failed:\*\* Access Denied on PUT docs\/index\.html\n>\n> uploaded 6 of 11; nothing was deleted; re-run to finish\n/,
    );
    const plan = renderComment(facts({ dryRun: true, failure: { message: 'x', state: 'nothing was changed' } }));
    assert.match(plan, /^### Deploy plan for `s3:\/\/previews\.example\.com\/pr-7` failed$/m);
  });

  it('a pull says what was (or will be) downloaded', () => {
    const pull = facts({
      direction: 'pull',
      changes: [
        { key: 'a.txt', action: 'downloaded' },
        { key: 'l', action: 'linked' },
      ],
    });
    assert.match(renderComment(pull), /^### Pulled from `s3:\/\/previews\.example\.com\/pr-7`$/m);
    assert.match(renderComment(pull), /^\| Downloaded \| 2 files \|$/m);
    assert.match(renderComment({ ...pull, dryRun: true }), /^### Pull plan: what a pull from .* will download$/m);
    assert.match(renderComment({ ...pull, dryRun: true }), /^- link `l`$/m);
  });

  it('says when there is nothing to do', () => {
    const none = facts({
      dryRun: true,
      changes: [],
      counts: { copied: 0, redirected: 0, updated: 0, unchanged: 9, deleted: 0 },
    });
    assert.match(renderComment(none), /Nothing to change: the destination already matches\./);
    assert.doesNotMatch(renderComment(none), /####/);
  });

  it('words counts by number', () => {
    assert.equal(plural(0, 'file'), '0 files');
    assert.equal(plural(1, 'file'), '1 file');
    assert.equal(plural(2, 'file'), '2 files');
    assert.equal(plural(1234567, 'file'), '1,234,567 files');
  });
});

describe('renderComment links and footer', () => {
  it('links pages to where they are served and other keys to their URL, deletions not at all', () => {
    const body = renderComment(facts({ siteUrl: 'https://previews.example.com/pr-7/' }));
    assert.match(
      body,
      /^\*\*Site:\*\* \[`https:\/\/previews\.example\.com\/pr-7\/`\]\(https:\/\/previews\.example\.com\/pr-7\/\)$/m,
    );
    assert.match(body, /^- uploaded \[`index\.html`\]\(https:\/\/previews\.example\.com\/pr-7\/\)$/m);
    assert.match(body, /^- uploaded \[`docs\/index\.html`\]\(https:\/\/previews\.example\.com\/pr-7\/docs\/\)$/m);
    assert.match(body, /^- redirected \[`latest\.html`\]\(https:\/\/previews\.example\.com\/pr-7\/latest\.html\)$/m);
    assert.match(body, /^- `old\.html`$/m);
    const css = renderComment(
      facts({ siteUrl: 'https://s.example', changes: [{ key: 'a b/(x).css', action: 'uploaded' }] }),
    );
    assert.match(css, /^- uploaded \[`a b\/\(x\)\.css`\]\(https:\/\/s\.example\/a%20b\/%28x%29\.css\)$/m);
  });

  it('honours the index document', () => {
    const body = renderComment(
      facts({
        siteUrl: 'https://s.example',
        indexDocument: 'default.htm',
        changes: [{ key: 'd/default.htm', action: 'uploaded' }],
      }),
    );
    assert.match(body, /\(https:\/\/s\.example\/d\/\)$/m);
  });

  it('links nothing without a site URL, or with one that is not http(s)', () => {
    for (const siteUrl of [
      undefined,
      'javascript:alert(1)',
      'data:text/html,x',
      'not a url',
      `https://x/${'a'.repeat(3000)}`,
    ]) {
      const body = renderComment(facts({ siteUrl, runUrl: 'javascript:alert(1)', commit: undefined }));
      assert.doesNotMatch(body, /\]\(/, String(siteUrl).slice(0, 30));
    }
  });

  it('shows the commit (linked), the time in UTC and the run', () => {
    const body = renderComment(facts({ runUrl: 'https://github.com/acme/site/actions/runs/42' }));
    const last = body.trimEnd().split('\n').at(-1);
    assert.equal(
      last,
      '<sub>Commit [`abcdef0`](https://github.com/acme/site/commit/abcdef0123456789abcdef0123456789abcdef01) · 2026-12-01 19:44 UTC · [workflow run](https://github.com/acme/site/actions/runs/42)</sub>',
    );
    const enterprise = renderComment(facts({ serverUrl: 'https://ghe.example.com/' }));
    assert.match(enterprise, /\(https:\/\/ghe\.example\.com\/acme\/site\/commit\/abcdef0123/);
    const noRepository = renderComment(facts({ repository: undefined }));
    assert.match(noRepository, /<sub>Commit `abcdef0` · 2026-12-01 19:44 UTC<\/sub>/);
    const noCommit = renderComment(facts({ commit: undefined }));
    assert.match(noCommit, /<sub>2026-12-01 19:44 UTC<\/sub>/);
    const oddCommit = renderComment(facts({ commit: 'HEAD)](x' }));
    assert.match(oddCommit, /<sub>Commit `HEAD\)\]\(` ·/);
  });

  it('formats the time as UTC to the minute', () => {
    assert.equal(formatWhen(new Date('2026-01-02T03:04:59.999Z')), '2026-01-02 03:04 UTC');
    assert.equal(formatWhen(new Date('nope')), 'at an unknown time');
  });

  it('safeUrl encodes what could end a link target', () => {
    assert.equal(
      safeUrl('https://x.example/a b/(c)/"d"/<e>/`f`/\'g\''),
      'https://x.example/a%20b/%28c%29/%22d%22/%3Ce%3E/%60f%60/%27g%27',
    );
    assert.equal(safeUrl('https://x.example/?q=(1) 2'), 'https://x.example/?q=%281%29%202');
    assert.equal(safeUrl('ftp://x.example/'), undefined);
  });
});

describe('renderComment caps', () => {
  it('lists at most COMMENT_KEY_CAP changes and deletions each, and 20 warnings, with "and N more"', () => {
    const changes = [
      ...Array.from({ length: 120 }, (_, i) => ({ key: `page-${i}.html`, action: 'uploaded' as const })),
      ...Array.from({ length: 60 }, (_, i) => ({ key: `gone-${i}.html`, action: 'deleted' as const })),
    ];
    const warnings = Array.from({ length: 30 }, (_, i) => ({ key: `w-${i}`, message: `problem ${i}` }));
    const body = renderComment(facts({ changes, warnings }));
    assert.equal(COMMENT_KEY_CAP, 50);
    assert.equal((body.match(/^- uploaded `page-\d+\.html`$/gm) ?? []).length, 50);
    assert.match(body, /^- uploaded `page-49\.html`\n- … and 70 more$/m);
    assert.equal((body.match(/^- `gone-\d+\.html`$/gm) ?? []).length, 50);
    assert.match(body, /^- `gone-49\.html`\n- … and 10 more$/m);
    assert.equal((body.match(/^- `w-\d+`: problem \d+$/gm) ?? []).length, 20);
    assert.match(body, /^- `w-19`: problem 19\n- … and 10 more$/m);
    assert.match(body, /^#### Changed \(120 keys\)$/m);
    assert.match(body, /^#### Warnings \(30\)$/m);
  });

  it("stays under GitHub's limit with huge keys and messages, and still shows every section", () => {
    const huge = (i: number): string => `${'%('.repeat(500)}\n${'`'.repeat(i % 7)}${i}`;
    const changes = [
      ...Array.from({ length: 80 }, (_, i) => ({ key: huge(i), action: 'uploaded' as const })),
      ...Array.from({ length: 80 }, (_, i) => ({ key: huge(i), action: 'deleted' as const })),
    ];
    const warnings = Array.from({ length: 40 }, (_, i) => ({ key: huge(i), message: '<@#*'.repeat(5000) }));
    const failure = { message: '@x '.repeat(20_000), state: '#1 '.repeat(20_000) };
    const body = renderComment(
      facts({ changes, warnings, failure, siteUrl: 'https://previews.example.com/pr-7', prefix: '-'.repeat(1000) }),
    );
    assert.ok(body.length < COMMENT_MAX_CHARS, `${body.length} characters`);
    assert.match(body, /^#### Changed \(80 keys\)$/m);
    assert.match(body, /^#### Deleted \(80 objects\)$/m);
    assert.match(body, /^#### Warnings \(40\)$/m);
    assert.equal((body.match(/^- … and \d+ more$/gm) ?? []).length, 3);
    assert.ok(body.trimEnd().endsWith('</sub>'), 'the footer is kept');
    // Every line stays whole: its code spans are closed on the line.
    for (const line of body.split('\n')) {
      for (const part of splitLine(line)) assert.doesNotMatch(part.unescaped, /`/, line.slice(0, 80));
    }
  });
});

describe('renderComment escaping', () => {
  const warnings = [
    { key: '<img src=x onerror=alert(1)>.html', message: 'ping @octocat and @acme/team about #12 and GH-12' },
    {
      key: '',
      message:
        '<script>alert(1)</script> **now** `x` | a ~~b~~ [link](javascript:alert(1)) $x$ &amp; _u_\n# line2\n> quote\\',
    },
  ];
  const hostile = (overrides: Partial<CommentFacts> = {}): string =>
    renderComment(
      facts({
        changes: HOSTILE_KEYS.flatMap((key) => [
          { key, action: 'uploaded' as const },
          { key, action: 'deleted' as const },
        ]),
        warnings,
        failure: { message: 'Denied for @octocat <b>#12</b>', state: 'uploaded 1 of 2 **bold**\n- injected item' },
        prefix: 'pr-`7`<b>@octocat',
        ...overrides,
      }),
    );

  for (const siteUrl of [undefined, 'https://previews.example.com/pr-7']) {
    it(`shows every hostile key only inside code spans (${siteUrl ? 'with' : 'without'} links)`, () => {
      const body = hostile({ siteUrl });
      const spans = codeSpans(body);
      for (const key of HOSTILE_KEYS) {
        // Twice: once uploaded, once deleted.
        assert.ok(spans.filter((span) => span === key).length >= 2, `${key} is a code span: ${JSON.stringify(spans)}`);
      }
      const text = outside(body);
      const raw = text.map((part) => part.unescaped).join('\n');
      assert.doesNotMatch(raw, /</, 'no unescaped < outside code spans: no HTML');
      assert.doesNotMatch(raw, /[&|~$*_\\]/, 'no unescaped &, |, ~, $, *, _ or \\ outside code spans');
      const shown = text.map((part) => part.text).join('\n');
      assert.doesNotMatch(shown, /octocat\.html|12\.html|onerror=alert\(1\)>\.html/, 'keys only in code spans');
      assert.doesNotMatch(shown, /@[\w-]/, 'no unbroken @mention outside code spans');
      assert.doesNotMatch(shown, /#\d|GH-\d/i, 'no unbroken issue reference outside code spans');
    });
  }

  it('links hostile keys only to percent-encoded targets', () => {
    const body = hostile({ siteUrl: 'https://previews.example.com/pr-7' });
    // Link targets outside code spans (a code span's `](` is text).
    const targets = split(body)
      .filter((part) => !part.code)
      .flatMap((part) => [...part.text.matchAll(/(?<!\\)\]\(([^)\s]*)\)/g)].map((match) => match[1] ?? ''));
    assert.ok(targets.length >= HOSTILE_KEYS.length);
    for (const target of targets) {
      assert.match(target, /^https:\/\/(previews\.example\.com\/pr-7\/|github\.com\/acme\/site\/commit\/)/);
      assert.doesNotMatch(target, /[()<>"'`\s]/);
    }
    assert.ok(targets.includes('https://previews.example.com/pr-7/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html'));
    assert.ok(targets.includes('https://previews.example.com/pr-7/a%29b%5D%28javascript%3Aalert%281%29%29.html'));
  });

  it('keeps warnings, the failure and the prefix on their own lines, escaped', () => {
    const body = hostile();
    assert.match(
      body,
      /^- `<img src=x onerror=alert\(1\)>\.html`: ping @\u200boctocat and @\u200bacme\/team about \\#\u200b12 and GH-\u200b12$/m,
    );
    assert.match(
      body,
      /^- \\<script\\>alert\(1\)\\<\/script\\> \\\*\\\*now\\\*\\\* \\`x\\` \\\| a \\~\\~b\\~\\~ \\\[link\\\]\(javascript:alert\(1\)\) \\\$x\\\$ \\&amp; \\_u\\_ \\#\u200b line2 \\> quote\\\\$/m,
    );
    assert.match(body, /^> \*\*The run failed:\*\* Denied for @\u200boctocat \\<b\\>\\#\u200b12\\<\/b\\>$/m);
    assert.match(body, /^> uploaded 1 of 2 \\\*\\\*bold\\\*\\\* - injected item$/m);
    assert.match(body, /^### Deploy to ``s3:\/\/previews\.example\.com\/pr-`7`<b>@octocat`` failed$/m);
    assert.ok(!/^- injected/m.test(body));
  });

  it('shows control and bidirectional characters in keys as escapes', () => {
    const body = renderComment(facts({ changes: [{ key: 'a\nb\u202ec\u0000.html', action: 'uploaded' }] }));
    assert.match(body, /^- uploaded `a\\nb\\u202ec\\u0000\.html`$/m);
  });
});

describe('codeSpan and escapeText', () => {
  it('fences past any backtick run and pads where CommonMark would strip', () => {
    assert.equal(codeSpan('a'), '`a`');
    assert.equal(codeSpan('`tick`'), '`` `tick` ``');
    assert.equal(codeSpan('x``y```z'), '````x``y```z````');
    assert.equal(codeSpan(' a '), '`  a  `');
    assert.equal(codeSpan(' a'), '` a`');
    assert.equal(codeSpan('   '), '`   `');
    assert.equal(codeSpan(''), '*(empty)*');
  });

  it('renders any key back as itself (property)', () => {
    const key = fc.string({ unit: fc.constantFrom('`', ' ', 'a', '\\', '*', '<', '@', '#', 'é', '|'), maxLength: 24 });
    fc.assert(
      fc.property(key, (text) => {
        fc.pre(text !== '');
        const parts = splitLine(`- ${codeSpan(text)} after`);
        const spans = parts.filter((part) => part.code);
        assert.equal(spans.length, 1, JSON.stringify(parts));
        assert.equal(spans[0]?.text, text);
        assert.equal(parts.at(-1)?.text, ' after');
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes free text so no markup survives (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('`', '*', '_', '[', ']', '<', '>', '&', '#', '|', '~', '\\', '@', 'a', '1', ' ', '\n', '$'),
      maxLength: 24,
    });
    fc.assert(
      fc.property(text, (input) => {
        const out = escapeText(input);
        assert.doesNotMatch(out, /\n/);
        const parts = splitLine(out);
        assert.ok(
          parts.every((part) => !part.code),
          'no code span',
        );
        const unescaped = parts.map((part) => part.unescaped).join('');
        assert.doesNotMatch(unescaped, /[`*_[\]<>&#|~\\$]/);
        assert.doesNotMatch(out, /@[\w]|#\d/);
      }),
      { numRuns: 2000 },
    );
  });
});
