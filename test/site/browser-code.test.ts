/**
 * What may run in the page: every module the pages' `<script>`s import, followed
 * through runtime imports (type-only imports are erased). None of them may reach
 * Node or build-time code, and in src/doctor only page/ and the parts the CLI
 * shares with the page (findings, timestamps) may run there. In src/search the
 * folder says the runtime: build/ runs only in the site build, the rest in the page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, ext) : entry.name.endsWith(ext) ? [full] : [];
  });
}

/** Specifiers of runtime imports: static imports that are not `import type`, re-exports, and dynamic `import()`. */
function runtimeImports(code: string): string[] {
  const statics = [...code.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)].map((found) => found[1]!);
  const dynamics = [...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((found) => found[1]!);
  return [...statics, ...dynamics];
}

/** Modules that run in the page, relative to src/, and the packages they import. */
function browserGraph(): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const relative = path.relative(SRC, file);
    if (modules.has(relative)) return;
    modules.add(relative);
    follow(file, readFileSync(file, 'utf8'));
  };
  const follow = (from: string, code: string) => {
    for (const specifier of runtimeImports(code)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(from), specifier));
      else packages.add(specifier);
    }
  };
  for (const astro of filesUnder(SRC, '.astro')) {
    for (const script of readFileSync(astro, 'utf8').matchAll(/<script(?![^>]*is:inline)[^>]*>([\s\S]*?)<\/script>/g)) follow(astro, script[1] ?? '');
  }
  return { modules, packages };
}

describe('code that runs in the page', () => {
  const { modules, packages } = browserGraph();

  it('starts from the page scripts of the home, search and doctor pages', () => {
    expect([...modules].filter((module) => module.endsWith('-page.ts')).sort()).toEqual(['doctor/page/doctor-page.ts', 'search/search-page.ts']);
  });

  it('imports no Node module, no astro: module and no server-side package', () => {
    expect(
      [...packages].filter((name) => name.startsWith('node:') || name.startsWith('astro:') || ['pg', 'mysql2', 'yaml', 'zod', 'zx'].includes(name)),
    ).toEqual([]);
  });

  it('never reaches the content loaders, build-time code, the playbooks or the CLI', () => {
    expect([...modules].filter((module) => /^(lib\/content|playbook|cli|checks|integrations)\/|(^|\/)build\/|^\.\.\//.test(module))).toEqual([]);
  });

  it('in src/search, runs every module outside build/: build-time code lives in search/build/', () => {
    const search = filesUnder(path.join(SRC, 'search'), '.ts')
      .filter((file) => !file.endsWith('.test.ts'))
      .map((file) => path.relative(SRC, file));
    expect(search.filter((module) => module.startsWith('search/build/'))).not.toEqual([]);
    expect(search.filter((module) => !module.startsWith('search/build/') && !modules.has(module))).toEqual([]);
  });

  it('uses of src/doctor only page/ and what the CLI shares with the page', () => {
    const doctor = [...modules].filter((module) => module.startsWith('doctor/') && !module.startsWith('doctor/page/')).sort();
    expect(doctor).toEqual(['doctor/findings.ts', 'doctor/timestamps.ts']);
  });
});
