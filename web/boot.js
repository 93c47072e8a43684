// Starts the app (Trunk's own loader is an inline script, which the page's policy refuses; see
// Trunk.toml). The hashed file names come from <meta name="smtp-trainer-app">.
const app = document.querySelector('meta[name="smtp-trainer-app"]');
try {
  if (!app) throw new Error('the page names no app module (was it built with Trunk?)');
  const { default: init } = await import(new URL(app.content, document.baseURI).href);
  await init({ module_or_path: new URL(app.dataset.wasm, document.baseURI).href });
} catch (e) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `smtp-trainer could not start: ${e}`;
  document.body.append(p);
  throw e;
}
