/** The site's issue pages, read through Astro's content collections, assembled and checked once per build. */
import { getCollection } from 'astro:content';
import { playbooks } from '../../../playbooks/all.ts';
import { assemblePages } from './assemble.ts';

let cached: ReturnType<typeof load> | undefined;

async function load() {
  const [canonical, translations] = await Promise.all([getCollection('issues'), getCollection('translations')]);
  return assemblePages(canonical, translations, playbooks);
}

export function issuePages() {
  cached ??= load();
  return cached;
}
