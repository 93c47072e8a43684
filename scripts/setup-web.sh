#!/usr/bin/env bash
# Installs what the browser build and its tests need, and only what is missing, so it is cheap
# to call before every build: the wasm32 target, trunk, the wasm-bindgen CLI matching Cargo.lock,
# Debian's Chromium and chromedriver, and (from tests/e2e/package-lock.json) Playwright, the
# binaryen wasm-opt that Trunk runs and the esbuild that minifies the release JavaScript. Nothing
# is downloaded outside the package registries: see ../shared/reference/toolchain.md for why
# these versions and these sources.
#
# Usage: scripts/setup-web.sh [--check]   (--check: report what is missing, install nothing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_WASM_OPT="version_132"
CHECK_ONLY=0
[[ "${1:-}" == "--check" ]] && CHECK_ONLY=1

export PATH="$HOME/.cargo/bin:$PATH"
missing=0

say() { printf 'setup-web: %s\n' "$*"; }

need() {
    # need WHAT COMMAND...: runs the install command unless --check.
    local what="$1"; shift
    if (( CHECK_ONLY )); then
        say "missing: $what"
        missing=1
    else
        say "installing $what"
        "$@"
    fi
}

as_root() {
    if [[ "$(id -u)" == 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "need root to run: $*"; return 1; fi
}

# The wasm-bindgen CLI must be exactly the version Cargo.lock pins for the wasm-bindgen crate.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")"
if [[ -z "$WBG_VERSION" ]]; then
    say "cannot read the wasm-bindgen version from Cargo.lock"
    exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    need "rust target wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
    need "trunk $TRUNK_VERSION" cargo install --locked "trunk@$TRUNK_VERSION"
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WBG_VERSION" ]] ||
    ! command -v wasm-bindgen-test-runner >/dev/null; then
    # Not --locked: its lock file wants a crate version the registry mirror lacks.
    need "wasm-bindgen-cli $WBG_VERSION" cargo install --force wasm-bindgen-cli --version "$WBG_VERSION"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    need "chromium and chromedriver" bash -c \
        "$(declare -f as_root); as_root apt-get update -qq && as_root apt-get install -y -qq chromium chromium-driver"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    need "node and npm" bash -c \
        "$(declare -f as_root); as_root apt-get update -qq && as_root apt-get install -y -qq nodejs npm"
fi

# Playwright and binaryen, exactly as package-lock.json pins them. Reinstalled when the lock
# file changed since the last install (npm keeps its own copy in node_modules).
E2E="$ROOT/tests/e2e"
if ! cmp -s "$E2E/package-lock.json" "$E2E/node_modules/.package-lock.json.installed" 2>/dev/null ||
    [[ ! -x "$E2E/node_modules/.bin/wasm-opt" || ! -x "$E2E/node_modules/.bin/playwright" ||
        ! -x "$E2E/node_modules/.bin/esbuild" ]]; then
    need "npm packages of tests/e2e (Playwright, binaryen, esbuild)" bash -c \
        "cd '$E2E' && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error \
         && cp package-lock.json node_modules/.package-lock.json.installed"
fi

if (( ! CHECK_ONLY )); then
    got="$("$E2E/node_modules/.bin/wasm-opt" --version 2>/dev/null || true)"
    if [[ "$got" != *"($BINARYEN_WASM_OPT)"* ]]; then
        say "wasm-opt is '$got', Trunk.toml wants $BINARYEN_WASM_OPT"
        exit 1
    fi
fi

if (( missing )); then
    exit 1
fi
say "ready (trunk $TRUNK_VERSION, wasm-bindgen $WBG_VERSION, $(chromium --version 2>/dev/null | head -n1))"
