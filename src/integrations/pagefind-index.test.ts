import { describe, expect, it } from 'vitest';
import { searchableHtml } from './pagefind-index.ts';

const page = (body: string, after: string) =>
  `<article data-pagefind-body><h2 id="errors">Error messages</h2><div class="body"><h2 id="symptom">Symptom</h2><p>core fails</p>${body}</div>${after}</article>`;

describe('searchableHtml', () => {
  it('leaves out Fix and Prevention, keeping the body closed and what follows it', () => {
    const html = page('<h2 id="fix">Fix</h2><ol><li>restore the backup</li></ol><h2 id="prevention">Prevention</h2><p>back up first</p>', '<section aria-labelledby="references"><a href="x">#1</a></section>');
    const kept = searchableHtml(html);
    expect(kept).toContain('<p>core fails</p></div><section aria-labelledby="references">');
    expect(kept).not.toContain('restore the backup');
    expect(kept).not.toContain('back up first');
  });

  it('stops at the Playbook section when a page has one', () => {
    const html = page('<h2 id="fix">Fix</h2><p>steps</p>', '<section aria-labelledby="playbook" class="playbooks">run it</section>');
    expect(searchableHtml(html)).toContain('</div><section aria-labelledby="playbook"');
    expect(searchableHtml(html)).not.toContain('steps');
  });

  it('leaves pages without a Fix section as they are', () => {
    const html = '<main><h1>Page not found</h1></main>';
    expect(searchableHtml(html)).toBe(html);
  });
});
