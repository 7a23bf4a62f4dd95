/**
 * A Markdown (Sätteri hast) plugin for issue pages: gives the authored H2 sections
 * stable anchors (#symptom, #cause, #fix, #prevention) whatever the page's language,
 * and fails the build when a page lacks one or has them out of order, so every page
 * has the same shape and links into any language land on the same section.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTHORED_SECTIONS, SECTION_HEADINGS, type AuthoredSection } from '../i18n/sections.ts';
import { LANGS, type Lang } from '../schemas/issue.ts';

function issuePageLanguage(fileURL: URL | undefined, contentRoot: string): Lang | undefined {
  if (!fileURL) return undefined;
  const file = fileURLToPath(fileURL);
  if (!file.startsWith(contentRoot + path.sep)) return undefined;
  const folder = path.basename(path.dirname(file));
  return (LANGS as readonly string[]).includes(folder) ? (folder as Lang) : undefined;
}

export function sectionAnchors(contentDir: string) {
  const contentRoot = path.resolve(contentDir);
  return ({ fileURL }: { fileURL: URL | undefined }) => {
    const lang = issuePageLanguage(fileURL, contentRoot);
    if (!lang || !fileURL) return null;
    const sectionByHeading = new Map(Object.entries(SECTION_HEADINGS[lang]).map(([section, heading]) => [heading, section as AuthoredSection]));
    const found: AuthoredSection[] = [];
    return {
      name: 'harbor-kb-section-anchors',
      element: {
        filter: ['h2'],
        visit(node: unknown, ctx: { textContent(node: unknown): string; setProperty(node: unknown, key: string, value: unknown): void }) {
          const section = sectionByHeading.get(ctx.textContent(node).trim());
          if (!section) return;
          ctx.setProperty(node, 'id', section);
          found.push(section);
        },
      },
      after() {
        if (found.join() === AUTHORED_SECTIONS.join()) return;
        const expected = AUTHORED_SECTIONS.map((s) => `"## ${SECTION_HEADINGS[lang][s]}"`).join(', ');
        const file = path.relative(process.cwd(), fileURLToPath(fileURL));
        throw new Error(`${file}: the body must have the sections ${expected} in this order; found ${found.join(', ') || 'none'}`);
      },
    };
  };
}
