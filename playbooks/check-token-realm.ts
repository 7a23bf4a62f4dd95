// docker login fails behind a proxy, load balancer or NodePort although the portal works
// (content/issues/en/proxy-external-url-token-realm-mismatch.mdx): GET /v2/ at the address clients
// use, read the Bearer realm Harbor announces (src/checks/token-realm.ts), and compare it and the
// configured external URL (harbor.yml, harbor.cfg, the chart's values, core's EXT_ENDPOINT) with
// what clients type. Read-only: it names the setting to change and changes nothing.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { pageSection, planFinding, seeSection, type CheckFinding } from '../src/checks/finding.ts';
import { externalUrlOf, checkTokenRealm as readTokenRealm } from '../src/checks/token-realm.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { refuse } from '../src/playbook/errors.ts';
import { path, url } from '../src/playbook/flags.ts';
import { commandError, runProcess } from '../src/playbook/platform/commands.ts';
import type { Target } from '../src/playbook/platform/targets.ts';
import type { PlanFinding } from '../src/playbook/types.ts';

const READ = pageSection('proxy-external-url-token-realm-mismatch', '1. Read the realm Harbor announces');
const SET = pageSection('proxy-external-url-token-realm-mismatch', '2. Set the external URL to what clients type');

/** Where an external URL was configured, and what sets it. */
export interface ConfiguredUrl {
  /** e.g. "harbor.yml external_url". */
  setting: string;
  value: string;
  /** What to change, in the page's words (step 2). */
  change: string;
}

const COMPOSE_CHANGE = 'set external_url in harbor.yml, then ./prepare, docker compose down, docker compose up -d';
const HELM_CHANGE = 'helm upgrade with --set externalURL=<url> (core rolls)';

/** harbor.yml's public URL as prepare computes it (make/photon/prepare/utils/configs.py, 1.8 to 2.x). */
function harborYmlUrl(config: Record<string, unknown>, file: string): ConfiguredUrl {
  if (typeof config.external_url === 'string' && config.external_url)
    return { setting: `external_url in ${file}`, value: config.external_url, change: COMPOSE_CHANGE };
  if (typeof config.hostname !== 'string') throw refuse(`--config ${file} has neither external_url nor hostname`);
  const port = (section: unknown, fallback: number) => {
    const value = (section as { port?: unknown } | null | undefined)?.port;
    return typeof value === 'number' ? value : fallback;
  };
  const https = config.https !== undefined && config.https !== null;
  const [scheme, number, standard] = https ? ['https', port(config.https, 443), 443] : ['http', port(config.http, 80), 80];
  return {
    setting: `hostname and ${scheme} port in ${file} (no external_url, so prepare builds the URL from them)`,
    value: `${scheme}://${config.hostname}${number === standard ? '' : `:${number}`}`,
    change: COMPOSE_CHANGE,
  };
}

/** The external URL a config file sets: core's env file, harbor.cfg (1.5-1.7), the chart's values or harbor.yml. */
export function configuredUrl(text: string, file: string): ConfiguredUrl {
  const env = /^EXT_ENDPOINT=(.*)$/m.exec(text);
  if (env) return { setting: `EXT_ENDPOINT in ${file} (written by ./prepare)`, value: env[1]!.trim(), change: COMPOSE_CHANGE };
  const cfg = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(\\S+)`, 'm').exec(text)?.[1];
  const hostname = cfg('hostname');
  if (hostname) {
    return {
      setting: `ui_url_protocol and hostname in ${file}`,
      value: `${cfg('ui_url_protocol') ?? 'http'}://${hostname}`,
      change: 'set ui_url_protocol and hostname (with the port) in harbor.cfg, then ./prepare and recreate the containers',
    };
  }
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch {
    config = undefined;
  }
  if (typeof config !== 'object' || config === null) throw refuse(`--config ${file} is not harbor.yml, harbor.cfg, the chart's values or core's env file`);
  const values = config as Record<string, unknown>;
  if (typeof values.externalURL === 'string') return { setting: `externalURL in ${file}`, value: values.externalURL, change: HELM_CHANGE };
  return harborYmlUrl(values, file);
}

/** EXT_ENDPOINT as the running core has it (compose container or k8s deployment); a warning when it cannot be read. */
async function runningUrl(target: Target): Promise<ConfiguredUrl | PlanFinding> {
  const command = target.exec('core', ['printenv', 'EXT_ENDPOINT']);
  const result = await runProcess(command);
  const where = target.where('core');
  if (result.exitCode !== 0 || !result.stdout.trim()) {
    return { level: 'warn', message: `could not read EXT_ENDPOINT of core (${where}): ${commandError(command, result)}` };
  }
  return {
    setting: `EXT_ENDPOINT of the running core (${where})`,
    value: result.stdout.trim(),
    change: target.kind === 'k8s' ? `it is the chart's externalURL: ${HELM_CHANGE}` : `it comes from harbor.yml: ${COMPOSE_CHANGE}`,
  };
}

/** Harbor 2.x core's own address: it announces it as the realm to requests whose Host header names it (v2auth/auth.go). */
function internalCoreHosts(target: Target): string[] {
  const place = target.kubernetes;
  return ['core', ...(place ? [`${place.fullname}-core`, `${place.legacyFullname}-core`] : [])];
}

function comparisons(configured: ConfiguredUrl, expected: string, realmWrong: boolean): CheckFinding[] {
  const value = URL.canParse(configured.value) ? externalUrlOf(new URL(configured.value)) : configured.value;
  if (value !== expected) {
    return [
      {
        level: 'error',
        message: `${configured.setting} is ${configured.value} but clients use ${expected}: ${configured.change.replace('<url>', expected)}`,
        section: SET,
      },
    ];
  }
  if (!realmWrong) return [{ level: 'ok', message: `${configured.setting} is ${configured.value}, what clients use`, section: SET }];
  return [
    {
      level: 'error',
      message: `${configured.setting} already says ${expected}, yet the realm differs: the running Harbor has not taken it up (${configured.change.replace('<url>', expected)}) or the realm comes from another Harbor`,
      section: SET,
    },
  ];
}

export const checkTokenRealm = definePlaybook({
  name: 'check-token-realm',
  title: 'Check the token realm Harbor announces against the URL clients use',
  summary:
    'GETs /v2/ at the address clients use (through your proxy, load balancer or NodePort), reads the Bearer realm of WWW-Authenticate and compares its scheme, host, port and path with the external URL; reads the configured URL from --config (harbor.yml, harbor.cfg, chart values, core env) or the running core (compose, k8s) and names the setting to change, one line per finding. Harbor 1.5 and later; changes nothing.',
  remediates: ['proxy-external-url-token-realm-mismatch'],
  flags: {
    url: url({
      required: true,
      help: 'The registry address exactly as clients use it, port included (what docker login gets).',
      example: 'https://harbor.example.com:8443',
    }),
    'external-url': url({
      help: 'The URL clients should use, when you probe through another address (default: --url).',
      example: 'https://harbor.example.com',
    }),
    config: path({
      help: "harbor.yml, harbor.cfg (1.5-1.7), the chart's values file or core's env file (common/config/core/env): the external URL configured there is compared too.",
      example: 'harbor.yml',
    }),
  },
  targets: ['direct', 'compose', 'k8s'],
  mutates: false,
  requires: [],
  async plan(context) {
    const { values, target } = context;
    for (const name of ['url', 'external-url'] as const) {
      const given = values[name];
      if (given !== undefined && !/^https?:$/.test(new URL(given).protocol)) throw refuse(`--${name} must be an http:// or https:// URL, got ${given}`);
    }
    const expectedUrl = new URL(values['external-url'] ?? values.url);
    const expected = externalUrlOf(expectedUrl.pathname === '/' ? new URL(expectedUrl.origin) : expectedUrl);
    const configured: ConfiguredUrl[] = [];
    const findings: PlanFinding[] = [];
    if (values.config) {
      let text: string;
      try {
        text = readFileSync(values.config, 'utf8');
      } catch (error) {
        throw refuse(`--config ${values.config} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      configured.push(configuredUrl(text, values.config));
    }
    if (target.kind !== 'direct') {
      const running = await runningUrl(target);
      if ('setting' in running) configured.push(running);
      else findings.push(running);
    }
    const report = await readTokenRealm({ url: values.url, expected });
    // No answer is no verdict: not "Nothing to do" (exit 0) but an unreachable host (exit 2).
    if (report.unreachable) throw refuse(`${report.unreachable}; no realm was read, nothing was checked (${seeSection(READ)})`);
    findings.push(...report.findings.map(planFinding));
    const realmWrong = report.findings.some((finding) => finding.level === 'error' && finding.section === SET);
    const realm = report.challenge?.params.realm;
    if (realmWrong && realm && URL.canParse(realm) && internalCoreHosts(target).includes(new URL(realm).hostname)) {
      const message = `the realm ${realm} is Harbor's internal core address, which core announces to requests whose Host header names it: the proxy in front forwards Host: ${new URL(realm).host}; make it pass the host clients use (nginx: proxy_set_header Host $host), the external URL is not the cause`;
      findings.push(planFinding({ level: 'error', message, section: SET }));
    } else {
      for (const source of configured) findings.push(...comparisons(source, expected, realmWrong).map(planFinding));
    }
    if (report.externalUrl) {
      for (const change of report.changes) findings.push({ level: 'info', message: `${change.install}: ${change.commands.join(' ; ')}` });
    }
    return { findings, steps: [], facts: { expected, status: report.status, challenge: report.challenge, configured, externalUrl: report.externalUrl } };
  },
});
