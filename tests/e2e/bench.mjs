// The browser benchmark: time to first prompt, keystroke-to-paint latency with 10,000 lines of
// scrollback, and the size figures, written into BENCHMARKS.md between the browser markers.
// Run through scripts/browser-bench.sh, which builds the app, serves dist/ and measures sizes.
//
//   node bench.mjs URL SIZE_JSON BENCHMARKS_MD
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { chromiumArgs } from './support.mjs';

const [url, sizeJson, benchMd] = process.argv.slice(2);
if (!url || !sizeJson || !benchMd) {
  console.error('usage: node bench.mjs URL SIZE_JSON BENCHMARKS_MD');
  process.exit(2);
}
const LOADS = 15;
const KEYSTROKES = 200;
const SCROLLBACK = 10_000;
const START = '<!-- browser-bench:start -->';
const END = '<!-- browser-bench:end -->';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(1)} ms`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: chromiumArgs });

// 1. Time to first prompt: navigation start to the app's mark, each load in a fresh context
// (empty cache), so it counts fetching and compiling the wasm.
const firstPrompt = [];
const fcp = [];
for (let i = 0; i < LOADS; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('smtp-trainer:first-prompt').length > 0);
  const t = await page.evaluate(() => ({
    prompt: performance.getEntriesByName('smtp-trainer:first-prompt')[0].startTime,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  }));
  firstPrompt.push(t.prompt);
  if (!Number.isNaN(t.fcp)) fcp.push(t.fcp);
  await context.close();
}

// 2. Keystroke to paint: fill the scrollback, then press keys for real (through the browser's
// input pipeline) and time each from the event's timestamp to the frame after the screen changed.
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(url);
await page.waitForFunction(() => performance.getEntriesByName('smtp-trainer:first-prompt').length > 0);
const lineCount = () => page.evaluate(() => document.querySelectorAll('.screen .line').length);
while ((await lineCount()) < SCROLLBACK) {
  await page.locator('textarea.sink').evaluate((el) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'x\n'.repeat(500));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}
const lines = await lineCount();
await page.evaluate(() => {
  window.__latencies = [];
  window.__dom = [];
  let pending = null;
  document.addEventListener('keydown', (e) => { pending = e.timeStamp; }, true);
  new MutationObserver(() => {
    if (pending === null) return;
    const t0 = pending;
    pending = null;
    window.__dom.push(performance.now() - t0);
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => window.__latencies.push(performance.now() - t0);
      ch.port2.postMessage(0);
    });
  }).observe(document.querySelector('.screen'), { subtree: true, childList: true, characterData: true });
});
for (let i = 0; i < KEYSTROKES; i++) {
  await page.keyboard.press(i % 2 ? 'Backspace' : 'a');
  await page.waitForFunction((n) => window.__latencies.length >= n, i + 1);
}
const latencies = await page.evaluate(() => window.__latencies);
const domUpdates = await page.evaluate(() => window.__dom);
await browser.close();

// 3. Report.
const size = JSON.parse(readFileSync(sizeJson, 'utf8'));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const byKind = {};
for (const f of size.files) {
  byKind[f.kind] = byKind[f.kind] || { raw: 0, gzip: 0 };
  byKind[f.kind].raw += f.raw;
  byKind[f.kind].gzip += f.gzip;
}
const cpu = os.cpus();
const section = `${START}
## Browser app

Measured by \`scripts/browser-bench.sh\` on ${new Date().toISOString().slice(0, 10)}: release build
served by \`python3 -m http.server\` on 127.0.0.1, headless Chromium (${browser.version()}),
${cpu.length} × ${cpu[0]?.model?.trim() ?? 'unknown CPU'}. Goals: first prompt under 300 ms, a
keystroke painted within one frame, the whole app under 150 KB gzip.

| measure | median | p95 | runs |
|---|---|---|---|
| time to first prompt (navigation start to prompt in the DOM, empty cache) | ${ms(quantile(firstPrompt, 0.5))} | ${ms(quantile(firstPrompt, 0.95))} | ${firstPrompt.length} |
| first contentful paint | ${fcp.length ? ms(quantile(fcp, 0.5)) : 'n/a'} | ${fcp.length ? ms(quantile(fcp, 0.95)) : 'n/a'} | ${fcp.length} |
| keystroke to screen updated in the DOM, ${lines.toLocaleString('en')} lines of scrollback | ${ms(quantile(domUpdates, 0.5))} | ${ms(quantile(domUpdates, 0.95))} | ${domUpdates.length} |
| keystroke to next paint, ${lines.toLocaleString('en')} lines of scrollback | ${ms(quantile(latencies, 0.5))} | ${ms(quantile(latencies, 0.95))} | ${latencies.length} |

Keystroke timing runs from the key event's timestamp to a task queued from the first animation
frame after the screen changed, so it includes waiting for that frame (at most 16.7 ms at 60 Hz).

| file | raw | gzip |
|---|---|---|
${Object.entries(byKind).map(([k, v]) => `| ${k} | ${kb(v.raw)} | ${kb(v.gzip)} |`).join('\n')}
| **total** | ${kb(size.total_raw)} | **${kb(size.total_gzip)}** (budget ${kb(size.budget_gzip)}) |
${END}`;

let doc = existsSync(benchMd) ? readFileSync(benchMd, 'utf8') : '# Benchmarks\n';
if (doc.includes(START) && doc.includes(END)) {
  doc = doc.slice(0, doc.indexOf(START)) + section + doc.slice(doc.indexOf(END) + END.length);
} else {
  doc = `${doc.trimEnd()}\n\n${section}\n`;
}
writeFileSync(benchMd, doc);
console.log(section);
