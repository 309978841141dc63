/**
 * The pull request comment: a deploy plan (dry run), what a run published,
 * or how it failed, as GitHub-flavoured Markdown.
 *
 * Keys, warnings and error texts come from users and buckets. None of them
 * may render as HTML or Markdown, ping anyone or link an issue: keys are
 * shown in code spans (whose content GitHub renders literally and never
 * scans for mentions or references), free text is escaped and has its `@`
 * and `#` broken with a zero-width space, and link targets are
 * percent-encoded.
 */
import { s3Url } from '../model/keys.js';
import { plural, thousands } from '../model/words.js';
import { changeVerb, type ChangeAction } from '../report/outputs.js';
import { encodeSegment, pageUrl } from './site-links.js';

export interface CommentFacts {
  direction: 'push' | 'pull';
  dryRun: boolean;
  bucket: string;
  prefix: string;
  /** Done work, or planned work on a dry run. `copied` = uploaded on push, downloaded on pull; `redirected` = redirects written / symlinks made; `updated` = headers changed in place. */
  counts: { copied: number; redirected: number; updated: number; unchanged: number; deleted: number };
  /** Done (or planned on a dry run) changes, in apply order. */
  changes: { key: string; action: ChangeAction }[];
  warnings: { key: string; message: string }[];
  /** Set when the run failed: the error sentence and what state the destination is in ("uploaded 6 of 11; nothing was deleted; re-run to finish"). */
  failure?: { message: string; state: string };
  /** Full sha; the first 7 characters are shown, linked to the commit when `repository` is set. */
  commit?: string;
  /** owner/repo */
  repository?: string;
  /** Default https://github.com */
  serverUrl?: string;
  /** Link to the workflow run. */
  runUrl?: string;
  /** Shown as UTC to the minute, e.g. 2026-12-01 19:44 UTC. */
  when: Date;
  siteUrl?: string;
  indexDocument?: string;
}

/** Keys listed in each of the changes and deletions sections. */
export const COMMENT_KEY_CAP = 50;
/** Warnings listed. */
const COMMENT_WARNING_CAP = 20;
/** GitHub refuses a comment body longer than this. */
export const COMMENT_MAX_CHARS = 65_536;
/** Characters of a key shown in a code span (the link still has the whole key). */
const KEY_DISPLAY_CAP = 200;
/** Characters of a failure message, state or warning shown. */
const TEXT_DISPLAY_CAP = 1_000;
/** Longer site or run URLs are not linked. */
const URL_CAP = 2_000;
/** Room kept free under COMMENT_MAX_CHARS. */
const SAFETY_MARGIN = 512;

/**
 * The hidden HTML comment that marks the comment a bucket and prefix own, so
 * that the next run updates it rather than adding another. `&`, `<`, `>` and
 * `--` are replaced, so neither can close the comment early, and no two
 * locations share a marker.
 */
export function commentMarker(bucket: string, prefix: string): string {
  const safe = (text: string): string =>
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/--/g, '-&#45;')
      .replace(/[\r\n]/g, (char) => (char === '\n' ? '&#10;' : '&#13;'));
  return `<!-- s3-force-copy: ${safe(s3Url(bucket, prefix))} -->`;
}

export function renderComment(facts: CommentFacts): string {
  const siteUrl = facts.siteUrl && safeUrl(facts.siteUrl) ? facts.siteUrl : undefined;
  const indexDocument = facts.indexDocument ?? 'index.html';
  const head = commentHead(facts, siteUrl, indexDocument);
  const sections = [
    changesSection(facts, siteUrl, indexDocument),
    deletionsSection(facts),
    warningsSection(facts.warnings),
  ].filter((section) => section.total > 0);
  return fitBody(head, sections, ['---', footer(facts)]);
}

/** Everything above the lists: marker, heading, site link, failure, counts. */
function commentHead(facts: CommentFacts, siteUrl: string | undefined, indexDocument: string): string[] {
  const head = [
    commentMarker(facts.bucket, facts.prefix),
    `### ${heading(facts, codeSpan(displayKey(s3Url(facts.bucket, facts.prefix))))}`,
    '',
  ];
  const site = siteUrl === undefined ? undefined : safeUrl(pageUrl(siteUrl, '', indexDocument));
  if (site !== undefined) head.push(`**Site:** ${link(codeSpan(site), site)}`, '');
  if (facts.failure) head.push(...failureCallout(facts.failure, facts.dryRun));
  head.push(...countsTable(facts), '');
  if (!facts.failure && facts.changes.length === 0 && totalChanged(facts) === 0) {
    head.push(facts.dryRun ? 'Nothing to change: the destination already matches.' : 'Nothing changed.', '');
  }
  return head;
}

function failureCallout(failure: { message: string; state: string }, dryRun: boolean): string[] {
  return [
    '> [!WARNING]',
    `> **${dryRun ? 'The plan could not be made' : 'The run failed'}:** ${escapeText(clip(failure.message, TEXT_DISPLAY_CAP))}`,
    '>',
    `> ${escapeText(clip(failure.state, TEXT_DISPLAY_CAP))}`,
    '',
  ];
}

/** The keys written, each linked to its page when the site's URL is known. */
function changesSection(facts: CommentFacts, siteUrl: string | undefined, indexDocument: string): Section {
  const changes = facts.changes.filter((change) => change.action !== 'deleted');
  return {
    title: `${facts.dryRun ? 'Changes to make' : 'Changed'} (${plural(changes.length, 'key')})`,
    total: changes.length,
    lines: changes.slice(0, COMMENT_KEY_CAP).map((change) => {
      const url = siteUrl === undefined ? undefined : safeUrl(pageUrl(siteUrl, change.key, indexDocument));
      const shown = codeSpan(displayKey(change.key));
      return `- ${changeVerb(change.action, facts.dryRun)} ${url === undefined ? shown : link(shown, url)}`;
    }),
  };
}

/** The keys deleted, never linked: they are gone. */
function deletionsSection(facts: CommentFacts): Section {
  const deletes = facts.changes.filter((change) => change.action === 'deleted');
  return {
    title: `${facts.dryRun ? 'To delete' : 'Deleted'} (${plural(deletes.length, facts.direction === 'push' ? 'object' : 'file')})`,
    total: deletes.length,
    lines: deletes.slice(0, COMMENT_KEY_CAP).map((change) => `- ${codeSpan(displayKey(change.key))}`),
  };
}

function warningsSection(warnings: CommentFacts['warnings']): Section {
  return {
    title: `Warnings (${thousands(warnings.length)})`,
    total: warnings.length,
    lines: warnings
      .slice(0, COMMENT_WARNING_CAP)
      .map((w) =>
        w.key === ''
          ? `- ${escapeText(clip(w.message, TEXT_DISPLAY_CAP))}`
          : `- ${codeSpan(displayKey(w.key))}: ${escapeText(clip(w.message, TEXT_DISPLAY_CAP))}`,
      ),
  };
}

/** The body under GitHub's limit: as much of each section as fits between head and tail. */
function fitBody(head: string[], sections: Section[], tail: string[]): string {
  const fixed = [...head, ...tail].join('\n').length + 1;
  const rendered = renderSections(sections, COMMENT_MAX_CHARS - SAFETY_MARGIN - fixed);
  const body = [...head, ...rendered, ...tail].join('\n') + '\n';
  if (body.length < COMMENT_MAX_CHARS) return body;
  // Unreachable with the caps above; never cut a line in half, which could
  // open a code span and let what follows render.
  return [...head, '_The lists were too long to show._', '', ...tail].join('\n') + '\n';
}

interface Section {
  title: string;
  /** Items in the section, shown or not. */
  total: number;
  /** The items to show, at most the cap. */
  lines: string[];
}

/**
 * The sections within `budget` characters. Each gets an equal share of what
 * is left, the smallest first, so a long list of changes cannot push the
 * deletions out; an item that does not fit is counted in "and N more".
 */
function renderSections(sections: Section[], budget: number): string[] {
  const sizes = sections.map((section) => sectionSize(section.title, section.lines, section.total));
  const allowance = new Map<Section, number>();
  let left = budget;
  const bySize = sections
    .map((section, index) => ({ section, size: sizes[index] ?? 0 }))
    .sort((a, b) => a.size - b.size);
  bySize.forEach(({ section, size }, index) => {
    const share = Math.min(size, Math.floor(left / (bySize.length - index)));
    allowance.set(section, share);
    left -= share;
  });

  const out: string[] = [];
  for (const section of sections) {
    const room = allowance.get(section) ?? 0;
    // The most items that fit with the "and N more" line, when there is one.
    let count = -1;
    for (let k = 0; k <= section.lines.length; k += 1) {
      if (sectionSize(section.title, section.lines.slice(0, k), section.total) <= room) count = k;
    }
    if (count === -1) continue;
    const shown = section.lines.slice(0, count);
    out.push(`#### ${section.title}`, '', ...shown);
    const more = section.total - shown.length;
    if (more > 0) out.push(`- … and ${thousands(more)} more`);
    out.push('');
  }
  return out;
}

/** Characters the section takes, with its "and N more" line. */
function sectionSize(title: string, shown: string[], total: number): number {
  const more = total > shown.length ? `- … and ${thousands(total - shown.length)} more\n`.length : 0;
  return `#### ${title}\n\n`.length + shown.reduce((sum, line) => sum + line.length + 1, 0) + more + 1;
}

function heading(facts: CommentFacts, location: string): string {
  if (facts.direction === 'push') {
    if (facts.failure) return facts.dryRun ? `Deploy plan for ${location} failed` : `Deploy to ${location} failed`;
    return facts.dryRun ? `Deploy plan: what merging will publish to ${location}` : `Published to ${location}`;
  }
  if (facts.failure) return facts.dryRun ? `Pull plan for ${location} failed` : `Pull from ${location} failed`;
  return facts.dryRun ? `Pull plan: what a pull from ${location} will download` : `Pulled from ${location}`;
}

function countsTable(facts: CommentFacts): string[] {
  const { copied, redirected, updated, unchanged, deleted } = facts.counts;
  const push = facts.direction === 'push';
  const planned = facts.dryRun;
  const rows: [string, string, number][] = [
    [
      push ? (planned ? 'To upload' : 'Uploaded') : planned ? 'To download' : 'Downloaded',
      plural(copied, 'file'),
      copied,
    ],
    [
      push ? (planned ? 'Redirects to write' : 'Redirects written') : planned ? 'Symlinks to make' : 'Symlinks made',
      plural(redirected, push ? 'redirect' : 'symlink'),
      redirected,
    ],
    [planned ? 'Headers to update' : 'Headers updated', plural(updated, 'object'), updated],
    [planned ? 'To delete' : 'Deleted', plural(deleted, push ? 'object' : 'file'), deleted],
    ['Unchanged', plural(unchanged, 'key'), unchanged],
  ];
  // The first row always; the others only where there is something to count.
  const shown = rows.filter(([, , count], index) => index === 0 || count > 0);
  return ['| | Count |', '| --- | ---: |', ...shown.map(([label, text]) => `| ${label} | ${text} |`)];
}

function totalChanged(facts: CommentFacts): number {
  const { copied, redirected, updated, deleted } = facts.counts;
  return copied + redirected + updated + deleted;
}

function footer(facts: CommentFacts): string {
  const parts: string[] = [];
  const commit = facts.commit?.trim();
  if (commit) {
    const short = codeSpan(clip(commit, 7, ''));
    const server = safeUrl(facts.serverUrl || 'https://github.com');
    const repository = facts.repository?.split('/');
    const target =
      /^[0-9a-f]{7,64}$/i.test(commit) && server && repository?.length === 2 && repository.every(Boolean)
        ? safeUrl(`${server.replace(/\/+$/, '')}/${repository.map(encodeSegment).join('/')}/commit/${commit}`)
        : undefined;
    parts.push(`Commit ${target === undefined ? short : link(short, target)}`);
  }
  parts.push(formatWhen(facts.when));
  const run = facts.runUrl ? safeUrl(facts.runUrl) : undefined;
  if (run !== undefined) parts.push(link('workflow run', run));
  return `<sub>${parts.join(' · ')}</sub>`;
}

/** e.g. 2026-12-01 19:44 UTC */
export function formatWhen(when: Date): string {
  if (Number.isNaN(when.getTime())) return 'at an unknown time';
  return `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function link(text: string, url: string): string {
  return `[${text}](${url})`;
}

/**
 * The URL as a Markdown link target, or undefined when it is not http(s) or
 * too long. Whitespace, `<`, `>`, quotes and backticks come out
 * percent-encoded by URL; `(`, `)` are encoded here, so the target cannot
 * end early.
 */
export function safeUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href.replace(
    /[()\s<>"'`\\]/g,
    (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`,
  );
  return href.length > URL_CAP ? undefined : href;
}

/**
 * Text as an inline code span, shown literally: the fence is one backtick
 * longer than the longest run inside, and padded with a space at either
 * end when the text starts or ends with a backtick (or starts and ends with
 * a space, which CommonMark would otherwise strip). Line breaks and other
 * control or bidirectional-override characters are shown as escapes: a line
 * break could end the list item or quote the span is in.
 */
export function codeSpan(text: string): string {
  const visible = visibleControls(text);
  if (visible === '') return '*(empty)*';
  const longest = Math.max(0, ...Array.from(visible.matchAll(/`+/g), (run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad =
    visible.startsWith('`') ||
    visible.endsWith('`') ||
    (visible.startsWith(' ') && visible.endsWith(' ') && visible.trim() !== '');
  return pad ? `${fence} ${visible} ${fence}` : `${fence}${visible}${fence}`;
}

/**
 * Free text with Markdown and HTML taken literally: the characters that
 * could start markup are backslash-escaped, `@` and `#` get a zero-width
 * space after them (GitHub finds mentions and issue references in the
 * rendered text, so an escape would not stop them), and line breaks become
 * spaces.
 */
export function escapeText(text: string): string {
  return visibleControls(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' '))
    .replace(/[\\`*_[\]<>&#|~$]/g, (char) => `\\${char}`)
    .replace(/[@#]/g, (char) => `${char}\u200b`)
    .replace(/\b(GH)-(?=\d)/gi, '$1-\u200b');
}

/** Keys longer than KEY_DISPLAY_CAP characters are shown cut, with an ellipsis. */
function displayKey(key: string): string {
  return clip(key, KEY_DISPLAY_CAP);
}

/** The first `cap` code points of the text (never half a surrogate pair), then `ellipsis` if cut. */
function clip(text: string, cap: number, ellipsis = '…'): string {
  if (text.length <= cap) return text;
  const points = Array.from(text);
  return points.length <= cap ? text : points.slice(0, cap).join('') + ellipsis;
}

/** Control, bidirectional-control and lone-surrogate characters as visible escapes (`\n`, `\u202e`). */
function visibleControls(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => {
      const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    },
  );
}
