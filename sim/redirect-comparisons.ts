/**
 * Lenient ways to compare a given redirect_uri with a registered one, each the comparison a real server could ship
 * instead of the exact one (RFC 6749 §3.1.2.3: "simple string comparison as defined in [RFC3986] Section 6.2.1";
 * RFC 9700 §4.1.3: exact string matching). The defect modes `redirect-uri-*` (sim/defects.ts) swap the good
 * redirect_uri rule for one of these. Written from the RFCs and the common mistakes, not from the harness's
 * look-alike generator (lib/), which the simulator never imports: the two meet only over HTTP.
 */

export type Comparison = (given: string, registered: string) => boolean;

/** RFC 3986 Appendix B. */
function split(uri: string): { scheme?: string; authority?: string; path: string; query?: string; fragment?: string } {
  const m = /^(([^:/?#]+):)?(\/\/([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?$/s.exec(uri)!;
  return { scheme: m[2], authority: m[4], path: m[5] ?? '', query: m[7], fragment: m[9] };
}

function join(p: ReturnType<typeof split>): string {
  return `${p.scheme !== undefined ? `${p.scheme}:` : ''}${p.authority !== undefined ? `//${p.authority}` : ''}${p.path}${p.query !== undefined ? `?${p.query}` : ''}${p.fragment !== undefined ? `#${p.fragment}` : ''}`;
}

const hostOf = (authority: string): string => authority.slice(authority.lastIndexOf('@') + 1).replace(/:[^\]]*$/, '');

/** RFC 3986 §5.2.4 remove_dot_segments. */
function removeDotSegments(path: string): string {
  let input = path;
  let output = '';
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      output = output.slice(0, Math.max(0, output.lastIndexOf('/')));
    } else if (input === '/..') {
      input = '/';
      output = output.slice(0, Math.max(0, output.lastIndexOf('/')));
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const segment = next < 0 ? input : input.slice(0, next);
      output += segment;
      input = input.slice(segment.length);
    }
  }
  return output;
}

/** RFC 3986 §6.2.2 syntax-based normalisation, plus §6.2.3's default and empty port and empty path for http(s). */
export function normalised(uri: string): string {
  // §6.2.2.1 upper-case hex digits; §6.2.2.2 decode percent-encoded unreserved characters.
  const pctNormal = uri.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => {
    const c = String.fromCharCode(Number.parseInt(h, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${h.toUpperCase()}`;
  });
  const p = split(pctNormal);
  const scheme = p.scheme?.toLowerCase();
  let authority = p.authority;
  if (authority !== undefined) {
    const at = authority.lastIndexOf('@');
    const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
    const hostPort = authority.slice(at + 1);
    const m = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/s.exec(hostPort)!;
    const port = m[2];
    const defaultPort = scheme === 'http' ? '80' : scheme === 'https' ? '443' : undefined;
    authority = `${userinfo}${m[1]!.toLowerCase()}${port === undefined || port === '' || port === defaultPort ? '' : `:${port}`}`;
  }
  let path = removeDotSegments(p.path);
  if (path === '' && authority !== undefined && (scheme === 'http' || scheme === 'https')) path = '/';
  return join({ ...p, scheme, authority, path });
}

/** Percent-decoding repeated until nothing changes (a value decoded by the framework, then again by the comparison). */
export function fullyDecoded(uri: string): string {
  let value = uri;
  for (let i = 0; i < 5; i += 1) {
    const next = value.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    if (next === value) break;
    value = next;
  }
  return value;
}

const stripScheme = (uri: string): string => uri.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, '');
const queryParams = (query: string | undefined): string[] => (query ?? '').split('&').filter((p) => p !== '');

/** Each lenient comparison, by the look-alike class it lets through (the names the defect modes carry). */
export const LENIENT_COMPARISONS = {
  normalising: (given, registered) => normalised(given) === normalised(registered),
  'case-insensitive': (given, registered) => given.toLowerCase() === registered.toLowerCase(),
  'percent-decoding': (given, registered) => fullyDecoded(given) === fullyDecoded(registered),
  prefix: (given, registered) => given.startsWith(registered),
  'host-substring': (given, registered) => {
    const g = split(given);
    const r = split(registered);
    if (r.authority === undefined || g.authority === undefined) return false;
    return g.scheme === r.scheme && g.path === r.path && g.query === r.query && g.fragment === r.fragment && g.authority.includes(hostOf(r.authority));
  },
  pattern: (given, registered) => {
    // The registered URI as a regular expression with every metacharacter escaped except ".", anchored at both ends.
    const source = registered.replace(/[\\^$*+?()[\]{}|/-]/g, '\\$&');
    return new RegExp(`^${source}$`, 's').test(given);
  },
  'trailing-slash': (given, registered) => {
    // Trailing slashes dropped from the path, and from the end of the whole URI.
    const strip = (uri: string): string => {
      const p = split(uri.replace(/\/+$/, ''));
      return join({ ...p, path: p.path.replace(/\/+$/, '') });
    };
    return strip(given) === strip(registered);
  },
  'fragment-ignored': (given, registered) => given.replace(/#.*$/s, '') === registered.replace(/#.*$/s, ''),
  'query-subset': (given, registered) => {
    const g = split(given);
    const r = split(registered);
    if (g.scheme !== r.scheme || g.authority !== r.authority || g.path !== r.path || g.fragment !== r.fragment) return false;
    const have = new Set(queryParams(g.query));
    return queryParams(r.query).every((p) => have.has(p));
  },
  'scheme-ignored': (given, registered) => stripScheme(given) === stripScheme(registered),
  trimmed: (given, registered) => given.trim() === registered,
} satisfies Record<string, Comparison>;

export type LenientComparison = keyof typeof LENIENT_COMPARISONS;
