import { defineConfig } from '@playwright/test';

// The suite starts its own server (global-setup.ts: port 0, fresh SQLite, embedded Merge
// sandbox) and drives Debian's Chromium. Pages that must work without JavaScript run again in
// the "no-js" project; what needs JavaScript lives in *.hydrate.spec.ts.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  workers: 1,
  reporter: 'list',
  use: { baseURL: process.env.BASE_URL, browserName: 'chromium', headless: true, timezoneId: 'UTC', launchOptions },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', testIgnore: /\.hydrate\.spec\.ts$/, use: { javaScriptEnabled: false } },
  ],
});
