import { accessSync, constants, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The browser the e2e stage drives: Debian's Chromium. Playwright cannot download its own browser where the
 * harness runs (no internet), so the system's is used, found here once for the config, the e2e fixtures and
 * the runners, and a missing one is reported in one line that says how to install it.
 */

/** Launch flags for a headless system Chromium in CI: no sandbox (root in containers), no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-gpu',
];

/** Where Debian (and Ubuntu) put the browser; `CHROMIUM_PATH` overrides. */
export const CHROMIUM_CANDIDATES: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const CHROMIUM_INSTALL_HINT = 'apt-get install -y chromium';

export type ChromiumLookup = { found: true; path: string } | { found: false; message: string };

const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Pure apart from `exists`, so the choice and the message are unit-tested without touching the machine. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = isExecutable): ChromiumLookup {
  const override = env.CHROMIUM_PATH?.trim();
  if (override) {
    return exists(override)
      ? { found: true, path: override }
      : { found: false, message: `Chromium not found at CHROMIUM_PATH=${override}; fix the path or unset it and run \`${CHROMIUM_INSTALL_HINT}\`` };
  }
  const path = CHROMIUM_CANDIDATES.find(exists);
  if (path) return { found: true, path };
  return { found: false, message: `Chromium not found (looked in ${CHROMIUM_CANDIDATES.join(', ')}); install Debian's with \`${CHROMIUM_INSTALL_HINT}\` (as root) or set CHROMIUM_PATH` };
}

/**
 * Video on failure. Playwright records with its own ffmpeg build, which `npx playwright install` cannot fetch
 * without internet; Debian's ffmpeg (`apt-get install -y ffmpeg`) does the same job. When Playwright's build is
 * missing and the system's exists, a small registry folder under node_modules/.cache holds a link to it and
 * PLAYWRIGHT_BROWSERS_PATH points there (the browser itself is given by path, so nothing else is looked up in
 * that folder). Called from the config, before the workers start, so they inherit the variable.
 */
export function prepareVideoRecording(env: NodeJS.ProcessEnv = process.env): { ok: true } | { ok: false; message: string } {
  if (process.platform !== 'linux') return { ok: true };
  const require = createRequire(import.meta.url);
  const browsers = JSON.parse(readFileSync(join(dirname(require.resolve('playwright-core/package.json')), 'browsers.json'), 'utf8')) as {
    browsers: { name: string; revision: string }[];
  };
  const revision = browsers.browsers.find((b) => b.name === 'ffmpeg')?.revision;
  if (!revision) return { ok: true };
  const registry = env.PLAYWRIGHT_BROWSERS_PATH || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ms-playwright');
  if (existsSync(join(registry, `ffmpeg-${revision}`, 'ffmpeg-linux'))) return { ok: true };
  const system = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p));
  if (!system || env.PLAYWRIGHT_BROWSERS_PATH) {
    return { ok: false, message: 'video on failure is off: no ffmpeg for Playwright; `apt-get install -y ffmpeg` turns it on' };
  }
  const shim = join(dirname(require.resolve('playwright-core/package.json')), '..', '.cache', 'playwright-system-ffmpeg');
  const link = join(shim, `ffmpeg-${revision}`, 'ffmpeg-linux');
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    try {
      symlinkSync(system, link);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another worker made it first
    }
  }
  env.PLAYWRIGHT_BROWSERS_PATH = shim;
  return { ok: true };
}
