// Polls a manifest until the registry serves it (content/issues/en/replication-manifest-404-race.mdx): distribution
// announces a push before it writes the tag link, so Harbor 1.6 and earlier pulled too soon
// and failed replication with "404 tag unknown". Says how long readiness took and whether
// the waits Harbor added in 1.7 and 1.9 would have covered it.
import { fail } from '../src/playbook/errors.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { duration, text } from '../src/playbook/flags.ts';
import { checkRepository, REGISTRY_FLAGS_REQUIRED, RegistryUnansweredError, REPOSITORY_PATTERN, TAG_PATTERN } from '../src/playbook/http/registry-api.ts';
import type { PlanFinding } from '../src/playbook/types.ts';

/** Harbor's own waits in the notification handler before it gives up on a pushed manifest. */
const HARBOR_WAITS = [
  { releases: '1.7-1.8', totalMs: 750 }, // 5 HEAD checks, sleeping 50 ms doubling between them (PR #6223, #8162)
  { releases: '1.9-1.10', totalMs: 5155 }, // 6 HEAD checks, sleeping 80, 200, 500, 1250, 3125 ms
];

const EXPLAIN =
  'distribution sends the push notification before it writes the tag link (distribution#2625), so a reader acting on the notification can get 404 MANIFEST_UNKNOWN. Harbor 1.6 and earlier pulled at once; 1.7.0 waits up to 5 HEAD checks (about 0.75 s) and 1.9.0 up to 6 (about 5 s) before logging "Manifest for image ... is not ready, skip the follow up actions"; 2.0 removed the race (core proxies the push and acts only after the registry answered 201). Retry the replication, or upgrade.';

export const manifestReady = definePlaybook({
  name: 'manifest-ready',
  title: 'Wait until a pushed manifest is ready',
  summary:
    'Polls HEAD /v2/<repo>/manifests/<tag> with backoff until the registry serves it or --timeout passes, reports how long readiness took, and explains the notification race behind "404 tag unknown" and the Harbor releases that wait for it.',
  remediates: ['replication-manifest-404-race'],
  flags: {
    ...REGISTRY_FLAGS_REQUIRED,
    repository: text({
      required: true,
      pattern: REPOSITORY_PATTERN,
      patternHelp: 'a repository name like library/nginx',
      help: 'Repository of the manifest.',
      example: 'library/nginx',
    }),
    tag: text({
      required: true,
      pattern: TAG_PATTERN,
      // The race is in the tag link, written after the manifest is reachable by digest: a digest would not show it.
      patternHelp: 'a tag (letters, digits, _ . -; up to 128), not a digest',
      help: 'Tag to wait for (a tag, not a digest: the race is in the tag link).',
      example: 'v1.2.3',
    }),
    timeout: duration({ default: 30, min: 1, max: 3600, help: 'Give up after this long.' }),
  },
  targets: ['direct'],
  mutates: false,
  requires: ['harbor-api'],
  async plan(context) {
    const { values, report } = context;
    const repository = checkRepository(values.repository);
    const { tag } = values;
    const client = await context.api.registry();
    await client.check();
    const timeoutMs = values.timeout * 1000;
    const started = performance.now();
    let delay = 50;
    let tries = 0;
    let last = 0;
    const progress = report.progress(`waiting for ${repository}:${tag}`);
    for (;;) {
      tries++;
      const answer = await client.manifest(repository, tag, Math.max(1000, timeoutMs)).catch((error: unknown) => {
        // A HEAD the registry holds past --timeout is this playbook's own timeout, not an unreachable registry.
        if (error instanceof RegistryUnansweredError && error.timedOut) return { status: 0, digest: undefined, unanswered: error.message };
        throw error;
      });
      if ('unanswered' in answer) {
        progress.finish();
        throw fail(`${repository}:${tag} was not ready after ${values.timeout} s (${tries} HEAD requests; the last, ${answer.unanswered}). ${EXPLAIN}`);
      }
      last = answer.status;
      const elapsed = performance.now() - started;
      progress.update(Math.round(elapsed / 1000));
      if (answer.status === 200) {
        progress.finish();
        const findings: PlanFinding[] = [
          {
            level: 'info',
            message: `${repository}:${tag} is ready (${answer.digest ?? 'no digest header'}) after ${Math.round(elapsed)} ms and ${tries} HEAD request(s).`,
          },
        ];
        for (const wait of HARBOR_WAITS) {
          const covered = tries === 1 || elapsed <= wait.totalMs;
          findings.push({
            level: covered ? 'info' : 'warn',
            message: `Harbor ${wait.releases} waits up to ${wait.totalMs} ms: ${covered ? 'enough for this push' : 'too short for this push; it would have skipped the follow-up (replication, scan)'}.`,
          });
        }
        findings.push({ level: 'info', message: EXPLAIN });
        return { findings, steps: [], facts: { repository, tag, digest: answer.digest, readyMs: Math.round(elapsed), tries } };
      }
      if (answer.status !== 404)
        throw fail(`HEAD /v2/${repository}/manifests/${tag} answered ${answer.status}; only 200 (ready) and 404 (not yet) are expected`);
      if (elapsed + delay > timeoutMs) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 2000);
    }
    progress.finish();
    throw fail(
      `${repository}:${tag} was not ready after ${values.timeout} s (${tries} HEAD requests, last answer ${last}). Check the tag was pushed to this registry. ${EXPLAIN}`,
    );
  },
});
