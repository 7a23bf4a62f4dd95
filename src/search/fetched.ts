/** Fetches a file of the site; an HTTP error is a failure, not a body to read. */
export async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** Fetches a JSON file of the site. */
export const fetchJson = <T>(url: string): Promise<T> => fetchOk(url).then((response) => response.json() as Promise<T>);
