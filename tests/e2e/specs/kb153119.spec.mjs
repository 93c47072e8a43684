// The sessions of the source articles, typed as a learner types them, checked on the screen and
// in the panels: KB 153119 basic testing (local echo off, then on), the Backspace quirk, a
// pipelined paste, Ctrl+], the Mailbox, the Network trace's raw bytes, Explain.
import { test, expect, open, connect, sees, typeLine, paste, shot, currentLine, relayAttempt, terminal } from '../support.mjs';

test('KB 153119 basic testing, all steps, local echo off then on', async ({ page }) => {
  await open(page);
  // Step 1: the Telnet session.
  await connect(page);
  await sees(page, 'Microsoft ESMTP MAIL Service');
  // Step 2 with local echo off: the server answers, but what the learner types is not shown.
  await typeLine(page, 'EHLO test.com');
  await sees(page, '250 OK');
  expect(await page.locator('.screen').innerText()).not.toContain('EHLO test.com');
  // Turn local echo on the way XP's Telnet wants it: Ctrl+], set localecho, Enter to go back.
  await page.keyboard.press('Control+]');
  await expect(currentLine(page)).toContainText('Microsoft Telnet>');
  await expect(page.getByTestId('mode')).toContainText('Microsoft Telnet prompt');
  await typeLine(page, 'set localecho');
  await sees(page, 'Local echo on');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('mode')).toContainText('Telnet session');
  // Steps 3 to 9, now echoed.
  await typeLine(page, 'MAIL FROM:Admin@test.com');
  await sees(page, 'MAIL FROM:Admin@test.com');
  await sees(page, '250 2.1.0 Admin@test.com....Sender OK');
  await typeLine(page, 'RCPT TO: user@contoso.com');
  await sees(page, '250 2.1.5 user@contoso.com');
  await typeLine(page, 'DATA');
  await sees(page, '354 Start mail input; end with <CRLF>.<CRLF>');
  await typeLine(page, 'Subject: test message');
  await page.keyboard.press('Enter');
  await typeLine(page, 'This is a test message you will not see a response from this command.');
  await typeLine(page, '.');
  await sees(page, /250 2\.6\.0 <.+@mail\.contoso\.com> Queued mail for delivery/);
  await typeLine(page, 'QUIT');
  await sees(page, '221 2.0.0 mail.contoso.com Service closing transmission channel');
  await sees(page, 'Connection to host lost.');
  await expect(page.getByTestId('mode')).toHaveText('Command Prompt');
  // Step 10: the recipient received the message.
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox.locator('summary').first()).toContainText('Mailbox (1)');
  await expect(mailbox).toContainText('user@contoso.com (1)');
  await expect(mailbox).toContainText('test message');
  await mailbox.getByText('Headers and body').click();
  await expect(mailbox.locator('pre')).toContainText('This is a test message you will not see a response');
  await expect(mailbox.locator('pre')).toContainText('Subject: test message');
  await shot(page, 'kb153119-delivered');
});

test('the Backspace quirk: the screen shows HELO, the server got HELP, BS, O', async ({ page }) => {
  await open(page);
  await connect(page);
  await page.keyboard.press('Control+]');
  await typeLine(page, 'set localecho');
  await page.keyboard.press('Enter');
  await page.keyboard.type('HELP');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('O test.com');
  await page.keyboard.press('Enter');
  await sees(page, 'HELO test.com');
  await sees(page, '500 5.3.3 Unrecognized command');
  // The trace shows the byte Telnet really sent.
  const trace = page.getByTestId('trace');
  await trace.locator('summary').first().click();
  await trace.getByTestId('raw-bytes').check();
  await expect(trace.locator('pre.hex').filter({ hasText: /^0000  08 / })).not.toHaveCount(0);
  await shot(page, 'backspace-quirk-trace');
});

test('a paste of several commands is pipelined: one reply per command, in order', async ({ page }) => {
  await open(page);
  await connect(page);
  await typeLine(page, 'EHLO test.com');
  await sees(page, '250 OK');
  await paste(page, 'MAIL FROM:<admin@test.com>\r\nRCPT TO:<john@contoso.com>\r\nDATA\r\n');
  await sees(page, '354 Start mail input');
  const text = await page.locator('.screen').innerText();
  const order = ['250 2.1.0', '250 2.1.5', '354 '].map((r) => text.indexOf(r));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  await paste(page, 'Subject: piped\r\n\r\nhello\r\n.\r\nQUIT\r\n');
  await sees(page, 'Connection to host lost.');
  await expect(page.getByTestId('mailbox')).toContainText('john@contoso.com (1)');
});

test('Ctrl+] leaves the session for the Telnet prompt, quit returns to cmd', async ({ page }) => {
  await open(page);
  await connect(page);
  await page.keyboard.press('Control+]');
  await expect(currentLine(page)).toContainText('Microsoft Telnet>');
  await typeLine(page, 'quit');
  await expect(page.getByTestId('mode')).toHaveText('Command Prompt');
  await expect(currentLine(page)).toContainText('C:\\Documents and Settings\\Administrator>');
});

test('Explain: clicking a reply says what it means; the button explains the last one', async ({ page }) => {
  await open(page);
  await relayAttempt(page);
  const explain = page.getByTestId('explain');
  await page.locator('.screen .line', { hasText: '550 5.7.1 Unable to relay' }).click();
  await expect(explain).toContainText('Reply code 550');
  await expect(explain).toContainText('Enhanced status 5.7.1');
  await expect(explain).toContainText('What to do next');
  await page.locator('.screen .line', { hasText: '250 2.1.0' }).click();
  await expect(explain).toContainText('Reply code 250');
  await explain.getByRole('button', { name: 'Explain the last reply' }).click();
  await expect(explain).toContainText('Reply code 550');
  await shot(page, 'explain-relay');
});

test('only server replies are marked as something to click for Explain', async ({ page }) => {
  await open(page);
  // Before any session: the banner, the prompt and ping's lines are no replies.
  await typeLine(page, 'ping -n 1 127.0.0.1');
  await sees(page, 'Reply from 127.0.0.1');
  const ping = page.locator('.screen .line', { hasText: 'Reply from 127.0.0.1' });
  await expect(page.locator('.screen .line').first()).toBeVisible();
  await expect(page.locator('.screen .line.reply')).toHaveCount(0);
  const cue = (l) => l.evaluate((e) => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).cursor].join(' '));
  await ping.hover();
  expect(await cue(ping)).not.toContain('underline');
  await relayAttempt(page);
  const reply = page.locator('.screen .line', { hasText: '550 5.7.1 Unable to relay' });
  await expect(reply).toHaveClass(/\breply\b/);
  await expect(page.locator('.screen .line', { hasText: /^220 / })).toHaveClass(/\breply\b/);
  await expect(page.locator('.screen .line', { hasText: /^250-/ }).first()).toHaveClass(/\breply\b/);
  // The hover cue (a dotted underline and a pointer) appears on a reply.
  await reply.hover();
  expect(await cue(reply)).toBe('underline pointer');
});

test('Explain the last reply before any reply says how to get one, not that a line is no reply', async ({ page }) => {
  await open(page);
  const explain = page.getByTestId('explain');
  await explain.getByRole('button', { name: 'Explain the last reply' }).click();
  await expect(explain).toContainText('No server reply yet: connect with telnet mail.contoso.com 25');
  await expect(explain).not.toContainText('This line is not a server reply');
  await expect(explain.locator('.picked')).toHaveCount(0);
  await terminal(page).click();
  await typeLine(page, 'ping 127.0.0.1');
  await expect(page.locator('.screen')).toContainText('Packets: Sent = 4', { timeout: 10_000 });
  await explain.getByRole('button', { name: 'Explain the last reply' }).click();
  await expect(explain).toContainText('No server reply yet');
});

test('before any reply, Explain names the mail server of the lesson\'s own world', async ({ page }) => {
  const course = `title = "Fabrikam"
[world]
[[world.hosts]]
name = "mail.fabrikam.com"
ip = "10.0.0.25"
role = "mail"
persona = "exchange2003"
[[lessons]]
id = "fabrikam-explain"
title = "Fabrikam"
source = "Course notes"
summary = "Telnet to Fabrikam's server."
world = { base = "file" }
solution = "ipconfig\\n"
[[lessons.steps]]
instruction = "Type ipconfig."
check = { check = "command-run", program = "ipconfig" }
hint = "ipconfig"
explanation = "ipconfig shows the address."
`;
  await page.route('**/courses/fabrikam.toml', (route) => route.fulfill({ body: course }));
  await open(page, '?scenario_url=courses/fabrikam.toml&lesson=fabrikam-explain');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'fabrikam-explain');
  const explain = page.getByTestId('explain');
  await explain.getByRole('button', { name: 'Explain the last reply' }).click();
  await expect(explain).toContainText('No server reply yet: connect with telnet mail.fabrikam.com 25');
});

test('os=win2000: its prompt, and Telnet wants set local_echo', async ({ page }) => {
  await open(page, '?os=win2000');
  await expect(currentLine(page)).toContainText('C:\\>');
  await connect(page);
  await page.keyboard.press('Control+]');
  await typeLine(page, 'set local_echo');
  await page.keyboard.press('Enter');
  await typeLine(page, 'HELO test.com');
  await sees(page, 'HELO test.com');
});

test('persona=exchange55: the Exchange 5.5 banner', async ({ page }) => {
  await open(page, '?persona=exchange55');
  await expect(page.getByTestId('notices')).toHaveCount(0);
  await connect(page);
  await sees(page, 'Microsoft Exchange Internet Mail Service 5.5');
});

test('os=win10: Telnet Client is not installed out of the box', async ({ page }) => {
  await open(page, '?os=win10');
  await expect(currentLine(page)).toContainText('C:\\Users\\Administrator>');
  await typeLine(page, 'telnet mail.contoso.com 25');
  await sees(page, "'telnet' is not recognized as an internal or external command,");
});
