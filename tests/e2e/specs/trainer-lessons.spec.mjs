// Every built-in lesson completed end to end by typing its solution as a learner types it,
// each step passing live in the lesson panel; hints on demand; a lesson picked from the list.
import { test, expect, currentLine, open, paste, shot, terminal } from '../support.mjs';
import { lessons, openMessage, typeKeys } from './trainer-support.mjs';

for (const lesson of lessons()) {
  test(`lesson ${lesson.id}: completed by typing its solution`, async ({ page }) => {
    test.setTimeout(180_000);
    const errors = await open(page, `?lesson=${lesson.id}`);
    const panel = page.getByTestId('lesson');
    await expect(panel).toHaveAttribute('data-lesson', lesson.id);
    await expect(panel.getByTestId('step').first()).toHaveAttribute('data-status', 'current');
    await typeKeys(page, lesson.solution);
    if (lesson.opensMail) {
      // Typing is not enough: the last step is reading what was delivered, in the Mailbox.
      await expect(page.getByTestId('lesson-complete')).toHaveCount(0);
      const opens = page.getByTestId('mailbox').getByText('Headers and body');
      for (let i = 0; i < await opens.count(); i += 1) await opens.nth(i).click();
    }
    await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete in');
    await expect(page.getByTestId('lesson-complete')).toContainText('0 hints');
    const steps = panel.getByTestId('step');
    const count = await steps.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i += 1) await expect(steps.nth(i)).toHaveAttribute('data-status', 'done');
    await expect(panel.getByTestId('explanation')).toHaveCount(count);
    await shot(page, `lesson-${lesson.id}`);
    expect(errors).toEqual([]);
  });
}

test('a hint is shown on demand, counted, and the step still passes as really done', async ({ page }) => {
  await open(page, '?scenario=kb153119-basic');
  const panel = page.getByTestId('lesson');
  await expect(panel.getByTestId('step-count')).toHaveText(/Step 1 of \d+/);
  await page.getByTestId('hint-button').click();
  await expect(panel.getByTestId('hint')).toContainText('telnet mail.contoso.com 25');
  await terminal(page).click();
  // Typing the command is not enough: the step passes when the 220 greeting arrives.
  await typeKeys(page, 'telnet mail.contoso.com 25\n');
  await expect(panel.getByTestId('step').first()).toHaveAttribute('data-status', 'done');
  await expect(panel.getByTestId('step').nth(1)).toHaveAttribute('data-status', 'current');
  await expect(panel.getByTestId('step-count')).toHaveText(/Step 2 of/);
  await expect(panel.getByTestId('explanation').first()).toContainText('220');
});

test('a wrong session does not pass the step it pretends to do', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\nRCPT TO: nobody@fabrikam.com\n');
  const steps = page.getByTestId('lesson').getByTestId('step');
  await expect(steps.nth(3)).toHaveAttribute('data-status', 'current');
});

test('a lesson is picked from the list and closed again', async ({ page }) => {
  await open(page);
  await page.getByTestId('picker').locator('summary').click();
  await page.getByTestId('lessons').locator('button[data-lesson="q115492-ip-tcp"]').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'q115492-ip-tcp');
  await expect(page).toHaveURL(/scenario=q115492-ip-tcp/);
  // The keyboard is in the terminal, not on the button (whose Enter would reopen the lesson).
  await page.keyboard.type('ping 127.0.0.1');
  await expect(currentLine(page)).toContainText('>ping 127.0.0.1');
  await page.getByRole('button', { name: 'Start again' }).click();
  await page.keyboard.type('ipconfig');
  await expect(currentLine(page)).toContainText('>ipconfig');
  await page.getByRole('button', { name: 'Close lesson' }).click();
  await expect(page.getByTestId('lesson')).toHaveCount(0);
});

test('a command in a title is set as code, in the list, the lesson and the snippet, never as backticks', async ({ page }) => {
  await open(page);
  await page.getByTestId('picker').locator('summary').click();
  const pick = page.getByTestId('lessons').locator('button[data-lesson="kb240832-bad-ehlo"]');
  await expect(pick.locator('code')).toHaveText('EHLO sub2.');
  await expect(page.getByTestId('picker')).not.toContainText('`');
  await pick.click();
  const title = page.locator('#lesson-title');
  await expect(title).toHaveText('A relay that fails on EHLO sub2., and the fix');
  await expect(title.locator('code')).toHaveText('EHLO sub2.');
  await page.getByTestId('share-button').click();
  await expect(page.getByTestId('share-snippet')).toHaveValue(/title="A relay that fails on EHLO sub2\., and the fix"/);
});

test('"Show me" types the solution and the lesson completes by itself', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page, '?lesson=q142614-iis-gateway');
  await page.getByRole('button', { name: 'Show me' }).click();
  await expect(page.getByTestId('player')).toBeVisible();
  await expect(page.getByTestId('lesson-complete')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('player')).toHaveAttribute('data-state', 'done');
});

for (const [id, mailbox, subject] of [
  ['kb153119-basic', 'user@contoso.com', 'test message'],
  ['kb153119-advanced', 'admin@contoso.com', 'Delivered'],
]) {
  test(`"Show me" of ${id} ends by opening the delivered message in the Mailbox`, async ({ page }) => {
    test.setTimeout(150_000);
    const errors = await open(page, `?lesson=${id}`);
    await page.getByRole('button', { name: 'Show me' }).click();
    const player = page.getByTestId('player');
    // The last step is reading the Mailbox: the demo does it the way a click does, and says so.
    await expect(page.getByTestId('lesson-complete')).toBeVisible({ timeout: 120_000 });
    await expect(player).toHaveAttribute('data-state', 'done');
    await expect(player.getByTestId('typing')).toContainText(`opened "${subject}`);
    await expect(player.getByTestId('typing')).toContainText(mailbox);
    const folder = page.getByTestId('mailbox').locator('.mailbox-folder', { hasText: mailbox });
    await expect(folder.locator('li.message details[open]')).toHaveCount(1);
    await expect(folder.locator('li.message details[open]')).toBeVisible();
    const steps = page.getByTestId('lesson').getByTestId('step');
    await expect(steps.last()).toHaveAttribute('data-status', 'done');
    // The learner can close it again like any message: the demo does not hold it open.
    await folder.locator('li.message details[open] summary').click();
    await expect(folder.locator('li.message details[open]')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('a KB 153119 session pasted after the banner passes every step in order', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\n');
  // An instructor pastes the article's commands at once: the lines after DATA are typed
  // before the trainer reads the 354, yet they are the message.
  await paste(page, 'EHLO test.com\r\nMAIL FROM:Admin@test.com\r\nRCPT TO: User@contoso.com\r\nDATA\r\nSubject: test message\r\n\r\nThis is a test message.\r\n.\r\nQUIT\r\n');
  const steps = page.getByTestId('lesson').getByTestId('step');
  await expect(steps.nth(9)).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('mistake')).toHaveCount(0);
  await openMessage(page);
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});

test('typing during a playback pauses it: its keys do not mix with the learner\'s', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, '?lesson=kb153119-basic');
  await page.getByRole('button', { name: 'Show me' }).click();
  const player = page.getByTestId('player');
  await expect(page.locator('.screen')).toContainText('220 ', { timeout: 20_000 });
  await page.getByTestId('terminal').click();
  await page.keyboard.type('QUIT');
  await page.keyboard.press('Enter');
  await expect(player).toHaveAttribute('data-state', 'paused');
  await expect(page.locator('.screen')).toContainText('Connection to host lost.');
  const at = await page.getByTestId('play-position').innerText();
  await page.waitForTimeout(2500);
  await expect(page.getByTestId('play-position')).toHaveText(at);
  await expect(page.locator('.screen')).not.toContainText('is not recognized');
});
