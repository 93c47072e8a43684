// The Content-Security-Policy is really in force: from a plain static server (no header at all,
// so only the page's own meta element protects it) and from `smtp-trainer web` (whose header
// must say the same). Script from strings, inline script, inline handlers, javascript: links and
// script from other sites are refused while the app works; instructors' files from other sites
// and embeds on other sites' pages still work.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, open, PORT } from '../support.mjs';
import { ROOT, FIXTURES, typeKeys } from './trainer-support.mjs';

/** Tries every way a page could be made to run script it did not ship; returns what ran. */
async function attempts(page) {
  return page.evaluate(async () => {
    // DevTools lets the code it evaluates itself use eval whatever the policy; from the next
    // task on, this is the page's own script and the page's policy applies.
    await new Promise((r) => setTimeout(r, 0));
    const ran = [];
    const refused = (what, f) => {
      try { f(); ran.push(what); } catch (e) { if (!(e instanceof EvalError)) ran.push(`${what}: ${e}`); }
    };
    refused('eval', () => eval('1'));
    refused('new Function', () => new Function('return 1')());
    window.__ran = [];
    setTimeout('window.__ran.push("setTimeout string")', 0);
    const inline = document.createElement('script');
    inline.textContent = 'window.__ran.push("inline script")';
    document.body.append(inline);
    const img = document.createElement('img');
    img.setAttribute('onerror', 'window.__ran.push("inline handler")');
    img.src = 'data:,not-an-image';
    document.body.append(img);
    const link = document.createElement('a');
    link.href = 'javascript:window.__ran.push("javascript: link")';
    document.body.append(link);
    link.click();
    const foreign = document.createElement('script');
    foreign.src = 'http://scripts.example.org/evil.js';
    document.body.append(foreign);
    await new Promise((r) => setTimeout(r, 300));
    img.remove();
    link.remove();
    return [...ran, ...window.__ran];
  });
}

/** Checks the attempts were refused and reported, then empties the list for the final check. */
async function expectRefused(page, csp) {
  expect(await attempts(page)).toEqual([]);
  await expect.poll(() => csp.filter((v) => v.includes('script-src')).length).toBeGreaterThanOrEqual(5);
  expect(csp.join('\n')).toContain('http://scripts.example.org/evil.js');
  csp.length = 0;
}

/** The policy text of the page's meta element. */
const metaPolicy = (page) => page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');

test('from a plain static server the page\'s own policy refuses script it did not ship', async ({ page, csp }) => {
  const response = await page.goto('index.html');
  expect(response.headers()['content-security-policy'], 'python3 -m http.server sends no policy').toBeUndefined();
  await expect(page.getByTestId('current-line')).toContainText('>');
  const policy = await metaPolicy(page);
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(policy.split(/[ ;]+/)).not.toContain("'unsafe-eval'");
  await page.route('http://scripts.example.org/**', (route) => route.fulfill({ body: 'window.__ran.push("foreign")', contentType: 'text/javascript' }));
  await expectRefused(page, csp);
  // The app keeps working.
  await page.getByTestId('terminal').click();
  await typeKeys(page, 'ipconfig\n');
  await expect(page.locator('.screen')).toContainText('IP Address');
});

test('smtp-trainer web sends the page\'s policy as its header, and the app works under both', async ({ page, csp }) => {
  const bin = process.env.SMTP_TRAINER_BIN || path.join(ROOT, 'target/debug/smtp-trainer');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: cargo build --bin smtp-trainer (scripts/test-web.sh does)`);
  const server = spawn(bin, ['web', '--listen', '127.0.0.1:0', '--dir', path.join(ROOT, 'dist')], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const port = await new Promise((resolve, reject) => {
      let said = '';
      server.stderr.on('data', (d) => {
        said += d;
        const m = said.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
        if (m) resolve(Number(m[1]));
      });
      server.on('exit', (code) => reject(new Error(`smtp-trainer web exited (${code}): ${said}`)));
    });
    const response = await page.goto(`http://127.0.0.1:${port}/index.html`);
    await expect(page.getByTestId('current-line')).toContainText('>');
    expect(response.headers()['content-security-policy']).toBe(await metaPolicy(page));
    await page.route('http://scripts.example.org/**', (route) => route.fulfill({ body: 'window.__ran.push("foreign")', contentType: 'text/javascript' }));
    await expectRefused(page, csp);
    // The service worker (its script gets the header too) installs, and the simulation runs.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.getByTestId('terminal').click();
    await typeKeys(page, 'ping 10.0.0.25\n');
    await expect(page.locator('.screen')).toContainText('Reply from 10.0.0.25');
  } finally {
    server.kill();
  }
});

test('an instructor\'s file from another site loads under the policy', async ({ page }) => {
  const url = 'http://courses.example.org/smtp/custom.toml';
  const body = readFileSync(path.join(FIXTURES, 'custom-course.toml'));
  await page.route(url, (route) => route.fulfill({
    body, contentType: 'text/plain', headers: { 'Access-Control-Allow-Origin': '*' },
  }));
  await open(page, `?scenario_url=${encodeURIComponent(url)}&lesson=custom-ipconfig`);
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-lesson', 'custom-ipconfig');
  await expect(page.getByTestId('file-errors')).toHaveCount(0);
});

test('a documentation page on another site can embed the app', async ({ page }) => {
  // A real server on another port is another origin (Playwright's own fulfilled responses have
  // no address, and Chromium would refuse their frames to the loopback as a public site's).
  const { createServer } = await import('node:http');
  const docs = createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><title>Docs</title><h1>Try it</h1>
      <iframe id="app" src="http://127.0.0.1:${PORT}/index.html?embed=1" width="700" height="420"></iframe>`);
  });
  await new Promise((r) => docs.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${docs.address().port}/smtp.html`);
    const app = page.frameLocator('#app');
    await expect(app.getByTestId('current-line')).toContainText('>');
    await app.getByTestId('terminal').click();
    await page.keyboard.type('ipconfig');
    await page.keyboard.press('Enter');
    await expect(app.locator('.screen')).toContainText('IP Address');
  } finally {
    docs.close();
  }
});

test('the favicon, manifest, styles and service worker all pass the policy', async ({ page }) => {
  await open(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const styled = await page.locator('.terminal').evaluate((el) => getComputedStyle(el).fontFamily);
  expect(styled).toMatch(/mono|consol|courier/i);
  const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).ok);
  expect(manifest).toBe(true);
});
