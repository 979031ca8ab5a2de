#!/usr/bin/env bash
# What the portal's browser tests need, installed only where missing (safe to run again):
#   - Debian's Chromium and the Noto CJK fonts (Chinese text in screenshots), with apt-get;
#   - the axe-core accessibility engine (axe.min.js) from the npm registry, into var/axe-core/;
#   - Playwright for Python in the project's .venv (it drives the system Chromium: no browser download).
#
# Usage: scripts/install-browser.sh            (from the repository root, as root or with sudo)
# The tests skip with a message when /usr/bin/chromium or var/axe-core/axe.min.js is missing.
set -euo pipefail

AXE_VERSION="${AXE_VERSION:-4.14.1}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
AXE_DIR="$ROOT/var/axe-core"

say() { printf '[install-browser] %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        say "need root for: $*"; return 1; fi
}

missing_debs=()
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing_debs+=(fonts-noto-cjk)
if [ "${#missing_debs[@]}" -gt 0 ]; then
    say "installing ${missing_debs[*]} with apt-get"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing_debs[@]}"
else
    say "chromium and fonts-noto-cjk already installed"
fi

if [ -f "$AXE_DIR/axe.min.js" ] && grep -q "axe v$AXE_VERSION" "$AXE_DIR/axe.min.js"; then
    say "axe-core $AXE_VERSION already in var/axe-core"
else
    command -v npm >/dev/null 2>&1 || { say "installing npm to fetch axe-core"; as_root apt-get install -y -qq npm; }
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    say "fetching axe-core $AXE_VERSION"
    # npm pack checks the tarball against the registry's integrity hash.
    (cd "$tmp" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null)
    tar -xzf "$tmp/axe-core-$AXE_VERSION.tgz" -C "$tmp" package/axe.min.js package/LICENSE
    mkdir -p "$AXE_DIR"
    cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$AXE_DIR/"
fi

if [ -x "$VENV/bin/python" ]; then
    if "$VENV/bin/python" -c "import playwright, importlib.metadata as m; assert m.version('playwright') == '$PLAYWRIGHT_VERSION'" 2>/dev/null; then
        say "playwright $PLAYWRIGHT_VERSION already in $VENV"
    else
        say "installing playwright $PLAYWRIGHT_VERSION into $VENV"
        "$VENV/bin/pip" install --quiet "playwright==$PLAYWRIGHT_VERSION"
    fi
else
    say "no virtualenv at $VENV: create it first (make test does), then run this again"
fi

say "done: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium missing')"
