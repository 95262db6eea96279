#!/usr/bin/env bash
# npm run package [-- TARGET...]: builds the VS Code extension's VSIXes into dist/.
#
#   TARGET is a VS Code platform (linux-x64, linux-arm64, darwin-x64, darwin-arm64,
#   win32-x64, win32-arm64) or "universal"; no TARGET builds all seven. Each
#   platform VSIX carries golens cross-compiled for it (CGO off, -trimpath,
#   stripped) in vscode-client/bin/; the universal VSIX carries no binary and
#   finds golens on GOBIN, GOPATH/bin or PATH.
#
#   The version comes from one place: package.json's "version" names the VSIXes
#   and is stamped into the binary (golens version, serverInfo), as v<version>.
#
#   dist/golens-<target>-<version>.vsix, dist/golens-<version>.vsix (universal),
#   dist/golens-<version>-<goos>-<goarch>[.exe] (the bare binaries, for releases)
#   and dist/SHA256SUMS for all of them.
#
#   VSIX_OUT=path with exactly one TARGET writes that VSIX there instead (the
#   end-to-end test uses it). VSIX_DIR=dir changes dist/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

all_targets=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64 win32-arm64 universal)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
if [ -n "${VSIX_OUT:-}" ] && [ ${#targets[@]} -ne 1 ]; then
	echo "package.sh: VSIX_OUT needs exactly one target" >&2; exit 2
fi

version="$(node -p 'require("./package.json").version')"
dist="${VSIX_DIR:-$root/dist}"
mkdir -p "$dist"

# goos/goarch for a VS Code target.
goplatform() {
	case "$1" in
	linux-x64) echo linux amd64 ;; linux-arm64) echo linux arm64 ;;
	darwin-x64) echo darwin amd64 ;; darwin-arm64) echo darwin arm64 ;;
	win32-x64) echo windows amd64 ;; win32-arm64) echo windows arm64 ;;
	*) return 1 ;;
	esac
}

node vscode-client/build.mjs

# The VSIX's README is the client's: its relative links point into vscode-client/.
repo="https://github.com/golens/golens"
common=(package --no-dependencies
	--readme-path vscode-client/README.md
	--baseContentUrl "$repo/blob/HEAD/vscode-client"
	--baseImagesUrl "$repo/raw/HEAD/vscode-client")

for target in "${targets[@]}"; do
	rm -rf vscode-client/bin
	if [ "$target" = universal ]; then
		out="${VSIX_OUT:-$dist/golens-$version.vsix}"
		npx --no-install vsce "${common[@]}" --out "$out" >/dev/null
	else
		if ! plat=$(goplatform "$target"); then
			echo "package.sh: unknown target $target (one of: ${all_targets[*]})" >&2; exit 2
		fi
		read -r goos goarch <<<"$plat"
		exe=golens; [ "$goos" = windows ] && exe=golens.exe
		mkdir -p vscode-client/bin
		# -s -w strip the symbol table and DWARF; -trimpath keeps this machine's
		# paths out; CGO off makes a static binary that needs nothing installed.
		GOOS=$goos GOARCH=$goarch CGO_ENABLED=0 go build -trimpath \
			-ldflags "-s -w -X main.version=v$version" -o "vscode-client/bin/$exe" ./cmd/golens
		bare="$dist/golens-$version-$goos-$goarch"; [ "$goos" = windows ] && bare="$bare.exe"
		cp "vscode-client/bin/$exe" "$bare"
		out="${VSIX_OUT:-$dist/golens-$target-$version.vsix}"
		npx --no-install vsce "${common[@]}" --target "$target" --out "$out" >/dev/null
	fi
	printf 'built %-12s %s (%s bytes)\n' "$target" "${out#"$root"/}" "$(stat -c %s "$out")"
done

if [ -z "${VSIX_OUT:-}" ]; then
	(cd "$dist" && rm -f SHA256SUMS && sha256sum golens-* >SHA256SUMS)
	echo "checksums: ${dist#"$root"/}/SHA256SUMS"
fi
