/**
 * Scratch copies of the valid fixture content tree, changed to break one thing, for
 * tests that prove a broken page is rejected (by the build or by the CLI loader).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const VALID_CONTENT = path.resolve('test/fixtures/content/valid');

/** Temp directories of one test file; its afterAll calls `removeScratch`. */
export function contentScratch() {
  const dirs: string[] = [];
  async function tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  }
  /** A copy of the valid tree after `change` ran on it. */
  async function contentTree(change: (dir: string) => Promise<unknown>): Promise<string> {
    const dir = await tempDir('harbor-kb-content-');
    await cp(VALID_CONTENT, dir, { recursive: true });
    await change(dir);
    return dir;
  }
  const removeScratch = async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  return { tempDir, contentTree, removeScratch };
}
