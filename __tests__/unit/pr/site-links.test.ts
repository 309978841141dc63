import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSegment, pageUrl } from '../../../src/pr/site-links.js';
import { isPage } from '../../../src/model/keys.js';

describe('pageUrl', () => {
  const site = 'https://preview.example.com/pr-7';
  const cases: [string, string][] = [
    ['index.html', 'https://preview.example.com/pr-7/'],
    ['docs/index.html', 'https://preview.example.com/pr-7/docs/'],
    ['a/b/index.html', 'https://preview.example.com/pr-7/a/b/'],
    ['blog/post.html', 'https://preview.example.com/pr-7/blog/post.html'],
    ['assets/app.css', 'https://preview.example.com/pr-7/assets/app.css'],
    ['docs/index.html.bak', 'https://preview.example.com/pr-7/docs/index.html.bak'],
    ['docs/myindex.html', 'https://preview.example.com/pr-7/docs/myindex.html'],
    ['', 'https://preview.example.com/pr-7/'],
  ];
  for (const [key, url] of cases) {
    it(`${JSON.stringify(key)} → ${url}`, () => {
      assert.equal(pageUrl(site, key), url);
      assert.equal(pageUrl(`${site}/`, key), url, 'a trailing slash on the site URL changes nothing');
      assert.equal(pageUrl(`${site}///`, key), url);
    });
  }

  it('never adds the prefix: keys are relative to where the site URL serves', () => {
    assert.equal(
      pageUrl('https://previews.example.com/pr-7', 'pr-7/index.html'),
      'https://previews.example.com/pr-7/pr-7/',
    );
    assert.equal(pageUrl('https://www.example.com', 'about.html'), 'https://www.example.com/about.html');
  });

  it('honours another index document', () => {
    assert.equal(pageUrl(site, 'docs/default.htm', 'default.htm'), `${site}/docs/`);
    assert.equal(pageUrl(site, 'docs/index.html', 'default.htm'), `${site}/docs/index.html`);
    assert.equal(pageUrl(site, 'docs/index.html', ''), `${site}/docs/index.html`);
  });

  it('percent-encodes each segment, parentheses and quotes included, and keeps the slashes', () => {
    assert.equal(pageUrl(site, 'a b/c?d#e.html'), `${site}/a%20b/c%3Fd%23e.html`);
    assert.equal(pageUrl(site, 'x)(y/[z]!*.png'), `${site}/x%29%28y/%5Bz%5D%21%2A.png`);
    assert.equal(pageUrl(site, "it's/<b>.html"), `${site}/it%27s/%3Cb%3E.html`);
    assert.equal(pageUrl(site, 'café/100%.txt'), `${site}/caf%C3%A9/100%25.txt`);
    assert.equal(pageUrl(site, 'emoji/😀/index.html'), `${site}/emoji/%F0%9F%98%80/`);
  });

  it('survives a lone surrogate, which encodeURIComponent throws on', () => {
    assert.equal(encodeSegment('a\ud800b'), 'a%EF%BF%BDb');
    assert.equal(pageUrl(site, '\udc00.html'), `${site}/%EF%BF%BD.html`);
  });
});

describe('isPage', () => {
  it('is true for .html and .htm, in any case', () => {
    for (const key of ['index.html', 'a/b.htm', 'X.HTML', 'y.HtM']) assert.equal(isPage(key), true, key);
  });
  it('is false for everything else', () => {
    for (const key of ['a.css', 'html', 'a.html/b', 'a.xhtml.gz', 'a.html.bak', 'page.shtml2', '']) {
      assert.equal(isPage(key), false, key);
    }
  });
});
