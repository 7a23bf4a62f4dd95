/**
 * Gives the authored H2 sections of an issue page stable anchors (#symptom, #cause,
 * #fix, #prevention) whatever the page's language, and fails the build when a page
 * lacks one or has them out of order, so every page has the same shape.
 */
import path from 'node:path';
import { AUTHORED_SECTIONS, SECTION_HEADINGS, type AuthoredSection } from '../i18n/sections.ts';
import { LANGS, type Lang } from '../schemas/issue.ts';

interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function textOf(node: HastNode): string {
  if (node.type === 'text') return node.value ?? '';
  return (node.children ?? []).map(textOf).join('');
}

function languageOf(filePath: string): Lang | undefined {
  const folder = path.basename(path.dirname(filePath));
  return (LANGS as readonly string[]).includes(folder) ? (folder as Lang) : undefined;
}

export function rehypeSectionAnchors(options: { contentDir: string }) {
  const root = path.resolve(options.contentDir);
  return (tree: HastNode, file: { path?: string }) => {
    const filePath = file.path ? path.resolve(file.path) : '';
    if (!filePath.startsWith(root + path.sep)) return;
    const lang = languageOf(filePath);
    if (!lang) return;
    const sectionByHeading = new Map(
      Object.entries(SECTION_HEADINGS[lang]).map(([section, heading]) => [heading, section as AuthoredSection]),
    );
    const found: AuthoredSection[] = [];
    for (const node of tree.children ?? []) {
      if (node.type !== 'element' || node.tagName !== 'h2') continue;
      const section = sectionByHeading.get(textOf(node).trim());
      if (!section) continue;
      node.properties = { ...node.properties, id: section };
      found.push(section);
    }
    const expected = AUTHORED_SECTIONS.join(', ');
    if (found.join(', ') !== expected) {
      const headings = AUTHORED_SECTIONS.map((s) => `"## ${SECTION_HEADINGS[lang][s]}"`).join(', ');
      throw new Error(
        `${path.relative(process.cwd(), filePath)}: the body must have the sections ${headings} in this order; found ${found.length ? found.join(', ') : 'none'}`,
      );
    }
  };
}
