// Every knowledge-base page is recognised in real log excerpts from upstream reports
// (test/fixtures/doctor/excerpts, each citing its source in a header), embedded in
// healthy Harbor logs; healthy logs and other Harbor problems match no page.
// The signatures come from the real pages, as the CLI and the site read them.
import { beforeAll, describe, expect, it } from 'vitest';
import { excerpts as loadExcerpts, fixtureLines } from '../../test/support/doctor-fixtures.ts';
import { loadSignatureViews } from '../lib/content/node.ts';
import { createDoctor, type DoctorPage } from './findings.ts';

const healthy = ['healthy/core.log', 'healthy/registry.log', 'healthy/jobservice.log'].flatMap(fixtureLines);
const excerpts = loadExcerpts();

let pages: DoctorPage[];
beforeAll(async () => {
  pages = await loadSignatureViews();
});

const found = (lines: string[]) => {
  const doctor = createDoctor(pages);
  doctor.scan(lines.join('\n'), 'fixture.log');
  return doctor.findings();
};

describe('log doctor on real logs', () => {
  it('has at least two cited upstream excerpts for every page', () => {
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) {
      const own = excerpts.filter((excerpt) => excerpt.expected[0] === page.id);
      expect(own.length, `excerpts for ${page.id}`).toBeGreaterThanOrEqual(2);
      for (const excerpt of own) expect(excerpt.source, `${excerpt.file} cites its source`).toMatch(/[\w.-]+\/[\w.-]+#[0-9]+|seed notes/);
    }
  });

  it.each(excerpts.map((excerpt) => [excerpt.file, excerpt] as const))('recognises %s inside a healthy log', (_file, excerpt) => {
    const half = Math.floor(healthy.length / 2);
    const findings = found([...healthy.slice(0, half), ...excerpt.lines, ...healthy.slice(half)]);
    expect(findings[0]?.pageId, 'the expected page ranks first').toBe(excerpt.expected[0]);
    expect(findings.map((finding) => finding.pageId).sort()).toEqual([...excerpt.expected].sort());
    // The example is a line of the excerpt (cut after 600 characters).
    const example = findings[0]?.example.text.replace(/…$/, '') ?? '';
    expect(excerpt.lines.some((line) => line.startsWith(example))).toBe(true);
  });

  it('recognises a rename the registry could not do, which Go prints with both paths (os.LinkError)', () => {
    const line =
      'time="2024-03-01T10:00:00Z" level=error msg="response completed with error" err.code=unknown err.detail="filesystem: rename /storage/docker/registry/v2/repositories/library/app/_uploads/1b2c/data /storage/docker/registry/v2/blobs/sha256/ab/abcd/data: permission denied" err.message="unknown error"';
    expect(found([...healthy, line]).map((finding) => finding.pageId)).toEqual(['registry-storage-permission-denied']);
  });

  it('names a deleted artifact whose scan never finished as a stuck scan before a stuck replication, which prints the same task-manager message', () => {
    // src/controller/event/handler/internal/artifact.go and src/pkg/task/execution.go at v2.9.0
    const line =
      "2024-07-22T10:15:03Z [ERROR] [/controller/event/handler/internal/artifact.go:307]: failed to delete scan executions of artifact 24533, error: contains executions that aren't in final status, stop the execution first";
    expect(found([...healthy, line]).map((finding) => finding.pageId)).toEqual(['stuck-jobs-scan-gc-retention', 'replication-job-stuck']);
  });

  it('recognises nginx of 1.7 and 1.8, which proxies the portal on port 80, looping while the portal is not up', () => {
    // make/photon/prepare/templates/nginx/nginx.http.conf.jinja at v1.8.0: server portal:80
    const line = '2019/06/13 02:13:25 [emerg] 1#0: host not found in upstream "portal:80" in /etc/nginx/nginx.conf:27';
    expect(found([...healthy, line]).map((finding) => finding.pageId)).toEqual(['compose-startup-log-driver-1514']);
  });

  it('finds nothing in healthy core, registry and jobservice logs', () => {
    expect(found(healthy)).toEqual([]);
  });

  it('finds nothing in logs of other Harbor problems', () => {
    expect(found(fixtureLines('other-problems/harbor-problems.log'))).toEqual([]);
  });
});
