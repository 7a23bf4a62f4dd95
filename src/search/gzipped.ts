/**
 * Files the search page fetches gzip-compressed whatever the host does (src/pages/*.bin.ts) and
 * inflates itself with DecompressionStream: a host that does not compress costs nothing extra.
 */
import { fetchOk } from './fetched.ts';

/** The text of a gzip-compressed file. */
export const inflatedText = (gzipped: Blob): Promise<string> => new Response(gzipped.stream().pipeThrough(new DecompressionStream('gzip'))).text();

/** Fetches a gzip-compressed file, still compressed (for inflatedText). */
export const fetchGzipped = (url: string): Promise<Blob> => fetchOk(url).then((response) => response.blob());
