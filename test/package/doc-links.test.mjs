// The README's and docs' own links (keeping README.md true): every relative link names a
// file that exists, and every `#anchor` one of that Markdown file's headings, slugged as
// GitHub and npm's page do. A section moved or renamed without its links fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from './built.mjs';

/** GitHub's heading slug: lower case, punctuation dropped (letters, digits, `-`, `_` kept), spaces to `-`. */
const slug = (heading) =>
  heading
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a Markdown file's headings (outside code fences), a repeated one numbered `-1`, `-2`… */
export function anchorsOf(markdown) {
  const seen = new Map();
  const anchors = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)/.exec(line);
    if (!heading) continue;
    const anchor = slug(heading[1]);
    const times = seen.get(anchor) ?? 0;
    seen.set(anchor, times + 1);
    anchors.add(times ? `${anchor}-${times}` : anchor);
  }
  return anchors;
}

/** The relative links of a Markdown file that do not resolve: "target (why)". */
export function brokenLinks(file) {
  const broken = [];
  for (const [, target] of readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target)) continue;
    const [path, hash] = target.split('#');
    const destination = path ? join(dirname(file), path) : file;
    if (!existsSync(destination)) broken.push(`${target} (no such file)`);
    else if (hash && destination.endsWith('.md') && !anchorsOf(readFileSync(destination, 'utf8')).has(hash)) broken.push(`${target} (no such heading)`);
  }
  return broken;
}

const documents = ['README.md', 'CHANGELOG.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

test('every relative link of the README and docs/ names a file and a heading that exist', () => {
  for (const document of documents) assert.deepEqual(brokenLinks(join(root, document)), [], document);
});

test('a link to a heading that is not there, or to a missing file, is reported', () => {
  const folder = mkdtempSync(join(tmpdir(), 'doc-links-'));
  try {
    writeFileSync(join(folder, 'other.md'), '# Other\n\n## Running at scale (PostgreSQL)\n\n```sh\n# a comment\n```\n');
    const links = ['other.md#running-at-scale-postgresql', 'other.md#a-comment', 'gone.md', '#here', '#there', 'https://example.com/#x'];
    writeFileSync(join(folder, 'main.md'), `# Here\n\n${links.map((link) => `[x](${link})`).join('\n')}\n`);
    assert.deepEqual(brokenLinks(join(folder, 'main.md')), ['other.md#a-comment (no such heading)', 'gone.md (no such file)', '#there (no such heading)']);
  } finally {
    rmSync(folder, { recursive: true });
  }
});
