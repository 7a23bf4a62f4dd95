// A token service like Harbor's /service/token for a registry started with token auth: it
// checks basic credentials and signs RS256 JWTs (x5c: its self-signed certificate, which the
// registry trusts through `rootcertbundle`) granting the scopes asked for. Anonymous callers
// get a token with no access, as Harbor gives them for private projects.
import { createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { $ } from 'zx';
import { freeLoopbackPort } from './net.ts';

export interface TokenService {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file of the signing certificate. */
  certificate: string;
  stop(): Promise<void>;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startTokenService(dir: string, auth: { user: string; password: string }): Promise<TokenService> {
  const key = join(dir, 'token.key');
  const certificate = join(dir, 'token.crt');
  await $({ quiet: true })`openssl req -x509 -newkey rsa:2048 -nodes -keyout ${key} -out ${certificate} -days 2 -subj /CN=harbor-kb-test-token-issuer`;
  const signer = createPrivateKey(readFileSync(key));
  const der = new X509Certificate(readFileSync(certificate)).raw.toString('base64');
  const service = 'harbor-registry';
  const issuer = 'harbor-token-issuer';
  const expected = 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    const given = request.headers.authorization;
    if (url.pathname !== '/service/token' || (given && given !== expected)) {
      response.writeHead(401, { 'content-type': 'application/json' });
      return response.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    }
    const access = given
      ? url.searchParams.getAll('scope').flatMap((scope) => {
          const [type, ...rest] = scope.split(':');
          const actions = rest.pop()!.split(',');
          return [{ type, name: rest.join(':'), actions }];
        })
      : [];
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5c: [der] }));
    const payload = base64url(
      JSON.stringify({ iss: issuer, sub: given ? auth.user : '', aud: service, exp: now + 300, nbf: now - 30, iat: now, jti: randomUUID(), access }),
    );
    const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(signer).toString('base64url');
    const token = `${header}.${payload}.${signature}`;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  const port = await freeLoopbackPort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/service/token`,
    service,
    issuer,
    certificate,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
