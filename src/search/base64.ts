/**
 * The bytes of base64 text, as the search page's data files carry them (the meaning fallback's
 * similarities, the problem model's weights). A plain loop: Uint8Array.from with a mapping callback
 * per byte took tens of milliseconds on the model's 100 KB.
 */
export function base64Bytes(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
