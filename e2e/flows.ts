import type { Page } from '@playwright/test';
import type { Account } from '../lib/profile.ts';
import type { ClientAppPlan } from './client-app/plan.ts';
import { expect, fillAccount } from './fixtures.ts';

/** Steps several specs share, written as the player does them on the game's pages. */

/** Opens the game page with the player's social token entered; the page is ready to sign in. */
export async function openLoginPage(page: Page, app: ClientAppPlan, provider: string, user: Account): Promise<void> {
  await page.goto(`${app.origin}/?provider=${encodeURIComponent(provider)}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await fillAccount(page, user);
}

/** The whole OAuth 2.0 sign-in on the game page; returns the user id the page shows. */
export async function signInOnGamePage(page: Page, app: ClientAppPlan, provider: string, user: Account): Promise<string> {
  await openLoginPage(page, app, provider, user);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.locator('#outcome')).toHaveAttribute('data-outcome', 'signed-in');
  const sub = (await page.locator('#user-id').textContent()) ?? '';
  expect(sub).not.toBe('');
  return sub;
}

/** Asks the page to use its session once more (GET /users/me) and returns the status Login answered. */
export async function checkSession(page: Page): Promise<number> {
  await page.getByRole('button', { name: 'Check session' }).click();
  // The page clears the previous answer as the click is handled, so this waits for this check's answer.
  await expect(page.locator('#session')).toHaveAttribute('data-status', /^\d+$/);
  return Number(await page.locator('#session').getAttribute('data-status'));
}
