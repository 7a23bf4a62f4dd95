// Builds one self-contained ES module per playbook (runtime, zx, pg and mysql2 inlined),
// runnable with `node <file>` or `npx zx <file>` on a machine with only Node.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Playbook } from '../types.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function entrySource(name: string): string {
  return [
    `import * as module from ${JSON.stringify(join(repoRoot, 'playbooks', `${name}.ts`))};`,
    `import { runStandalone } from ${JSON.stringify(join(repoRoot, 'src/playbook/run/standalone.ts'))};`,
    `const playbook = Object.values(module).find((value) => value && value.name === ${JSON.stringify(name)} && typeof value.plan === 'function');`,
    'await runStandalone(playbook, import.meta.url);',
  ].join('\n');
}

/**
 * Writes <outDir>/<name>.mjs for each of `playbooks` (all of them unless `names` picks some);
 * returns the paths. The list comes from the caller: the platform does not import the playbooks built on it.
 */
export async function buildPlaybookBundles(
  outDir: string,
  playbooks: Readonly<Record<string, Playbook>>,
  names: readonly string[] = Object.keys(playbooks),
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  // The builds are independent; running them together keeps the site build short.
  return Promise.all(
    names.map(async (name) => {
      if (!playbooks[name]) throw new Error(`no playbook named ${name}`);
      const outfile = join(outDir, `${name}.mjs`);
      await build({
        stdin: { contents: entrySource(name), resolveDir: repoRoot, sourcefile: `${name}-entry.ts`, loader: 'ts' },
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        // Bundled CommonJS (pg, mysql2) calls require() for Node built-ins.
        banner: {
          js: `#!/usr/bin/env node\n// harbor-kb playbook ${name}: run with \`node ${name}.mjs --help\` or \`npx zx ${name}.mjs --help\`.\nimport { createRequire as __harborKbCreateRequire } from 'node:module';\nconst require = __harborKbCreateRequire(import.meta.url);`,
        },
        // Optional native/edge drivers that pg only loads on request.
        external: ['pg-native', 'cloudflare:sockets'],
        legalComments: 'none',
        logLevel: 'warning',
      });
      return outfile;
    }),
  );
}
