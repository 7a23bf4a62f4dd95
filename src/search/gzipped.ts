/**
 * Files the search page fetches gzip-compressed whatever the host does (src/pages/*.bin.ts) and
 * inflates itself with DecompressionStream: a host that does not compress costs nothing extra.
 */

/** The text of a gzip-compressed file. */
export const inflatedText = (gzipped: Blob): Promise<string> => new Response(gzipped.stream().pipeThrough(new DecompressionStream('gzip'))).text();

/** Fetches a gzip-compressed file, still compressed (for inflatedText). */
export async function fetchGzipped(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.blob();
}
