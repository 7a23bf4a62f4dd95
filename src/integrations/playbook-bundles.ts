// Astro integration: after the site is built, write the single-file playbooks into the
// output's playbooks/ directory, where each page's Playbook section links them.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { playbooks } from '../../playbooks/all.ts';
import { buildPlaybookBundles } from '../playbook/bundle/bundle.ts';

export function playbookBundles(): AstroIntegration {
  return {
    name: 'harbor-kb-playbook-bundles',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const written = await buildPlaybookBundles(join(fileURLToPath(dir), 'playbooks'), playbooks);
        logger.info(`wrote ${written.length} playbook bundles`);
      },
    },
  };
}
