import { chromium } from '@playwright/test';
import { chromiumArgs } from './support.mjs';
const base = 'http://127.0.0.1:8765/index.html';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
const page = await browser.newPage();
const errs = [];
page.on('pageerror', (e) => errs.push('PAGEERR ' + e));
await page.goto(base);
await page.waitForTimeout(1500);
await page.getByTestId('progress').locator('summary').click();
for (const f of process.argv.slice(2)) {
  await page.getByTestId('import').setInputFiles('/tmp/qa-x/files/' + f);
  await page.waitForTimeout(1500);
  const msgs = await page.locator('[data-testid=trainer-messages]').allInnerTexts();
  const sum = await page.getByTestId('progress-summary').innerText();
  console.log('==', f, JSON.stringify(msgs).slice(0, 400), '|', sum);
  const ok = page.locator('[data-testid=trainer-messages] button');
  if (await ok.count()) await ok.first().click();
}
console.log('errs', errs);
await browser.close();
