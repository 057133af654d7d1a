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
