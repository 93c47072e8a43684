// The panels beside the terminal: Event Viewer, Network trace in Network Monitor's words, a
// delivery receipt in the Mailbox, and Settings starting a fresh workstation.
import { test, expect, open, connect, sees, typeLine, shot, currentLine, relayAttempt, terminal } from '../support.mjs';
import { typeKeys } from './trainer-support.mjs';

test('Event Viewer: a refused relay is logged by the server', async ({ page }) => {
  await open(page);
  await relayAttempt(page);
  const events = page.getByTestId('events');
  await events.locator('summary').first().click();
  await expect(events.locator('tbody tr')).not.toHaveCount(0);
  await expect(events).toContainText('Warning');
  await expect(events).toContainText(/relay/i);
  // Dated by the server's clock, in the words of its banner, not a stopwatch.
  const banner = await page.locator('.screen .line', { hasText: /^220 / }).first().textContent();
  // Event Viewer writes that day in US English, without leading zeros: 6/12/2007 4:30:10 AM.
  const [, d, mon, y] = banner.match(/\w{3}, (\d{1,2}) (\w{3}) (\d{4})/) ?? [];
  expect(y).toBeTruthy();
  const m = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(mon) / 3 + 1;
  await expect(events.locator('thead')).toContainText('Date and Time');
  await expect(events.locator('tbody tr').first())
    .toContainText(new RegExp(`${m}/${Number(d)}/${y} (1[0-2]|[1-9]):[0-5]\\d:[0-5]\\d [AP]M`));
  await shot(page, 'event-viewer');
});

test('Network trace: segments described as Network Monitor does (KB 240832)', async ({ page }) => {
  await open(page);
  await connect(page);
  await typeLine(page, 'EHLO test.com');
  await sees(page, '250 OK');
  const trace = page.getByTestId('trace');
  await trace.locator('summary').first().click();
  await expect(trace).toContainText(/SMTP: Rsp: Service ready, \d+ bytes/);
  await expect(trace).toContainText('SMTP: Data = E');
  await expect(trace.locator('pre.hex')).toHaveCount(0);
  await trace.getByTestId('raw-bytes').check();
  await expect(trace.locator('pre.hex').first()).toContainText('0000  32 32 30 20');
});

test('Mailbox: a delivery receipt for NOTIFY=SUCCESS,FAILURE (KB 153119 advanced testing)', async ({ page }) => {
  await open(page);
  await connect(page);
  for (const line of ['EHLO test.com', 'MAIL FROM:admin@contoso.com',
    'RCPT TO:user@contoso.com NOTIFY=SUCCESS,FAILURE', 'DATA', 'Subject: receipt please', '', 'body', '.']) {
    await typeLine(page, line);
  }
  await sees(page, 'Queued mail for delivery');
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toContainText('user@contoso.com (1)');
  await expect(mailbox).toContainText('Delivery receipt (DSN)');
  await expect(mailbox).toContainText('admin@contoso.com (1)');
  await expect(page.getByTestId('announcer')).toContainText('A message was delivered to');
  await shot(page, 'mailbox-receipt');
});

test('Settings: another server starts a fresh workstation that talks like it', async ({ page }) => {
  await open(page);
  await typeLine(page, 'foo');
  await sees(page, "'foo' is not recognized");
  await page.locator('#set-persona').selectOption('exchange2016');
  await expect(page).toHaveURL(/persona=exchange2016/);
  await expect(page.locator('.screen')).not.toContainText("'foo' is not recognized");
  await page.getByTestId('terminal').click();
  await connect(page);
  await sees(page, /^220 mail\.contoso\.com Microsoft ESMTP MAIL Service ready at /m);
  await page.locator('#set-os').selectOption('win2000');
  await expect(currentLine(page)).toContainText('C:\\>');
  // Nothing of the session is lost: the notice says what was reset, and the transcript still
  // holds both earlier workstations, each change marked.
  await expect(page.getByTestId('notices')).toContainText('Settings changed to Windows 2000: a fresh workstation started');
  await expect(page.getByTestId('notices')).toContainText('without the files made at its prompt');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download transcript' }).click(),
  ]);
  const { readFileSync } = await import('node:fs');
  const saved = readFileSync(await download.path(), 'utf8');
  expect(saved).toContain("'foo' is not recognized");
  expect(saved).toMatch(/^220 mail\.contoso\.com Microsoft ESMTP MAIL Service ready at /m);
  expect(saved).toMatch(/^---- Settings changed to Exchange[^\n]*2016[^\n]*: a fresh workstation starts here ----$/m);
  expect(saved).toMatch(/^---- Settings changed to Windows 2000: a fresh workstation starts here ----$/m);
  expect(saved).toMatch(/Windows 2000[^]*C:\\>$/);
});

test('Settings: an open lesson keeps its own workstation and says which', async ({ page }) => {
  await open(page, '?lesson=local-echo-backspace');
  await expect(page.getByTestId('settings-hint')).toContainText('Windows 2000');
  await expect(page.locator('#set-os')).toBeDisabled();
  await expect(page.locator('#set-persona')).toBeDisabled();
  await expect(page.locator('#set-theme')).toBeEnabled();
  await page.getByRole('button', { name: 'Close lesson' }).click();
  await expect(page.locator('#set-os')).toBeEnabled();
});

test('Mailbox: a message opened stays the one open when more mail arrives, before or after it', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page);
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\nSubject: first\n\nbody\n.\n');
  const mailbox = page.getByTestId('mailbox');
  await mailbox.getByText('Headers and body').click();
  await expect(mailbox.locator('.message details[open]')).toContainText('Subject: first');
  // admin@ sorts before user@: its folder is listed first.
  await terminal(page).click();
  await typeKeys(page, 'MAIL FROM:User@contoso.com\nRCPT TO: Admin@contoso.com\nDATA\nSubject: second\n\nbody\n.\n');
  await expect(mailbox).toContainText('admin@contoso.com (1)');
  // And one more for the same mailbox, listed after it.
  await typeKeys(page, 'MAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\nSubject: third\n\nbody\n.\nQUIT\n');
  await expect(mailbox).toContainText('user@contoso.com (2)');
  await expect(mailbox.locator('.message details[open]')).toHaveCount(1);
  await expect(mailbox.locator('.message details[open]')).toContainText('Subject: first');
});

test('Mailbox: IIS 6 without Exchange drops mail for any user of its domain in its Drop folder', async ({ page }) => {
  await open(page, '?persona=iis6');
  const mailbox = page.getByTestId('mailbox');
  await mailbox.locator('summary').first().click();
  await expect(mailbox).toContainText('has no mailboxes');
  await expect(mailbox).toContainText('Drop (C:\\Inetpub\\mailroot\\Drop)');
  await terminal(page).click();
  await connect(page);
  for (const line of ['EHLO test.com', 'MAIL FROM:admin@test.com', 'RCPT TO:nobody@contoso.com',
    'DATA', 'Subject: to the Drop folder', '', 'body', '.']) {
    await typeLine(page, line);
  }
  await sees(page, 'Queued mail for delivery');
  await expect(mailbox).toContainText('Drop (C:\\Inetpub\\mailroot\\Drop) (1)');
  await mailbox.getByText('Headers and body').click();
  await expect(mailbox.locator('pre')).toContainText('x-sender: admin@test.com');
  await expect(mailbox.locator('pre')).toContainText('x-receiver: nobody@contoso.com');
  await expect(mailbox.locator('pre')).toContainText('X-OriginalArrivalTime:');
  await shot(page, 'mailbox-iis-drop');
});
