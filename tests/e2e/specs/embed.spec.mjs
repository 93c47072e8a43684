// Embeds for documentation: ?embed=1 shows the terminal with minimal chrome (and the lesson if
// named); &play= types a recorded session with play/pause/step/restart; three iframes on one
// page each work on their own; the share dialog gives the link and the <iframe> snippet.
import { test, expect, open, shot } from '../support.mjs';
import { challenges, serveFixture, typeKeys } from './trainer-support.mjs';

test('a page with three embeds: each works independently', async ({ page }) => {
  test.setTimeout(90_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await serveFixture(page, 'docs-page.html', 'embed.html', 'text/html');
  await page.goto('docs-page.html');
  const free = page.frameLocator('#free');
  const lesson = page.frameLocator('#lesson');
  const play = page.frameLocator('#play');
  for (const f of [free, lesson, play]) {
    await expect(f.getByTestId('current-line')).toContainText('>');
    await expect(f.locator('.banner')).toHaveCount(0);
    await expect(f.locator('.panels')).toHaveCount(0);
  }
  // The third plays by itself; pause stops it, step types one key, restart starts over.
  const player = play.getByTestId('player');
  await expect(player).toHaveAttribute('data-state', 'playing');
  await expect(play.locator('.screen')).toContainText('220 ', { timeout: 20_000 });
  await play.getByTestId('pause').click();
  await expect(player).toHaveAttribute('data-state', 'paused');
  const at = await play.getByTestId('play-position').innerText();
  await page.waitForTimeout(1200);
  await expect(play.getByTestId('play-position')).toHaveText(at);
  await play.getByTestId('step-key').click();
  await expect(play.getByTestId('play-position')).not.toHaveText(at);
  await play.getByTestId('replay').click();
  await expect(player).toHaveAttribute('data-state', 'playing');
  await expect(play.getByTestId('play-position')).toHaveText(/^\d{1,2} \//);

  await expect(free.getByTestId('trainer')).toHaveCount(0);
  await expect(lesson.getByTestId('lesson')).toHaveAttribute('data-lesson', 'kb153119-basic');
  await expect(lesson.getByTestId('picker')).toHaveCount(0);
  // The lesson ends by reading the message, so its embed keeps the Mailbox (and only it).
  await expect(lesson.getByTestId('mailbox')).toHaveCount(1);
  await expect(free.getByTestId('mailbox')).toHaveCount(0);

  // Typing into the first changes only the first.
  await free.getByTestId('terminal').click();
  await page.keyboard.type('ipconfig');
  await page.keyboard.press('Enter');
  await expect(free.locator('.screen')).toContainText('IP Address');
  await expect(lesson.locator('.screen')).not.toContainText('IP Address');

  // The lesson embed passes its step when typed into.
  await lesson.getByTestId('terminal').click();
  await page.keyboard.type('telnet mail.contoso.com 25');
  await page.keyboard.press('Enter');
  await expect(lesson.getByTestId('step').first()).toHaveAttribute('data-status', 'done');
  await expect(free.locator('.screen')).not.toContainText('220 ');

  await shot(page, 'embed-three-iframes');
  expect(errors).toEqual([]);
});

test('an embed fits a small iframe without a horizontal scroll bar on the page', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 300 });
  await open(page, '?embed=1&lesson=kb153119-basic');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('lesson')).toBeVisible();
});

test('a challenge embed keeps a compact Mailbox: what bounced is evidence', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 700, height: 420 });
  const errors = await open(page, '?embed=1&challenge=recipient-unknown');
  await expect(page.getByTestId('challenge')).toHaveAttribute('data-challenge', 'recipient-unknown');
  await expect(page.locator('.panels')).toHaveCount(0);
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toBeVisible();
  // Nothing delivered yet: one line, closed.
  await expect(mailbox).toContainText('Mailbox (0)');
  await expect(mailbox).not.toHaveAttribute('open', '');
  expect((await mailbox.boundingBox()).height).toBeLessThan(50);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  // The briefing says to look at what comes back to admin@contoso.com: the NDR is there.
  const challenge = challenges().find((c) => c.id === 'recipient-unknown');
  await page.getByTestId('terminal').click();
  await typeKeys(page, challenge.solution);
  await expect(mailbox).toContainText('Mailbox (1)');
  const folder = mailbox.locator('.mailbox-folder', { hasText: 'admin@contoso.com' });
  await expect(folder.locator('li.message[data-kind="Ndr"]')).toHaveCount(1);
  await expect(mailbox.locator('.mailbox-folder h3', { hasText: /^user@contoso\.com/ })).toHaveCount(0);
  await folder.getByText('Headers and body').click();
  await expect(folder.locator('pre')).toContainText('user@contoso.com');
  await shot(page, 'embed-challenge-mailbox');
  expect(errors).toEqual([]);
});

test('the share dialog gives the link and an iframe snippet of what is open', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  await page.getByTestId('share-button').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/index\.html\?lesson=kb153119-basic$/);
  const snippet = await page.getByTestId('share-snippet').inputValue();
  expect(snippet).toMatch(/^<iframe src="[^"]+\?lesson=kb153119-basic&amp;embed=1" title="[^"]+"/);
  // The snippet's address really opens the embed.
  const src = snippet.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  await page.goto(src);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'kb153119-basic');
  await expect(page.locator('.banner')).toHaveCount(0);
});

test('keys in the address are typed at a human pace', async ({ page }) => {
  await open(page, '?embed=1&keys=' + encodeURIComponent('ipconfig{enter}ping 127.0.0.1\n'));
  await expect(page.getByTestId('player')).toContainText('a recorded session');
  await expect(page.locator('.screen')).toContainText('IP Address', { timeout: 20_000 });
  await expect(page.locator('.screen')).toContainText('Reply from 127.0.0.1', { timeout: 20_000 });
  await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
});

test('a played session shows what is typed, which the Telnet session itself does not echo', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?embed=1&play=kb153119-basic');
  const typing = page.getByTestId('typing');
  // Inside the session local echo is off: the screen never shows EHLO, the player does.
  await expect(typing).toContainText('EHLO test.com \u21b5', { timeout: 30_000 });
  await expect(page.locator('.screen')).not.toContainText('EHLO test.com');
  await page.getByTestId('pause').click();
  await expect(typing.locator('code')).not.toBeEmpty();
});

test('a recorded session played with no lesson open keeps the Mailbox and opens what it delivered', async ({ page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 800, height: 600 });
  const errors = await open(page, '?embed=1&play=kb153119-advanced');
  await expect(page.getByTestId('lesson')).toHaveCount(0);
  // The played lesson ends by reading a receipt: its Mailbox is there from the start.
  const mailbox = page.getByTestId('mailbox');
  await expect(mailbox).toBeVisible();
  const player = page.getByTestId('player');
  await expect(player).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  // As in the lesson: the message, then its receipt, each opened in turn; the receipt last.
  await expect(player.getByTestId('typing')).toContainText('opened "Delivered', { timeout: 10_000 });
  await expect(player.getByTestId('typing')).toContainText('admin@contoso.com');
  const folder = mailbox.locator('.mailbox-folder', { hasText: 'admin@contoso.com' });
  await expect(folder.locator('li.message details[open]')).toHaveCount(1);
  await expect(folder.locator('li.message details[open]')).toBeVisible();
  expect(errors).toEqual([]);
});

/** Whether SELECTOR's element is wholly on screen: inside the viewport and every box that scrolls it. */
async function inView(page, selector) {
  return page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el) return `${s}: missing`;
    const r = el.getBoundingClientRect();
    const boxes = [{ top: 0, bottom: innerHeight }];
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (/auto|scroll|hidden/.test(getComputedStyle(p).overflowY)) boxes.push(p.getBoundingClientRect());
    }
    const out = boxes.find((b) => r.top < b.top - 1 || r.bottom > b.bottom + 1);
    return out ? `${s}: ${Math.round(r.top)}-${Math.round(r.bottom)} outside ${Math.round(out.top)}-${Math.round(out.bottom)}` : true;
  }, selector);
}

/** The terminal's height in rows of text, and whether the page itself needs scrolling. */
async function fit(page) {
  return page.evaluate(() => {
    const screen = document.querySelector('.screen');
    const rows = (screen.clientHeight - parseFloat(getComputedStyle(screen).paddingTop) * 2) / parseFloat(getComputedStyle(screen).lineHeight);
    return { rows: Math.round(rows * 10) / 10, height: screen.getBoundingClientRect().height, pageScrolls: document.documentElement.scrollHeight > innerHeight + 1 };
  });
}

const EMBEDS = [
  ['lesson', '?embed=1&lesson=kb153119-basic', ['[data-testid=step][data-status=current] .instruction']],
  ['play', '?embed=1&play=kb153119-basic', ['[data-testid=pause]', '[data-testid=step-key]', '[data-testid=replay]', '[data-testid=typing]']],
  ['challenge', '?embed=1&challenge=smtp-service-stopped', ['#answers-title', '.answers li']],
];

for (const [width, height] of [[700, 450], [800, 700], [400, 300], [1000, 900]]) {
  test(`embeds fit a ${width}x${height} iframe: the terminal follows its height, what to act on is in view`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width, height });
    for (const [what, query, wanted] of EMBEDS) {
      const errors = await open(page, query);
      await expect(page.getByTestId('trainer')).toBeVisible();
      if (what === 'play') await expect(page.getByTestId('typing')).toBeVisible({ timeout: 20_000 });
      const f = await fit(page);
      expect(f.pageScrolls, `${what}: the page scrolls`).toBe(false);
      expect(f.rows, `${what}: terminal rows`).toBeGreaterThanOrEqual(4.9);
      expect(await inView(page, '[data-testid=terminal]'), what).toBe(true);
      for (const s of wanted) expect(await inView(page, s), what).toBe(true);
      // The terminal takes the height the trainer leaves: most of the iframe when that is only the player.
      if (what === 'play') expect(f.height, 'play: terminal height').toBeGreaterThan(height * (height < 400 ? 0.25 : 0.55));
      expect(errors).toEqual([]);
    }
  });
}

test('a lesson embed keeps the current step in view as the learner goes on', async ({ page }) => {
  test.setTimeout(60_000);
  await page.setViewportSize({ width: 700, height: 450 });
  await open(page, '?embed=1&lesson=kb153119-basic');
  await page.getByTestId('terminal').click();
  const current = '[data-testid=step][data-status=current] .instruction';
  await expect(page.getByTestId('step').first()).toHaveAttribute('data-status', 'current');
  expect(await inView(page, current)).toBe(true);
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\n');
  await expect(page.getByTestId('step').nth(3)).toHaveAttribute('data-status', 'current');
  await expect.poll(() => inView(page, current)).toBe(true);
  await page.getByTestId('hint-button').click();
  await expect.poll(() => inView(page, '[data-testid=hint]')).toBe(true);
  expect((await fit(page)).pageScrolls).toBe(false);
});
