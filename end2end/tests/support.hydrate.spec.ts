import { test, expect, Page } from '@playwright/test';
import { hydrated, onboard, signIn, signOut, SUPPORT_EMAIL, SUPPORT_PASSWORD } from './helpers';

// The support console from the tenant table to a retried push: a new company connects Workable,
// a push to it fails, its hiring manager sees the banner, and support finds the company by
// search and filter, opens it, and retries the push with a confirmation until it is done.

async function failingPush(page: Page, company: string) {
  // Connect Workable through Merge Link and wait for the first sync.
  await page.goto('/integration');
  await hydrated(page, true);
  await page.getByRole('button', { name: 'Connect ATS' }).click();
  await page.getByRole('dialog', { name: /Merge Link/ }).getByRole('button', { name: /Workable/ }).click();
  await expect(page.getByTestId('sync-state')).toContainText('up to date', { timeout: 30_000 });

  // The next candidate write is refused by the ATS (the sandbox's fault injection).
  const fault = await page.request.post('/_sandbox/faults', {
    data: { kind: 'empty_error', status: 400, path_prefix: 'candidates', count: 1 },
  });
  expect(fault.ok()).toBeTruthy();

  await page.goto('/positions');
  await hydrated(page, true);
  const importCard = page.locator('section').filter({ hasText: 'Import an ATS job' });
  await importCard.getByRole('button', { name: 'Import as position' }).click();
  await expect(page.getByRole('status')).toContainText('Job imported');
  const title = (await page.getByTestId('position').first().locator('strong').textContent())!.trim();

  await page.goto('/requests');
  await hydrated(page, true);
  await page.getByRole('combobox', { name: /^Position/ }).selectOption({ label: title });
  await page.getByRole('combobox', { name: /^Candidate/ }).selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('status')).toContainText('Interview request sent');
  await page.goto('/dev/mailbox');
  const mail = page.locator('section').filter({ hasText: `from ${company}` }).first();
  await page.goto((await mail.getByTestId('mail-link').getAttribute('href'))!);
  await hydrated(page, true);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('answer')).toContainText('You accepted');
}

test('support finds a failing company and retries its push', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const { company } = await onboard(page, true);
  await failingPush(page, company);

  // The company's hiring manager sees what is wrong and what to do, without a reload.
  await page.goto('/requests');
  await hydrated(page, true);
  await expect(page.getByTestId('health-banner')).toContainText('Needs attention', { timeout: 30_000 });
  await expect(page.getByTestId('health-banner')).toContainText('1 push(es) to the ATS failed');
  await signOut(page);

  // Support: the table, searched and filtered, leads to the company.
  await signIn(page, true, SUPPORT_EMAIL, SUPPORT_PASSWORD, /\/support/);
  await hydrated(page, true);
  await page.getByRole('searchbox').fill(company);
  await page.getByLabel('Writes failing').check();
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/failing=on/);
  const row = page.getByTestId('tenant-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Needs attention');
  await expect(row).toContainText('Workable');
  await row.getByRole('link', { name: company }).click();

  // The company's page: the failed push, by id only, with the ATS's answer.
  await expect(page.getByTestId('tenant-name')).toHaveText(company);
  await hydrated(page, true);
  const push = page.getByTestId('support-push').first();
  await expect(push).toContainText('failed');
  await expect(push.getByTestId('support-push-error')).toContainText('HTTP 400');
  await expect(page.getByTestId('sync-run').first()).toContainText('succeeded');

  // Retry needs the confirmation tick; then the push runs again and lands.
  await push.getByLabel('I confirm this push runs again now').check();
  await push.getByRole('button', { name: 'Retry push' }).click();
  await expect(page.getByRole('status')).toContainText('Push retried');
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('support-push').first()).toContainText('done', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  // The console has no live stream (support belongs to no company): a reload shows the change.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('tenant-health')).toContainText('Healthy', { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // The retry is in the company's audit log, by support.
  await expect(page.locator('[data-testid="activity"]').filter({ hasText: 'retried a push' })).toContainText('Sam Support (marketplace support)');
  expect(errors).toEqual([]);
});
