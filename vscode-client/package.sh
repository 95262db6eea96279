#!/usr/bin/env bash
# npm run package: bundle the client, build the linux-x64 golens server from this
# checkout into vscode-client/bin/, and make golens-<version>.vsix at the repo root.
#   VSCE_TARGET=linux-x64 (default) marks the VSIX as linux-x64 only (it carries a
#   linux-x64 binary); VSCE_TARGET= (empty) makes a platform-neutral VSIX.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

version="$(node -p 'require("./package.json").version')"
target="${VSCE_TARGET-linux-x64}"
out="${VSIX_OUT:-$root/golens-$version.vsix}"

node vscode-client/build.mjs
rm -rf vscode-client/bin && mkdir -p vscode-client/bin
GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build -trimpath -o vscode-client/bin/golens ./cmd/golens

# The VSIX's README is the client's: its relative links point into vscode-client/.
repo="https://github.com/golens/golens"
args=(package --no-dependencies --out "$out"
  --readme-path vscode-client/README.md
  --baseContentUrl "$repo/blob/HEAD/vscode-client"
  --baseImagesUrl "$repo/raw/HEAD/vscode-client")
[ -n "$target" ] && args+=(--target "$target")
# vscode:prepublish bundles again (cheap) so a bare `vsce package` also works.
npx --no-install vsce "${args[@]}"
echo "built $out"
