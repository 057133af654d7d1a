import { Agent, request } from 'undici';

/**
 * Is the target there at all? One request to the base URL with a short connect timeout: any HTTP answer (even a
 * 404) means reachable. Used before a run so an unreachable target fails at once with its URL, instead of every
 * test timing out one by one.
 */
export async function probeTarget(baseUrl: string, connectMs: number): Promise<{ ok: true; status: number } | { ok: false; reason: string }> {
  const dispatcher = new Agent({ connect: { timeout: connectMs } });
  try {
    const { statusCode, body } = await request(baseUrl, {
      method: 'GET',
      dispatcher,
      headersTimeout: connectMs * 2,
      bodyTimeout: connectMs * 2,
      signal: AbortSignal.timeout(connectMs * 3),
    });
    await body.dump();
    return { ok: true, status: statusCode };
  } catch (error) {
    const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code;
    return { ok: false, reason: [code, e.cause?.message ?? e.message].filter(Boolean).join(': ') };
  } finally {
    await dispatcher.close();
  }
}
