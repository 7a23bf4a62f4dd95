// Finds the tags Harbor 1.x shows as 0 B and cannot delete (research sheet section 6): a
// tag whose current/link names a manifest whose revision link or blob data is gone, left by
// distribution 2.6.2's delete race. With --apply each such tag directory moves into a
// quarantine (never deleted), and the registry API confirms the tag is no longer listed.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backupFileName, sha256File } from '../src/playbook/backup.ts';
import { commandError, commandText, runToFile } from '../src/playbook/commands.ts';
import { fail, PlaybookError, refuse } from '../src/playbook/errors.ts';
import { harborMajor } from '../src/playbook/harbor-ping.ts';
import { checkRepository, REGISTRY_PARAMETERS, REPOSITORY_PATTERN, registryClient, type RegistryClient } from '../src/playbook/registry-client.ts';
import { checkIsRegistry, registryStorage, scanStorage, STORAGE_PARAMETERS, type RegistryStorage, type TagLink } from '../src/playbook/registry-storage.ts';
import type { Finding, Playbook, Step } from '../src/playbook/types.ts';

interface Dangling extends TagLink {
  reason: string;
  /** Where --apply moves the tag directory. */
  quarantine: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

function whyDangling(link: TagLink, revisions: Set<string>, blobs: Set<string>): string | undefined {
  if (!DIGEST.test(link.digest)) return `current/link does not hold a digest (${JSON.stringify(link.digest.slice(0, 80))})`;
  if (!revisions.has(`${link.repository}@${link.digest}`)) return 'the manifest revision link is missing';
  if (!blobs.has(link.digest)) return 'the manifest blob data is missing';
  return undefined;
}

async function confirmUnlisted(client: RegistryClient, dangling: readonly Dangling[]): Promise<string> {
  const byRepository = Map.groupBy(dangling, (tag) => tag.repository);
  for (const [repository, tags] of byRepository) {
    const listed = new Set(await client.tags(repository).catch((error: { status?: number }) => (error.status === 404 ? [] : Promise.reject(error))));
    const still = tags.filter((tag) => listed.has(tag.tag));
    if (still.length) throw fail(`the registry still lists ${repository}:${still.map((tag) => tag.tag).join(', ')}`);
  }
  return `the registry no longer lists the ${dangling.length} quarantined tag(s) (GET /v2/<repo>/tags/list)`;
}

/** `client` confirms the result through the registry API; --apply is refused without one. */
function quarantineStep(storage: RegistryStorage, local: boolean, dangling: Dangling[], quarantineRoot: string, backupDir: string, client: RegistryClient | undefined): Step {
  const parents = [...new Set(dangling.map((tag) => tag.quarantine.slice(0, tag.quarantine.lastIndexOf('/'))))];
  // direct: the quarantine is under --backup-dir on this host; compose/k8s: a tar copy goes
  // to --backup-dir and the directory moves to a quarantine beside the registry's own tree.
  const mkdir = ['mkdir', '-p', ...parents];
  const moves = dangling.map((tag) => ['mv', tag.path, tag.quarantine]);
  const restores = dangling.map((tag) => storage.command(['mv', tag.quarantine, tag.path]));
  const tar = storage.command(['tar', '-C', `${storage.v2}/repositories`, '-cf', '-', ...dangling.map((tag) => tag.path.slice(`${storage.v2}/repositories/`.length))]);
  return {
    description: `move ${dangling.length} dangling tag director${dangling.length === 1 ? 'y' : 'ies'} into the quarantine ${quarantineRoot}`,
    preview: [...(local ? [] : [`${commandText(tar)} > ${join(backupDir, '<time>-dangling-tags-tags.tar')}`]), commandText(storage.command(mkdir)), ...moves.map((move) => commandText(storage.command(move)))],
    expected: dangling.length,
    async backup() {
      const manifest = join(backupDir, backupFileName('dangling-tags', 'quarantine', 'json'));
      writeFileSync(manifest, JSON.stringify({ quarantine: quarantineRoot, tags: dangling.map(({ repository, tag, digest, reason, path, quarantine }) => ({ repository, tag, digest, reason, path, quarantine })), restore: restores.map(commandText) }, null, 2) + '\n', { mode: 0o600 });
      if (local) return { path: manifest, description: `where each tag goes and how to put it back (${quarantineRoot})` };
      const archive = join(backupDir, backupFileName('dangling-tags', 'tags', 'tar'));
      const result = await runToFile(tar, archive);
      if (result.exitCode !== 0) throw fail(`could not copy the tag directories before moving them: ${commandError(tar, result)}`);
      return { path: archive, description: `a tar copy of the ${dangling.length} tag directories; restore commands in ${manifest}`, sha256: await sha256File(archive) };
    },
    async execute() {
      await storage.run(mkdir);
      let moved = 0;
      for (const move of moves) {
        await storage.run(move).catch((error: Error) => {
          throw fail(`moved ${moved} of ${moves.length} tag directories, then: ${error.message}. Each move is recorded with its restore command in ${backupDir}; rerun to continue.`);
        });
        moved++;
      }
      return { changed: moved, detail: `${moved} tag director${moved === 1 ? 'y' : 'ies'} quarantined; to restore one: ${commandText(restores[0]!)}`, data: { restore: restores.map(commandText) } };
    },
    verify: client
      ? () =>
          confirmUnlisted(client, dangling).catch((error: Error) => {
            throw error instanceof PlaybookError ? error : fail(`the tags were quarantined, but the registry API could not confirm it: ${error.message}`);
          })
      : undefined,
  };
}

export const danglingTags: Playbook = {
  name: 'dangling-tags',
  title: 'Quarantine dangling (0 B) tags in registry storage',
  summary:
    'Scans the registry storage for tags whose manifest revision link or blob is missing (shown as 0 B and undeletable in Harbor 1.x) and, with --apply, moves each such tag directory into a quarantine (never deleted), then confirms through the registry API that the tag is gone.',
  remediates: ['zero-byte-tag-undeletable'],
  parameters: [
    ...STORAGE_PARAMETERS,
    { name: 'repository', type: 'string', pattern: REPOSITORY_PATTERN, patternHelp: 'a repository name like library/nginx', help: 'Only scan this repository.', example: 'library/nginx' },
    ...REGISTRY_PARAMETERS,
    { name: 'force-storage', type: 'boolean', default: false, help: 'Allow storage changes on Harbor 2.x, where tags live in the database (not recommended).' },
  ],
  targets: ['direct', 'compose', 'k8s'],
  mutates: true,
  requires: ['registry-storage'],
  async plan(context) {
    const { values } = context;
    const storage = registryStorage(context.target, values);
    const repository = values.repository === undefined ? undefined : checkRepository(String(values.repository));
    await checkIsRegistry(storage);
    if (repository && (await storage.run(['find', `${storage.v2}/repositories/${repository}/_manifests`, '-maxdepth', '0', '-type', 'd'], [1])).trim() === '') {
      throw refuse(`repository ${repository} does not exist in ${storage.description}`);
    }
    const client = await registryClient(values);
    await client?.check();
    const { links, revisions, blobs } = await context.report.spin(`reading tag links, manifest revisions and blobs in ${storage.description}`, () => scanStorage(storage, repository));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const local = context.target.kind === 'direct';
    const quarantineRoot = local ? join(resolve(context.backupDir), `${stamp}-dangling-tags-quarantine`) : `${storage.root}/harbor-kb-quarantine/${stamp}`;
    const dangling: Dangling[] = [];
    for (const link of links) {
      const reason = whyDangling(link, revisions, blobs);
      if (reason) dangling.push({ ...link, reason, quarantine: `${quarantineRoot}/${link.repository}/_manifests/tags/${link.tag}` });
    }
    const repositories = new Set(links.map((link) => link.repository)).size;
    const findings: Finding[] = [{ level: 'info', message: `Scanned ${links.length} tags in ${repositories} repositor${repositories === 1 ? 'y' : 'ies'} (${storage.description}).` }];
    for (const tag of dangling) {
      findings.push({ level: 'problem', message: `${tag.repository}:${tag.tag} → ${tag.digest || '(no digest)'}: ${tag.reason}; the registry lists it but cannot serve it (0 B in Harbor 1.x)`, data: { repository: tag.repository, tag: tag.tag, digest: tag.digest, reason: tag.reason } });
    }
    const facts = { scanned: links.length, repositories, dangling: dangling.length };
    if (dangling.length === 0) return { findings, steps: [], facts };

    const major = client ? await harborMajor(new URL(client.baseUrl).origin) : undefined;
    if (major === 2) {
      const explain = 'This is Harbor 2.x: tags live in its database (tag and artifact tables), the 2.6.2 delete race that leaves these behind is gone, and moving tag directories can leave Harbor and the registry disagreeing. Delete the artifact through Harbor instead.';
      if (!values['force-storage']) {
        if (context.apply) throw refuse(`${explain} Pass --force-storage to move the directories anyway.`);
        findings.push({ level: 'warn', message: `${explain} --apply is refused without --force-storage.` });
        return { findings, steps: [], facts: { ...facts, harborMajor: 2 } };
      }
      findings.push({ level: 'warn', message: `${explain} Proceeding because of --force-storage.` });
    }
    if (!client) {
      if (context.apply) throw refuse('--apply needs --registry-url, to confirm through the registry API that each quarantined tag is gone from tags/list');
      findings.push({ level: 'warn', message: 'Pass --registry-url (the registry or Harbor URL) so --apply can confirm through the registry API that the tags are gone.' });
    }
    findings.push({ level: 'info', message: `Afterwards run garbage collection to reclaim the orphaned blobs: Harbor 1.6-1.7 registry garbage-collect /etc/registry/config.yml; 1.8-1.10 from the UI (or registry garbage-collect --delete-untagged=true). Quarantined tags can be put back with the mv commands recorded in the backup dir.` });
    return { findings, steps: [quarantineStep(storage, local, dangling, quarantineRoot, resolve(context.backupDir), client)], facts };
  },
};
