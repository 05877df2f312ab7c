import { test, expect } from '@playwright/test';
import { hydrated, signIn, unique } from './helpers';

// Runs hydrated and again with JavaScript off: login, positions, requests and the candidate's
// answer page must work either way.

test('a wrong password is refused with a message', async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  await page.goto('/login');
  await hydrated(page, js);
  await page.getByLabel('E-mail').fill('manager@acme.example');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong e-mail or password');
  await page.goto('/positions');
  await expect(page.getByRole('alert')).toContainText('Please sign in');
});

test('a hiring manager creates a position and a candidate accepts a request', async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  await signIn(page, js);

  const title = unique('Staff Engineer');
  await page.goto('/positions');
  await hydrated(page, js);
  await page.getByRole('textbox', { name: 'Title' }).fill(title);
  await page.getByRole('button', { name: 'Create position' }).click();
  await expect(page.getByRole('status')).toContainText('Position created');
  await expect(page.getByTestId('position').filter({ hasText: title })).toContainText('not linked to an ATS job');

  await page.goto('/requests');
  await hydrated(page, js);
  await page.getByRole('combobox', { name: /^Position/ }).selectOption({ label: title });
  await page.getByRole('combobox', { name: /^Candidate/ }).selectOption({ index: 2 });
  await page.getByLabel('Message to the candidate').fill('We loved your profile.');
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('status')).toContainText('Interview request sent');
  const row = page.getByTestId('request-row').filter({ hasText: title });
  await expect(row).toContainText('sent');

  // The candidate opens the link from the (demo) e-mail and accepts.
  await page.goto('/dev/mailbox');
  const mail = page.locator('section').filter({ hasText: title }).first();
  const link = await mail.getByTestId('mail-link').getAttribute('href');
  await page.goto(link!);
  await hydrated(page, js);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Acme Robotics would like to interview you');
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('status')).toContainText('you accepted');
  await expect(page.getByTestId('answer')).toContainText('You accepted');

  // Back as the hiring manager: accepted, and the push waits for a linked position.
  await page.goto('/requests');
  await page.getByTestId('request-row').filter({ hasText: title }).getByRole('link').click();
  await expect(page.getByTestId('request-state')).toContainText('accepted');
  const url = page.url();
  await expect(async () => {
    await page.goto(url);
    await expect(page.getByTestId('push-state')).toContainText('waiting', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId('push-message')).toBeVisible();

  // The candidate's marketplace profile renders for the hiring manager.
  await page.getByRole('heading', { level: 1 }).getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Skills' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Experience' })).toBeVisible();
});

test('settings: the time zone is saved and the stage mapping is listed', async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  await signIn(page, js);
  await page.goto('/settings');
  await hydrated(page, js);
  await expect(page.getByRole('heading', { name: 'Stage mapping' })).toBeVisible();
  await page.getByTestId('time-zone').selectOption('UTC');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('status')).toContainText('Time zone saved');
  await expect(page.getByTestId('time-zone')).toHaveValue('UTC');
});

test('a tampered candidate link is refused', async ({ page }) => {
  await page.goto('/respond/not-a-real.123.token');
  await expect(page.getByRole('alert')).toContainText('not allowed');
});
