// Starts the app. Trunk's own loader is an inline script, which the page's
// Content-Security-Policy refuses (script-src 'self': no inline script runs), so the page loads
// this file instead. Trunk writes the content-hashed names of the wasm-bindgen module and of the
// wasm into <meta name="smtp-trainer-app"> (Trunk.toml, pattern_script); they change with every
// build, which is what lets the service worker cache them for good.
const app = document.querySelector('meta[name="smtp-trainer-app"]');
try {
  if (!app) throw new Error('the page names no app module (was it built with Trunk?)');
  const { default: init } = await import(new URL(app.content, document.baseURI).href);
  await init({ module_or_path: new URL(app.dataset.wasm, document.baseURI).href });
} catch (e) {
  // Said on the page, not only in the console: a learner sees why the terminal is missing.
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `smtp-trainer could not start: ${e}`;
  document.body.append(p);
  throw e;
}
