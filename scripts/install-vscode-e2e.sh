#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end test (e2e/vscode/run.mjs) needs:
#   - Debian packages: chromium (the browser playwright drives), ripgrep (seeds
#     @vscode/ripgrep, which would otherwise download a binary), libkrb5-dev (for
#     the kerberos native module that VS Code builds from source);
#   - the root devDependencies (playwright-core, esbuild, @vscode/vsce) via npm ci;
#   - code-server (VS Code in a browser) into the git-ignored .e2e/code-server/.
# Idempotent: a second run only checks and exits.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}" # 4.101+ need Node 22
RIPGREP_PKG_VERSION="1.15.11"                         # @vscode/ripgrep pinned by Code 1.100
RIPGREP_ASSET="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.e2e/code-server"
log() { printf '[install-vscode-e2e] %s\n' "$*"; }

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  log "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2
  exit 1
fi

# 1. Debian packages.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
for tool in make g++ python3; do
  command -v "$tool" >/dev/null 2>&1 || need+=(build-essential python3)
done
if [ "${#need[@]}" -gt 0 ]; then
  log "apt-get install ${need[*]}"
  sudo_cmd=()
  [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    $(printf '%s\n' "${need[@]}" | sort -u)
fi

# 2. Root devDependencies (playwright-core is the one the e2e test needs).
if [ ! -f "$root/node_modules/playwright-core/package.json" ]; then
  log "npm ci (root devDependencies, incl. playwright-core)"
  (cd "$root" && npm ci --no-audit --no-fund)
fi

# 3. code-server.
entry="$dest/node_modules/code-server/out/node/entry.js"
if [ -f "$dest/.installed-$CODE_SERVER_VERSION" ] && [ -f "$entry" ]; then
  log "code-server $CODE_SERVER_VERSION already installed in ${dest#"$root"/}"
  exit 0
fi

log "installing code-server $CODE_SERVER_VERSION into ${dest#"$root"/} (a few minutes: native modules build from source)"
rm -rf "$dest"
mkdir -p "$dest/tmp"
# A private TMPDIR holding the ripgrep "download" that @vscode/ripgrep's postinstall
# looks for before it would go to the network: Debian's rg, in the same layout.
cache="$dest/tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
mkdir -p "$cache/stage"
cp "$(command -v rg)" "$cache/stage/rg"
tar -czf "$cache/$RIPGREP_ASSET" -C "$cache/stage" rg
rm -rf "$cache/stage"

cat >"$dest/package.json" <<JSON
{
  "name": "golens-e2e-code-server",
  "private": true,
  "description": "code-server for golens's real-VS-Code end-to-end test (installed by scripts/install-vscode-e2e.sh)",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" }
}
JSON

# npm 11 runs no dependency install script unless allowed. code-server's own
# postinstall runs nested 'npm install's (lib/vscode, lib/vscode/extensions) whose
# native modules must build. A list of allowed packages does not survive into those
# nested installs (npm hands it down as a command-line setting, which it then
# rejects in a project install: EALLOWSCRIPTS), so this one install, of a pinned
# code-server and its shrinkwrapped dependencies, allows all install scripts.
(
  cd "$dest"
  export TMPDIR="$dest/tmp"
  export npm_config_nodedir=/usr          # build native modules against the system Node headers
  export npm_config_yes=true              # node-pty's postinstall calls npx
  export npm_config_unsafe_perm=true      # code-server's postinstall insists on it as root
  export npm_config_dangerously_allow_all_scripts=true
  export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  if ! npm install --no-package-lock >"$dest/install.log" 2>&1; then
    tail -n 40 "$dest/install.log" >&2
    exit 1
  fi
)

if ! node "$entry" --version >/dev/null 2>&1; then
  log "code-server did not install; see ${dest#"$root"/}/install.log" >&2
  exit 1
fi
# The nested installs must have produced the native modules Code needs at run time.
for mod in @parcel/watcher @vscode/spdlog node-pty @vscode/ripgrep/bin/rg; do
  if [ ! -e "$dest/node_modules/code-server/lib/vscode/node_modules/$mod" ]; then
    log "missing lib/vscode/node_modules/$mod after install; see ${dest#"$root"/}/install.log" >&2
    exit 1
  fi
done
touch "$dest/.installed-$CODE_SERVER_VERSION"
log "code-server $(node "$entry" --version | head -1) ready"
