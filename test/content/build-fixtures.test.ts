/**
 * The content model as the build enforces it: a real `astro build` over fixture
 * content trees must fail, naming the file and the field, when a page is broken.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { contentScratch, VALID_CONTENT as VALID } from '../support/content-tree.ts';

const run = promisify(execFile);
const { contentTree, tempDir, removeScratch } = contentScratch();

async function build(contentDir: string): Promise<{ ok: boolean; output: string }> {
  const outDir = await tempDir('harbor-kb-out-');
  try {
    const { stdout, stderr } = await run('npx', ['astro', 'build', '--outDir', outDir], {
      env: { ...process.env, HARBOR_KB_CONTENT_DIR: contentDir, NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function edit(file: string, from: string, to: string) {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture ${file} has no "${from}"`);
  await writeFile(file, text.replace(from, to));
}

afterAll(removeScratch);

describe('astro build over fixture content', () => {
  it('builds the valid fixture, both languages', async () => {
    const result = await build(VALID);
    expect(result.output).toContain('/issues/sample-problem/index.html');
    expect(result.output).toContain('/zh/issues/sample-problem/index.html');
    expect(result.ok).toBe(true);
  });

  it('fails on broken frontmatter, naming the file and the field', async () => {
    const dir = await contentTree((d) => edit(path.join(d, 'en/sample-problem.mdx'), 'status: workaround', 'status: maybe'));
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/sample-problem/);
    expect(result.output).toMatch(/status/);
    expect(result.output).toMatch(/solved|workaround|unsolved/);
  });

  it('fails when a page has no translation, naming the missing file', async () => {
    const dir = await contentTree((d) => rm(path.join(d, 'zh/sample-problem.mdx')));
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('zh/sample-problem.mdx: missing; en/sample-problem.mdx has no zh translation');
  });

  it('fails when a body lacks one of the required sections', async () => {
    const dir = await contentTree((d) => edit(path.join(d, 'zh/sample-problem.mdx'), '## 预防', '## 其他'));
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('zh/sample-problem.mdx: the body must have the sections');
  });
});
