#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: only what is missing is installed,
# so a second run takes seconds. Works offline-from-the-web machines that reach only the package
# registries (crates.io, npm, PyPI, Debian): see ../shared/reference/toolchain.md for why each
# tool comes from where it does.
#
#   bash scripts/setup.sh          native + browser toolchain
#   bash scripts/setup.sh native   only what the native tests need
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        say "need root to run: $*"; return 1; fi
}

apt_updated=0
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ $apt_updated = 0 ]; then
        say "apt-get update"
        as_root apt-get update -qq
        apt_updated=1
    fi
    say "apt-get install ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- native: Rust components, real SMTP peers for the server tests and benchmarks ---------
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

# swaks, curl and a Linux telnet: real SMTP clients for the server tests; postfix: smtp-source
# (load) and smtp-sink (peer) for benchmarks; make: `make bench` and the other shortcuts.
apt_install swaks curl inetutils-telnet postfix make

# Python's smtplib is in the standard library; aiosmtpd is the peer the benchmarks compare with.
python3 -c 'import aiosmtpd' 2>/dev/null || { say "pip install aiosmtpd"; python3 -m pip install -q aiosmtpd; }

# cargo-fuzz runs on the nightly toolchain when the machine has one (it cannot be fetched here).
if rustup toolchain list | grep -q '^nightly'; then
    command -v cargo-fuzz >/dev/null || { say "cargo install cargo-fuzz"; cargo install -q cargo-fuzz; }
fi

[ "$what" = native ] && exit 0

# --- browser: Trunk, wasm-bindgen, wasm-opt, Chromium, Playwright -------------------------
if [ -x scripts/setup-web.sh ] || [ -f scripts/setup-web.sh ]; then
    bash scripts/setup-web.sh
fi
say "ready"
