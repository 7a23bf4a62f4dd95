// One real Harbor per test file: started in beforeAll, stopped in afterAll. `describeHarbor`
// skips the file's tests when the global setup found no source (it printed why).
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { runCli } from './cli.ts';
import { startRealHarbor, type RealHarbor } from './real-harbor.ts';

export const harborBuild = inject('harborBuild');

/** describe(), skipped when there is no Harbor build. */
export const describeHarbor = describe.skipIf(!harborBuild);

/** The file's Harbor; read its fields inside tests and hooks, not at import. */
export function useRealHarbor(): { harbor: RealHarbor } {
  const holder = {} as { harbor: RealHarbor };
  beforeAll(async () => {
    if (harborBuild) holder.harbor = await startRealHarbor(harborBuild);
  });
  afterAll(async () => {
    await holder.harbor?.stop();
  });
  return holder;
}

/** The knowledge-base pages the log doctor names for everything this Harbor has logged so far. */
export async function doctorPages(harbor: RealHarbor): Promise<string[]> {
  const result = await runCli(['doctor', '--json', ...harbor.logFiles()]);
  if (result.code !== 0) throw new Error(`harbor-kb doctor exited ${result.code}: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { findings: { id: string }[] }).findings.map((finding) => finding.id);
}
