import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { ApiError } from './api-error.ts';

/**
 * Reading requests and writing answers. Everything a client can get wrong here (size, encoding, JSON,
 * content type, repeated parameters) becomes a documented 4xx, never an exception that reaches the server.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume(); // drain without buffering so the socket stays usable
    throw new ApiError('bodyTooLarge', { limit_bytes: maxBytes });
  }
  // Event-based rather than `for await`: this runs once per request and async iteration costs measurable time.
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('end', () => (tooLarge ? reject(new ApiError('bodyTooLarge', { limit_bytes: maxBytes })) : resolve(Buffer.concat(chunks, size))));
    req.once('error', () => reject(new ApiError('malformedBody', { reason: 'the request body was cut off' })));
  });
}

export function decodeUtf8(raw: Buffer): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw new ApiError('malformedBody', { reason: 'body is not valid UTF-8' });
  }
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Why a body that is valid JSON but not an object is refused (the `malformed-json-500` defect tells the two apart). */
export const NOT_A_JSON_OBJECT = 'body must be a JSON object';

/** A JSON object body. An empty body reads as `{}` so the missing fields are named in a 422. */
export async function readJsonObject(req: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const raw = await readBody(req, maxBytes);
  if (raw.length === 0) return {};
  if (mediaType(req) !== 'application/json') {
    throw new ApiError('wrongContentType', { content_type: req.headers['content-type'] ?? null });
  }
  const text = decodeUtf8(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError('malformedBody', { reason: (error as Error).message.slice(0, 200) });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('malformedBody', { reason: NOT_A_JSON_OBJECT });
  }
  return parsed as Record<string, unknown>;
}

/** An `application/x-www-form-urlencoded` body, as the OAuth 2.0 token endpoint takes (RFC 6749 §4.1.3). */
export async function readForm(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  const raw = await readBody(req, maxBytes);
  if (raw.length > 0 && mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new ApiError('wrongContentType', { content_type: req.headers['content-type'] ?? null, expected: 'application/x-www-form-urlencoded' });
  }
  return new URLSearchParams(decodeUtf8(raw));
}

/**
 * One value per parameter. A documented parameter given twice is refused: which copy a server would use is
 * exactly the ambiguity parameter-pollution attacks exploit.
 */
export class Params {
  constructor(private readonly search: URLSearchParams) {}

  get(name: string): string | undefined {
    const all = this.search.getAll(name);
    if (all.length > 1) throw new ApiError('invalidParameter', { parameter: name, reason: 'given more than once' });
    return all[0];
  }
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent verbatim instead of `body` as JSON, with the headers given: only a defect mode uses it (an HTML error page). */
  rawBody?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * How answers are written on the wire. The default is the simulator's own style; quirk modes (sim/quirks.ts)
 * change it the ways HTTP allows a real server to differ: header-name case and order, extra headers, the
 * JSON content type's spelling, chunked transfer, gzip, how the JSON text escapes characters.
 */
export interface WireStyle {
  headerName?: (name: string) => string;
  reverseHeaders?: boolean;
  extraHeaders?: () => Record<string, string>;
  contentType?: string;
  /** No Content-Length: Node sends the body with Transfer-Encoding: chunked. */
  chunked?: boolean;
  /** Content-Encoding: gzip when the request's Accept-Encoding allows it. */
  gzip?: boolean;
  json?: (body: unknown) => string;
  /** Rewrites the JSON text (escaping), after `json` made it. */
  jsonText?: (text: string) => string;
  /** Connection: close on every answer (Node then closes the socket after it). */
  connectionClose?: boolean;
}

const PLAIN: WireStyle = {};

/** Whether Accept-Encoding lists gzip (or *) with a non-zero weight (RFC 9110 §12.5.3). */
function acceptsGzip(req: IncomingMessage | undefined): boolean {
  return String(req?.headers['accept-encoding'] ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

export function send(res: ServerResponse, answer: Answer, wire: WireStyle = PLAIN, req?: IncomingMessage): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = wire.extraHeaders ? { 'cache-control': 'no-store', ...wire.extraHeaders(), ...answer.headers } : { 'cache-control': 'no-store', ...answer.headers };
  let payload: Buffer | string | undefined;
  if (answer.rawBody !== undefined) payload = answer.rawBody;
  else if (answer.body !== undefined) {
    payload = (wire.json ?? JSON.stringify)(answer.body);
    if (wire.jsonText) payload = wire.jsonText(payload);
    headers['content-type'] ??= wire.contentType ?? JSON_TYPE;
  }
  if (payload !== undefined && wire.gzip && acceptsGzip(req)) {
    payload = gzipSync(payload);
    headers['content-encoding'] = 'gzip';
    headers.vary = headers.vary ? `${headers.vary}, Accept-Encoding` : 'Accept-Encoding';
  }
  if (wire.connectionClose) headers.connection = 'close';
  if (!wire.chunked || payload === undefined) headers['content-length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  // Only a quirk rewrites header names or order: the plain path (every answer of a benchmark) stays allocation-light.
  if (wire.reverseHeaders || wire.headerName) {
    let entries = Object.entries(headers);
    if (wire.reverseHeaders) entries = entries.reverse();
    if (wire.headerName) entries = entries.map(([name, value]) => [wire.headerName!(name), value]);
    res.writeHead(answer.status, Object.fromEntries(entries));
  } else res.writeHead(answer.status, headers);
  res.end(payload);
}
