// Offline: after a first load the service worker has every asset, so with the network cut the
// app reloads and the simulation runs.
import { test, expect, open } from '../support.mjs';
import { typeKeys } from './trainer-support.mjs';

test('after the first load the app works offline', async ({ page, context }) => {
  test.setTimeout(60_000);
  await open(page);
  // Wait until the service worker is active (its install cached every asset) and controls us.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
  const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).json());
  expect(manifest.icons.length).toBeGreaterThan(0);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('current-line')).toContainText('>');
  await typeKeys(page, 'ping 10.0.0.25\n');
  await expect(page.locator('.screen')).toContainText('Reply from 10.0.0.25');
  await page.goto('index.html?lesson=kb153119-basic');
  await expect(page.getByTestId('lesson')).toBeVisible();
  await context.setOffline(false);
});
