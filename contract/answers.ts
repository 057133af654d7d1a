/**
 * What the documents leave open: which status and error code each bad input gets. The pages list 400, 404,
 * 422 and 429 with one body shape and one example code (`003-061`, "Object not found."), but not which input
 * earns which. This table is the simulator's answer to each case and why; the simulator's expectations file
 * (targets/expectations/simulator.json) follows it exactly (a unit test keeps the two equal). Against a real
 * server, QA edits that server's expectations file, never the tests.
 */
export interface Answer {
  status: number;
  code: string;
  description: string;
  why: string;
}

export const ANSWERS = {
  malformedBody: { status: 400, code: '003-004', description: 'The request body is not valid JSON.', why: 'Nothing can be read from the request: the classic 400.' },
  wrongContentType: { status: 400, code: '003-004', description: 'The request body must be application/json.', why: 'The pages declare the body as application/json; anything else cannot be read, like malformed JSON.' },
  bodyTooLarge: { status: 400, code: '003-004', description: 'The request body is too large.', why: 'Kept inside the documented status set rather than 413; the request cannot be read.' },
  missingParameter: { status: 422, code: '003-003', description: 'A required parameter is missing.', why: 'The request is readable but incomplete: 422, the documented status for a well-formed but unprocessable request.' },
  invalidParameter: { status: 422, code: '003-003', description: 'A parameter has an invalid value.', why: 'Wrong type, value outside the documented set, not a UUID, not Base64, a parameter given twice.' },
  stateTooShort: { status: 422, code: '003-003', description: 'state must be longer than 8 characters.', why: '"Must be longer than 8 symbols": an invalid parameter value.' },
  unknownProvider: { status: 404, code: '003-061', description: 'Object not found.', why: 'The path names a provider that does not exist: the documented example code for "Object not found.".' },
  unknownProject: { status: 404, code: '003-061', description: 'Object not found.', why: 'A well-formed projectId that names no project.' },
  unknownClient: { status: 404, code: '003-061', description: 'Object not found.', why: 'A well-formed client_id that names no OAuth 2.0 client.' },
  redirectUriNotRegistered: { status: 422, code: '010-012', description: 'The redirect_uri is not registered for this client.', why: 'Public Xsolla SDKs handle 010-012 as "redirect URI not registered"; exact match only.' },
  redirectUriAmbiguous: { status: 422, code: '010-011', description: 'Several redirect URIs are registered: redirect_uri is required.', why: 'Public Xsolla SDKs handle 010-011 as "several redirect URIs and none given".' },
  socialTokenRejected: { status: 422, code: '010-023', description: 'The social network rejected the access token.', why: 'Public Xsolla SDKs handle 010-023 as "invalid token".' },
  socialNetworkUnavailable: { status: 422, code: '003-080', description: 'The social network did not answer in time.', why: 'An upstream outage is reported inside the documented status set, never as a 5xx.' },
  userNotFound: { status: 404, code: '003-061', description: 'Object not found.', why: 'no_user_creation=true and the platform user has no account yet.' },
  rateLimited: { status: 429, code: '003-429', description: 'Too many requests.', why: 'The documented 429 with the documented body, plus Retry-After (RFC 6585).' },
  unknownRoute: { status: 404, code: '003-061', description: 'Object not found.', why: 'No such endpoint.' },
  wrongMethod: { status: 405, code: '003-005', description: 'Method not allowed.', why: 'RFC 9110: 405 with Allow; the body keeps the documented error shape.' },
  invalidGrant: { status: 400, code: '010-023', description: 'The authorization code or refresh token is invalid, used, expired or bound to another redirect_uri.', why: 'RFC 6749 §5.2 invalid_grant is a 400.' },
  invalidClient: { status: 401, code: '003-008', description: 'Client authentication failed.', why: 'RFC 6749 §5.2 invalid_client may be a 401.' },
  unauthorized: { status: 401, code: '010-017', description: 'The token is invalid, expired or deactivated.', why: 'Public Xsolla SDKs handle 010-017 as "invalid token"; 401 is what a bearer check answers (RFC 6750).' },
} as const satisfies Record<string, Answer>;

export type AnswerCase = keyof typeof ANSWERS;
export const ANSWER_CASES = Object.keys(ANSWERS) as AnswerCase[];
