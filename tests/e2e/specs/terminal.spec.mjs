// The terminal as a learner meets it: first prompt, typing, cmd's answer, paste, shortcuts,
// the transcript actions, text never interpreted as markup.
import { test, expect, open, currentLine, screenText, typeLine, paste, shot, terminal } from '../support.mjs';

test('first load shows the prompt with the keyboard already in the terminal', async ({ page }) => {
  const errors = await open(page);
  await expect(currentLine(page)).toContainText('C:\\');
  await expect(page.locator('.cursor')).toHaveCount(1);
  const focused = await page.evaluate(() => document.activeElement?.classList.contains('sink'));
  expect(focused).toBe(true);
  await shot(page, 'first-load');
  expect(errors).toEqual([]);
});

test('typing echoes at the prompt and an unknown command gets cmd.exe\'s answer', async ({ page }) => {
  await open(page);
  await page.keyboard.type('foo');
  await expect(currentLine(page)).toContainText('>foo');
  await page.keyboard.press('Enter');
  await expect(page.locator('.screen')).toContainText("'foo' is not recognized as an internal or external command,");
  await expect(currentLine(page)).not.toContainText('foo');
  // Backspace edits the cmd line.
  await page.keyboard.type('abx');
  await page.keyboard.press('Backspace');
  await expect(currentLine(page)).toContainText('>ab');
  await expect(currentLine(page)).not.toContainText('abx');
});

test('clicking the terminal gives it the keyboard back', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Clear' }).focus();
  await terminal(page).click();
  await page.keyboard.type('x');
  await expect(currentLine(page)).toContainText('>x');
});

test('a paste is typed as keystrokes, one Enter per line', async ({ page }) => {
  await open(page);
  await paste(page, 'one\r\ntwo\nthree');
  await expect(page.locator('.screen')).toContainText("'one' is not recognized");
  await expect(page.locator('.screen')).toContainText("'two' is not recognized");
  await expect(currentLine(page)).toContainText('>three');
});

test('server and user text is shown as text, control characters as placeholders', async ({ page }) => {
  await open(page);
  await paste(page, '<img src=x onerror=alert(1)>\u0001[2J');
  await expect(currentLine(page)).toContainText('<img src=x onerror=alert(1)>\u2401[2J');
  await expect(page.locator('.screen img')).toHaveCount(0);
});

test('browser shortcuts keep working: Ctrl+F, Ctrl+V and copy with a selection are not swallowed', async ({ page }) => {
  await open(page);
  const prevented = await page.locator('textarea.sink').evaluate((el) => {
    const send = (init) => {
      const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
      el.dispatchEvent(e);
      return e.defaultPrevented;
    };
    return {
      find: send({ key: 'f', code: 'KeyF', ctrlKey: true }),
      paste: send({ key: 'v', code: 'KeyV', ctrlKey: true }),
      zoom: send({ key: '+', code: 'Equal', ctrlKey: true }),
      bracket: send({ key: ']', code: 'BracketRight', ctrlKey: true }),
    };
  });
  expect(prevented).toEqual({ find: false, paste: false, zoom: false, bracket: true });
});

test('clear, copy transcript and download transcript', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await typeLine(page, 'hello');
  await expect(page.locator('.screen')).toContainText("'hello' is not recognized");

  await page.getByRole('button', { name: 'Copy transcript' }).click();
  await expect(page.getByTestId('status')).toHaveText('Transcript copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain("'hello' is not recognized");

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download transcript' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('smtp-trainer-transcript.txt');
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  expect(readFileSync(file, 'utf8')).toContain("'hello' is not recognized");

  await page.getByRole('button', { name: 'Clear' }).click();
  expect(await screenText(page)).not.toContain('hello');
  await expect(currentLine(page)).toContainText('>');
});

test('the transcript keeps what came before Telnet cleared the screen, and the toolbar hands the keyboard back', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page);
  await typeLine(page, 'ping -n 1 10.0.0.1');
  await expect(page.locator('.screen')).toContainText('Reply from 10.0.0.1');
  await typeLine(page, 'telnet mail.contoso.com 25');
  await expect(page.locator('.screen')).toContainText(/^220 /m);
  expect(await screenText(page)).not.toContain('Reply from 10.0.0.1');

  await page.getByRole('button', { name: 'Copy transcript' }).click();
  await expect(page.getByTestId('status')).toHaveText('Transcript copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Reply from 10.0.0.1');
  expect(copied).toContain('telnet mail.contoso.com 25');
  expect(copied).toMatch(/^220 /m);

  // Keys typed right after the button go to the session, not to the button.
  await page.keyboard.press('Control+]');
  await typeLine(page, 'set localecho');
  await page.keyboard.press('Enter');
  await typeLine(page, 'HELO x');
  await expect(page.locator('.screen')).toContainText('250 mail.contoso.com Hello');

  // Clear is a clean slate: the transcript starts again.
  await page.getByRole('button', { name: 'Clear' }).click();
  await typeLine(page, 'NOOP');
  await expect(page.locator('.screen')).toContainText('250 2.0.0 OK');
  await page.getByRole('button', { name: 'Copy transcript' }).click();
  const after = await page.evaluate(() => navigator.clipboard.readText());
  expect(after).not.toContain('Reply from 10.0.0.1');
  expect(after).toContain('NOOP');
});

test('the terminal is 80 columns wide', async ({ page }) => {
  await open(page);
  await paste(page, 'x'.repeat(200));
  const { width, ch } = await page.evaluate(() => {
    const line = document.querySelector('[data-testid=current-line]');
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(80);
    line.parentElement.appendChild(probe);
    const ch = probe.getBoundingClientRect().width;
    probe.remove();
    return { width: line.getBoundingClientRect().width, ch };
  });
  expect(Math.abs(width - ch)).toBeLessThan(2);
});

test('a screen with a few lines needs no scrolling, so no line is hidden above', async ({ page }) => {
  await open(page);
  await typeLine(page, 'foo');
  await expect(page.locator('.screen')).toContainText("'foo' is not recognized");
  const { scroll, client } = await page.locator('.screen').evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
  expect(scroll).toBeLessThanOrEqual(client + 1);
  await expect(page.locator('.screen .line', { hasText: "'foo' is not recognized" })).toBeInViewport();
});

/** Opens the app and types a KB 153119 session up to DATA's 354, ready for a message body. */
async function openAtData(page) {
  await open(page);
  await typeLine(page, 'telnet mail.contoso.com 25');
  await expect(page.locator('.screen')).toContainText(/^220 /m, { timeout: 10_000 });
  for (const l of ['EHLO test.com', 'MAIL FROM:admin@contoso.com', 'RCPT TO:user@contoso.com', 'DATA']) await typeLine(page, l);
  await expect(page.locator('.screen')).toContainText('354 Start mail input');
}

test('a 2 MB paste is typed in slices: the page keeps answering, keys typed meanwhile come after it, the Mailbox keeps a bounded copy', async ({ page }) => {
  test.setTimeout(60_000);
  await openAtData(page);
  await page.evaluate(() => {
    window.__worst = 0;
    let last = performance.now();
    window.__beat = setInterval(() => { const t = performance.now(); window.__worst = Math.max(window.__worst, t - last - 20); last = t; }, 20);
    const line = 'x'.repeat(98) + '\r\n';
    window.__t0 = performance.now();
    const data = new DataTransfer();
    data.setData('text/plain', `Subject: big\r\n\r\n${line.repeat(20_000)}.\r\n`);
    document.querySelector('textarea.sink').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('status')).toContainText('Typing the pasted text (1954 KB)');
  // Typed while the paste is still being typed: reaches the server after the message.
  await typeLine(page, 'QUIT');
  await expect(page.locator('.screen')).toContainText('Queued mail for delivery', { timeout: 30_000 });
  await expect(page.locator('.screen')).toContainText('221 2.0.0');
  await expect(page.getByTestId('status')).not.toContainText('Typing the pasted text');
  const { stall, took } = await page.evaluate(() => {
    clearInterval(window.__beat);
    return { stall: window.__worst, took: performance.now() - window.__t0 };
  });
  // Typed in one go, the page would not answer for the whole time the paste took; in slices its
  // longest pause is a small part of it (on a busy machine both grow, the ratio stays).
  expect(stall / took, `longest pause ${stall.toFixed(0)} ms of ${took.toFixed(0)} ms`).toBeLessThan(0.3);
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toContainText('user@contoso.com (1)');
  const kept = await mailbox.locator('pre').first().evaluate((el) => el.textContent.length);
  expect(kept).toBeLessThan(70 * 1024);
  await expect(mailbox.locator('pre').first()).toContainText(/\u2026 \d+ more bytes not shown here$/);
});

test('in a hidden tab a paste is typed in long slices, since the browser runs its timers only about once a second', async ({ page }) => {
  test.setTimeout(60_000);
  await openAtData(page);
  const slices = await page.evaluate(async () => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    const gaps = [];
    let last = performance.now();
    const beat = setInterval(() => { const t = performance.now(); gaps.push(t - last); last = t; }, 10);
    const data = new DataTransfer();
    data.setData('text/plain', `Subject: hidden\r\n\r\n${`${'y'.repeat(98)}\r\n`.repeat(30_000)}.\r\n`);
    document.querySelector('textarea.sink').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    const screen = document.querySelector('.screen');
    while (!screen.textContent.includes('Queued mail for delivery')) await new Promise((r) => setTimeout(r, 50));
    clearInterval(beat);
    return Math.max(...gaps);
  });
  // Visible, a slice takes about 12 ms (the 2 MB test above holds the page's stalls under 250 ms).
  expect(slices).toBeGreaterThan(300);
});
