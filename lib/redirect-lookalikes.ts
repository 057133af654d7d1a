/**
 * Look-alikes of a registered redirect URI, generated from the ways a redirect_uri comparison can be lenient.
 *
 * OAuth 2.0 asks for exact matching: RFC 6749 §3.1.2.3 "the authorization server MUST compare the two URIs using
 * simple string comparison as defined in [RFC3986] Section 6.2.1", and RFC 9700 §4.1.3 "the authorization server
 * MUST ensure that the two URIs are equal; see Section 6.2.1 of [RFC3986], Simple String Comparison". So every URI
 * that differs from each registered one as a string must be refused. A lenient comparison accepts some of them, and
 * which ones depends on how it is lenient: each class below builds the URIs that one kind of leniency (normalising,
 * case-folding, decoding, prefix, host, pattern, …) accepts and an exact comparison refuses, across the scheme, the
 * authority (userinfo, host, port), the path, the query and the fragment.
 *
 * Pure and deterministic: the same registered URIs give the same look-alikes in the same order. A generated URI
 * that is string-identical to a registered URI is left out (an exact comparison rightly accepts it). URIs are
 * split with RFC 3986 Appendix B's regular expression, never WHATWG's URL parser, which would normalise the very
 * differences the look-alikes are made of (scheme and host case, dot-segments, default ports).
 *
 * One exception is kept out on purpose: RFC 9700 §4.1.3 "The only exception is native apps using a localhost URI:
 * In this case, the authorization server MUST allow variable port numbers as described in Section 7.3 of
 * [RFC8252]". A loopback URI (127.0.0.0/8, [::1], localhost) therefore gets no look-alike that differs only in its
 * port (another port, an explicit default port, an empty port): a conforming server may accept those.
 */

export const LOOK_ALIKE_CLASSES = [
  'normalisation',
  'case-folding',
  'percent-decoding',
  'prefix',
  'host',
  'pattern',
  'trailing-slash',
  'fragment',
  'query',
  'scheme',
  'whitespace',
] as const;

export type LookAlikeClass = (typeof LOOK_ALIKE_CLASSES)[number];

/** The part of the URI a look-alike changes. */
export type UriComponent = 'scheme' | 'userinfo' | 'host' | 'port' | 'path' | 'query' | 'fragment' | 'whole';

export interface LookAlike {
  class: LookAlikeClass;
  component: UriComponent;
  /** What was changed, in words (a test step's title). */
  name: string;
  uri: string;
  /** The registered URI it was made from. */
  registered: string;
}

/** Per class: a title for the report and the lenient comparison that would accept its look-alikes. */
export const CLASS_INFO: Record<LookAlikeClass, { title: string; acceptedBy: string }> = {
  normalisation: {
    title: 'RFC 3986 normalisation',
    acceptedBy: 'a comparison after RFC 3986 §6.2.2 syntax-based normalisation (scheme and host case, percent-encoding, dot-segments, default or empty port, empty path)',
  },
  'case-folding': { title: 'case-folding', acceptedBy: 'a case-insensitive comparison of the path and query' },
  'percent-decoding': { title: 'percent-decoding', acceptedBy: 'a comparison after percent-decoding (encoded delimiters, double encoding)' },
  prefix: { title: 'prefix', acceptedBy: 'a comparison that accepts any URI starting with a registered one' },
  host: { title: 'host and authority', acceptedBy: 'a comparison of the host by substring (suffix, prefix, subdomain) that also lets userinfo and ports through' },
  pattern: { title: 'pattern matching', acceptedBy: 'a registered URI used as a pattern in which "." matches any character' },
  'trailing-slash': { title: 'trailing slash', acceptedBy: 'a comparison that ignores a trailing slash of the path' },
  fragment: { title: 'fragment', acceptedBy: 'a comparison that ignores the fragment' },
  query: { title: 'query parameters', acceptedBy: 'a comparison of the query as a set of parameters (extra ones, another order, an empty query)' },
  scheme: { title: 'scheme', acceptedBy: 'a comparison that ignores the scheme' },
  whitespace: { title: 'surrounding whitespace', acceptedBy: 'a comparison after trimming whitespace' },
};

/** The host an attacker controls (RFC 2606 reserves .example). */
export const ATTACKER_HOST = 'attacker.example';

/** The five components of RFC 3986 §3, as strings; `undefined` where the component is absent (not empty). */
export interface UriParts {
  scheme: string | undefined;
  authority: string | undefined;
  path: string;
  query: string | undefined;
  fragment: string | undefined;
}

/** RFC 3986 Appendix B: "^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?" (never fails). */
export function splitUri(uri: string): UriParts {
  const m = /^(([^:/?#]+):)?(\/\/([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$/s.exec(uri)!;
  return { scheme: m[2], authority: m[4], path: m[5] ?? '', query: m[7], fragment: m[9] };
}

export function joinUri(p: UriParts): string {
  return `${p.scheme !== undefined ? `${p.scheme}:` : ''}${p.authority !== undefined ? `//${p.authority}` : ''}${p.path}${p.query !== undefined ? `?${p.query}` : ''}${p.fragment !== undefined ? `#${p.fragment}` : ''}`;
}

/** An authority split into userinfo, host and port (RFC 3986 §3.2); IPv6 literals keep their brackets. */
export function splitAuthority(authority: string): { userinfo: string | undefined; host: string; port: string | undefined } {
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/s.exec(hostPort)!;
  return { userinfo, host: m[1]!, port: m[2] };
}

export function joinAuthority(a: { userinfo: string | undefined; host: string; port: string | undefined }): string {
  return `${a.userinfo !== undefined ? `${a.userinfo}@` : ''}${a.host}${a.port !== undefined ? `:${a.port}` : ''}`;
}

const DEFAULT_PORTS: Record<string, string> = { http: '80', https: '443' };

/** Loopback hosts, whose port a conforming server may let vary (RFC 8252 §7.3, RFC 9700 §4.1.3). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

const hex = (c: string): string => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
const pct = (c: string): string => `%${hex(c)}`;

/** Index of the first ASCII letter in s at or after `from`, or -1. */
const firstLetter = (s: string, from = 0): number => {
  for (let i = from; i < s.length; i += 1) if (/[A-Za-z]/.test(s[i]!)) return i;
  return -1;
};

const replaceAt = (s: string, i: number, by: string): string => `${s.slice(0, i)}${by}${s.slice(i + 1)}`;

type Make = { component: UriComponent; name: string; uri: string | null };

/** The look-alikes of each class for one registered URI, before the identical ones are dropped. */
function candidates(registered: string): Record<LookAlikeClass, Make[]> {
  const parts = splitUri(registered);
  const scheme = parts.scheme ?? '';
  const lowerScheme = scheme.toLowerCase();
  const auth = parts.authority !== undefined ? splitAuthority(parts.authority) : null;
  const loopback = auth !== null && isLoopbackHost(auth.host);
  const withParts = (change: Partial<UriParts>): string => joinUri({ ...parts, ...change });
  const withAuth = (change: Partial<NonNullable<typeof auth>>): string | null => (auth ? withParts({ authority: joinAuthority({ ...auth, ...change }) }) : null);
  const path = parts.path;
  const pathLetter = firstLetter(path);
  const querySep = parts.query !== undefined ? '&' : '?';

  const normalisation: Make[] = [
    { component: 'scheme', name: 'the scheme in upper case', uri: scheme ? withParts({ scheme: scheme.toUpperCase() }) : null },
    { component: 'host', name: 'the host in upper case', uri: auth && /[a-z]/.test(auth.host) ? withAuth({ host: auth.host.toUpperCase() }) : null },
    { component: 'host', name: 'a percent-encoded "." in the host', uri: auth && auth.host.includes('.') ? withAuth({ host: auth.host.replace('.', '%2E') }) : null },
    { component: 'path', name: 'a percent-encoded unreserved character in the path', uri: pathLetter >= 0 ? withParts({ path: replaceAt(path, pathLetter, pct(path[pathLetter]!)) }) : null },
    {
      component: 'path',
      name: 'percent-encoding hex digits in the other case',
      uri: /%[0-9A-Fa-f]*[A-Fa-f]/.test(`${path}?${parts.query ?? ''}`)
        ? registered.replace(/%([0-9A-Fa-f]{2})/, (m) => (m === m.toUpperCase() ? m.toLowerCase() : m.toUpperCase()))
        : null,
    },
    { component: 'path', name: 'a "." dot-segment in the path', uri: path.startsWith('/') ? withParts({ path: `/.${path}` }) : null },
    { component: 'path', name: 'a "segment/.." dot-segment in the path', uri: path.startsWith('/') ? withParts({ path: `/lookalike/..${path}` }) : null },
    {
      component: 'port',
      name: auth?.port === DEFAULT_PORTS[lowerScheme] ? 'the default port left out' : 'the default port given explicitly',
      uri: auth && !loopback && DEFAULT_PORTS[lowerScheme] !== undefined
        ? auth.port === DEFAULT_PORTS[lowerScheme] ? withAuth({ port: undefined }) : auth.port === undefined ? withAuth({ port: DEFAULT_PORTS[lowerScheme] }) : null
        : null,
    },
    { component: 'port', name: 'an empty port', uri: auth && !loopback && auth.port === undefined ? withAuth({ port: '' }) : null },
    {
      component: 'path',
      name: path === '' ? 'an empty path given as "/"' : 'the path "/" left empty',
      uri: auth && (lowerScheme === 'http' || lowerScheme === 'https') && (path === '' || path === '/') ? withParts({ path: path === '' ? '/' : '' }) : null,
    },
    { component: 'query', name: 'a percent-encoded unreserved character in the query', uri: parts.query !== undefined && firstLetter(parts.query) >= 0 ? withParts({ query: replaceAt(parts.query, firstLetter(parts.query), pct(parts.query[firstLetter(parts.query)]!)) }) : null },
  ];

  const caseFolding: Make[] = [
    { component: 'path', name: 'the path in upper case', uri: /[a-z]/.test(path) ? withParts({ path: path.toUpperCase() }) : null },
    { component: 'path', name: 'one letter of the path in the other case', uri: pathLetter >= 0 ? withParts({ path: replaceAt(path, pathLetter, path[pathLetter] === path[pathLetter]!.toLowerCase() ? path[pathLetter]!.toUpperCase() : path[pathLetter]!.toLowerCase()) }) : null },
    { component: 'query', name: 'the query in upper case', uri: parts.query !== undefined && /[a-z]/.test(parts.query) ? withParts({ query: parts.query.toUpperCase() }) : null },
  ];

  const interiorSlash = path.indexOf('/', 1);
  const percentDecoding: Make[] = [
    {
      component: 'path',
      name: 'an encoded "/" (%2F) in the path',
      // With one segment only, the leading "/" (http://host%2Fcallback): a URI decoded as a whole still matches.
      uri: interiorSlash > 0 ? withParts({ path: replaceAt(path, interiorSlash, '%2F') }) : path.startsWith('/') ? withParts({ path: `%2F${path.slice(1)}` }) : null,
    },
    { component: 'path', name: 'a double-encoded character in the path (%25XX)', uri: pathLetter >= 0 ? withParts({ path: replaceAt(path, pathLetter, `%25${hex(path[pathLetter]!)}`) }) : null },
    { component: 'scheme', name: 'the ":" after the scheme encoded (%3A)', uri: scheme ? `${scheme}%3A${registered.slice(scheme.length + 1)}` : null },
    { component: 'query', name: 'the "?" of the query encoded (%3F)', uri: parts.query !== undefined ? withParts({ path: `${path}%3F${parts.query}`, query: undefined }) : null },
    { component: 'query', name: 'an "=" in the query encoded (%3D)', uri: parts.query?.includes('=') ? withParts({ query: parts.query.replace('=', '%3D') }) : null },
  ];

  const prefix: Make[] = [
    { component: parts.query !== undefined || parts.fragment !== undefined ? 'whole' : 'path', name: 'an extra path segment after it', uri: `${registered}/${'lookalike'}` },
    { component: 'whole', name: 'an attacker\'s domain after it', uri: `${registered}.${ATTACKER_HOST}` },
    { component: 'whole', name: 'extra characters after it', uri: `${registered}-lookalike` },
    { component: 'whole', name: 'a "/../" path traversal after it', uri: `${registered}/../lookalike` },
    { component: 'query', name: 'an extra query parameter after it', uri: parts.fragment === undefined ? `${registered}${querySep}next=https%3A%2F%2F${ATTACKER_HOST}%2F` : null },
  ];

  const host: Make[] = auth
    ? [
        { component: 'host', name: 'the registered host as the prefix of another host', uri: withAuth({ host: `${auth.host}.${ATTACKER_HOST}` }) },
        { component: 'host', name: 'a subdomain of the registered host', uri: withAuth({ host: `${ATTACKER_HOST.split('.')[0]}.${auth.host}` }) },
        { component: 'host', name: 'the registered host as the suffix of another host', uri: withAuth({ host: `${ATTACKER_HOST.split('.')[0]}${auth.host}` }) },
        { component: 'userinfo', name: 'the registered authority as userinfo of an attacker\'s host', uri: withParts({ authority: `${parts.authority}@${ATTACKER_HOST}` }) },
        { component: 'userinfo', name: 'userinfo added before the registered host', uri: withParts({ authority: `${ATTACKER_HOST}@${parts.authority}` }) },
        { component: 'userinfo', name: 'an attacker\'s host, a backslash and the registered authority as userinfo', uri: withParts({ authority: `${ATTACKER_HOST}\\@${parts.authority}` }) },
        { component: 'port', name: 'another port', uri: loopback ? null : withAuth({ port: String((Number(auth.port || DEFAULT_PORTS[lowerScheme] || '0') % 65_535) + 1) }) },
      ]
    : [];

  const dotIn = (s: string, which: 'first' | 'last'): number => (which === 'first' ? s.indexOf('.') : s.lastIndexOf('.'));
  const pattern: Make[] = [
    { component: 'host', name: 'the first "." of the host as another character', uri: auth && dotIn(auth.host, 'first') >= 0 ? withAuth({ host: replaceAt(auth.host, dotIn(auth.host, 'first'), 'x') }) : null },
    { component: 'host', name: 'the last "." of the host as another character', uri: auth && dotIn(auth.host, 'last') >= 0 ? withAuth({ host: replaceAt(auth.host, dotIn(auth.host, 'last'), 'x') }) : null },
    { component: 'scheme', name: 'a "." of the scheme as another character', uri: scheme.includes('.') ? withParts({ scheme: scheme.replace('.', 'x') }) : null },
    { component: 'path', name: 'a "." of the path as another character', uri: path.includes('.') ? withParts({ path: path.replace('.', 'x') }) : null },
    { component: 'query', name: 'a "." of the query as another character', uri: parts.query?.includes('.') ? withParts({ query: parts.query.replace('.', 'x') }) : null },
  ];

  const trailingSlash: Make[] = path.endsWith('/') && path.length > 1
    ? [{ component: 'path', name: 'the trailing slash left out', uri: withParts({ path: path.replace(/\/+$/, '') }) }, { component: 'path', name: 'a second trailing slash', uri: withParts({ path: `${path}/` }) }]
    : path === '/' || (path === '' && !auth)
      ? []
      : [{ component: 'path', name: 'a trailing slash', uri: withParts({ path: `${path}/` }) }, { component: 'path', name: 'two trailing slashes', uri: withParts({ path: `${path}//` }) }];

  // A query or fragment moves "the end of the URI" away from the path: a comparison that drops a trailing "/" of the
  // whole string is lenient there.
  if (parts.query !== undefined || parts.fragment !== undefined) trailingSlash.push({ component: parts.fragment !== undefined ? 'fragment' : 'query', name: 'a slash at the very end', uri: `${registered}/` });

  const fragment: Make[] = [
    { component: 'fragment', name: 'an empty fragment', uri: parts.fragment === undefined ? withParts({ fragment: '' }) : null },
    { component: 'fragment', name: parts.fragment === undefined ? 'a fragment' : 'another fragment', uri: withParts({ fragment: `${parts.fragment ?? ''}lookalike` }) },
  ];

  const params = parts.query?.split('&') ?? [];
  const query: Make[] = [
    { component: 'query', name: 'an empty query', uri: parts.query === undefined ? withParts({ query: '' }) : null },
    { component: 'query', name: 'an added query parameter', uri: withParts({ query: parts.query !== undefined ? `${parts.query}&lookalike=1` : 'lookalike=1' }) },
    { component: 'query', name: 'a query parameter added before the registered ones', uri: parts.query !== undefined ? withParts({ query: `lookalike=1&${parts.query}` }) : null },
    { component: 'query', name: 'a registered query parameter repeated', uri: parts.query !== undefined && params[0] ? withParts({ query: `${parts.query}&${params[0]}` }) : null },
    { component: 'query', name: 'the registered query parameters in another order', uri: params.length > 1 ? withParts({ query: [...params.slice(1), params[0]!].join('&') }) : null },
    { component: 'query', name: 'a trailing "&" in the query', uri: parts.query !== undefined && parts.query !== '' ? withParts({ query: `${parts.query}&` }) : null },
  ];

  const schemeClass: Make[] = [
    {
      component: 'scheme',
      name: lowerScheme === 'http' ? 'https instead of http' : lowerScheme === 'https' ? 'http instead of https' : 'another private-use scheme',
      uri: !scheme ? null : lowerScheme === 'http' ? withParts({ scheme: 'https' }) : lowerScheme === 'https' ? withParts({ scheme: 'http' }) : withParts({ scheme: 'com.attacker.app' }),
    },
    { component: 'scheme', name: 'no scheme (scheme-relative)', uri: scheme && auth ? withParts({ scheme: undefined }) : null },
  ];

  const whitespace: Make[] = [
    { component: 'whole', name: 'a leading space', uri: ` ${registered}` },
    { component: 'whole', name: 'a trailing space', uri: `${registered} ` },
    { component: 'whole', name: 'a trailing newline', uri: `${registered}\n` },
    { component: 'whole', name: 'a trailing tab', uri: `${registered}\t` },
  ];

  return {
    normalisation,
    'case-folding': caseFolding,
    'percent-decoding': percentDecoding,
    prefix,
    host,
    pattern,
    'trailing-slash': trailingSlash,
    fragment,
    query,
    scheme: schemeClass,
    whitespace,
  };
}

/**
 * The look-alikes of the registered URIs, in class order then registered order. A URI that is string-identical
 * to any registered URI is left out, and a URI two classes (or two registered URIs) both build is kept once, under
 * the first.
 */
export function lookAlikesFor(registered: readonly string[]): LookAlike[] {
  const taken = new Set<string>(registered);
  const out: LookAlike[] = [];
  const perUri = registered.map((r) => ({ r, c: candidates(r) }));
  for (const cls of LOOK_ALIKE_CLASSES) {
    for (const { r, c } of perUri) {
      for (const make of c[cls]) {
        if (make.uri === null || taken.has(make.uri)) continue;
        taken.add(make.uri);
        out.push({ class: cls, component: make.component, name: make.name, uri: make.uri, registered: r });
      }
    }
  }
  return out;
}

/** The look-alikes grouped by class, every class present (an empty list where none applies). */
export function lookAlikesByClass(registered: readonly string[]): Record<LookAlikeClass, LookAlike[]> {
  const groups = Object.fromEntries(LOOK_ALIKE_CLASSES.map((c) => [c, [] as LookAlike[]])) as Record<LookAlikeClass, LookAlike[]>;
  for (const l of lookAlikesFor(registered)) groups[l.class].push(l);
  return groups;
}
