// Progress kept in localStorage: it survives a reload, survives corrupted storage (the bad copy
// kept aside, the learner told once), and can be exported, imported and reset.
import { readFileSync } from 'node:fs';
import { test, expect, open } from '../support.mjs';
import { challenges, lessons, typeKeys, FIXTURES } from './trainer-support.mjs';
import path from 'node:path';

const KEY = 'smtp-trainer.progress';
const ASIDE = 'smtp-trainer.progress.unreadable';

async function finishQ142614(page) {
  await open(page, '?lesson=q142614-iis-gateway');
  await typeKeys(page, lessons().find((l) => l.id === 'q142614-iis-gateway').solution);
}

test('progress survives a reload', async ({ page }) => {
  test.setTimeout(60_000);
  await finishQ142614(page);
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
  const c = challenges()[0];
  await page.goto(`index.html?challenge=${c.id}`);
  await page.getByTestId('challenge').locator(`button[data-fault="${c.answer}"]`).click();
  await page.goto('index.html');
  await expect(page.getByTestId('current-line')).toContainText('>');
  await page.getByTestId('progress').locator('summary').click();
  await expect(page.getByTestId('progress-summary')).toContainText('1 of');
  await expect(page.getByTestId('lessons').getByTestId('done')).toHaveCount(1);
  await expect(page.getByTestId('challenges').getByTestId('done')).toHaveCount(1);
  const stored = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), KEY));
  expect(stored.version).toBeGreaterThan(0);
  expect(stored.lessons['q142614-iis-gateway'].completed).toBe(true);
});

for (const [what, bad] of [['corrupt JSON', '{"version": 2, "lessons": {'], ['a future version', '{"version": 999}'], ['junk', 'x'.repeat(5000)]]) {
  test(`corrupted storage (${what}) falls back, keeps the bad copy aside and says so once`, async ({ page }) => {
    await open(page);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, bad]);
    const errors = await open(page);
    await expect(page.getByTestId('trainer-messages')).toContainText('kept aside');
    expect(await page.evaluate((k) => localStorage.getItem(k), ASIDE)).toBe(bad);
    expect(errors).toEqual([]);
    // The app works: a lesson can be opened and typed into.
    await open(page, '?lesson=kb153119-basic');
    await expect(page.getByTestId('trainer-messages')).toHaveCount(0);
    await typeKeys(page, 'telnet mail.contoso.com 25\n');
    await expect(page.getByTestId('step').first()).toHaveAttribute('data-status', 'done');
  });
}

test('storage that throws does not break the app', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
  });
  await open(page, '?lesson=kb153119-basic');
  await expect(page.getByTestId('trainer-messages')).toContainText('cannot be kept');
  await typeKeys(page, 'telnet mail.contoso.com 25\n');
  await expect(page.getByTestId('step').first()).toHaveAttribute('data-status', 'done');
});

test('progress is exported, reset and imported back', async ({ page }) => {
  test.setTimeout(60_000);
  await finishQ142614(page);
  await page.getByTestId('progress').locator('summary').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.lessons['q142614-iis-gateway'].completed).toBe(true);

  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').click();
  await expect(page.getByTestId('progress-summary')).toContainText('0 of');

  await page.getByTestId('import').setInputFiles(file);
  await expect(page.getByTestId('trainer-messages')).toContainText('Progress imported.');
  await expect(page.getByTestId('progress-summary')).toContainText('1 of');

  // A file that is not progress is refused and changes nothing.
  await page.getByTestId('import').setInputFiles(path.join(FIXTURES, 'invalid-scenario.toml'));
  await expect(page.getByTestId('trainer-messages')).toContainText('was not imported');
  await expect(page.getByTestId('progress-summary')).toContainText('1 of');
});

test('"Show me" keeps the hints used and is recorded as watched, not as the learner\'s own work', async ({ page }) => {
  test.setTimeout(150_000);
  const id = 'q142614-iis-gateway';
  await open(page, `?lesson=${id}`);
  await page.getByTestId('terminal').click();
  await page.getByTestId('hint-button').click();
  await expect(page.getByTestId('hint')).toContainText('telnet');
  await page.getByRole('button', { name: 'Show me' }).click();
  const complete = page.getByTestId('lesson-complete');
  await expect(complete).toBeVisible({ timeout: 90_000 });
  await expect(complete).toContainText('Shown by Show me in');
  await expect(complete).toContainText('with 1 hint.');
  // The hint seen before the playback stays shown.
  await expect(page.getByTestId('hint')).toContainText('telnet');
  const exported = async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export').click();
    return JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  };
  await page.getByTestId('progress').locator('summary').click();
  let lesson = (await exported()).lessons[id];
  expect(lesson).toMatchObject({ completed: true, watched: true, hints: 1 });
  expect(lesson.steps['0']).toMatchObject({ hints: 1, watched: true });
  expect(Object.values(lesson.steps).every((s) => s.watched)).toBe(true);
  await expect(page.getByTestId('progress-summary')).toContainText('0 of');
  await page.getByTestId('picker').locator('summary').click();
  await expect(page.getByTestId('lessons').getByTestId('done')).toContainText('\u2713 watched');

  // Done by hand afterwards, it is the learner's: the watched run no longer counts.
  await page.getByRole('button', { name: 'Start again' }).click();
  await typeKeys(page, lessons().find((l) => l.id === id).solution);
  await expect(complete).toContainText('Lesson complete in');
  await expect(complete).toContainText('with 0 hints.');
  lesson = (await exported()).lessons[id];
  expect(lesson).toMatchObject({ completed: true, watched: false, hints: 0 });
  expect(Object.values(lesson.steps).some((s) => s.watched)).toBe(false);
  await expect(page.getByTestId('progress-summary')).toContainText('1 of');
  await expect(page.getByTestId('lessons').getByTestId('done')).toContainText('\u2713 done');
});

test('progress exported before the watched mark existed still imports', async ({ page }) => {
  await open(page);
  await page.getByTestId('progress').locator('summary').click();
  const old = JSON.stringify({ version: 2, lessons: { 'q142614-iis-gateway': { steps: { 0: { took: 900, hints: 1 } }, completed: true, took: 9000, hints: 1 } }, challenges: {} });
  await page.getByTestId('import').setInputFiles({ name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(old) });
  await expect(page.getByTestId('trainer-messages')).toContainText('Progress imported.');
  await expect(page.getByTestId('progress-summary')).toContainText('1 of');
});
