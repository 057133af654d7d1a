import { loadProfile, profilePathFromEnv } from '../../lib/profile.ts';
import { planClientApp } from './plan.ts';
import { startClientApp } from './server.ts';

/** The client app alone (Playwright's `webServer` starts it for the e2e project): `npx tsx e2e/client-app/main.ts`. */
async function main(): Promise<void> {
  const profile = loadProfile(profilePathFromEnv());
  const plan = planClientApp(profile.oauth);
  if (!plan.ok) {
    process.stderr.write(`client app: not started: ${plan.reason}\n`);
    process.exit(2);
  }
  let app;
  try {
    app = await startClientApp(profile, plan);
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    process.stderr.write(err.code === 'EADDRINUSE' ? `client app: ${plan.origin} is in use, probably by another run's client app (the registered redirect URIs fix the port); wait for that run or stop it\n` : `client app: ${err.message}\n`);
    process.exit(1);
  }
  process.stdout.write(`client app listening on ${app.origin} (Login API ${profile.baseUrl})\n`);
  const stop = (): void => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
