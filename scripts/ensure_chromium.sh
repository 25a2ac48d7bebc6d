#!/bin/sh
# Make sure Debian's Chromium is installed: the browser tests (tests/browser) drive it with Playwright,
# whose own browser download (`playwright install`) is never used. Installs the `chromium` package with
# apt-get as root, or with sudo when there is one; otherwise says what to install and fails.
set -eu
if [ -n "${REORG_CHROMIUM:-}" ] && [ -x "$REORG_CHROMIUM" ]; then
  exit 0
fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
need="the browser tests need Chromium: install Debian's package with 'apt-get install -y chromium' (as root)"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: no apt-get here; $need, or set REORG_CHROMIUM to a Chromium executable" >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "ensure_chromium: not root and no sudo; $need" >&2
  exit 1
fi
echo "ensure_chromium: installing Debian's chromium package"
install() { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }
install || { $SUDO apt-get update -q && install; }
command -v chromium >/dev/null 2>&1 || { echo "ensure_chromium: apt-get did not install chromium; $need" >&2; exit 1; }
