/**
 * The simulator's world: the projects, OAuth clients and platform settings it knows. targets/simulator.json
 * describes the same world from the harness's side (a unit test keeps the two in step).
 */
export interface SimClient {
  clientId: number;
  clientSecret: string;
  projectId: string;
  redirectUris: readonly string[];
}

export interface SimProject {
  projectId: string;
  /** Token-bucket rate in requests per second; `null` uses the limit given at start (`--rate-limit`). */
  ratePerSecond: number | null;
  burst: number | null;
}

export const MAIN_PROJECT_ID = '5f0f1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f';
/** A project of its own for rate-limit tests, so driving it into 429 cannot starve any other test. */
export const RATE_LIMIT_PROJECT_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f2a3b4c5d';
export const RATE_LIMIT_PER_SECOND = 10;

/** The callback pages the browser flows use are served on this origin by the e2e client app. */
export const CLIENT_APP_ORIGIN = 'http://127.0.0.1:8790';

export const PROJECTS: readonly SimProject[] = [
  { projectId: MAIN_PROJECT_ID, ratePerSecond: null, burst: null },
  { projectId: RATE_LIMIT_PROJECT_ID, ratePerSecond: RATE_LIMIT_PER_SECOND, burst: RATE_LIMIT_PER_SECOND },
];

export const CLIENTS: readonly SimClient[] = [
  {
    clientId: 7001,
    clientSecret: 'sim-client-secret-7001',
    projectId: MAIN_PROJECT_ID,
    redirectUris: [`${CLIENT_APP_ORIGIN}/callback`, `${CLIENT_APP_ORIGIN}/silent-callback`],
  },
  {
    clientId: 7002,
    clientSecret: 'sim-client-secret-7002',
    projectId: MAIN_PROJECT_ID,
    redirectUris: [`${CLIENT_APP_ORIGIN}/callback`],
  },
  {
    clientId: 7003,
    clientSecret: 'sim-client-secret-7003',
    projectId: RATE_LIMIT_PROJECT_ID,
    redirectUris: [`${CLIENT_APP_ORIGIN}/callback`],
  },
];

/** What the fake platforms accept besides the user's ticket or code. */
export const STEAM_APP_IDS: readonly string[] = ['480'];
export const EPIC_DEPLOYMENT_IDS: readonly string[] = ['sim-deployment-0001'];

export const DEFAULT_PORT = 8787;

/**
 * The fake networks' test-account APIs (sim/social/test-account-apis.ts) and the throwaway secrets they ask for,
 * as the real platforms ask for an app secret or a bearer token. The example credential sources
 * (targets/credential-sources/) read them from the environment, as they read the real ones.
 */
export const FACEBOOK_TEST_APP = { appId: '900000000000001', appSecret: 'sim-facebook-app-secret' } as const;
export const EPIC_TEST_ACCOUNT = {
  /** The Epic account the access token belongs to: every exchange code it asks for signs this account in. */
  accountId: 'sim-epic-account-0001',
  accessToken: 'sim-epic-account-access-token',
  clientId: 'sim-epic-client-0001',
} as const;
export const TEST_ACCOUNTS_BEARER = 'sim-test-accounts-secret';
