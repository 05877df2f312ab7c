import { test, expect } from '@playwright/test';
import { onboard } from './helpers';

// Runs hydrated and with JavaScript off: support creates a company in the console, the invited
// hiring manager sets a name and password from the e-mailed link and signs in; a used link is
// gone; a forgotten password is reset from the sign-in page.

test('support invites a company admin who sets a password and signs in', async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const { company, email, password } = await onboard(page, js);
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText(`Alice Admin · ${company}`);
  // Nothing is connected yet: the banner says so and what to do.
  await expect(page.getByTestId('health-banner')).toContainText('Disconnected');
  await expect(page.getByTestId('health-banner')).toContainText('a company admin connects it on the Integration page');

  // The invitation worked once.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto('/dev/mailbox');
  const link = await page.locator('section').filter({ hasText: email }).first().getByTestId('mail-link').getAttribute('href');
  const used = await page.goto(link!);
  expect(used!.status()).toBe(410);
  await expect(page.getByRole('alert')).toContainText('expired or was already used');

  // Forgot the password: a reset link by e-mail, a new password, sign in with it.
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Your e-mail address').fill(email);
  await page.getByRole('button', { name: 'E-mail me a link' }).click();
  await expect(page.getByRole('status')).toContainText('a link to reset its password is on its way');
  await page.goto('/dev/mailbox');
  const reset = page.locator('section').filter({ hasText: 'Reset your ATS Bridge password' }).filter({ hasText: email }).first();
  await page.goto((await reset.getByTestId('mail-link').getAttribute('href'))!);
  await page.getByLabel(/New password/).fill(`${password} again`);
  await page.getByRole('button', { name: 'Set my password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(`${password} again`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/integration/);
});
