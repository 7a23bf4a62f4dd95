// Vitest global setup of `npm run test:real-harbor`: builds Harbor once (or finds the build in
// the cache) before any test file starts one, and hands the build to the test files. Without
// the source the tests are skipped with a message saying how to provide it, except in CI,
// where that is a failure.
import type { TestProject } from 'vitest/node';
import { buildHarbor, harborSourcePath, missingSourceMessage, type HarborBuild } from './harbor-source.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** null when there is no source: the real-Harbor tests did not run. */
    harborBuild: HarborBuild | null;
  }
}

export const NOT_RUN = 'REAL-HARBOR TESTS DID NOT RUN: no Harbor source.';

export default async function setup(project: TestProject): Promise<() => void> {
  const source = harborSourcePath();
  if (!source) {
    if (process.env.CI === 'true') throw new Error(`${NOT_RUN} In CI they must run.\n${missingSourceMessage()}`);
    project.provide('harborBuild', null);
    const warn = () => console.warn(`\n${NOT_RUN}\n${missingSourceMessage()}\n`);
    warn();
    return warn;
  }
  const build = await buildHarbor(source, (line) => console.log(`[real-harbor] ${line}`));
  console.log(`[real-harbor] Harbor ${build.version} (${build.commit}) from ${source}`);
  project.provide('harborBuild', build);
  return () => undefined;
}
