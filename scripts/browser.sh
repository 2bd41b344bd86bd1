#!/usr/bin/env bash
# Install Debian's Chromium for the Playwright browser tests (Playwright's own browser download is not used).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "[browser] /usr/bin/chromium is missing: run 'apt-get install -y chromium' as root." >&2
  exit 1
fi
echo "[browser] installing chromium from Debian packages" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
