// smtp-trainer's service worker: after the first visit the trainer opens and runs with no
// network at all (a classroom whose connection dropped, a laptop on a plane).
//
// Trunk names the wasm, JS and CSS after their content hash, so this file cannot list them.
// On install it reads index.html and caches every asset the page refers to, plus the page
// itself, the manifest and the icons. Pages are fetched network first (a new build is seen at
// once when online) and fall back to the cached page; assets are served from the cache first
// (their names change when their content does). Requests to other sites pass through.
const CACHE = 'smtp-trainer-v1';
const FIXED = ['./', './index.html', './manifest.webmanifest', './icon.svg', './icon-192.png', './icon-512.png'];

// Every href/src in index.html, and the module and wasm paths named in its inline script.
function assetsOf(html) {
  const found = new Set();
  for (const m of html.matchAll(/(?:href|src)\s*=\s*["']([^"'#]+)["']/g)) found.add(m[1]);
  for (const m of html.matchAll(/["']([^"']+\.(?:js|wasm|css))["']/g)) found.add(m[1]);
  return [...found].filter((u) => !u.startsWith('data:') && !/^[a-z]+:\/\//i.test(u));
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
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
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
  event.respondWith((async () => {
    const cached = await caches.match(req, { ignoreSearch: false });
    if (cached) return cached;
    const fresh = await fetch(req);
    if (fresh.ok && !req.url.includes('scenario_url')) (await caches.open(CACHE)).put(req, fresh.clone());
    return fresh;
  })());
});
