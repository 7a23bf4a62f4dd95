// "failed to get key admiral_url, error: the configure value is not set"
// (content/issues/en/admiral-url-not-set.mdx): Harbor 1.8 core looks ADMIRAL_URL up on every request, and charts 1.1.x leave
// it out of the core configmap. Harmless; on k8s the fix is ADMIRAL_URL=NA and a core restart.
import { writeFileSync } from 'node:fs';
import { sha256File } from '../src/playbook/run/backup.ts';
import { commandError, commandText, runProcess } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, refuse } from '../src/playbook/errors.ts';
import { CORE_CONTAINER_FLAGS } from '../src/playbook/platform/targets.ts';
import { redactEnvEntry } from '../src/playbook/secrets.ts';
import type { PlanFinding, RunContext } from '../src/playbook/types.ts';

const EXPLAIN =
  'The message is harmless: core reads ADMIRAL_URL for every request and only logs that it is absent. Chart 1.0.x (Harbor 1.7) set ADMIRAL_URL: "NA" in the adminserver configmap; charts 1.1.x (Harbor 1.8) dropped it when adminserver went away; chart 1.2.0 (Harbor 1.9.0) put it back in the core configmap (harbor-helm #245); Harbor 1.10.0 logs it only at debug level (#9852).';

interface ConfigMap {
  data?: Record<string, string>;
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

export const admiralUrl = definePlaybook({
  name: 'admiral-url',
  title: 'Silence "failed to get key admiral_url"',
  summary:
    "k8s: reads the core configmap and, when ADMIRAL_URL is missing, patches it to NA and restarts core (--apply, configmap backed up first); compose: shows the core container's environment. Explains why the message is harmless and which chart and Harbor releases changed it.",
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
    const configMap = await k.getJson<ConfigMap>('configmap', name);
    const findings: PlanFinding[] = [];
    if (configMap.data && 'ADMIRAL_URL' in configMap.data) {
      findings.push(
        {
          level: 'info',
          message: `configmap ${name} has ADMIRAL_URL=${JSON.stringify(configMap.data.ADMIRAL_URL)}: core does not log the message from this configmap.`,
        },
        { level: 'info', message: EXPLAIN },
      );
      return { findings, steps: [], facts: { configMap: name, admiralUrl: configMap.data.ADMIRAL_URL } };
    }
    findings.push(
      { level: 'problem', message: `configmap ${name} has no ADMIRAL_URL, so core logs "failed to get key admiral_url" on every request.` },
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
      facts: { configMap: name },
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
