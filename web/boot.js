// Starts the app (Trunk's own loader is an inline script, which the page's policy refuses; see
// Trunk.toml). The hashed file names come from <meta name="smtp-trainer-app">.
//
// The wasm is compiled as its bytes arrive, from the moment this script runs, while the JS glue
// is imported alongside (index.html preloads both, so neither waits for the other); the glue
// then only instantiates the compiled module. Marks (smtp-trainer:boot, :compiled) let the
// benchmark and the browser's profiler see where the start-up goes.
performance.mark('smtp-trainer:boot');
const app = document.querySelector('meta[name="smtp-trainer-app"]');
try {
  if (!app) throw new Error('the page names no app module (was it built with Trunk?)');
  const url = (path) => new URL(path, document.baseURI).href;
  const wasm = url(app.dataset.wasm);
  const compiled = WebAssembly.compileStreaming(fetch(wasm)).catch(async (e) => {
    // A server that sends the wasm without its application/wasm type: compile it whole.
    const response = await fetch(wasm);
    if (!response.ok) throw e;
    return WebAssembly.compile(await response.arrayBuffer());
  });
  const { default: init } = await import(url(app.content));
  const module = await compiled;
  performance.mark('smtp-trainer:compiled');
  await init({ module_or_path: module });
} catch (e) {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `smtp-trainer could not start: ${e}`;
  document.body.append(p);
  throw e;
}
