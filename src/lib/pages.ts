/** The site's issue pages, assembled and checked once per build. */
import { getCollection } from 'astro:content';
import { assemblePages } from './assemble-pages.ts';

const knownPlaybooks: ReadonlySet<string> = new Set();

let cached: ReturnType<typeof load> | undefined;

async function load() {
  const [canonical, translations] = await Promise.all([getCollection('issues'), getCollection('translations')]);
  return assemblePages(canonical, translations, knownPlaybooks);
}

export function issuePages() {
  cached ??= load();
  return cached;
}
