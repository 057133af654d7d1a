/**
 * The published documents the contract is built from. Every endpoint, parameter, rule and status in
 * contract/ carries a `Source` pointing back at the document (and the item in it) it was read from, so a
 * check can cite the line it enforces and the coverage table can prove every item is exercised.
 *
 * Plain data, no Node built-ins: the k6 scripts import this module too.
 */
export const DOCUMENTS = {
  jwtLogin: {
    file: 'contract/documents/jwt-login-with-token.md',
    title: '[JWT] Auth via access token of social network',
    url: 'https://developers.xsolla.com/api/login/operation/jwt-auth-via-access-token-of-social-network/',
  },
  jwtLoginReferencePage: {
    file: 'contract/documents/jwt-login-with-token.reference-page.txt',
    title: 'Auth via access token of social network (public reference page)',
    url: 'https://developers.xsolla.com/api/login/operation/jwt-auth-via-access-token-of-social-network/',
  },
  oauthLogin: {
    file: 'contract/documents/oauth2-login-with-token.md',
    title: '[OAuth 2.0] Auth via access token of social network',
    url: 'https://developers.xsolla.com/api/login/operation/oauth-20-auth-via-access-token-of-social-network/',
  },
  crossAuth: {
    file: 'contract/documents/oauth2-cross-auth.reference-page.txt',
    title: 'Silent authentication',
    url: 'https://developers.xsolla.com/api/login/operation/silent-authentication/',
  },
  /** Not one of the four pages: calls the flows need, described by the OAuth 2.0 guide and RFC 6749. */
  flowSupport: {
    file: 'docs/simulator.md#calls-the-flows-need',
    title: 'Generate JWT (POST /oauth2/token) and Get user details (GET /users/me)',
    url: 'https://developers.xsolla.com/api/login/operation/generate-jwt/',
  },
} as const;

export type DocumentId = keyof typeof DOCUMENTS;

/** Where an item of the contract comes from: the document and the item (parameter, field, response) in it. */
export interface Source {
  doc: DocumentId;
  /** The parameter, field or section of the document, e.g. `query.state` or `responses.429`. */
  item: string;
  /** The document's own words, quoted, where the rule is a sentence rather than a type. */
  quote?: string;
}

export function cite(source: Source): string {
  return `${DOCUMENTS[source.doc].file} § ${source.item}`;
}
