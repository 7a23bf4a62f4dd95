/**
 * Frontmatter of a knowledge-base page. The English file of a page is the
 * canonical record of every shared fact (versions, errors, signatures,
 * playbooks, upstream); a translation carries only what is translated.
 */
import { z } from 'zod';
import semver from 'semver';

export const LANGS = ['en', 'zh'] as const;
export type Lang = (typeof LANGS)[number];
export const CANONICAL_LANG: Lang = 'en';

/** The authored sections of a page body, in order (each language's heading is its `section.*` string). */
export const AUTHORED_SECTIONS = ['symptom', 'cause', 'fix', 'prevention'] as const;
export type AuthoredSection = (typeof AUTHORED_SECTIONS)[number];

export const STATUSES = ['solved', 'workaround', 'unsolved'] as const;
export const INSTALL_METHODS = ['helm', 'compose'] as const;
export const COMPONENTS = ['core', 'jobservice', 'registry', 'registryctl', 'database', 'portal', 'redis', 'nginx', 'adminserver', 'ui'] as const;
/** Where an operator sees an error line: a component's log, the web UI, or an API response. */
export const ERROR_SOURCES = [...COMPONENTS, 'web-ui', 'api'] as const;
export type Status = (typeof STATUSES)[number];
export type InstallMethod = (typeof INSTALL_METHODS)[number];
export type Component = (typeof COMPONENTS)[number];
export type ErrorSource = (typeof ERROR_SOURCES)[number];

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug like "replication-job-stuck"');

const versionRange = z.string().refine((value) => semver.validRange(value) !== null, {
  message: 'must be a semver range such as ">=1.5.0 <1.8.0"',
});

const releaseVersion = z.string().refine((value) => semver.valid(value) !== null, {
  message: 'must be a full release version such as "1.8.0"',
});

export const harborVersionsSchema = z.strictObject({
  /** Ranges of Harbor releases the problem occurs on; a page may list several. */
  affected: z.array(versionRange).min(1),
  /** First release without the problem, or null while it is not fixed upstream. */
  fixed: releaseVersion.nullable(),
});

export const errorLineSchema = z.strictObject({
  /** The line exactly as the operator sees it, or, with `paraphrase`, the words people search with. */
  text: z.string().min(8),
  /** Where the line is seen; for a paraphrase, where the error it paraphrases is seen. */
  source: z.enum(ERROR_SOURCES),
  /**
   * True when the text is how people quote or search for the error, not a line Harbor
   * prints. The page shows it as a quotation, never as log output, and search results
   * never present it as the matched error line.
   */
  paraphrase: z.boolean().optional(),
  /** The releases that print the line exactly so (line numbers in log prefixes move between releases). */
  harbor: versionRange.optional(),
});

export const signatureSchema = z
  .strictObject({
    /**
     * A regular expression that recognises the problem in a log line. Kept to the
     * subset that JavaScript and `grep -E` read alike: literals, `.`, `*`, `+`, `?`,
     * `[...]`, `(a|b)`, `\s`, escaped punctuation.
     */
    pattern: z.string().min(4),
    /** Case-insensitive matching when true. */
    ignoreCase: z.boolean().default(false),
    /** The component whose log carries the line, when the signature is specific to one. */
    component: z.enum(COMPONENTS).optional(),
    /** How strongly one hit points at this problem, 1 (a hint) to 3 (conclusive). */
    weight: z.number().int().min(1).max(3).default(2),
  })
  .superRefine((signature, ctx) => {
    try {
      new RegExp(signature.pattern, signature.ignoreCase ? 'i' : '');
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `is not a valid regular expression: ${(error as Error).message}` });
    }
    if (/\(\?[=!<]|\\[dDbB]/.test(signature.pattern)) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: 'uses lookaround, \\d or \\b, which grep -E does not read the same way; use [0-9] or literals',
      });
    }
  });

const regexText = z
  .string()
  .min(2)
  .refine((pattern) => {
    try {
      new RegExp(pattern, 'i');
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid regular expression');

/**
 * A near miss told apart: a paste in this message family (`pattern`) is another problem
 * unless it also carries what makes it this one (`unless`): the key, the job type, the
 * status, where the 404 came from. Both are case-insensitive regular expressions.
 */
export const notWhenSchema = z.strictObject({
  pattern: regexText,
  unless: regexText.optional(),
});

export const upstreamSchema = z.union([
  z.strictObject({
    /** owner/name on GitHub, e.g. goharbor/harbor */
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    number: z.number().int().positive(),
    kind: z.enum(['issue', 'pr']),
    title: z.string().min(3),
  }),
  z.strictObject({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
    /** A file at a git ref: a release tag or commit. */
    path: z.string().min(1),
    ref: z.string().min(1),
    title: z.string().min(3),
  }),
  z.strictObject({
    url: z.url({ protocol: /^https$/ }),
    title: z.string().min(3),
  }),
]);

export type Upstream = z.infer<typeof upstreamSchema>;

export function upstreamUrl(entry: Upstream): string {
  if ('url' in entry) return entry.url;
  if ('number' in entry) {
    return `https://github.com/${entry.repo}/${entry.kind === 'pr' ? 'pull' : 'issues'}/${entry.number}`;
  }
  return `https://github.com/${entry.repo}/blob/${entry.ref}/${entry.path}`;
}

/** Fields shared by every language of a page: they live in the canonical (English) file only. */
export const sharedFieldsSchema = z.strictObject({
  status: z.enum(STATUSES),
  harbor: harborVersionsSchema,
  install: z.array(z.enum(INSTALL_METHODS)).min(1),
  components: z.array(z.enum(COMPONENTS)).min(1),
  errors: z.array(errorLineSchema).min(1),
  signatures: z.array(signatureSchema).min(1),
  playbooks: z.array(slug).default([]),
  upstream: z.array(upstreamSchema).min(1),
  /** Near misses of the same message family that are not this problem (search only; see notWhenSchema). */
  notWhen: z.array(notWhenSchema).default([]),
});

const translatedFields = {
  id: slug,
  title: z.string().min(5).max(120),
  /** One line, in the words of an operator who hit the problem. */
  summary: z.string().min(10).max(240),
  /**
   * What the affected and fixed versions depend on, when a version alone would mislead
   * (a Helm chart release, the source side of a replication). Shown under the versions;
   * every language of the page has it or none does.
   */
  versionNote: z.string().min(10).max(300).optional(),
  /**
   * How operators describe the problem in their own words, with no error line: what they
   * saw, what they tried, what they blame ("replication pending for a day, fine after a
   * restart"). Written from real threads; searched like the title and summary, shown on the
   * page as "also described as". Each language writes its own list.
   */
  describedAs: z.array(z.string().min(8).max(160)).max(16).default([]),
};

export const canonicalPageSchema = z.strictObject({ ...translatedFields, ...sharedFieldsSchema.shape });
export const translationPageSchema = z.strictObject(translatedFields);

/** Frontmatter as stored: the shape depends on the file's language folder. */
export const storedPageSchema = z.union([canonicalPageSchema, translationPageSchema]);

export type CanonicalPage = z.infer<typeof canonicalPageSchema>;
export type TranslationPage = z.infer<typeof translationPageSchema>;
export type SharedFields = z.infer<typeof sharedFieldsSchema>;
export type Signature = z.infer<typeof signatureSchema>;
export type ErrorLine = z.infer<typeof errorLineSchema>;
export type NotWhen = z.infer<typeof notWhenSchema>;
