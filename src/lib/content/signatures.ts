/**
 * The signature view of a page: its id, the signatures that recognise it in logs,
 * and the facts needed to act on a match. `/signatures.json` serves it to the
 * browser doctor and the search page; the CLI doctor builds it from the same pages.
 */
import type { SharedFields } from '../../schemas/issue.ts';

export interface SignatureView {
  id: string;
  components: SharedFields['components'];
  harbor: SharedFields['harbor'];
  playbooks: SharedFields['playbooks'];
  signatures: SharedFields['signatures'];
}

export function signatureView(page: { id: string; shared: SharedFields }): SignatureView {
  const { components, harbor, playbooks, signatures } = page.shared;
  return { id: page.id, components, harbor, playbooks, signatures };
}

/** The view the CLI doctor reports from: the signature view and the page's title. */
export const titledSignatureView = (page: { id: string; title: string; shared: SharedFields }): SignatureView & { title: string } => ({
  ...signatureView(page),
  title: page.title,
});
