import { expect, Page, APIRequestContext } from '@playwright/test';

export const DEMO_EMAIL = 'manager@acme.example';
export const DEMO_PASSWORD = 'demo-password';
export const SUPPORT_EMAIL = 'support@marketplace.example';
export const SUPPORT_PASSWORD = 'support staff password';

/** Waits until the page is hydrated (a no-op check when JavaScript is off). */
export async function hydrated(page: Page, js: boolean) {
  if (js) await expect(page.locator('#hydrated')).toHaveAttribute('data-hydrated', 'true');
}

export async function signIn(page: Page, js: boolean, email = DEMO_EMAIL, password = DEMO_PASSWORD, home = /\/integration/) {
  await page.goto('/login');
  await hydrated(page, js);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(home);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

/**
 * Onboarding as people do it: support creates a company in the console and invites its first
 * hiring manager; the invitation arrives in the demo mailbox; they choose a name and password
 * and sign in. Ends signed in as the new company admin.
 */
export async function onboard(page: Page, js: boolean) {
  const id = unique('co').split(' ')[1];
  const company = `Umbrella ${id}`;
  const email = `alice.${id}@umbrella.example`;
  const password = 'alice chooses a long password';
  await signIn(page, js, SUPPORT_EMAIL, SUPPORT_PASSWORD, /\/support/);
  await hydrated(page, js);
  await page.getByText('New company').click();
  await page.getByLabel('Company name').fill(company);
  await page.getByLabel(/First hiring manager/).fill(email);
  await page.getByRole('button', { name: 'Create and invite' }).click();
  await expect(page.getByRole('status')).toContainText(`${company} is created and an invitation went to ${email}`);
  await signOut(page);

  await page.goto('/dev/mailbox');
  const mail = page.locator('section').filter({ hasText: email }).first();
  await expect(mail).toContainText(`Join ${company} on ATS Bridge`);
  await page.goto((await mail.getByTestId('mail-link').getAttribute('href'))!);
  await hydrated(page, js);
  await expect(page.getByTestId('invitation')).toContainText(`You are invited to ${company} as a company admin`);
  await page.getByLabel('Your name').fill('Alice Admin');
  await page.getByLabel(/New password/).fill(password);
  await page.getByRole('button', { name: 'Create my account' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('status')).toContainText('Your account is ready');
  await signIn(page, js, email, password);
  return { company, email, password };
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
