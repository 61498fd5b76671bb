#!/usr/bin/env bash
# Refresh the vendored axe-core from the npm registry (MPL-2.0; LICENSE kept beside it).
# The tests load this file into pages through Playwright; nothing is fetched at test time.
set -euo pipefail
VERSION="${1:-4.14.1}"
cd "$(dirname "$0")"
tmp="$(mktemp -d)"
(cd "$tmp" && npm pack --silent "axe-core@${VERSION}" >/dev/null && tar xzf axe-core-*.tgz)
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" .
rm -rf "$tmp"
head -c 40 axe.min.js; echo
