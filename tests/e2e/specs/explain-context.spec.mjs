// Explain reads a reply as the server that sent it meant it, in answer to the command it
// answered: the same words from two commands, or from two servers, are explained apart.
import { test, expect, open, terminal } from '../support.mjs';
import { typeKeys } from './trainer-support.mjs';

const line = (page, text) => page.locator('.screen .line', { hasText: text });

test('one text, two commands: a bad MAIL FROM address is not read as a bad EHLO domain', async ({ page }) => {
  await open(page);
  await terminal(page).click();
  // The Backspace goes to the server with the erased character: the address is malformed.
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:admin@test.c{bs}om\n');
  const reply = line(page, '501 5.5.4 Invalid Address');
  await expect(reply).toHaveCount(1);
  await reply.click();
  const explain = page.getByTestId('explain');
  await expect(explain).toContainText('The sender address is malformed');
  await expect(explain).not.toContainText('HELO/EHLO');
});

test('one text, two servers: each 250 OK is explained as its own server meant it', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?lesson=personas-side-by-side');
  await terminal(page).click();
  await typeKeys(page, 'telnet exchange55.contoso.com 25\nEHLO test.com\nQUIT\ntelnet mail.contoso.com 25\nEHLO test.com\n');
  const explain = page.getByTestId('explain');
  // The screen was cleared on the second connection: the 250 OK is Exchange 2003's.
  await line(page, /^250 OK$/).last().click();
  await expect(explain).toContainText('Exchange Server 2003');
  await typeKeys(page, 'QUIT\ntelnet exchange55.contoso.com 25\nEHLO test.com\n');
  await line(page, /^250 OK$/).last().click();
  await expect(explain).toContainText('Exchange Server 5.5');
  await expect(explain).not.toContainText('Exchange Server 2003');
});

test('one text, two situations: a bare HELO is explained as a missing domain, not a bad one', async ({ page }) => {
  await open(page, '?persona=exchange55');
  await terminal(page).click();
  // Exchange 5.5 words a bare HELO and a malformed domain alike: 501 Invalid Address.
  await typeKeys(page, 'telnet mail.contoso.com 25\nHELO\n');
  const reply = line(page, /^501 Invalid Address$/);
  await expect(reply).toHaveCount(1);
  await reply.click();
  const explain = page.getByTestId('explain');
  await expect(explain).toContainText('HELO needs your domain name');
  await expect(explain).not.toContainText('trailing dot');
  await expect(explain).not.toContainText('close the connection');
});
