// Harbor's unauthenticated liveness route: /api/ping on 1.x, /api/v2.0/ping from 2.0
// (each release's swagger). Answering "Pong" means core is up; which route answers
// tells the major release.
export type PingAnswer = { status: number; body: string } | { error: string };

/** Why a fetch failed, in words (connection refused, timeout, ...), never with credentials. */
export function fetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export async function ping(base: string, major: 1 | 2, timeoutMs = 5_000): Promise<PingAnswer> {
  try {
    const response = await fetch(`${base}${major === 2 ? '/api/v2.0/ping' : '/api/ping'}`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: (await response.text()).slice(0, 200) };
  } catch (error) {
    return { error: fetchFailure(error) };
  }
}

const answered = (answer: PingAnswer) => 'status' in answer && answer.status === 200 && /pong/i.test(answer.body);

/** 2 or 1 when that release line's ping answers "Pong" at the URL's origin; undefined otherwise. */
export async function harborMajor(base: string): Promise<1 | 2 | undefined> {
  if (answered(await ping(base, 2))) return 2;
  if (answered(await ping(base, 1))) return 1;
  return undefined;
}
