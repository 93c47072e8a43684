// How the page starts: the terminal and its prompt are painted first, the panels and the
// trainer are built after that frame, and the preloaded app files are fetched once each.
import { test, expect, open, startMarks } from '../support.mjs';

test('the prompt is painted before the panels and the trainer are built', async ({ page }) => {
  const errors = await open(page);
  const at = await startMarks(page);
  for (const [name, value] of Object.entries(at)) expect(value, name).not.toBeNull();
  expect(at.compiled).toBeLessThanOrEqual(at.started);
  expect(at.started).toBeLessThan(at.prompt);
  // Nothing is painted before the app runs (the page itself has no visible text): the first
  // contentful paint is the prompt's frame (Yew may set the prompt's mark a task after that
  // paint), and the rest of the app is built only after it.
  expect(at.paint).toBeGreaterThan(at.started);
  expect(at.panels).toBeGreaterThan(at.paint);
  expect(at.panels).toBeGreaterThan(at.prompt);
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('trainer')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the preloaded module and wasm are fetched once, and every preload is used', async ({ page }) => {
  const unused = [];
  page.on('console', (m) => { if (/preloaded .* not used/i.test(m.text())) unused.push(m.text()); });
  await open(page);
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop())
    .filter((name) => /^smtp-trainer-[0-9a-f]+(_bg\.wasm|\.js)$/.test(name)));
  expect(fetched.filter((f) => f.endsWith('.wasm'))).toHaveLength(1);
  expect(fetched.filter((f) => f.endsWith('.js'))).toHaveLength(1);
  // Chromium says so on the console about three seconds after the load when a preload was
  // wasted (fetched again with other credentials, say).
  await page.waitForTimeout(3_500);
  expect(unused).toEqual([]);
});
