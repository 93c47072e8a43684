// Playwright drives Debian's Chromium (never a downloaded browser) against the release build in
// dist/, served by Python's static server on 127.0.0.1. Screenshots, traces and the HTML report
// go under target/ so CI can keep them as artifacts.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, PORT } from './support.mjs';

export default defineConfig({
  testDir: './specs',
  outputDir: '../../target/playwright/results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: '../../target/playwright/report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs },
  },
  webServer: {
    command: `python3 -m http.server ${PORT} --bind 127.0.0.1 --directory ../../dist`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
    // The server logs every request; only Playwright's own report matters.
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
