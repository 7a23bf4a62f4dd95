/**
 * What a page says about itself in one language, as the build's search data reads it: what the
 * meaning fallback's vectors (meaning-data.ts) and the problem model (problem-model-data.ts) are
 * computed from. Error lines are the page's own, the same in both languages.
 */
import type { Lang } from '../../schemas/issue.ts';

export interface PageWords {
  id: string;
  lang: Lang;
  title: string;
  summary: string;
  describedAs: readonly string[];
  errors: readonly string[];
}
