// Instructor scenario files in the browser: from ?scenario_url= and from disk; an invalid one is
// refused with every problem shown as text, a valid one brings its lessons.
import path from 'node:path';
import { test, expect, open } from '../support.mjs';
import { FIXTURES, serveFixture, typeKeys } from './trainer-support.mjs';

test('an invalid scenario file from a URL is rejected with its errors shown', async ({ page }) => {
  await serveFixture(page, 'courses/invalid.toml', 'invalid-scenario.toml');
  const errors = await open(page, '?scenario_url=courses/invalid.toml');
  const box = page.getByTestId('file-errors');
  await expect(box).toContainText('courses/invalid.toml was not loaded');
  await expect(box.locator('li')).not.toHaveCount(0);
  await expect(box).toContainText('telepathy');
  // The problems of what did read are listed beside the type error, as `check` lists them.
  await expect(box).toContainText("unknown persona `sendmail`");
  await expect(box).toContainText('line');
  // The app still works.
  await typeKeys(page, 'ipconfig\n');
  await expect(page.locator('.screen')).toContainText('IP Address');
  expect(errors).toEqual([]);
});

test('a missing file and a file too large are refused in plain words', async ({ page }) => {
  await page.route('**/courses/huge.toml', (route) => route.fulfill({ body: '#'.repeat(600 * 1024) }));
  await open(page, '?scenario_url=courses/missing.toml');
  await expect(page.getByTestId('file-errors')).toContainText('404');
  await open(page, '?scenario_url=courses/huge.toml');
  await expect(page.getByTestId('file-errors')).toContainText('limit');
});

test('a valid file from a URL opens the lesson the address names', async ({ page }) => {
  await serveFixture(page, 'courses/custom.toml', 'custom-course.toml');
  await open(page, '?scenario_url=courses/custom.toml&lesson=custom-ipconfig');
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'custom-ipconfig');
  await typeKeys(page, 'ipconfig\n');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();
});

test('a file opened from disk: invalid refused, valid listed', async ({ page }) => {
  await open(page);
  await page.getByTestId('scenario-file').setInputFiles(path.join(FIXTURES, 'invalid-scenario.toml'));
  await expect(page.getByTestId('file-errors')).toContainText('invalid-scenario.toml was not loaded');
  await expect(page.getByTestId('file-errors')).toContainText('telepathy');
  await page.getByTestId('scenario-file').setInputFiles(path.join(FIXTURES, 'custom-course.toml'));
  await expect(page.getByTestId('file-errors')).toHaveCount(0);
  await expect(page.getByTestId('custom-file')).toContainText('1 lesson');
  await page.getByTestId('picker').locator('summary').click();
  await page.getByTestId('lessons').locator('button[data-lesson="custom-ipconfig"]').click();
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'custom-ipconfig');
});
