// One real Harbor per test file: started in beforeAll, stopped in afterAll. `describeHarbor`
// skips the file's tests when the global setup found no source (it printed why).
import { afterAll, beforeAll, describe, expect, inject } from 'vitest';
import { runCli } from './cli.ts';
import { startRealHarbor, type RealHarbor, type RealHarborOptions } from './real-harbor.ts';

export const harborBuild = inject('harborBuild');

/** describe(), skipped when there is no Harbor build. */
export const describeHarbor = describe.skipIf(!harborBuild);

/** The file's Harbor; read its fields inside tests and hooks, not at import. */
export function useRealHarbor(options: RealHarborOptions = {}): { harbor: RealHarbor } {
  const holder = {} as { harbor: RealHarbor };
  beforeAll(async () => {
    if (harborBuild) holder.harbor = await startRealHarbor(harborBuild, options);
  });
  afterAll(async () => {
    await holder.harbor?.stop();
  });
  return holder;
}

/** The knowledge-base pages the log doctor names for everything this Harbor has logged so far. */
async function doctorPages(harbor: RealHarbor): Promise<string[]> {
  const result = await runCli(['doctor', '--json', ...harbor.logFiles()]);
  if (result.code !== 0) throw new Error(`harbor-kb doctor exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { findings: { id: string }[] }).findings.map((finding) => finding.id);
}

/**
 * The pages a run that did nothing wrong may still name: the registry's push notification can
 * really arrive before the tag is readable, and 1.10's core then logs "manifest for image ... is
 * not ready, retry after ..." and retries (seen with 2,000 concurrent pushes). The doctor is
 * right to name the race page then, and only then.
 */
function pagesOfBenignRaces(harbor: RealHarbor): string[] {
  return /manifest for image \S+ is not ready, retry after/.test(harbor.core.logSince(0)) ? ['replication-manifest-404-race'] : [];
}

/** Asserts the doctor names exactly `pages` for this Harbor's logs (plus a race core retried, when one happened). */
export async function expectDoctorNames(harbor: RealHarbor, pages: readonly string[]): Promise<void> {
  expect((await doctorPages(harbor)).sort()).toEqual([...pages, ...pagesOfBenignRaces(harbor)].sort());
}
