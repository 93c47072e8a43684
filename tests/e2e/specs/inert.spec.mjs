// Untrusted text stays inert text, in Chromium: script and markup typed at the prompt, pasted,
// sent inside a Telnet session (echoed back by the server, stored in a delivered message shown in
// the Mailbox) and arriving inside an instructor's scenario file (from disk and from
// ?scenario_url=). Terminal escape sequences are shown as placeholders, never obeyed. After each:
// no dialog opened, no element the text describes exists, the title is unchanged, no handler ran.
import path from 'node:path';
import { test, expect, open, connect, sees, typeLine, paste, currentLine } from '../support.mjs';
import { FIXTURES, serveFixture, typeKeys } from './trainer-support.mjs';

const ESC = '\u001b';
const BEL = '\u0007';
/** Script and markup in the forms a page could be tricked into obeying. */
const MARKUP = `<img src=x onerror="document.title='pwned';alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">go</a>`;
/** Clear screen, set the window title, colour. */
const ESCAPES = `${ESC}[2J${ESC}]0;pwned${BEL}${ESC}[31mred${ESC}[0m`;
/** How the console and the panels show them: ESC and BEL as their Control Pictures. */
const ESCAPES_SHOWN = '\u241b[2J\u241b]0;pwned\u2407\u241b[31mred\u241b[0m';

/** Watches for anything the hostile text could do; `check()` asserts none of it happened. */
async function guard(page) {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return {
    async check() {
      const found = await page.evaluate(() => {
        const everything = [document, ...[...document.querySelectorAll('iframe')].map((f) => f.contentDocument).filter(Boolean)];
        const out = [];
        for (const doc of everything) {
          for (const el of doc.querySelectorAll('body img, body script, body iframe, body object, body embed, a[href^="javascript:" i]')) {
            out.push(el.outerHTML.slice(0, 80));
          }
          for (const el of doc.querySelectorAll('*')) {
            for (const a of el.attributes) if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
          }
        }
        return { out, title: document.title };
      });
      expect(found.out, 'elements or handlers made from text').toEqual([]);
      expect(found.title).toBe('smtp-trainer: telnet mail.contoso.com 25');
      expect(dialogs, 'dialogs opened').toEqual([]);
    },
  };
}

test('script and markup typed at the prompt are shown as typed and run nowhere', async ({ page }) => {
  const g = await guard(page);
  await open(page);
  await page.keyboard.type(MARKUP);
  await expect(currentLine(page)).toContainText(MARKUP);
  await page.keyboard.press('Enter');
  await sees(page, '<img src=x onerror=');
  await g.check();
});

test('escape sequences pasted at the prompt act as cmd.exe\'s Esc key only: nothing cleared, coloured or renamed', async ({ page }) => {
  const g = await guard(page);
  await open(page);
  await typeLine(page, 'ipconfig');
  await sees(page, 'IP Address');
  // cmd.exe's Esc key empties the line being edited, so only what follows the last ESC is left.
  await paste(page, `${MARKUP}${ESCAPES}`);
  await expect(currentLine(page)).toHaveText(/>\[0m\s*$/);
  await page.keyboard.press('Enter');
  // The screen was not cleared, nor its colours changed.
  await sees(page, 'IP Address');
  const red = await page.locator('.screen').evaluate((el) => [...el.querySelectorAll('*')].some((e) => getComputedStyle(e).color === 'rgb(255, 0, 0)'));
  expect(red).toBe(false);
  await g.check();
});

test('inside a Telnet session: markup and escapes echoed locally, by the server and delivered to the Mailbox stay text', async ({ page }) => {
  const g = await guard(page);
  await open(page);
  await connect(page);
  await typeLine(page, 'EHLO test.com');
  // The server repeats VRFY's argument; it sends each control character as '?'.
  await paste(page, `VRFY ${MARKUP}${ESCAPES}\r\n`);
  await sees(page, `252 2.1.5 Cannot VRFY user, but will take message for ${MARKUP}?[2J?]0;pwned??[31mred?[0m`);
  // With local echo on, the Telnet client shows the keys it sends (BEL as a placeholder; it
  // sends ESC without echoing it, as it does for the other keys that have no character).
  await page.keyboard.press('Control+BracketRight');
  await sees(page, 'Microsoft Telnet>');
  await typeLine(page, 'set localecho');
  await typeLine(page, '');
  await paste(page, `NOOP ${ESCAPES}\r\n`);
  await sees(page, 'NOOP [2J]0;pwned\u2407[31mred[0m');
  await sees(page, '250 2.0.0 OK');
  await sees(page, /^220 mail\.contoso\.com/m);
  await typeLine(page, 'MAIL FROM:admin@contoso.com');
  await typeLine(page, 'RCPT TO:user@contoso.com');
  await typeLine(page, 'DATA');
  await sees(page, '354 ');
  await paste(page, `Subject: ${MARKUP}\r\n\r\n${MARKUP}\r\n${ESCAPES}\r\n.\r\n`);
  await sees(page, 'Queued mail for delivery');
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toContainText('user@contoso.com (1)');
  await mailbox.getByText('Headers and body').click();
  await expect(mailbox.locator('pre')).toContainText(`Subject: ${MARKUP}`);
  await expect(mailbox.locator('pre')).toContainText(ESCAPES_SHOWN);
  await expect(mailbox.locator('.message')).toContainText(MARKUP);
  await g.check();
});

/** Every text of the hostile file's lesson or challenge is on the page, as text. */
async function expectFileTextsShown(page) {
  const trainer = page.getByTestId('trainer');
  await expect(trainer).toContainText("<script>alert('lesson title')</script>");
  await expect(trainer).toContainText("<img src=x onerror=alert('summary')>");
  await expect(trainer).toContainText("ipconfig<img src=x onerror=alert('instruction')>");
  await expect(trainer).toContainText('\u241b[31mred\u241b[0m');
  await page.getByTestId('hint-button').click();
  await expect(page.getByTestId('hint')).toContainText("<script>alert('hint')</script> ipconfig \u241b]0;pwned\u2407");
  await page.getByTestId('terminal').click();
  await typeKeys(page, 'ipconfig\n');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  await expect(trainer).toContainText('<a href="javascript:alert(\'explanation\')">ipconfig</a>');
  await expect(trainer).toContainText('\u241b[1;31mbold red\u241b[0m');
}

test('an instructor\'s file from ?scenario_url= with markup and escapes in every text', async ({ page }) => {
  const g = await guard(page);
  await serveFixture(page, 'courses/hostile.toml', 'hostile-course.toml');
  await open(page, '?scenario_url=courses/hostile.toml&lesson=hostile-lesson');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'hostile-lesson');
  await expectFileTextsShown(page);
  await g.check();
  await open(page, '?scenario_url=courses/hostile.toml&challenge=hostile-challenge');
  const trainer = page.getByTestId('trainer');
  await expect(page.getByTestId('briefing')).toContainText("<script>alert('briefing')</script> Nobody can send mail. \u241b]0;pwned\u2407");
  await expect(trainer).toContainText("<img src=x onerror=alert('challenge title')> Refused \u241b[2J");
  await page.getByTestId('hint-button').click();
  await expect(page.getByTestId('hint').first()).toContainText("<img src=x onerror=alert('hint 1')> Ping works. \u241b[2J");
  await g.check();
});

test('an instructor\'s file opened from disk with markup and escapes in every text', async ({ page }) => {
  const g = await guard(page);
  await open(page);
  await page.getByTestId('scenario-file').setInputFiles(path.join(FIXTURES, 'hostile-course.toml'));
  await expect(page.getByTestId('custom-file')).toContainText('1 lesson');
  await page.getByTestId('picker').locator('summary').click();
  await expect(page.getByTestId('picker')).toContainText("<a href=\"javascript:alert('source')\">Course notes</a>");
  await page.getByTestId('lessons').locator('button[data-lesson="hostile-lesson"]').click();
  await expectFileTextsShown(page);
  await g.check();
});
