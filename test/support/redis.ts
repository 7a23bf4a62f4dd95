// A real Redis (Debian's redis-server) for the real-Harbor tests: no persistence, on a random
// loopback port, its working directory in the caller's temp dir.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from './net.ts';
import { defineService, type Service } from './service.ts';

export const REDIS_BIN = process.env.REDIS_BIN ?? 'redis-server';

export interface RedisServer {
  port: number;
  /** redis-cli against this server: `command(['-n', '2', 'FLUSHDB'])`. */
  cli(args: readonly string[]): Promise<string>;
  service: Service;
  stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<RedisServer> {
  const port = await freeLoopbackPort();
  const data = join(dir, 'redis');
  mkdirSync(data, { recursive: true });
  const cli = async (args: readonly string[]) => (await promisify(execFile)('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args])).stdout;
  const service = defineService({
    name: 'redis',
    command: REDIS_BIN,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    log: join(dir, 'redis.log'),
    ready: async () => (await cli(['PING'])).trim() === 'PONG',
    readyTimeoutMs: 15_000,
  });
  await service.start();
  return { port, cli, service, stop: () => service.stop() };
}
