// A learner's usual slips, made on purpose: the lesson says what went wrong and how to get back
// on track, and can still be finished; a guessed challenge answer is called a guess; steps
// passed before a reload are still shown; commands in the text are set as code.
import { test, expect, open, terminal } from '../support.mjs';
import { openMessage, typeKeys } from './trainer-support.mjs';

/** KB 153119 up to the 354 that invites the message. */
const TO_DATA = 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\n';

const steps = (page) => page.getByTestId('lesson').getByTestId('step');

test('forgetting the blank line after Subject is explained, and the lesson can still be finished', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, TO_DATA);
  // Subject, then the body at once: no blank line. The step must not pass.
  await typeKeys(page, 'Subject: test message\nThis is a test message.\n.\n');
  await expect(steps(page).nth(5)).toHaveAttribute('data-status', 'current');
  const said = page.getByTestId('mistake');
  await expect(said).toContainText('blank line');
  await expect(said.locator('code').first()).toHaveText('MAIL FROM:Admin@test.com');
  // Doing what it says, in the same session, finishes the lesson.
  await typeKeys(page, 'MAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\nSubject: test message\n\nThis is a test message.\n.\nQUIT\n');
  await openMessage(page);
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
  await expect(page.getByTestId('mistake')).toHaveCount(0);
});

test('a period straight after the blank line is no body: the body step waits and says why', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, `${TO_DATA}Subject: test message\n\n.\n`);
  await expect(steps(page).nth(6)).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('mistake')).toContainText('no body');
  // Neither a command nor the next message's headers are a body line.
  await typeKeys(page, 'MAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\nSubject: test message\n\n');
  await expect(steps(page).nth(6)).toHaveAttribute('data-status', 'current');
  await typeKeys(page, 'This is a test message.\n');
  await expect(steps(page).nth(7)).toHaveAttribute('data-status', 'current');
});

test('the last KB 153119 step passes only once the message is opened in the Mailbox', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, `${TO_DATA}Subject: test message\n\nThis is a test message.\n.\nQUIT\n`);
  await expect(steps(page).nth(9)).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('lesson-complete')).toHaveCount(0);
  // The panel opening by itself on delivery is not the learner looking.
  await expect(page.getByTestId('mailbox')).toHaveAttribute('open', /.*/);
  await page.waitForTimeout(500);
  await expect(steps(page).nth(9)).toHaveAttribute('data-status', 'current');
  // Keyboard only: Tab to the message's "Headers and body" and open it with Enter.
  await page.getByTestId('mailbox').getByText('Headers and body').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});

test('a command corrected with Backspace is refused, and the lesson says why', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.cmo{bs}{bs}om\n');
  await expect(steps(page).nth(2)).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('mistake')).toContainText('Backspace');
  await typeKeys(page, 'MAIL FROM:Admin@test.com\n');
  await expect(steps(page).nth(3)).toHaveAttribute('data-status', 'current');
  await expect(page.getByTestId('mistake')).toHaveCount(0);
});

test('instructions show the command to type as code, without the backticks', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  const first = steps(page).first().locator('.instruction');
  await expect(first.locator('code')).toHaveText('telnet mail.contoso.com 25');
  await expect(first).not.toContainText('`');
});

test('a right answer given before the revealing test is called a guess', async ({ page }) => {
  await open(page, '?challenge=dns-down');
  const challenge = page.getByTestId('challenge');
  await challenge.locator('button[data-fault="dns-down"]').click();
  await expect(page.getByTestId('feedback')).toHaveAttribute('data-correct', 'true');
  await expect(page.getByTestId('unrevealed')).toBeVisible();
  // Running the test that shows it removes the remark.
  await terminal(page).click();
  await typeKeys(page, 'nslookup mail.contoso.com\n');
  await expect(page.getByTestId('unrevealed')).toHaveCount(0);
});

test('steps passed before a reload are still shown', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\n');
  await expect(steps(page).nth(2)).toHaveAttribute('data-status', 'current');
  await page.reload();
  await expect(page.getByTestId('saved-steps')).toContainText('2 of 10 steps done');
});

test('saved steps the lesson does not have (an older or imported copy) are not counted', async ({ page }) => {
  await open(page);
  const step = { took: 1000, hints: 0 };
  const stored = { version: 2, lessons: { 'kb153119-basic': { steps: { 0: step, 1: step, 57: step, 4000000000: step }, completed: false } } };
  await page.evaluate((v) => localStorage.setItem('smtp-trainer.progress', v), JSON.stringify(stored));
  await open(page, '?lesson=kb153119-basic');
  await expect(page.getByTestId('saved-steps')).toContainText('2 of 10 steps done');
});
