import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Waits for a server started as a child process to print its ready line, `listening on <url>` (the line
 * `npm run sim` prints, and the benchmark's baseline server too), and answers the URL. Fails when the child exits
 * first or stays silent past `timeoutMs`; `detail` adds what helps the reader (the log's path, its stderr).
 * Stopping the child on failure is the caller's choice.
 */
export function waitForListening(child: ChildProcess, what: string, timeoutMs: number, detail: () => string = () => ''): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not report "listening on" within ${timeoutMs / 1000} s${detail()}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stdout!.resume(); // keep draining what the child prints later, so it never blocks on a full pipe
      resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (code ${code}) before listening${detail()}`));
    });
  });
}

/** A port nothing listens on right now (the OS picks it; the server that is started next takes it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}
