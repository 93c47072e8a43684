// A phone-sized viewport, and keyboard-only use from first load.
import { test, expect, open, currentLine, shot } from '../support.mjs';

test.describe('phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the layout fits and the key bar types what a phone keyboard lacks', async ({ page }) => {
    await open(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByRole('button', { name: 'Enter', exact: true })).toBeVisible();
    // An on-screen keyboard inserts text through input events, not keydowns.
    await page.getByTestId('terminal').tap();
    await page.locator('textarea.sink').evaluate((el) => {
      el.value = 'ab';
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: 'ab', bubbles: true }));
    });
    await expect(currentLine(page)).toContainText('>ab');
    await page.getByRole('button', { name: 'Backspace', exact: true }).tap();
    await expect(currentLine(page)).not.toContainText('>ab');
    await page.getByRole('button', { name: 'Enter', exact: true }).tap();
    await expect(page.locator('.screen')).toContainText("'a' is not recognized");
    // Readable on a phone: the terminal's text stays at 11px or more, and a line longer than
    // the screen wraps at its edge rather than scrolling sideways.
    const px = await page.getByTestId('terminal').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(px).toBeGreaterThanOrEqual(11);
    await page.getByTestId('terminal').tap();
    await page.locator('textarea.sink').evaluate((el) => {
      el.value = 'telnet mail.contoso.com 25';
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: el.value, bubbles: true }));
    });
    await page.getByRole('button', { name: 'Enter', exact: true }).tap();
    await expect(page.locator('.screen')).toContainText('220 mail.contoso.com');
    const banner = page.locator('.screen .line', { hasText: '220 mail.contoso.com' });
    const [lineHeight, height] = await banner.evaluate((e) => [parseFloat(getComputedStyle(e).lineHeight), e.getBoundingClientRect().height]);
    expect(height).toBeGreaterThan(lineHeight * 1.5);
    const sideways = await page.locator('.screen').evaluate((e) => e.scrollWidth - e.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    const overflowAfter = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflowAfter).toBeLessThanOrEqual(0);
    await shot(page, 'phone');
  });

  test('the lesson sits right under the terminal, above the panels', async ({ page }) => {
    await open(page, '?lesson=kb153119-basic');
    const top = async (locator) => (await locator.boundingBox()).y;
    const terminal = await top(page.getByTestId('terminal'));
    const step = await top(page.getByTestId('lesson').locator('[data-status="current"]'));
    const mailbox = await top(page.locator('details', { hasText: 'Mailbox' }).first());
    expect(step).toBeGreaterThan(terminal);
    expect(step).toBeLessThan(mailbox);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('"Show me" tapped under the terminal brings the whole terminal into view, first line too', async ({ page }) => {
    await open(page, '?lesson=kb153119-basic');
    const showMe = page.getByRole('button', { name: 'Show me' });
    await showMe.scrollIntoViewIfNeeded();
    // The button is below the fold at first: the terminal's top is scrolled off the screen.
    expect((await page.getByTestId('terminal').boundingBox()).y).toBeLessThan(0);
    await showMe.tap();
    await expect(page.locator('.screen')).toContainText('220 mail.contoso.com', { timeout: 20_000 });
    const box = await page.getByTestId('terminal').boundingBox();
    expect(box.y).toBeGreaterThanOrEqual(-1);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    await expect(page.locator('.screen .line', { hasText: '220 mail.contoso.com' })).toBeInViewport();
    await expect(page.getByTestId('player')).toBeInViewport();
  });
});

test('keyboard only: type at once, Tab out to the controls, Shift+Tab back in', async ({ page }) => {
  await open(page);
  await page.keyboard.type('abc');
  await expect(currentLine(page)).toContainText('>abc');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => document.activeElement?.tagName);
  expect(['SELECT', 'BUTTON', 'SUMMARY', 'INPUT']).toContain(next);
  // The focused control is visibly outlined.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).not.toBe('none');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('d');
  await expect(currentLine(page)).toContainText('>abcd');
  // The terminal shows that it has the focus with an outline, not colour alone.
  const ring = await page.getByTestId('terminal').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(ring).toBe('solid');
  await shot(page, 'keyboard-only');
});

test('the screen reader hears new lines through a live region', async ({ page }) => {
  await open(page);
  const live = page.getByTestId('announcer');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await page.keyboard.type('zzz');
  await page.keyboard.press('Enter');
  await expect(live).toContainText("'zzz' is not recognized");
});
