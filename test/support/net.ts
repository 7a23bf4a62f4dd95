import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where ports are picked: above the well-known and common service ports, below the kernel's ephemeral range. */
const LOWEST = 20_000;

/**
 * The first port of the range the kernel hands out to outgoing connections and to listens on
 * port 0. A port picked there can be taken by any connection another test opens before our
 * server binds it; a port below it is never handed out.
 */
function ephemeralStart(): number {
  try {
    const first = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(first) && first > LOWEST + 1000 ? first : 32_768;
  } catch {
    return 32_768;
  }
}

/** Read once: the range does not change while the tests run. */
const EPHEMERAL_START = ephemeralStart();

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A loopback TCP port that was free a moment ago, for a server that binds it right after (or for
 * an address where nothing listens). Picked at random below the ephemeral range, so that no
 * connection opened meanwhile can take it.
 */
export async function freeLoopbackPort(): Promise<number> {
  const span = EPHEMERAL_START - LOWEST;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * span);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free loopback port between ${LOWEST} and ${LOWEST + span}`);
}
