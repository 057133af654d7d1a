import { startSimulator, type RunningSimulator } from '../sim/server.ts';
import type { SimOptions } from '../sim/context.ts';
import { CLIENTS, MAIN_PROJECT_ID } from '../sim/seed.ts';

/** Starts a simulator on a free port for one test file, and a tiny HTTP helper that talks to it. */
export async function simulator(options: Partial<SimOptions> = {}): Promise<RunningSimulator & { call: Call }> {
  const sim = await startSimulator({ port: 0, ...options });
  const call: Call = async (method, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined;
    if (init.json !== undefined) {
      body = typeof init.json === 'string' ? init.json : JSON.stringify(init.json);
      headers['content-type'] ??= 'application/json';
    } else if (init.form !== undefined) {
      body = new URLSearchParams(init.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${sim.url}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };
  return { ...sim, call };
}

export type Call = (
  method: string,
  path: string,
  init?: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> },
) => Promise<{ status: number; headers: Headers; text: string; body: any }>;

export const PROJECT = MAIN_PROJECT_ID;
export const MULTI = CLIENTS[0]!;
export const SINGLE = CLIENTS[1]!;
export const RATE_CLIENT = CLIENTS[2]!;
export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
export const claims = (jwt: string): Record<string, any> => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
export const uid = (): string => Math.random().toString(36).slice(2, 12);
export const qs = (params: Record<string, string | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) s.append(k, v);
  return s.toString();
};
