// Every built-in challenge solved by investigating as its solution does and naming the fault;
// one answered wrongly with the feedback saying why; random challenges from a seed.
import { test, expect, open, terminal } from '../support.mjs';
import { challenges, typeKeys } from './trainer-support.mjs';

for (const c of challenges()) {
  test(`challenge ${c.id}: investigated and solved`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors = await open(page, `?challenge=${c.id}`);
    const panel = page.getByTestId('challenge');
    await expect(panel).toHaveAttribute('data-challenge', c.id);
    // Commands in backticks are set as code, without the backticks.
    await expect(panel.getByTestId('briefing')).toHaveText(c.briefing.trim().replaceAll('`', ''));
    await typeKeys(page, c.solution ?? '');
    await panel.locator(`button[data-fault="${c.answer}"]`).click();
    await expect(panel.getByTestId('feedback')).toHaveAttribute('data-correct', 'true');
    await expect(panel.getByTestId('feedback')).toContainText('Right.');
    expect(errors).toEqual([]);
  });
}

test('a wrong answer is refused with what that fault would have shown', async ({ page }) => {
  const c = challenges().find((x) => x.options.length > 1);
  await open(page, `?challenge=${c.id}`);
  const wrong = c.options.find((o) => o !== c.answer);
  const panel = page.getByTestId('challenge');
  await panel.locator(`button[data-fault="${wrong}"]`).click();
  await expect(panel.getByTestId('feedback')).toHaveAttribute('data-correct', 'false');
  await expect(panel.getByTestId('feedback')).toContainText('Not quite.');
  await expect(panel.getByTestId('feedback')).toContainText('Not this one');
  // Then the right one: solved after two answers.
  await panel.locator(`button[data-fault="${c.answer}"]`).click();
  await expect(panel.getByTestId('feedback')).toContainText('after 2 answers');
});

test('the same seed gives the same challenge, from the address or typed in', async ({ page }) => {
  await open(page, '?seed=4711');
  await expect(page.getByTestId('seed-value')).toHaveText('4711');
  const id = await page.getByTestId('challenge').getAttribute('data-challenge');
  await open(page);
  await page.getByTestId('picker').locator('summary').click();
  await page.getByTestId('seed-input').fill('47-11');
  await page.getByTestId('seed-input').press('Enter');
  await expect(page.getByTestId('seed-value')).toHaveText('4711');
  await expect(page.getByTestId('challenge')).toHaveAttribute('data-challenge', id);
});

test('an address naming two exercises says which one opened', async ({ page }) => {
  await open(page, '?seed=4711&challenge=dns-down');
  await expect(page.getByTestId('seed-value')).toHaveText('4711');
  await expect(page.getByTestId('trainer-messages')).toContainText(
    'The address names more than one exercise: seed=4711 opens, challenge=dns-down left out.');
});

test('a random challenge shows its seed, and hints come one at a time', async ({ page }) => {
  await open(page);
  await page.getByTestId('picker').locator('summary').click();
  await page.getByTestId('random-challenge').click();
  await expect(page.getByTestId('seed-value')).toHaveText(/^\d{6}$/);
  const hint = page.getByTestId('hint-button');
  if (await hint.count()) {
    await hint.click();
    await expect(page.getByTestId('challenge').getByTestId('hint')).toHaveCount(1);
  }
  await terminal(page).click();
  await typeKeys(page, 'ipconfig\n');
  // Whatever fault the seed drew (a disabled adapter shows no address), ipconfig answers.
  await expect(page.locator('.screen')).toContainText('Windows IP Configuration');
});
