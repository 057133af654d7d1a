import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, jwtVerify, errors as joseErrors, type JSONWebKeySet, type JWTPayload } from 'jose';

/**
 * The Login JWTs. Signed HS256 (as the documented example token is) with a key made fresh at every start, so a
 * token from an earlier run is simply invalid. Claims follow the documented example token; `social_access_token`
 * from that example is left out on purpose: the harness treats an echoed social token as a leaked secret.
 */

export const ISSUER = 'https://login.xsolla.com';
const textEncoder = new TextEncoder();

export interface TokenIdentity {
  sub: string;
  projectId: string;
  provider: string;
  socialId: string;
  email: string | null;
  name: string;
}

export interface JwtExtras {
  payload?: string | undefined;
  scope?: readonly string[] | undefined;
  audience?: string | undefined;
  /** PlayFab SessionTicket written into the `session_ticket` claim when scope has `playfab`. */
  sessionTicket?: string | undefined;
}

export interface VerifiedToken {
  claims: JWTPayload & { xsolla_login_project_id?: string; provider?: string };
  session: number;
}

/** A name-based (v5) UUID: the same social user in the same project always gets the same `sub`. */
export function stableSub(projectId: string, provider: string, socialId: string): string {
  const hash = createHash('sha1').update(`${projectId}|${provider}|${socialId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A fresh HS256 key for this run, imported once into WebCrypto (what jose signs with). */
export function hmacKey(): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', randomBytes(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']) as Promise<CryptoKey>;
}

export interface Signing {
  algorithm: 'HS256' | 'RS256' | 'ES256';
  issuer: string;
}

interface Keys {
  sign: CryptoKey;
  verify: CryptoKey;
  kid: string | undefined;
}

async function keysFor(algorithm: Signing['algorithm']): Promise<Keys> {
  if (algorithm === 'HS256') {
    const key = await hmacKey();
    return { sign: key, verify: key, kid: undefined };
  }
  const pair = await generateKeyPair(algorithm, { extractable: true });
  return { sign: pair.privateKey, verify: pair.publicKey, kid: randomUUID() };
}

export class TokenIssuer {
  // WebCrypto keys made once: handed raw bytes or a KeyObject, jose imports one on every sign and verify.
  private readonly keys: Promise<Keys>;
  private readonly bootId = randomUUID().slice(0, 8);
  private readonly header: Promise<{ alg: string; typ: 'JWT'; kid?: string }>;

  /** `shapeClaims` is the simulator's `jwtClaims` rule: the seam a defect mode uses to break a claim. */
  constructor(
    private readonly ttlSeconds: number,
    private readonly shapeClaims: (claims: Record<string, unknown>) => Record<string, unknown> = (claims) => claims,
    private readonly signing: Signing = { algorithm: 'HS256', issuer: ISSUER },
  ) {
    this.keys = keysFor(signing.algorithm);
    this.header = this.keys.then((k) => ({ alg: signing.algorithm, typ: 'JWT' as const, ...(k.kid ? { kid: k.kid } : {}) }));
  }

  /** The public key set of an asymmetric signer (RFC 7517); null for HS256, whose key is secret. */
  async jwks(): Promise<JSONWebKeySet | null> {
    const keys = await this.keys;
    if (keys.kid === undefined) return null;
    return { keys: [{ ...(await exportJWK(keys.verify)), kid: keys.kid, alg: this.signing.algorithm, use: 'sig' }] };
  }

  async sign(identity: TokenIdentity, session: number, extras: JwtExtras = {}): Promise<string> {
    const claims: JWTPayload & Record<string, unknown> = {
      email: identity.email,
      groups: [{ id: 1, name: 'default', is_default: true }],
      id: identity.sub,
      is_master: true,
      name: identity.name,
      picture: '',
      promo_email_agreement: false,
      provider: identity.provider,
      publisher_id: 1,
      type: 'social',
      username: null,
      xsolla_login_project_id: identity.projectId,
    };
    if (extras.payload !== undefined) claims.payload = extras.payload;
    if (extras.scope && extras.scope.length > 0) claims.scope = extras.scope.join(' ');
    if (extras.sessionTicket !== undefined) claims.session_ticket = extras.sessionTicket;
    const iat = Math.floor(Date.now() / 1000);
    claims.iss = this.signing.issuer;
    claims.sub = identity.sub;
    claims.jti = `${session}.${this.bootId}`;
    claims.iat = iat;
    claims.exp = iat + this.ttlSeconds;
    if (extras.audience !== undefined) claims.aud = extras.audience;
    // jose's compact JWS over the serialised claims: the same token SignJWT makes, without its per-call claim
    // builder, which was a sixth of the simulator's time per sign-in.
    return new CompactSign(textEncoder.encode(JSON.stringify(this.shapeClaims(claims))))
      .setProtectedHeader(await this.header)
      .sign((await this.keys).sign);
  }

  /** Signature, issuer and expiry; `null` for anything else (bad signature, expired, not a JWT, another run's). */
  async verify(token: string): Promise<VerifiedToken | null> {
    try {
      const { payload } = await jwtVerify(token, (await this.keys).verify, { issuer: this.signing.issuer, algorithms: [this.signing.algorithm] });
      const [session, boot] = String(payload.jti ?? '').split('.');
      if (boot !== this.bootId || !session) return null;
      return { claims: payload, session: Number(session) };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return null;
      throw error;
    }
  }
}
