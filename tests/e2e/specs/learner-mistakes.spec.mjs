// A learner's usual slips, made on purpose: the step does not pass, the hint shows the way back
// and the lesson can still be finished; a guessed challenge answer is called a guess; steps
// passed before a reload are still shown; commands in the text are set as code.
import { test, expect, open, terminal } from '../support.mjs';
import { typeKeys } from './trainer-support.mjs';

const steps = (page) => page.getByTestId('lesson').getByTestId('step');

test('forgetting the blank line after Subject does not pass the step; the hint shows the way back', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\n');
  // Subject, then the body at once: no blank line. The step must not pass.
  await typeKeys(page, 'Subject: test message\nThis is a test message.\n.\n');
  await expect(steps(page).nth(5)).toHaveAttribute('data-status', 'current');
  await page.getByTestId('hint-button').click();
  await expect(page.getByTestId('hint')).toContainText('send it again');
  // Doing what it says, in the same session, finishes the lesson.
  await terminal(page).click();
  await typeKeys(page, 'MAIL FROM:Admin@test.com\nRCPT TO: User@contoso.com\nDATA\nSubject: test message\n\nThis is a test message.\n.\nQUIT\n');
  await expect(page.getByTestId('lesson-complete')).toContainText('Lesson complete');
});

test('a command corrected with Backspace does not pass its step; typed again, it does', async ({ page }) => {
  await open(page, '?lesson=kb153119-basic');
  await terminal(page).click();
  await typeKeys(page, 'telnet mail.contoso.com 25\nEHLO test.com\nMAIL FROM:Admin@test.cmo{bs}{bs}om\n');
  await expect(steps(page).nth(2)).toHaveAttribute('data-status', 'current');
  await typeKeys(page, 'MAIL FROM:Admin@test.com\n');
  await expect(steps(page).nth(3)).toHaveAttribute('data-status', 'current');
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
