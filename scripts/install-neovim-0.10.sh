#!/usr/bin/env bash
# Installs Neovim 0.10 from Debian's own packages (trixie's neovim 0.10.4)
# into .e2e/nvim-0.10/, beside the system's Neovim, without changing the
# system: CI runs Debian bookworm, whose neovim is 0.7.2, and trixie's needs
# a newer C library than bookworm's. So the packages (neovim, its runtime,
# its libraries and trixie's libc6) are downloaded with a private apt state,
# unpacked with dpkg-deb, and .e2e/nvim-0.10/bin/nvim runs nvim with trixie's
# own dynamic loader and libraries. Nothing is installed system-wide.
#
#   bash scripts/install-neovim-0.10.sh
#   GOLENS_NVIM=$PWD/.e2e/nvim-0.10/bin/nvim go test ./e2e/nvim -run Readme
#
# Idempotent; about 11 MB to download.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.e2e/nvim-0.10"
log() { printf '[install-neovim-0.10] %s\n' "$*"; }

if [ -x "$dest/bin/nvim" ] && "$dest/bin/nvim" --version 2>/dev/null | grep -q '^NVIM v0\.1[0-9]'; then
	log "$("$dest/bin/nvim" --version | head -n1) ready in ${dest#"$root"/}"
	exit 0
fi
if [ "$(dpkg --print-architecture 2>/dev/null)" != amd64 ]; then
	log "only amd64 is set up (this is $(dpkg --print-architecture 2>/dev/null || uname -m))" >&2
	exit 1
fi

state="$(mktemp -d)"
trap 'rm -rf "$state"' EXIT
mkdir -p "$state/lists/partial" "$state/archives/partial"
# The Debian mirror this machine's apt already uses (its main archive, not
# the security one), with trixie as the suite.
mirror="$(awk 'BEGIN { RS = "" } /(^|\n)Types:[^\n]*deb/ && !/Suites:[^\n]*-security/ {
	if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { u = substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", u); print u; exit } }' \
	/etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
if [ -z "$mirror" ]; then
	mirror="$(awk '$1 == "deb" && $3 !~ /-security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
fi
if [ -z "$mirror" ]; then
	log "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list" >&2
	exit 1
fi
echo "deb $mirror trixie main" >"$state/sources.list"
apt=(-o Dir::Etc::sourcelist="$state/sources.list" -o Dir::Etc::sourceparts=- \
	-o Dir::State::Lists="$state/lists" -o Dir::Cache::archives="$state/archives" \
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)
log "apt-get update (trixie, private state)"
apt-get "${apt[@]}" update -qq
pkgs=(neovim neovim-runtime libc6 libluajit-5.1-2 libluajit-5.1-common libmsgpack-c2
	libtree-sitter0.22 libunibilium4 libuv1t64 libvterm0 lua-lpeg lua-luv libutf8proc3)
log "apt-get download ${pkgs[*]}"
(cd "$state/archives" && apt-get "${apt[@]}" download "${pkgs[@]/%//trixie}")

rm -rf "$dest"
mkdir -p "$dest/root" "$dest/bin"
for deb in "$state"/archives/*.deb; do dpkg-deb -x "$deb" "$dest/root"; done
cat >"$dest/bin/nvim" <<'WRAPPER'
#!/bin/sh
# Neovim 0.10 from Debian trixie, run with trixie's loader and libraries
# (scripts/install-neovim-0.10.sh).
r="$(cd "$(dirname "$0")/../root" && pwd)"
export VIMRUNTIME="${VIMRUNTIME:-$r/usr/share/nvim/runtime}"
exec "$r/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
	--library-path "$r/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" \
	"$r/usr/bin/nvim" "$@"
WRAPPER
chmod +x "$dest/bin/nvim"
log "$("$dest/bin/nvim" --version | head -n1) ready in ${dest#"$root"/}"
