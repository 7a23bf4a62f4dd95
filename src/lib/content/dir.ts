/**
 * Where the issue pages are read from, for the site build and the CLI alike.
 * Tests point HARBOR_KB_CONTENT_DIR at fixture trees to prove that a broken page
 * fails the build; a relative value is taken from the working directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_DIR_VARIABLE = 'HARBOR_KB_CONTENT_DIR';

/** The content tree as an absolute path: the variable if set, else the repository's content/issues. */
export function contentDir(): string {
  const configured = process.env[CONTENT_DIR_VARIABLE];
  return configured ? path.resolve(configured) : fileURLToPath(new URL('../../../content/issues', import.meta.url));
}
