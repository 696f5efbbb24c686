#!/usr/bin/env bash
# Install the system pieces the tests need: Debian's Chromium for the browser tests, and Node.js
# with npm (the hub's configurable-http-proxy and the site's assets come from npm).
# As root on Debian/Ubuntu this installs them; otherwise it says what to install.
set -euo pipefail
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nodejs and npm (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
msg="The browser tests need Chromium at /usr/bin/chromium. Install it with: sudo apt-get install chromium (Debian/Ubuntu)."
if [ "${CI:-}" = "true" ]; then
  echo "error: $msg" >&2
  exit 1
fi
echo "note: $msg Until then the browser tests are skipped locally (never in CI)." >&2
