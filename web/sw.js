// smtp-trainer's service worker: after the first visit the trainer opens and runs with no
// network at all (a classroom whose connection dropped, a laptop on a plane).
//
// Trunk names the wasm, JS and CSS after their content hash (boot.js too), so this file cannot
// list them. On install it reads index.html and caches every asset the page refers to (its
// href and src attributes, and the module and wasm names boot.js reads from the page), plus the page
// itself, the manifest and the icons. Pages are fetched network first (a new build is seen at
// once when online) and fall back to the cached page; assets are served from the cache first
// (their names change when their content does). Anything else (an instructor's scenario file,
// requests to other sites) goes straight to the network, untouched.
const CACHE = 'smtp-trainer-v1';
// What the build is made of; every other request passes through.
const ASSET = /\.(?:js|wasm|css|png|svg|ico|webmanifest)$/;
const FIXED = ['./', './index.html', './manifest.webmanifest', './icon.svg', './icon-192.png', './icon-512.png'];

// Every asset index.html names: its href and src attributes, and the app's module and wasm
// (named in <meta name="smtp-trainer-app"> for boot.js), quoted or not: the release build's
// minified page drops the quotes around attribute values.
function assetsOf(html) {
  const found = new Set();
  const value = /(?:href|src|content|data-wasm)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
  for (const m of html.matchAll(value)) found.add(m[1] ?? m[2] ?? m[3]);
  return [...found].filter((u) => ASSET.test(u) && !/^[a-z]+:/i.test(u));
}

async function precache() {
  const cache = await caches.open(CACHE);
  const page = await fetch('./index.html', { cache: 'reload' });
  if (!page.ok) throw new Error(`index.html: ${page.status}`);
  const html = await page.clone().text();
  await cache.put('./index.html', page.clone());
  await cache.put('./', page);
  const wanted = [...new Set([...FIXED.slice(2), ...assetsOf(html)])];
  // One missing optional file must not leave the app without its cache.
  await Promise.all(wanted.map(async (url) => {
    try {
      const r = await fetch(url, { cache: 'reload' });
      if (r.ok) await cache.put(url, r);
    } catch (_) { /* offline during install: cached on first use instead */ }
  }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith((async () => {
      try {
        const fresh = await fetch(req);
        if (fresh.ok) (await caches.open(CACHE)).put('./index.html', fresh.clone());
        return fresh;
      } catch (_) {
        const cached = await caches.match('./index.html');
        return cached || Response.error();
      }
    })());
    return;
  }
  if (!ASSET.test(url.pathname)) return;
  event.respondWith((async () => {
    const cached = await caches.match(req);
    if (cached) return cached;
    const fresh = await fetch(req);
    if (fresh.ok) (await caches.open(CACHE)).put(req, fresh.clone());
    return fresh;
  })());
});
