// Shared by the Playwright suite and the benchmark: how Chromium is launched here, and the
// page helpers a test needs to talk to the terminal as a learner would.
import { expect } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PORT = Number(process.env.E2E_PORT || 8765);

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync',
];

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHOTS = path.resolve(here, '../../target/e2e-screenshots');

/** Saves a full-page screenshot under target/e2e-screenshots/NAME.png. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens the app with QUERY and waits for the first prompt; fails on any page error. */
export async function open(page, query = '') {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`index.html${query}`);
  await expect(currentLine(page)).toContainText('>');
  return errors;
}

export const terminal = (page) => page.getByTestId('terminal');
export const currentLine = (page) => page.getByTestId('current-line');
export const screenText = async (page) => (await page.locator('.screen').innerText());

/** Types TEXT key by key, as a learner does, then presses Enter if asked. */
export async function typeLine(page, text, { enter = true } = {}) {
  await page.keyboard.type(text);
  if (enter) await page.keyboard.press('Enter');
}

/** Pastes TEXT into the terminal through a real paste event with clipboard data. */
export async function paste(page, text) {
  await page.locator('textarea.sink').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Runs `telnet mail.contoso.com 25` at the cmd prompt and waits for the banner. */
export async function connect(page, host = 'mail.contoso.com') {
  await typeLine(page, `telnet ${host} 25`);
  await expect(page.locator('.screen')).toContainText(/^220 /m, { timeout: 10_000 });
  await expect(page.getByTestId('mode')).toContainText('Telnet session');
}

/** Waits until the screen shows TEXT (a string or a RegExp). */
export async function sees(page, text) {
  await expect(page.locator('.screen')).toContainText(text);
}
