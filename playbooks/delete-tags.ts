// The safe way to delete many tags (content/issues/en/zero-byte-tag-undeletable.mdx): Harbor 1.x's UI deletes them
// in parallel, which races in distribution 2.6.2 and leaves 0 B tags behind. This deletes a
// list or a pattern of tags one at a time through Harbor's API (1.x tag route, 2.x artifact
// tag route) or the registry API, retrying transient errors, recording each in a progress
// log so an interrupted run resumes, and verifying at the end that they are gone (and that
// the other tags still resolve). Right before each delete the tag is read again: gone
// already, it is skipped; moved to another digest since the plan, the run stops. Where the
// delete removes the manifest (registry API, Harbor 1.x), the repository is listed again
// too: a tag put on the same digest since the plan stops the run.
import { accessSync, appendFileSync, closeSync, constants, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { registryUrlKind } from '../src/playbook/http/api-source.ts';
import { ensureWritableDir, sha256File } from '../src/playbook/run/backup.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, refuse } from '../src/playbook/errors.ts';
import { exactlyOne, integer, path, text, url } from '../src/playbook/flags.ts';
import { HARBOR_API_FLAGS, jsonList, parseJson, type HarborApi } from '../src/playbook/http/harbor-api.ts';
import { fetchFailure } from '../src/playbook/http/harbor-ping.ts';
import { pooled } from '../src/playbook/http/pool.ts';
import {
  checkRepository,
  globMatcher,
  MANIFEST_ACCEPT,
  printable,
  REGISTRY_FLAGS,
  REPOSITORY_PATTERN,
  type RegistryClient,
} from '../src/playbook/http/registry-api.ts';
import type { PlanFinding, Step } from '../src/playbook/types.ts';

interface TagApi {
  description: string;
  /**
   * Every tag of the repository with its digest; where each digest costs a request, the tags in
   * `unresolved` are left out (they need not be resolved).
   */
  list(unresolved?: ReadonlySet<string>): Promise<Map<string, string>>;
  /** Harbor 1.x and the registry delete the manifest: every tag on that digest goes with it. */
  deletesManifest: boolean;
  request(tag: string, digest: string): { method: 'DELETE'; path: string };
  send(call: { method: 'DELETE'; path: string }): Promise<number>;
  /** The digest the tag points at now, read from the live system; undefined when it is gone. */
  current(tag: string): Promise<string | undefined>;
  /** What to keep so a deleted tag can be put back. */
  keep(tag: string, digest: string): Promise<Record<string, unknown>>;
}

interface HarborTag {
  name: string;
  digest?: string;
}

function registryApi(client: RegistryClient, repository: string): TagApi {
  return {
    description: `registry API at ${client.baseUrl}`,
    deletesManifest: true,
    async list(unresolved) {
      const listed = await client.tags(repository).catch((error: { status?: number }) => (error.status === 404 ? [] : Promise.reject(error)));
      const tags = unresolved ? listed.filter((tag) => !unresolved.has(tag)) : listed;
      const digests = await pooled(tags, 8, async (tag) => (await client.manifest(repository, tag)).digest ?? '');
      return new Map(tags.map((tag, index) => [tag, digests[index]!]));
    },
    request: (_tag, digest) => ({ method: 'DELETE', path: `/v2/${repository}/manifests/${digest}` }),
    send: async (call) => (await client.request(call.method, call.path)).status,
    async current(tag) {
      const answer = await client.manifest(repository, tag);
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new Error(`HEAD /v2/${repository}/manifests/${tag} answered ${answer.status}`);
      return answer.digest ?? '';
    },
    async keep(tag) {
      const response = await client.request('GET', `/v2/${repository}/manifests/${tag}`, { accept: MANIFEST_ACCEPT });
      return {
        mediaType: response.headers.get('content-type'),
        manifest: response.body,
        restore: `PUT ${client.baseUrl}/v2/${repository}/manifests/${tag} with this manifest and content-type`,
      };
    },
  };
}

function harborTagApi(api: HarborApi, major: 1 | 2, repository: string): TagApi {
  const send = async (call: { method: 'DELETE'; path: string }) => (await api.request(call.method, call.path)).status;
  if (major === 1) {
    return {
      description: `Harbor 1.x API at ${api.baseUrl}`,
      deletesManifest: true,
      async list() {
        const response = await api.request('GET', `/repositories/${repository}/tags`, undefined, 120_000);
        if (response.status !== 200)
          throw refuse(
            `listing ${repository} through ${api.baseUrl} answered ${response.status}; on a repository this large use --registry-url (the registry API) instead`,
          );
        return new Map(jsonList<HarborTag>(response.body, `GET /api/repositories/${repository}/tags`).map((tag) => [String(tag.name), tag.digest ?? '']));
      },
      request: (tag) => ({ method: 'DELETE', path: `/repositories/${repository}/tags/${tag}` }),
      send,
      // GET /api/repositories/{repo}/tags/{tag} answers 404 for a missing tag (core/api/repository.go GetTag, 1.10).
      current: (tag) => harborDigest(api, `/repositories/${repository}/tags/${tag}`),
      keep: async () => ({
        restore: 'Harbor 1.x deletes the manifest; push the image again (docker pull by digest from a replica, or rebuild) to restore the tag',
      }),
    };
  }
  const [project, ...rest] = repository.split('/');
  const base = `/projects/${project}/repositories/${encodeURIComponent(encodeURIComponent(rest.join('/')))}/artifacts`;
  return {
    description: `Harbor 2.x API at ${api.baseUrl}`,
    deletesManifest: false,
    async list() {
      const tags = new Map<string, string>();
      for (let page = 1; ; page++) {
        const response = await api.request('GET', `${base}?with_tag=true&page=${page}&page_size=100`);
        if (response.status === 404) return tags;
        if (response.status !== 200) throw refuse(`listing the artifacts of ${repository} answered ${response.status}`);
        const artifacts = jsonList<{ digest: string; tags?: { name: string }[] | null }>(response.body, `GET /api/v2.0${base}`);
        for (const artifact of artifacts) for (const tag of artifact.tags ?? []) tags.set(tag.name, artifact.digest);
        if (artifacts.length < 100) return tags;
      }
    },
    request: (tag, digest) => ({ method: 'DELETE', path: `${base}/${digest}/tags/${tag}` }),
    send,
    current: (tag) => harborDigest(api, `${base}/${tag}`),
    keep: async (tag, digest) => ({ restore: `POST ${api.baseUrl}${base}/${digest}/tags {"name":"${tag}"} (the artifact stays in 2.x)` }),
  };
}

/** The digest of a tag or artifact from Harbor's API (`digest` of the answer), or undefined on 404. */
async function harborDigest(api: HarborApi, path: string): Promise<string | undefined> {
  const response = await api.request('GET', path);
  if (response.status === 404) return undefined;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  const digest = (parseJson(response.body, `GET ${path}`, "Harbor's API") as { digest?: unknown } | null)?.digest;
  return typeof digest === 'string' ? digest : '';
}

const TRANSIENT = new Set([429, 500, 502, 503, 504]);

interface ProgressLine {
  time: string;
  /** Absent in logs written before it was recorded. */
  repository?: string;
  tag: string;
  digest: string;
  outcome: 'deleted' | 'already gone';
  attempts: number;
}

const isProgressLine = (value: unknown): value is ProgressLine =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ProgressLine).tag === 'string' &&
  ['string', 'undefined'].includes(typeof (value as ProgressLine).repository) &&
  ['deleted', 'already gone'].includes((value as ProgressLine).outcome);

/**
 * What earlier runs on `repository` recorded in the progress log. One log can hold several
 * repositories (a/b_c and a_b/c share the default name, or --progress-file given twice): the
 * lines of the others are not this one's. Anything else at that path (another file, say
 * /etc/passwd) is refused without quoting it: its content is not ours to print.
 */
function readProgress(path: string, repository: string): ProgressLine[] {
  if (!existsSync(path)) return [];
  const notOurs = `--progress-file ${path} is not a delete-tags progress log`;
  if (!statSync(path).isFile()) throw refuse(`${notOurs} (not a regular file)`);
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  return lines
    .map((line, index) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (!isProgressLine(parsed)) throw refuse(`${notOurs} (line ${index + 1} is not one of its JSON lines); give a new path or the log an earlier run wrote`);
      return parsed;
    })
    .filter((line) => line.repository === undefined || line.repository === repository);
}

/** Refuses (exit 2) before anything is deleted unless each deletion can be recorded at `path`. */
function checkProgressWritable(path: string, backupDir: string): void {
  const dir = dirname(path);
  try {
    if (existsSync(path)) closeSync(openSync(path, 'a'));
    else {
      if (dir === resolve(backupDir)) ensureWritableDir(dir);
      if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
      accessSync(dir, constants.W_OK);
    }
  } catch (error) {
    throw refuse(
      `--progress-file ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); nothing was deleted. Give a writable path.`,
    );
  }
}

/** Where a deleted tag's way back is written: the backup holds each digest (and, through the registry API, each manifest) with the request that restores it. */
const restoreHint = (backup: string) => `put a deleted tag back with the request recorded for it in ${backup || 'the backup in --backup-dir'}`;

/**
 * A registry API reached at Harbor's own registry bypasses Harbor: on 2.x its database keeps
 * the artifacts and tags (the UI still lists them), on 1.x the tag API also refuses signed
 * images and removes the tag's labels (src/core/api/repository.go Delete, 1.10).
 */
async function bypassWarning(client: RegistryClient): Promise<PlanFinding[]> {
  const kind = await registryUrlKind(client);
  if (kind.kind === 'harbor-registry') {
    const skipped =
      kind.major === 2
        ? 'Harbor 2.x keeps the artifacts and tags in its database and will still list them'
        : "Harbor 1.x's tag API would also refuse signed images and remove the tags' labels";
    return [
      {
        level: 'warn',
        message: `--registry-url ${client.baseUrl} is Harbor ${kind.major}.x's own registry reached directly: deleting here bypasses Harbor's database (${skipped}). Delete through --harbor-url with Harbor's URL instead.`,
      },
    ];
  }
  if (kind.kind === 'registry')
    return [
      {
        level: 'info',
        message: `--registry-url ${client.baseUrl} is a registry, not Harbor: if Harbor sits in front of it, delete through --harbor-url instead, or Harbor's database will not know.`,
      },
    ];
  return [];
}

const TAG_LIST = /[\w][\w.-]{0,127}(,[\w][\w.-]{0,127})*/;

export const deleteTags = definePlaybook({
  name: 'delete-tags',
  title: 'Delete many tags safely, one at a time',
  summary:
    "Deletes a list or a pattern of tags one at a time through Harbor's API (1.x tag route, 2.x artifact tag route) or the registry API, instead of the UI's parallel bulk delete that leaves 0 B tags on Harbor 1.x; reads each tag again right before its delete and stops if it was pushed again since the plan, retries transient errors, keeps a progress log to resume from, and verifies the tags are gone.",
  remediates: ['zero-byte-tag-undeletable'],
  flags: {
    ...REGISTRY_FLAGS,
    'harbor-url': url({ help: "Harbor's URL: delete through its API (password from HARBOR_PASSWORD or a prompt).", example: 'https://harbor.example.com' }),
    'harbor-user': HARBOR_API_FLAGS['harbor-user'],
    repository: text({
      required: true,
      pattern: REPOSITORY_PATTERN,
      patternHelp: 'a repository name like library/nginx',
      help: 'Repository whose tags to delete.',
      example: 'library/nginx',
    }),
    tags: text({ pattern: TAG_LIST, patternHelp: 'a comma-separated list of tags', help: 'Tags to delete, comma-separated.', example: 'v1.0.0,v1.0.1' }),
    pattern: text({
      pattern: /[\w*?][\w*?.-]{0,127}/,
      patternHelp: 'a tag glob like build-* (letters, digits, _ . - * ?)',
      help: 'Delete the tags matching this glob.',
      example: 'build-*',
    }),
    retries: integer({ default: 3, min: 0, max: 10, help: 'Retries per tag on transient errors (429, 5xx, connection errors), with backoff.' }),
    'progress-file': path({ help: 'Progress log (JSON lines) to resume from; default <backup-dir>/delete-tags-<repository>.progress.jsonl.' }),
  },
  groups: [exactlyOne('api', 'registry-url', 'harbor-url'), exactlyOne('selection', 'tags', 'pattern')],
  targets: ['direct'],
  mutates: true,
  requires: ['harbor-api'],
  async plan(context) {
    const { values, report } = context;
    const repository = checkRepository(values.repository);
    const progressFile = resolve(values['progress-file'] ?? join(context.backupDir, `delete-tags-${repository.replaceAll('/', '_')}.progress.jsonl`));
    const done = readProgress(progressFile, repository);
    if (context.apply) checkProgressWritable(progressFile, context.backupDir);
    const doneTags = new Set(done.map((line) => line.tag));
    const source = await context.api.source();
    const api = source.kind === 'harbor' ? harborTagApi(source.api, source.major, repository) : registryApi(source.client, repository);
    const current = await report.spin(`listing the tags of ${repository}`, () => api.list());
    const findings: PlanFinding[] = [{ level: 'info', message: `${repository} has ${current.size} tags (${api.description}).` }];
    if (source.kind === 'registry') findings.push(...(await bypassWarning(source.client)));
    let wanted: string[];
    if (values.tags !== undefined) {
      wanted = [...new Set(values.tags.split(','))];
      const absent = wanted.filter((tag) => !current.has(tag));
      const earlier = absent.filter((tag) => doneTags.has(tag));
      if (earlier.length) findings.push({ level: 'info', message: `Already deleted by an earlier run (${progressFile}): ${printable(earlier.join(', '))}` });
      const unknown = absent.filter((tag) => !doneTags.has(tag));
      if (unknown.length === wanted.length) throw refuse(`none of the tags given exist in ${repository}: ${unknown.join(', ')}`);
      if (unknown.length) findings.push({ level: 'warn', message: `Not in ${repository} (skipped): ${unknown.join(', ')}` });
    } else {
      const matches = globMatcher(values.pattern ?? '');
      wanted = [...current.keys()].filter(matches).sort();
      const earlier = done.filter((line) => matches(line.tag));
      if (wanted.length === 0 && earlier.length === 0) throw refuse(`--pattern ${values.pattern} matches none of the ${current.size} tags of ${repository}`);
      if (earlier.length) findings.push({ level: 'info', message: `${earlier.length} matching tag(s) already deleted by an earlier run (${progressFile}).` });
    }
    const selected = wanted.filter((tag) => current.has(tag));
    const unresolved = source.kind === 'registry' ? selected.filter((tag) => !current.get(tag)) : [];
    if (unresolved.length)
      throw refuse(
        printable(
          `${repository}:${unresolved.join(', ')} listed but not served by the registry (HEAD answers no digest), so there is no manifest to delete: these are dangling tags, see the dangling-tags playbook`,
        ),
      );
    const chosen = new Set(selected);
    if (api.deletesManifest) {
      const shared = selected.flatMap((tag) =>
        [...current].filter(([other, digest]) => !chosen.has(other) && digest && digest === current.get(tag)).map(([other]) => `${tag} (with ${other})`),
      );
      if (shared.length)
        throw refuse(
          `deleting through the ${api.description} removes the manifest, and with it every tag on the same digest: ${printable(shared.join(', '))}. Add those tags to the selection or leave these out.`,
        );
    }
    for (const tag of selected)
      findings.push({
        level: 'problem',
        message: printable(`will delete ${repository}:${tag} (${current.get(tag) || 'digest unknown'})`),
        data: { tag, digest: current.get(tag) },
      });
    if (selected.length === 0) return { findings, steps: [], facts: { progressFile } };

    const { retries } = values;
    let backupPath = '';
    const calls = selected.map((tag) => ({ tag, digest: current.get(tag)!, call: api.request(tag, current.get(tag)!) }));
    const step: Step = {
      description: `delete ${selected.length} tag(s) of ${repository} one at a time`,
      preview: [
        api.deletesManifest
          ? 'each tag and the tags of the repository are read again right before its delete: skipped when already gone, the run stops when it points at another digest than planned or another tag now shares its manifest'
          : 'each tag is read again right before its delete: skipped when already gone, the run stops when it points at another digest than planned',
        ...calls.slice(0, 20).map(({ call }) => printable(`${call.method} ${call.path}`)),
        ...(calls.length > 20 ? [`... and ${calls.length - 20} more`] : []),
        `progress log: ${progressFile}`,
      ],
      expected: selected.length,
      async backup() {
        const path = context.backupPath(repository.replaceAll('/', '_'), 'json');
        const kept = await pooled(calls, 4, async ({ tag, digest }) => ({ tag, digest, ...(await api.keep(tag, digest)) }));
        writeFileSync(path, JSON.stringify({ repository, api: api.description, tags: kept }, null, 2) + '\n', { mode: 0o600 });
        backupPath = path;
        return {
          path,
          description: `the ${selected.length} tags with their digests${api.deletesManifest && api.description.startsWith('registry') ? ' and manifests' : ''}, and how to put each back`,
          sha256: await sha256File(path),
          restore: [restoreHint(path)],
        };
      },
      async execute() {
        const bar = report.progress('deleting tags');
        const deleted: string[] = [];
        // Once a delete happened, any failure is exit 3: what was deleted and where the backup is.
        const stop = (message: string) => {
          bar.finish();
          const text = printable(`${message}. Progress is in ${progressFile}: rerun the same command to resume.`);
          return deleted.length
            ? incomplete(
                text,
                deleted.map((tag) => printable(`${repository}:${tag} deleted`)),
                [restoreHint(backupPath)],
              )
            : fail(text);
        };
        const record = (line: ProgressLine) => {
          try {
            appendFileSync(progressFile, JSON.stringify(line) + '\n');
          } catch (error) {
            throw stop(
              `${repository}:${line.tag} was ${line.outcome}, but the progress log could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
            );
          }
        };
        // The unselected tags on `digest` now. Selected tags are not resolved again here: deleting
        // the manifest removes nothing the selection did not name (each is re-read at its own turn).
        const sharingNow = async (tag: string, digest: string) => {
          const listing = await api.list(chosen).catch((error: unknown) => {
            throw stop(`listing ${repository} again before deleting ${tag} failed (${fetchFailure(error)}); stopped after ${deleted.length} deletion(s)`);
          });
          return [...listing].filter(([other, now]) => !chosen.has(other) && now === digest).map(([other]) => other);
        };
        for (const [index, { tag, digest, call }] of calls.entries()) {
          // Confirm before change: the tag as it is now, right before its delete.
          const now = await api.current(tag).catch((error: unknown) => {
            throw stop(`reading ${repository}:${tag} again before its delete failed (${fetchFailure(error)}); stopped after ${deleted.length} deletion(s)`);
          });
          if (now === undefined) {
            record({ time: new Date().toISOString(), repository, tag, digest, outcome: 'already gone', attempts: 0 });
            bar.update(index + 1, calls.length);
            continue;
          }
          // Deleting the manifest takes every tag on it: a tag put on this digest since the
          // plan (someone tagging the same image) would go too, without a backup.
          const others = api.deletesManifest && digest && now === digest ? await sharingNow(tag, digest) : [];
          const changed =
            digest && now && now !== digest
              ? `${repository}:${tag} now points at ${now}, not ${digest} as planned (pushed again since the plan?)`
              : others.length
                ? `${repository}:${tag}'s manifest ${digest} now also carries ${others.join(', ')} (tagged since the plan?), which deleting it would remove too`
                : undefined;
          if (changed) {
            if (!deleted.length) {
              bar.finish();
              throw refuse(printable(`${changed}; nothing was deleted. Rerun to plan again.`));
            }
            throw stop(`${changed}; stopped before deleting it, after ${deleted.length} deletion(s)`);
          }
          let attempts = 0;
          for (;;) {
            attempts++;
            const status = await api.send(call).catch((error: unknown) => fetchFailure(error));
            if (status === 200 || status === 202 || status === 404) {
              if ((await api.current(tag).catch(() => undefined)) !== undefined) {
                if (status !== 404) deleted.push(tag);
                throw stop(
                  `${call.method} ${call.path} answered ${status}, but ${repository}:${tag} still resolves; stopped after ${deleted.length} deletion(s)`,
                );
              }
              if (status !== 404) deleted.push(tag);
              record({ time: new Date().toISOString(), repository, tag, digest, outcome: status === 404 ? 'already gone' : 'deleted', attempts });
              break;
            }
            if ((typeof status === 'string' || TRANSIENT.has(status)) && attempts <= retries) {
              await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** (attempts - 1)));
              continue;
            }
            throw stop(
              `deleted ${deleted.length} of ${calls.length} tags, then ${call.method} ${call.path} answered ${typeof status === 'string' ? status : `HTTP ${status}`} after ${attempts} attempt(s)`,
            );
          }
          bar.update(index + 1, calls.length);
        }
        bar.finish();
        return { changed: deleted.length, detail: `${deleted.length} tag(s) deleted one at a time; progress in ${progressFile}` };
      },
      async verify() {
        const after = await api.list().catch((error: Error) => {
          throw fail(`the tags were deleted, but listing ${repository} again failed: ${error.message}`);
        });
        const left = selected.filter((tag) => after.has(tag));
        if (left.length) throw fail(`still listed after deletion: ${left.join(', ')}`);
        // A tag moved onto a deleted manifest between the last re-check and the delete went with it.
        const lost = [...current].filter(([tag, digest]) => digest && !chosen.has(tag) && !after.get(tag)).map(([tag]) => tag);
        if (lost.length)
          throw fail(
            printable(`${lost.join(', ')} of ${repository}, not selected, no longer resolve (deleted with a manifest, or by someone else, since the plan)`),
          );
        return `none of the ${selected.length} tags is listed any more; ${after.size} tag(s) remain`;
      },
    };
    if (api.deletesManifest)
      findings.push({
        level: 'info',
        message: 'Afterwards run garbage collection to free the space (Harbor 1.x: from the UI on 1.7+, registry garbage-collect before).',
      });
    return { findings, steps: [step], facts: { progressFile, selected } };
  },
});
