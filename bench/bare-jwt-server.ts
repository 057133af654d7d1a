import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { hmacKey } from '../sim/tokens.ts';

/**
 * The benchmark's baseline: a bare node:http server that reads the body and signs one HS256 JWT per request with
 * the same library the simulator uses. What the simulator adds on top (validation, the social network round trip,
 * state) is what the ratio measures.
 */
// Keyed the way the simulator keys jose (a WebCrypto key imported once), so the ratio compares servers, not key handling.
const key = await hmacKey();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void new SignJWT({ provider: 'google', body: Buffer.concat(chunks).length })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject('bench')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key)
      .then((token) => {
        const text = JSON.stringify({ token });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/api\n`);
});
process.once('SIGTERM', () => process.exit(0));
