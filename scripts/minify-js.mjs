// Trunk post-build hook (Trunk.toml): minifies every JavaScript file of a release build (the
// wasm-bindgen glue, boot.js, sw.js) with esbuild, and rewrites the integrity hashes that
// index.html holds for them. Trunk's own JS minifier cannot read wasm-bindgen's glue, and the
// glue counts in the size budget (budget/web-size.toml).
//
// esbuild comes from tests/e2e/node_modules (scripts/setup-web.sh installs it with Playwright
// and binaryen from the npm registry); it runs offline. Minifying only renames local names and
// drops whitespace and comments: no eval, no new code, so the page's policy still holds.
// Debug builds are left readable.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-js: TRUNK_STAGING_DIR is not set (run by trunk as a post_build hook)');
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const root = new URL('..', import.meta.url).pathname;
let esbuild;
try {
  esbuild = createRequire(join(root, 'tests/e2e/package.json'))('esbuild');
} catch (e) {
  console.error(`minify-js: esbuild is not installed (run scripts/setup-web.sh): ${e.message}`);
  process.exit(1);
}

const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const name of readdirSync(staging).filter((n) => n.endsWith('.js'))) {
  const path = join(staging, name);
  const source = readFileSync(path, 'utf8');
  // No `format`: each file keeps its own kind (module or classic script).
  const { code } = esbuild.transformSync(source, { minify: true, loader: 'js' });
  writeFileSync(path, code);
  html = reintegrate(html, name, code);
  console.log(`minify-js: ${name} ${source.length} -> ${code.length} bytes`);
}
writeFileSync(htmlPath, html);

// Replaces the integrity hash of every element of `html` that refers to `name`, keeping the
// hash function Trunk chose.
function reintegrate(html, name, code) {
  return html.replace(/<[^>]*>/g, (tag) => {
    if (!tag.includes(name)) return tag;
    return tag.replace(
      /integrity=("?)(sha256|sha384|sha512)-[A-Za-z0-9+/=]+\1/,
      (_, quote, algo) => {
        const digest = createHash(algo).update(code).digest('base64');
        return `integrity=${quote}${algo}-${digest}${quote}`;
      },
    );
  });
}
