import { expect, Page, APIRequestContext } from '@playwright/test';

export const DEMO_EMAIL = 'manager@acme.example';
export const DEMO_PASSWORD = 'demo-password';

/** Waits until the page is hydrated (a no-op check when JavaScript is off). */
export async function hydrated(page: Page, js: boolean) {
  if (js) await expect(page.locator('#hydrated')).toHaveAttribute('data-hydrated', 'true');
}

export async function signIn(page: Page, js: boolean) {
  await page.goto('/login');
  await hydrated(page, js);
  await page.getByLabel('E-mail').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/integration/);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** The sandbox's linked accounts (control API on the app's own origin). */
export async function sandboxAccounts(request: APIRequestContext): Promise<any[]> {
  const res = await request.get('/_sandbox/accounts');
  expect(res.ok()).toBeTruthy();
  const body = await res.json();
  return Array.isArray(body) ? body : body.accounts;
}

export function unique(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}
