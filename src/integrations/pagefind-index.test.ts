import { describe, expect, it } from 'vitest';
import { ABOUT_END_WORD, ERROR_LINES_WORD } from '../search/fragment-pages.ts';
import { searchableHtml } from './pagefind-index.ts';

const page = (body: string, after: string) =>
  `<article data-pagefind-body><h2 id="errors">Error messages</h2><div class="body"><h2 id="symptom">Symptom</h2><p>core fails</p>${body}</div>${after}</article>`;

describe('searchableHtml', () => {
  it('leaves out Cause, Fix and Prevention, keeping the body closed and what follows it', () => {
    const html = page(
      '<h2 id="cause">Cause</h2><p>a race in the notification handler</p><h2 id="fix">Fix</h2><ol><li>restore the backup</li></ol><h2 id="prevention">Prevention</h2><p>back up first</p>',
      '<section aria-labelledby="references"><a href="x">#1</a></section>',
    );
    const kept = searchableHtml(html);
    expect(kept).toContain('<p>core fails</p></div><section aria-labelledby="references">');
    expect(kept).not.toContain('notification handler');
    expect(kept).not.toContain('restore the backup');
    expect(kept).not.toContain('back up first');
  });

  it('marks where what a page is about ends, and where its error lines begin inside it', () => {
    const html =
      '<article data-pagefind-body><h1>Core fails</h1><ul class="error-lines astro-x"><li>pq: too many clients</li></ul><div class="body"><p>body</p></div></article>';
    const kept = searchableHtml(html);
    expect(kept.indexOf(ERROR_LINES_WORD)).toBeGreaterThan(kept.indexOf('Core fails'));
    expect(kept.indexOf(ERROR_LINES_WORD)).toBeLessThan(kept.indexOf('clients'));
    expect(kept.indexOf(ABOUT_END_WORD)).toBeGreaterThan(kept.indexOf('clients'));
    expect(kept.indexOf(ABOUT_END_WORD)).toBeLessThan(kept.indexOf('body</p>'));
  });

  it('stops at the Playbook section when a page has one', () => {
    const html = page(
      '<h2 id="cause">Cause</h2><p>why</p><h2 id="fix">Fix</h2><p>steps</p>',
      '<section aria-labelledby="playbook" class="playbooks">run it</section>',
    );
    expect(searchableHtml(html)).toContain('</div><section aria-labelledby="playbook"');
    expect(searchableHtml(html)).not.toContain('steps');
  });

  it('leaves pages without an indexed article as they are', () => {
    const html = '<main><h1>Page not found</h1></main>';
    expect(searchableHtml(html)).toBe(html);
  });

  it('keeps only the words a query can ask for in the article, and leaves its markup alone', () => {
    const html =
      '<p>outside the article</p><article data-pagefind-body data-range=">=1.5.0"><h1>The core fails to start</h1><!-- a note\'s text --><style>a>b{color:red}</style><p title="the title">It is the jobservice that fails</p></article>';
    const kept = searchableHtml(html);
    expect(kept).toBe(
      '<p>outside the article</p><article data-pagefind-body data-range=">=1.5.0"><h1> core fails start</h1><!-- a note\'s text --><style>a>b{color:red}</style><p title="the title"> jobservice fails</p></article>',
    );
  });

  it('keeps filter and meta values as written', () => {
    const html =
      '<article data-pagefind-body><h2 data-pagefind-meta="title">The core fails</h2><h1 data-pagefind-meta="title[data-title]" data-title="The core">The core</h1><div hidden data-pagefind-ignore><span data-pagefind-filter="version">1.9</span><span data-pagefind-filter="status">solved</span></div><p>on 1.9</p></article>';
    expect(searchableHtml(html)).toBe(
      '<article data-pagefind-body><h2 data-pagefind-meta="title">The core fails</h2><h1 data-pagefind-meta="title[data-title]" data-title="The core"> core</h1><div hidden data-pagefind-ignore><span data-pagefind-filter="version">1.9</span><span data-pagefind-filter="status">solved</span></div><p> </p></article>',
    );
  });

  it('keeps words of neighbouring nodes apart at spaces and punctuation, and whole across inline markup', () => {
    const kept = searchableHtml(
      '<article data-pagefind-body><p>fails to start (<a href="#">#354</a>) <code>replication</code>_job rows and <code>tag</code>s vanish</p></article>',
    );
    // "#354" and the plural "s" are not words a query asks for: they go, and leave a space behind.
    expect(kept).toBe('<article data-pagefind-body><p>fails start <a href="#"> </a> <code>replication</code>_job rows <code>tag</code> vanish</p></article>');
  });
});
