#!/usr/bin/env bash
# The browser app's whole check, for CI and for the project's test command:
#   1. installs what is missing (scripts/setup-web.sh),
#   2. trunk build --release (the size-tuned wasm-release profile, wasm-opt -Oz),
#   3. checks the compressed size against budget/web-size.toml,
#   4. runs the UI unit tests (Node) and the component tests (headless Chromium),
#   5. runs the Playwright suite against dist/ on a local server (and under `smtp-trainer web`,
#      so the native binary is built first).
# Exits non-zero on the first failure. Artifacts (screenshots, report) land under target/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/web-env.sh"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
scripts/setup-web.sh

step "trunk build --release"
trunk build --release

step "size budget"
scripts/browser-size.sh --json target/web-size.json

step "UI unit tests (wasm, Node)"
cargo test --target wasm32-unknown-unknown --lib ui::

step "component tests (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown --test wasm_ui --test wasm_trainer

step "end-to-end tests (Playwright, Chromium)"
# The CSP spec serves dist/ with `smtp-trainer web` too, to compare its header with the page.
cargo build --quiet --bin smtp-trainer
export SMTP_TRAINER_BIN="$ROOT/target/debug/smtp-trainer"
(cd tests/e2e && npx playwright test)

step "browser checks passed"
