// contentTypeFor (src/settings/content-type.ts): the Content-Type a key is pushed with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentTypeFor } from '../../../src/settings/content-type.js';

describe('contentTypeFor', () => {
  it('says text types are UTF-8: html, css, js, json, svg, txt', () => {
    assert.equal(contentTypeFor('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('old/page.htm'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('assets/site.css'), 'text/css; charset=utf-8');
    assert.equal(contentTypeFor('assets/app.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeFor('data/info.json'), 'application/json; charset=utf-8');
    assert.equal(contentTypeFor('logo.svg'), 'image/svg+xml; charset=utf-8');
    assert.equal(contentTypeFor('robots.txt'), 'text/plain; charset=utf-8');
  });

  it('gives binary types without a charset', () => {
    assert.equal(contentTypeFor('image.png'), 'image/png');
    assert.equal(contentTypeFor('photo.jpg'), 'image/jpeg');
    assert.equal(contentTypeFor('app.wasm'), 'application/wasm');
  });

  it('gives application/octet-stream to extensionless names and unknown extensions', () => {
    assert.equal(contentTypeFor('LICENSE'), 'application/octet-stream');
    assert.equal(contentTypeFor('archive.xyzzy'), 'application/octet-stream');
    assert.equal(contentTypeFor('a/b.c/README'), 'application/octet-stream', 'a dot in a folder name is no extension');
  });

  it('does not read a bare name as an extension ("h" is not a C header)', () => {
    assert.equal(contentTypeFor('h'), 'application/octet-stream');
    assert.equal(contentTypeFor('docs/h'), 'application/octet-stream');
    assert.equal(contentTypeFor('c'), 'application/octet-stream');
    assert.equal(contentTypeFor('x.h'), 'text/x-c; charset=utf-8', 'as an extension it is one');
  });

  it('reads upper-case extensions as their lower-case forms', () => {
    assert.equal(contentTypeFor('A.HTML'), 'text/html; charset=utf-8');
    assert.equal(contentTypeFor('IMAGE.PNG'), 'image/png');
    assert.equal(contentTypeFor('Site.Css'), 'text/css; charset=utf-8');
  });
});
