import { test, expect } from '@playwright/test';
import { hydrated, DEMO_PASSWORD } from './helpers';

// A browser in Tokyo: its zone becomes the recruiter's default on first sign-in (the hydrated
// login form sends it). Without JavaScript nothing is sent (see pages.spec.ts).
test.use({ timezoneId: 'Asia/Tokyo' });

test("the browser's time zone becomes the default on first sign-in", async ({ page }) => {
  const js = true;
  await page.goto('/login');
  await hydrated(page, js);
  await page.getByLabel('E-mail').fill('recruiter@acme.example');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/integration/);

  await page.goto('/settings');
  await hydrated(page, js);
  await expect(page.getByRole('heading', { name: 'Your time zone' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Stage mapping' })).toBeVisible();
  await expect(page.getByTestId('time-zone')).toHaveValue('Asia/Tokyo');
  await page.getByTestId('time-zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save time zone' }).click();
  await expect(page.getByRole('status')).toContainText('Time zone saved');
  await expect(page.getByTestId('time-zone')).toHaveValue('Europe/Berlin');
});
