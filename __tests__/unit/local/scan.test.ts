import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { scanLocal } from '../../../src/local/scan.js';
import { excludeMatcher } from '../../../src/settings/rules.js';
import { tempDir } from '../../helpers/temp.js';

async function tree() {
  const base = await tempDir();
  const root = path.join(base, 'site');
  await mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
  await mkdir(path.join(base, 'outside'));
  await writeFile(path.join(base, 'outside', 'secret.txt'), 'secret');
  await writeFile(path.join(root, 'index.html'), '<h1>hi</h1>');
  await writeFile(path.join(root, 'sub', 'deep', 'page.html'), 'page');
  await writeFile(path.join(root, '.DS_Store'), 'junk');
  await writeFile(path.join(root, 'sub', '._page.html'), 'junk');
  await symlink('../index.html', path.join(root, 'sub', 'relative.html'));
  await symlink(path.join(root, 'index.html'), path.join(root, 'absolute.html'));
  await symlink('relative.html', path.join(root, 'sub', 'chain.html'));
  await symlink('../outside/secret.txt', path.join(root, 'escape.txt'));
  await symlink('/etc/passwd', path.join(root, 'passwd'));
  await symlink('missing.html', path.join(root, 'broken.html'));
  await symlink('loop-b', path.join(root, 'loop-a'));
  await symlink('loop-a', path.join(root, 'loop-b'));
  await symlink('.', path.join(root, 'self'));
  await symlink('sub', path.join(root, 'folder-link'));
  await symlink('..', path.join(root, 'parent'));
  return { base, root };
}

const scan = (root: string, prefix = '') => scanLocal(root, { prefix, isExcluded: excludeMatcher([]) });

describe('scanLocal', () => {
  it('turns links to files inside the directory into redirects to the final target', async () => {
    const { root } = await tree();
    const { entries } = await scan(root);
    assert.deepEqual(entries.get('sub/relative.html'), { kind: 'redirect', location: '/index.html' });
    assert.deepEqual(entries.get('absolute.html'), { kind: 'redirect', location: '/index.html' });
    assert.deepEqual(entries.get('sub/chain.html'), { kind: 'redirect', location: '/index.html' });
    assert.equal(entries.get('index.html')?.kind, 'file');
    assert.equal(entries.get('sub/deep/page.html')?.kind, 'file');
  });

  it('includes the prefix in redirect locations', async () => {
    const { root } = await tree();
    const { entries } = await scan(root, 'site');
    assert.deepEqual(entries.get('sub/relative.html'), { kind: 'redirect', location: '/site/index.html' });
  });

  it('works from a relative directory (the original script skipped every link there)', async () => {
    const { base, root } = await tree();
    const cwd = process.cwd();
    process.chdir(base);
    try {
      const { entries } = await scan(path.relative(base, root));
      assert.deepEqual(entries.get('sub/relative.html'), { kind: 'redirect', location: '/index.html' });
    } finally {
      process.chdir(cwd);
    }
  });

  it('marks links it must not follow as opaque, with the reason', async () => {
    const { root } = await tree();
    const { entries } = await scan(root);
    const reason = (key: string) => {
      const entry = entries.get(key);
      return entry?.kind === 'opaque' ? entry.reason : `not opaque: ${JSON.stringify(entry)}`;
    };
    assert.match(reason('escape.txt'), /outside the directory/);
    assert.match(reason('passwd'), /outside the directory/);
    assert.match(reason('broken.html'), /broken symlink/);
    assert.match(reason('loop-a'), /loop/);
    assert.match(reason('loop-b'), /loop/);
    assert.match(reason('self'), /leads back into itself/);
    assert.match(reason('parent'), /outside the directory/);
  });

  it('never walks into linked folders: a link to one inside stands in for a redirect per file below it', async () => {
    const { root } = await tree();
    const { entries, folderLinks } = await scan(root);
    assert.ok(![...entries.keys()].some((key) => key.startsWith('self/')));
    const tag = { link: 'folder-link', target: 'sub' };
    const below = [...entries].filter(([key]) => key.startsWith('folder-link/'));
    assert.deepEqual(
      new Map(below),
      new Map([
        ['folder-link/deep/page.html', { kind: 'redirect', location: '/sub/deep/page.html', folder: tag }],
        // Links inside are flattened to the file they reach.
        ['folder-link/relative.html', { kind: 'redirect', location: '/index.html', folder: tag }],
        ['folder-link/chain.html', { kind: 'redirect', location: '/index.html', folder: tag }],
      ]),
    );
    assert.equal(entries.has('folder-link'), false);
    assert.deepEqual(folderLinks, [{ key: 'folder-link', target: 'sub', redirects: 3 }]);
  });

  it('expands a folder link inside another, skips loops and redirects to excluded names with a reason', async () => {
    const base = await tempDir();
    await mkdir(path.join(base, 'v1', 'deep'), { recursive: true });
    await mkdir(path.join(base, 'v2'), { recursive: true });
    await writeFile(path.join(base, 'v1', 'deep', 'a.html'), 'a');
    await writeFile(path.join(base, 'v2', 'b.html'), 'b');
    await writeFile(path.join(base, 'v2', 'b.map'), 'map');
    await symlink('../v1', path.join(base, 'v2', 'old'));
    await symlink('v2', path.join(base, 'latest'));
    await symlink('..', path.join(base, 'v1', 'deep', 'up'));
    const { entries, folderLinks } = await scanLocal(base, { prefix: '', isExcluded: excludeMatcher(['v2/*.map']) });
    assert.deepEqual(entries.get('latest/old/deep/a.html'), {
      kind: 'redirect',
      location: '/v1/deep/a.html',
      folder: { link: 'latest', target: 'v2' },
    });
    assert.deepEqual(entries.get('latest/b.map'), { kind: 'opaque', reason: 'its target v2/b.map is excluded' });
    assert.match(JSON.stringify(entries.get('v1/deep/up')), /leads back into itself/);
    assert.match(JSON.stringify(entries.get('latest/old/deep/up')), /leads back into itself/);
    assert.deepEqual(folderLinks.map((link) => link.key).sort(), ['latest', 'v2/old']);
  });

  it('leaves out the redirect keys of a folder link that exclude matches', async () => {
    const base = await tempDir();
    await mkdir(path.join(base, 'v2', 'drafts'), { recursive: true });
    await writeFile(path.join(base, 'v2', 'page.html'), 'page');
    await writeFile(path.join(base, 'v2', 'drafts', 'wip.html'), 'wip');
    await symlink('v2', path.join(base, 'latest'));
    const { entries, folderLinks } = await scanLocal(base, {
      prefix: '',
      isExcluded: excludeMatcher(['latest/drafts/**']),
    });
    const keys = [...entries.keys()].filter((key) => key.startsWith('latest/'));
    assert.deepEqual(keys, ['latest/page.html']);
    assert.equal(entries.has('v2/drafts/wip.html'), true, 'the target itself is not excluded');
    assert.deepEqual(folderLinks, [{ key: 'latest', target: 'v2', redirects: 1 }]);
  });

  it('ignores .DS_Store and ._* files', async () => {
    const { root } = await tree();
    const { entries } = await scan(root);
    assert.equal(entries.has('.DS_Store'), false);
    assert.equal(entries.has('sub/._page.html'), false);
  });

  it('lists folders deepest first for pruning', async () => {
    const { root } = await tree();
    const { folders } = await scan(root);
    assert.deepEqual(folders, [path.join('sub', 'deep'), 'sub']);
  });
});
