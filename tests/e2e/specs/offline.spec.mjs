// Offline: after a first load the service worker has every asset, so with the network cut the
// app reloads and the simulation runs; online, a new build (new hashed names) is used at once.
import { test, expect, open } from '../support.mjs';
import { readFileSync } from 'node:fs';
import { ROOT, typeKeys } from './trainer-support.mjs';

/** Waits until the service worker is active (its install cached every asset) and controls PAGE. */
async function controlledByServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    }
  });
}

test('after the first load the app works offline', async ({ page, context }) => {
  test.setTimeout(60_000);
  await open(page);
  await controlledByServiceWorker(page);
  const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).json());
  expect(manifest.icons.length).toBeGreaterThan(0);
  // Every file the built page names is in the worker's cache from its install, not only once
  // used: the release page is minified, its attribute values unquoted.
  const page_html = readFileSync(`${ROOT}/dist/index.html`, 'utf8');
  const named = [...page_html.matchAll(/[\w.-]+\.(?:css|js|wasm)(?=[\s>"'])/g)].map((m) => m[0]);
  expect(named.length).toBeGreaterThanOrEqual(5);
  const cached = await page.evaluate(async () => {
    const cache = await caches.open('smtp-trainer-v1');
    return (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').pop());
  });
  for (const file of named) expect(cached).toContain(file);
  // Offline as a room without network is: nothing in the browser's HTTP cache either.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.clearBrowserCache');
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('current-line')).toContainText('>');
  await typeKeys(page, 'ping 10.0.0.25\n');
  await expect(page.locator('.screen')).toContainText('Reply from 10.0.0.25');
  await page.goto('index.html?lesson=kb153119-basic');
  await expect(page.getByTestId('lesson')).toBeVisible();
  await context.setOffline(false);
});

test('once the service worker controls the page, a new build is picked up on the next visit', async ({ page }) => {
  test.setTimeout(60_000);
  await open(page);
  await controlledByServiceWorker(page);
  // A "new build": the same files under a new loader name, as Trunk's content hashes give it.
  const html = readFileSync(`${ROOT}/dist/index.html`, 'utf8');
  // Release builds minify the page, which drops the quotes around attribute values.
  const boot = html.match(/src="?\.\/(boot-[0-9a-f]+\.js)"?/)[1];
  const fresh = html.replace(boot, 'boot-0000000000000000.js').replace('<title>', '<meta name="build" content="next" /><title>');
  let served = 0;
  await page.context().route('**/boot-0000000000000000.js', (route) => {
    served += 1;
    return route.fulfill({ body: readFileSync(`${ROOT}/dist/${boot}`), contentType: 'text/javascript' });
  });
  await page.context().route(/\/(index\.html)?(\?.*)?$/, (route) => route.fulfill({ body: fresh, contentType: 'text/html' }));
  await page.reload();
  await expect(page.locator('meta[name="build"]')).toHaveAttribute('content', 'next');
  await expect(page.getByTestId('current-line')).toContainText('>');
  expect(served).toBe(1);
});
