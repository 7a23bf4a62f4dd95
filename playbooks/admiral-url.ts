// "failed to get key admiral_url, error: the configure value is not set"
// (content/issues/en/admiral-url-not-set.mdx): Harbor 1.8 core looks ADMIRAL_URL up on every request, and charts 1.1.x leave
// it out of the core configmap. Harmless; on k8s the fix is ADMIRAL_URL=NA and a core restart.
import { writeFileSync } from 'node:fs';
import { sha256File } from '../src/playbook/run/backup.ts';
import { commandError, commandText, runProcess } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { version } from '../src/playbook/flags.ts';
import { parseHarborVersion, releaseOf, type HarborVersion } from '../src/lib/harbor/version.ts';
import { CORE_CONTAINER_FLAGS } from '../src/playbook/platform/targets.ts';
import { redactEnvEntry } from '../src/playbook/secrets.ts';
import type { Kube } from '../src/playbook/platform/kube.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';

const EXPLAIN =
  'The message is harmless: core reads ADMIRAL_URL for every request and only logs that it is absent. Chart 1.0.x (Harbor 1.7) set ADMIRAL_URL: "NA" in the adminserver configmap; charts 1.1.x (Harbor 1.8) dropped it when adminserver went away; chart 1.2.0 (Harbor 1.9.0) put it back in the core configmap (harbor-helm #245); Harbor 1.10.0 logs it only at debug level (#9852).';

interface ConfigMap {
  data?: Record<string, string>;
}

interface Deployment {
  spec?: { template?: { spec?: { containers?: { name: string; image?: string }[] } } };
}

/** The Harbor release an image tag names (goharbor/harbor-core:v1.8.0), or undefined (a digest, a tag of one's own). */
export function imageRelease(image: string): HarborVersion | undefined {
  const name = image.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  // A colon before the last slash is a registry's port, not a tag.
  if (colon < 0 || colon < name.lastIndexOf('/')) return undefined;
  const release = parseHarborVersion(name.slice(colon + 1));
  return release?.patch === undefined ? undefined : release;
}

/**
 * Core reads ADMIRAL_URL from its environment from 1.8.0 (src/common/config/metadata/metadatalist.go,
 * EnvKey "ADMIRAL_URL") through 1.10.x; 1.7 read it from adminserver, and 2.0.0 dropped the key.
 * It logs a missing key at ERROR up to 1.9.2 and at DEBUG from 1.9.3 (src/common/config/manager.go).
 */
function refuseUnreadRelease(release: HarborVersion, seen: string): void {
  if (release.major === 1 && release.minor < 8)
    throw refuse(
      `${seen} is Harbor ${releaseOf(release)}: its core reads ADMIRAL_URL from adminserver's configuration (chart 1.0.x sets it in the adminserver configmap), not from the core configmap this playbook patches. Nothing changed.`,
    );
  if (release.major > 1)
    throw refuse(
      `${seen} is Harbor ${releaseOf(release)}: core reads no ADMIRAL_URL from 2.0.0 on, so patching its configmap changes nothing; "failed to get key admiral_url" comes from a 1.8-1.10 core elsewhere. Nothing changed.`,
    );
}

/** `docker inspect --format {{json .Config.Env}}`: a list of NAME=value strings, or a refusal. */
function parseEnv(stdout: string, container: string): string[] {
  let env: unknown;
  try {
    env = JSON.parse(stdout);
  } catch {
    env = undefined;
  }
  if (!Array.isArray(env) || !env.every((entry) => typeof entry === 'string'))
    throw refuse(`docker inspect did not answer with the environment of ${container} (a list of NAME=value)`);
  return env;
}

const FLAGS = {
  ...CORE_CONTAINER_FLAGS,
  'harbor-version': version({
    help: "k8s: the Harbor release core runs, when the core image's tag does not say it (a digest, a tag of your own); otherwise read from that tag.",
    example: '1.8.6',
  }),
};

async function composePlan(context: RunContext<typeof FLAGS, 'kubernetes'>): Promise<PlanFinding[]> {
  const container = context.values['core-container'];
  const inspect = { argv: ['docker', 'inspect', '--format', '{{json .Config.Env}}', container] };
  const result = await runProcess(inspect);
  if (result.exitCode !== 0) throw refuse(`cannot inspect the core container: ${commandError(inspect, result)} (check --core-container)`);
  const env = parseEnv(result.stdout, container);
  const entry = env.find((line) => line.startsWith('ADMIRAL_URL='));
  context.report.info(`${container} environment (${commandText(inspect)}), secrets masked:`);
  // Masked by name (EMAIL_PWD, GITHUB_TOKEN, CORE_SECRET, ...) and by format (_REDIS_URL's password field, URL userinfo).
  for (const line of env) context.report.info(`  ${redactEnvEntry(line)}`);
  return entry
    ? [
        {
          level: 'info',
          message: `${container} has ${entry}: core finds the key and does not log the message. If you still see it, it comes from another Harbor (k8s) or an older core image.`,
        },
      ]
    : [
        {
          level: 'problem',
          message: `${container} has no ADMIRAL_URL: add ADMIRAL_URL=NA to common/config/core/env (harbor.yml installs: rerun ./prepare), then docker compose up -d.`,
        },
      ];
}

/** The release the core deployment's image names; a refusal when it names none. */
async function coreRelease(k: Kube, name: string): Promise<HarborVersion> {
  const deployment = await k.getJson<Deployment>('deployment', name);
  const image = deployment.spec?.template?.spec?.containers?.find((container) => container.name === 'core')?.image;
  if (!image) throw refuse(`deployment ${name} has no container named core with an image: is it Harbor's core?`);
  const release = imageRelease(image);
  if (!release) throw refuse(`the core image ${image} does not name a Harbor release in its tag: pass --harbor-version (e.g. 1.8.6)`);
  return release;
}

export const admiralUrl = definePlaybook({
  name: 'admiral-url',
  title: 'Silence "failed to get key admiral_url"',
  summary:
    "k8s: reads the Harbor release from the core image (refusing releases whose core does not read ADMIRAL_URL: before 1.8, from 2.0) and the core configmap and, when ADMIRAL_URL is missing, patches it to NA and restarts core (--apply; the configmap is read again and backed up right before the patch); compose: shows the core container's environment. Explains why the message is harmless and which chart and Harbor releases changed it.",
  remediates: ['admiral-url-not-set'],
  flags: FLAGS,
  targets: ['k8s', 'compose'],
  mutates: true,
  requires: ['kubernetes'],
  async plan(context) {
    const { kube: k } = context;
    // Without a k8s target there is no Kubernetes to reach: compose.
    if (!k) {
      const findings = await composePlan(context);
      findings.push({ level: 'info', message: EXPLAIN });
      return { findings, steps: [] };
    }
    // Chart 1.1.x predates chart 1.7.0's rule: its objects are always <release>-harbor-* (a release
    // named "harbor" has harbor-harbor-core), harbor-helm templates/_helpers.tpl at v1.1.0.
    const name = `${k.legacyFullname}-core`;
    const given = context.values['harbor-version'];
    const release = (given === undefined ? undefined : parseHarborVersion(given)) ?? (await coreRelease(k, name));
    refuseUnreadRelease(release, given === undefined ? `core (deployment ${name})` : `--harbor-version ${given}`);
    const debugOnly = release.minor > 9 || (release.minor === 9 && (release.patch ?? 0) >= 3);
    const configMap = await k.getJson<ConfigMap>('configmap', name);
    const findings: PlanFinding[] = [{ level: 'info', message: `core runs Harbor ${releaseOf(release)}, which reads ADMIRAL_URL from its environment.` }];
    if (configMap.data && 'ADMIRAL_URL' in configMap.data) {
      findings.push(
        {
          level: 'info',
          message: `configmap ${name} has ADMIRAL_URL=${JSON.stringify(configMap.data.ADMIRAL_URL)}: core does not log the message from this configmap.`,
        },
        { level: 'info', message: EXPLAIN },
      );
      return { findings, steps: [], facts: { configMap: name, harbor: releaseOf(release), admiralUrl: configMap.data.ADMIRAL_URL } };
    }
    findings.push(
      {
        level: 'problem',
        message: debugOnly
          ? `configmap ${name} has no ADMIRAL_URL; Harbor ${releaseOf(release)} logs "failed to get key admiral_url" only at DEBUG level (LOG_LEVEL=debug), on every request.`
          : `configmap ${name} has no ADMIRAL_URL, so core logs "failed to get key admiral_url" on every request.`,
      },
      { level: 'info', message: EXPLAIN },
      { level: 'info', message: 'A helm upgrade of the same chart removes the patch again; upgrading to chart 1.2.0+ (Harbor 1.9) fixes it for good.' },
    );
    const patch = k.kubectl(['patch', 'configmap', name, '--type', 'merge', '-p', JSON.stringify({ data: { ADMIRAL_URL: 'NA' } })]);
    // The exact inverse: the key was absent before.
    const unpatch = k.kubectl(['patch', 'configmap', name, '--type', 'json', '-p', JSON.stringify([{ op: 'remove', path: '/data/ADMIRAL_URL' }])]);
    const restart = k.kubectl(['rollout', 'restart', `deployment/${name}`]);
    const status = k.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=300s']);
    return {
      findings,
      facts: { configMap: name, harbor: releaseOf(release) },
      steps: [
        {
          description: `set ADMIRAL_URL=NA in configmap ${name}`,
          preview: [commandText(patch)],
          expected: 1,
          async backup() {
            // Right before the patch: the configmap as it is now, not as the plan read it before the
            // confirmation. A key set meanwhile (an Admiral address, a helm upgrade to chart 1.2) would be
            // overwritten with NA, and the inverse patch below would then delete it.
            const live = await k.getJson<ConfigMap>('configmap', name);
            if (live.data && 'ADMIRAL_URL' in live.data)
              throw refuse(
                `configmap ${name} has ADMIRAL_URL now (${JSON.stringify(live.data.ADMIRAL_URL)}), set after the plan read it: nothing changed. Run again to see the new state.`,
              );
            const path = context.backupPath(name, 'json');
            writeFileSync(path, JSON.stringify(live, null, 2) + '\n', { mode: 0o600 });
            return { path, description: `configmap ${name} as it was`, sha256: await sha256File(path), restore: [commandText(unpatch)] };
          },
          async execute() {
            await k.run(patch);
            return { changed: 1, detail: `configmap ${name} patched` };
          },
          async verify() {
            const after = await k.getJson<ConfigMap>('configmap', name);
            if (after.data?.ADMIRAL_URL !== 'NA') throw fail(`configmap ${name} still has no ADMIRAL_URL=NA after the patch`);
            return `configmap ${name} has ADMIRAL_URL=NA`;
          },
        },
        {
          description: `restart core so it reads the configmap (deployment/${name})`,
          preview: [commandText(restart), commandText(status)],
          async execute() {
            await k.run(restart);
            return { changed: 1, detail: `deployment/${name} restarted` };
          },
          async verify() {
            await k.run(status);
            return `deployment/${name} rolled out`;
          },
        },
      ],
    };
  },
});
