import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `make bench`'s browser part: the same server and Chromium as the suite, one hydrated page.
export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: /\.bench\.ts$/,
  timeout: 300_000,
  projects: [{ name: 'bench', use: { javaScriptEnabled: true } }],
});
