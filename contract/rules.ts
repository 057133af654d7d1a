import type { Source } from './sources.ts';

/**
 * Rules the documents state in words, as data. Each names its source so checks and simulator rules cite it.
 */

/** "Must be longer than 8 symbols": 8 is rejected, 9 accepted, counted in characters (code points), not bytes. */
export const STATE_MIN_EXCLUSIVE_LENGTH = 8;
export const STATE_RULE: Source = { doc: 'oauthLogin', item: 'query.state', quote: 'Must be longer than 8 symbols.' };

/** Counts characters the way the rule means them: Unicode code points, not UTF-16 units or UTF-8 bytes. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function isValidState(value: string): boolean {
  return codePointLength(value) > STATE_MIN_EXCLUSIVE_LENGTH;
}

/** `response_type` "Must be code to get the user authentication code in the response." */
export const RESPONSE_TYPE_CODE = 'code';
export const RESPONSE_TYPE_RULE: Source = { doc: 'oauthLogin', item: 'query.response_type', quote: 'Must be code to get the user authentication code in the response.' };

/** `with_logout`: "1 to deactivate the existing values and activate a new one, 0 to keep the existing values activated." */
export const WITH_LOGOUT_VALUES = ['0', '1'] as const;
export const WITH_LOGOUT_DEFAULT = '0';
export const WITH_LOGOUT_RULE: Source = { doc: 'jwtLogin', item: 'query.with_logout', quote: '1 to deactivate the existing values and activate a new one, * 0 to keep the existing values activated.' };

/** `payload` "will be returned in the payload claim of the user JWT. Recommended maximum length less than 500 characters." */
export const PAYLOAD_RECOMMENDED_MAX_LENGTH = 500;
export const PAYLOAD_RULE: Source = { doc: 'jwtLogin', item: 'query.payload', quote: 'The value of the parameter will be returned in the payload claim of the user JWT.' };

/** `redirect_uri` "is required if you have more than one redirect URI in your project settings." */
export const REDIRECT_URI_RULE: Source = { doc: 'oauthLogin', item: 'query.redirect_uri', quote: 'The parameter is required if you have more than one redirect URI in your project settings.' };

/**
 * `redirect_uri` is one of the URIs registered for the client ("To set up this parameter, contact your Customer
 * Success Manager"), and OAuth 2.0 says how the two are compared: exactly, as strings (REDIRECT_URI_EXACT_MATCH).
 */
export const redirectUriRegisteredRule = (doc: 'oauthLogin' | 'crossAuth'): Source => ({
  doc,
  item: 'query.redirect_uri',
  quote: 'URL to redirect the user to after account confirmation, successful authentication, or password reset confirmation. To set up this parameter, contact your Customer Success Manager or email to csm@xsolla.com.',
});
export const REDIRECT_URI_EXACT_MATCH =
  'RFC 6749 §3.1.2.3: "the authorization server MUST compare the two URIs using simple string comparison as defined in [RFC3986] Section 6.2.1"; ' +
  'RFC 9700 §4.1.3: "the authorization server MUST ensure that the two URIs are equal; see Section 6.2.1 of [RFC3986], Simple String Comparison"';

/** Documented values of `scope`; others are passed through into the JWT unprocessed. */
export const DOCUMENTED_SCOPES = ['email', 'offline', 'playfab'] as const;
export const SCOPE_RULE: Source = { doc: 'oauthLogin', item: 'query.scope', quote: 'The Xsolla Login server does not process these values, but returns them in the received JWT.' };

/** `is_redirect`: true (default) answers 302 with `Location`; false answers 200 with the URL in the body. */
export const IS_REDIRECT_DEFAULT = true;
export const IS_REDIRECT_RULE: Source = { doc: 'crossAuth', item: 'query.is_redirect', quote: 'true value, the Xsolla Login server returns the 302 response code ... false value, the Xsolla Login server returns the 200 response code.' };

/** `no_user_creation`: "Do not create new user if they not exist yet. Existing users will be authorized as usual". Default false. */
export const NO_USER_CREATION_DEFAULT = false;
export const NO_USER_CREATION_RULE: Source = { doc: 'crossAuth', item: 'query.no_user_creation', quote: 'Do not create new user if they not exist yet. Existing users will be authorized as usual' };

/** `audience`: "Parameter value will be passed in the aud JWT field." */
export const AUDIENCE_RULE: Source = { doc: 'crossAuth', item: 'query.audience', quote: 'Parameter value will be passed in the aud JWT field.' };

/** `session_ticket`: "Session ticket received from the platform encoded according to the Base64 standard." */
export const SESSION_TICKET_RULE: Source = { doc: 'crossAuth', item: 'query.session_ticket', quote: 'Session ticket received from the platform encoded according to the Base64 standard.' };

/** Standard (RFC 4648 §4) Base64 with padding; URL-safe characters are not the "Base64 standard". */
export function isBase64(value: string): boolean {
  return value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

/** RFC 4122 textual UUID (the reference page types `projectId` as `string <uuid>`). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `client_id` is typed `integer`: decimal digits only, no sign, no fraction, no exponent. */
export const INTEGER_PATTERN = /^[0-9]+$/;
