// Finds the tags Harbor 1.x shows as 0 B and cannot delete (content/issues/en/zero-byte-tag-undeletable.mdx): a
// tag the registry lists but cannot serve, because its current/link is missing or holds no
// digest, or names a manifest the repository has no link to or whose blob data is gone, left
// by distribution 2.6.2's delete race. With --apply, each candidate is first confirmed
// broken through the registry (HEAD answers 404), then its tag directory moves into a
// quarantine (never deleted); afterwards the registry must no longer list it and every other
// tag of those repositories must still serve its manifest.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { registryUrlKind } from '../src/playbook/http/api-source.ts';
import { sha256File } from '../src/playbook/run/backup.ts';
import { commandError, commandText, runToFile } from '../src/playbook/platform/commands.ts';
import { definePlaybook } from '../src/playbook/define.ts';
import { fail, incomplete, PlaybookError, refuse } from '../src/playbook/errors.ts';
import { boolean, text, url } from '../src/playbook/flags.ts';
import { harborMajor } from '../src/playbook/http/harbor-ping.ts';
import { pooled } from '../src/playbook/http/pool.ts';
import { checkRepository, httpUrl, printable, REGISTRY_FLAGS, REPOSITORY_PATTERN, type RegistryClient } from '../src/playbook/http/registry-api.ts';
import { checkIsRegistry, scanStorage, STORAGE_FLAGS, type RegistryStorage, type StorageScan, type TagLink } from '../src/playbook/storage/registry-storage.ts';
import type { PlanFinding, Step } from '../src/playbook/types.ts';

interface Dangling extends TagLink {
  reason: string;
  /** Where --apply moves the tag directory. */
  quarantine: string;
}

/** The digests distribution accepts (go-digest: sha256, sha384, sha512). */
const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;

/** repository:tag for output, with any control characters in names from the storage escaped. */
const nameOf = (tag: TagLink) => printable(`${tag.repository}:${tag.tag}`);

function whyDangling(link: TagLink, scan: StorageScan): string | undefined {
  if (link.digest === undefined) return 'the tag directory has no current/link';
  if (!DIGEST.test(link.digest)) return `current/link does not hold a digest (${JSON.stringify(printable(link.digest.slice(0, 80)))})`;
  // distribution finds a manifest through its revision link or, as 2.1.0 wrote them, a _layers link.
  if (!scan.manifestLinks.has(`${link.repository}@${link.digest}`)) return 'the manifest revision link is missing (and no _layers link names the manifest)';
  if (!scan.blobs.has(link.digest)) return 'the manifest blob data is missing';
  return undefined;
}

/**
 * How the registry answers a HEAD of a broken tag: 404, or 500 when current/link holds no
 * digest (distribution fails to parse it; measured on 2.8).
 */
const answersBroken = (tag: Dangling, status: number) => status === 404 || (status === 500 && tag.digest !== undefined && !DIGEST.test(tag.digest));

/**
 * Confirm before change: right before the moves, every candidate must still fail to resolve
 * through the registry. One that answers anything else (200: the registry serves it) refuses
 * the whole apply with nothing moved.
 */
async function confirmBroken(client: RegistryClient, dangling: readonly Dangling[]): Promise<void> {
  const answers = await pooled(dangling, 8, async (tag) => ({ tag, status: (await client.manifest(tag.repository, tag.tag)).status }));
  const served = answers.filter((answer) => !answersBroken(answer.tag, answer.status));
  if (served.length) {
    const which = served.map(({ tag, status }) => `${nameOf(tag)} answered ${status}${status === 200 ? ' (the registry serves it: it is not dangling)' : ''}`);
    throw refuse(
      `HEAD /v2/<repo>/manifests/<tag> right before the move did not confirm every tag broken, so nothing was moved: ${which.join('; ')}. Rerun the dry-run and report the storage layout if a served tag was selected.`,
    );
  }
}

/**
 * After the moves: the registry no longer lists the quarantined tags, and every other tag of
 * those repositories that was healthy still serves the manifest its current/link names. The
 * second part fails if a move took the wrong directory.
 */
async function verifyQuarantine(client: RegistryClient, dangling: readonly Dangling[], healthy: readonly TagLink[]): Promise<string> {
  const repositories = new Set(dangling.map((tag) => tag.repository));
  const problems: string[] = [];
  for (const repository of repositories) {
    const listed = new Set(await client.tags(repository).catch((error: { status?: number }) => (error.status === 404 ? [] : Promise.reject(error))));
    problems.push(...dangling.filter((tag) => tag.repository === repository && listed.has(tag.tag)).map((tag) => `${nameOf(tag)} is still listed`));
  }
  const neighbours = healthy.filter((tag) => repositories.has(tag.repository));
  const answers = await pooled(neighbours, 8, async (tag) => ({ tag, ...(await client.manifest(tag.repository, tag.tag)) }));
  problems.push(
    ...answers
      .filter(({ tag, status, digest }) => status !== 200 || digest !== tag.digest)
      .map(({ tag, status, digest }) => `${nameOf(tag)} no longer serves ${tag.digest} (HEAD answered ${status}${digest ? ` ${digest}` : ''})`),
  );
  if (problems.length) throw fail(`after the moves: ${problems.join('; ')}`);
  return `the registry no longer lists the ${dangling.length} quarantined tag(s), and the ${neighbours.length} other tag(s) of ${repositories.size === 1 ? 'that repository' : 'those repositories'} still serve their manifests`;
}

/** `client` confirms each tag before the move and the result after it; --apply is refused without one. */
function quarantineStep(
  storage: RegistryStorage,
  local: boolean,
  dangling: Dangling[],
  healthy: TagLink[],
  quarantineRoot: string,
  backupPath: (what: string, extension: string) => string,
  client: RegistryClient | undefined,
): Step {
  const parents = [...new Set(dangling.map((tag) => tag.quarantine.slice(0, tag.quarantine.lastIndexOf('/'))))];
  // direct: the quarantine is under --backup-dir on this host; compose/k8s: a tar copy goes
  // to --backup-dir and the directory moves to a quarantine beside the registry's own tree.
  const mkdir = ['mkdir', '-p', ...parents];
  const moves = dangling.map((tag) => ['mv', tag.path, tag.quarantine]);
  const restores = dangling.map((tag) => commandText(storage.command(['mv', tag.quarantine, tag.path])));
  // What the terminal shows: names from the storage escaped (the quarantine record keeps the exact commands).
  const shownRestores = restores.map(printable);
  const tar = storage.command([
    'tar',
    '-C',
    `${storage.v2}/repositories`,
    '-cf',
    '-',
    ...dangling.map((tag) => tag.path.slice(`${storage.v2}/repositories/`.length)),
  ]);
  return {
    description: `move ${dangling.length} dangling tag director${dangling.length === 1 ? 'y' : 'ies'} into the quarantine ${quarantineRoot}`,
    preview: [
      'HEAD /v2/<repo>/manifests/<tag> of each tag first: if any is served, nothing moves',
      ...(local ? [] : [`${commandText(tar)} > ${join(dirname(backupPath('tags', 'tar')), '<time>-dangling-tags-tags.tar')}`]),
      commandText(storage.command(mkdir)),
      ...moves.map((move) => commandText(storage.command(move))),
    ].map(printable),
    expected: dangling.length,
    async backup() {
      const manifest = backupPath('quarantine', 'json');
      writeFileSync(
        manifest,
        JSON.stringify(
          {
            quarantine: quarantineRoot,
            tags: dangling.map(({ repository, tag, digest, reason, path, quarantine }) => ({ repository, tag, digest, reason, path, quarantine })),
            restore: restores,
          },
          null,
          2,
        ) + '\n',
        { mode: 0o600 },
      );
      if (local) return { path: manifest, description: `where each tag goes and how to put it back (${quarantineRoot})`, restore: shownRestores };
      const archive = backupPath('tags', 'tar');
      const result = await runToFile(tar, archive);
      if (result.exitCode !== 0) throw fail(`could not copy the tag directories before moving them: ${commandError(tar, result)}`);
      return {
        path: archive,
        description: `a tar copy of the ${dangling.length} tag directories; restore commands in ${manifest}`,
        sha256: await sha256File(archive),
        restore: shownRestores,
      };
    },
    async execute() {
      // plan() refuses --apply without --registry-url, so the client is there.
      await confirmBroken(client!, dangling);
      await storage.run(mkdir);
      let moved = 0;
      for (const move of moves) {
        try {
          await storage.run(move);
        } catch (error) {
          const why = printable((error as Error).message);
          if (moved === 0) throw fail(`could not move the first tag directory (${why}); nothing was moved`);
          throw incomplete(
            `moved ${moved} of ${moves.length} tag directories, then: ${why}`,
            dangling.slice(0, moved).map((tag) => `${nameOf(tag)} moved to ${printable(tag.quarantine)}`),
            shownRestores.slice(0, moved),
          );
        }
        moved++;
      }
      return {
        changed: moved,
        detail: printable(`${moved} tag director${moved === 1 ? 'y' : 'ies'} quarantined; to restore one: ${restores[0]!}`),
        data: { restore: restores },
      };
    },
    verify: client
      ? () =>
          verifyQuarantine(client, dangling, healthy).catch((error: Error) => {
            throw error instanceof PlaybookError ? error : fail(`the tags were quarantined, but the registry API could not confirm it: ${error.message}`);
          })
      : undefined,
  };
}

/**
 * Which Harbor the storage belongs to: from --harbor-url, or from what answers at
 * --registry-url. `bare` when --registry-url is a registry that says nothing about Harbor.
 */
async function detectHarbor(harborUrl: unknown, client: RegistryClient | undefined): Promise<{ major?: 1 | 2; note?: string; bare?: boolean }> {
  if (typeof harborUrl === 'string') {
    const origin = httpUrl(harborUrl, '--harbor-url').origin;
    const major = await harborMajor(origin);
    if (!major) throw refuse(`no Harbor answers /api/ping or /api/v2.0/ping at ${origin} (--harbor-url)`);
    return { major };
  }
  if (!client) return {};
  const kind = await registryUrlKind(client);
  if (kind.kind === 'harbor') return { major: kind.major };
  if (kind.kind === 'harbor-registry')
    return {
      major: kind.major,
      note: `--registry-url ${client.baseUrl} is Harbor ${kind.major}.x's own registry reached directly (its authentication is the one Harbor configures for it).`,
    };
  return { bare: true };
}

export const danglingTags = definePlaybook({
  name: 'dangling-tags',
  title: 'Quarantine dangling (0 B) tags in registry storage',
  summary:
    'Scans the registry storage for tags the registry lists but cannot serve (no current/link, or a manifest whose link or blob is missing: shown as 0 B and undeletable in Harbor 1.x) and, with --apply, confirms through the registry API that each one still cannot be served, moves its tag directory into a quarantine (never deleted), then checks that the registry no longer lists it and that the other tags still serve.',
  remediates: ['zero-byte-tag-undeletable'],
  flags: {
    ...STORAGE_FLAGS,
    repository: text({
      pattern: REPOSITORY_PATTERN,
      patternHelp: 'a repository name like library/nginx',
      help: 'Only scan this repository.',
      example: 'library/nginx',
    }),
    ...REGISTRY_FLAGS,
    'harbor-url': url({
      help: "Harbor's URL, when --registry-url is the registry itself: its ping tells Harbor 1.x from 2.x (--apply is refused while the Harbor version is unknown).",
      example: 'https://harbor.example.com',
    }),
    'force-storage': boolean({
      help: 'Allow storage changes on Harbor 2.x, where tags live in the database, or when the Harbor version is unknown (not recommended).',
    }),
  },
  targets: ['direct', 'compose', 'k8s'],
  mutates: true,
  requires: ['registry-storage', 'harbor-api'],
  async plan(context) {
    const { values } = context;
    const { storage } = context;
    const repository = values.repository === undefined ? undefined : checkRepository(values.repository);
    await checkIsRegistry(storage);
    if (repository && (await storage.run(['find', `${storage.v2}/repositories/${repository}/_manifests`, '-maxdepth', '0', '-type', 'd'], [1])).trim() === '') {
      throw refuse(`repository ${repository} does not exist in ${storage.description}`);
    }
    const client = values['registry-url'] === undefined ? undefined : await context.api.registry();
    await client?.check();
    const scan = await context.report.spin(`reading tag links, manifest links and blobs in ${storage.description}`, () => scanStorage(storage, repository));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const local = context.target.kind === 'direct';
    const quarantineRoot = local ? join(resolve(context.backupDir), `${stamp}-dangling-tags-quarantine`) : `${storage.root}/harbor-kb-quarantine/${stamp}`;
    const dangling: Dangling[] = [];
    const healthy: TagLink[] = [];
    for (const link of scan.links) {
      const reason = whyDangling(link, scan);
      if (reason) dangling.push({ ...link, reason, quarantine: `${quarantineRoot}/${link.repository}/_manifests/tags/${link.tag}` });
      else healthy.push(link);
    }
    const repositories = new Set(scan.links.map((link) => link.repository)).size;
    const findings: PlanFinding[] = [
      { level: 'info', message: `Scanned ${scan.links.length} tags in ${repositories} repositor${repositories === 1 ? 'y' : 'ies'} (${storage.description}).` },
    ];
    for (const tag of dangling) {
      findings.push({
        level: 'problem',
        message: `${nameOf(tag)} → ${tag.digest ? printable(tag.digest) : '(no digest)'}: ${tag.reason}; the registry lists it but cannot serve it (0 B in Harbor 1.x)`,
        data: { repository: tag.repository, tag: tag.tag, digest: tag.digest, reason: tag.reason },
      });
    }
    const facts = { scanned: scan.links.length, repositories, dangling: dangling.length };
    if (dangling.length === 0) return { findings, steps: [], facts };

    const harbor = await detectHarbor(values['harbor-url'], client);
    if (harbor.note) findings.push({ level: 'info', message: harbor.note });
    const force = values['force-storage'];
    if (harbor.major === 2) {
      const explain =
        'This is Harbor 2.x: tags live in its database (tag and artifact tables), the 2.6.2 delete race that leaves these behind is gone, and moving tag directories can leave Harbor and the registry disagreeing. Delete the artifact through Harbor instead.';
      if (!force) {
        if (context.apply) throw refuse(`${explain} Pass --force-storage to move the directories anyway.`);
        findings.push({ level: 'warn', message: `${explain} --apply is refused without --force-storage.` });
        return { findings, steps: [], facts: { ...facts, harborMajor: 2 } };
      }
      findings.push({ level: 'warn', message: `${explain} Proceeding because of --force-storage.` });
    }
    if (harbor.bare) {
      const explain = `--registry-url ${client!.baseUrl} is a registry, not Harbor (neither /api/ping nor /api/v2.0/ping answers there, and its authentication does not name Harbor), so the Harbor version is unknown; on Harbor 2.x tags live in its database and these directories must not be moved. Pass --harbor-url with Harbor's URL so the version can be checked.`;
      if (!force) {
        if (context.apply) throw refuse(`${explain} (Or --force-storage to move them without knowing.)`);
        findings.push({ level: 'warn', message: `${explain} --apply is refused until then.` });
      } else findings.push({ level: 'warn', message: `${explain} Proceeding because of --force-storage.` });
    }
    if (!client) {
      if (context.apply)
        throw refuse('--apply needs --registry-url, to confirm through the registry API that each tag is broken before it moves and gone afterwards');
      findings.push({
        level: 'warn',
        message:
          "Pass --registry-url (Harbor's URL, or the registry with --harbor-url) so --apply can confirm through the registry API that each tag is broken before it moves and gone afterwards.",
      });
    }
    findings.push({
      level: 'info',
      message: `Afterwards run garbage collection to reclaim the orphaned blobs: Harbor 1.6-1.7 registry garbage-collect /etc/registry/config.yml; 1.8-1.10 from the UI (or registry garbage-collect --delete-untagged=true). Quarantined tags can be put back with the mv commands recorded in the backup dir.`,
    });
    return {
      findings,
      steps: [quarantineStep(storage, local, dangling, healthy, quarantineRoot, (what, extension) => resolve(context.backupPath(what, extension)), client)],
      facts: { ...facts, ...(harbor.major ? { harborMajor: harbor.major } : {}) },
    };
  },
});
