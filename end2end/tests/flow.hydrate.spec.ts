import { test, expect, Page } from '@playwright/test';
import { hydrated, sandboxAccounts, signIn } from './helpers';

// The whole walking skeleton in a hydrated browser: connect through Merge Link (closing it
// first changes nothing), sync, pick the verification admin, import a job, send a request, the
// candidate accepts, the push lands, and stage, interview and outcome arrive on the open page
// through webhooks and server-sent events.

async function syncNow(page: Page) {
  await page.goto('/integration');
  await hydrated(page, true);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('status')).toContainText('Sync started');
  await expect(page.getByTestId('sync-state')).toContainText('up to date', { timeout: 30_000 });
}

test('from login to a synced stage, interview and outcome', async ({ page, request }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, true);
  await hydrated(page, true);

  // Closing Merge Link changes nothing.
  await page.getByRole('button', { name: 'Connect ATS' }).click();
  const link = page.getByRole('dialog', { name: /Merge Link/ });
  await expect(link).toBeVisible();
  await link.getByRole('button', { name: /Close/ }).click();
  await expect(page.getByTestId('link-status')).toContainText('Nothing was changed');
  await expect(page.getByTestId('connection')).toHaveCount(0);

  // Connect Greenhouse; the first sync shows progress and counts.
  await page.getByRole('button', { name: 'Connect ATS' }).click();
  await page.getByRole('dialog', { name: /Merge Link/ }).getByRole('button', { name: /Greenhouse/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'ATS connected' })).toBeVisible();
  await expect(page.getByTestId('integration-name')).toHaveText('Greenhouse');
  await expect(page.getByTestId('sync-state')).toContainText('up to date', { timeout: 30_000 });
  await expect(page.getByTestId('counts')).toContainText(/[1-9]\d* users · [1-9]\d* jobs/);

  // Greenhouse needs a verification admin; the first active super admin is pre-selected.
  await expect(page.getByRole('alert').filter({ hasText: 'waiting until you choose a verification admin' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search users' }).fill('');
  await page.getByRole('button', { name: 'Save verification admin' }).click();
  await expect(page.getByRole('status')).toContainText('Verification admin saved');
  await expect(page.getByTestId('current-admin')).toBeVisible();

  // Import an ATS job as a position (searchable picker).
  await page.goto('/positions');
  await hydrated(page, true);
  const importCard = page.locator('section').filter({ hasText: 'Import an ATS job' });
  await importCard.getByRole('searchbox').fill('engineer');
  const toImport = importCard.getByRole('combobox', { name: 'ATS job to import' });
  // The picker asks the server as you type; wait until it shows only what matches.
  await expect(toImport.locator('option').first()).toContainText(/engineer/i);
  await expect(toImport.locator('option').filter({ hasNotText: /engineer/i })).toHaveCount(0);
  const jobName = (await toImport.locator('option').first().textContent())!.trim();
  await importCard.getByRole('button', { name: 'Import as position' }).click();
  await expect(page.getByRole('status')).toContainText('Job imported');
  const position = page.getByTestId('position').filter({ hasText: `linked to ${jobName}` }).first();
  await expect(position).toBeVisible();
  const positionTitle = (await position.locator('strong').textContent())!.trim();

  // Send a request to Zoë.
  await page.goto('/requests');
  await hydrated(page, true);
  await page.getByRole('combobox', { name: /^Position/ }).selectOption({ label: positionTitle });
  await page.getByRole('combobox', { name: /^Candidate/ }).selectOption({ label: 'Zoë Ndlovu — Senior Backend Engineer' });
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page.getByRole('status')).toContainText('Interview request sent');

  // The candidate accepts from the mailbox link.
  await page.goto('/dev/mailbox');
  const mail = page.locator('section').filter({ hasText: positionTitle }).filter({ hasText: 'zoe.ndlovu' }).first();
  await page.goto((await mail.getByTestId('mail-link').getAttribute('href'))!);
  await hydrated(page, true);
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByTestId('answer')).toContainText('You accepted');

  // The push lands: candidate, application, attachment ids on the request page.
  await page.goto('/requests');
  await page.getByTestId('request-row').filter({ hasText: positionTitle }).getByRole('link', { name: 'Zoë Ndlovu' }).click();
  // The request page's code loads on first use (a split wasm chunk) before the URL changes.
  await expect(page).toHaveURL(/\/requests\/[^/]+$/);
  const requestUrl = page.url();
  await expect(async () => {
    await page.goto(requestUrl);
    await expect(page.getByTestId('push-state')).toContainText('done', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const appId = (await page.getByTestId('ats-application').textContent())!.trim();
  expect(appId).not.toBe('—');
  await expect(page.getByTestId('ats-attachment')).not.toHaveText('—');

  // The ATS moves the application and schedules an interview. Its signed webhooks bring both
  // to the open request page without a reload (server-sent events); the marker set on the
  // window proves the page was not reloaded.
  await page.goto(requestUrl);
  await hydrated(page, true);
  await page.evaluate(() => { (window as any).__notReloaded = true; });
  const account = (await sandboxAccounts(request)).at(-1).id;
  expect((await request.post(`/_sandbox/accounts/${account}/applications/${appId}/stage`, { data: { stage_name: 'Technical Interview' } })).ok()).toBeTruthy();
  await expect(page.getByTestId('stage')).toContainText('Technical Interview (interviewing)');
  expect((await request.post(`/_sandbox/accounts/${account}/applications/${appId}/interviews`, {
    data: { start_at: '2026-12-10T09:00:00Z', end_at: '2026-12-10T10:00:00Z', location: 'Cape Town office' },
  })).ok()).toBeTruthy();
  await expect(page.getByTestId('interview')).toContainText('2026-12-10 09:00 – 10:00 UTC');
  await expect(page.getByTestId('interview')).toContainText('Cape Town office');

  // Hired in the ATS: the request closes, still without a reload.
  expect((await request.post(`/_sandbox/accounts/${account}/applications/${appId}/hire`, { data: {} })).ok()).toBeTruthy();
  await expect(page.getByTestId('request-state')).toContainText('hired');
  await expect(page.getByTestId('outcome')).toContainText('hired on');
  expect(await page.evaluate(() => (window as any).__notReloaded)).toBe(true);

  // Sync now still works by hand and finds everything up to date.
  await syncNow(page);
  await page.goto(requestUrl);
  await expect(page.getByTestId('request-state')).toContainText('hired');
  expect(errors).toEqual([]);
});
