#!/usr/bin/env bash
# Measures `golens check -test` on GoBench's GoKer kernels (issue 13). Not a
# test: run it by hand, once.
#
#   scripts/bench-goker.sh GOBENCH [tune|heldout|all] [LEAKS_OUTPUT...]
#
# GOBENCH is a local copy of github.com/timmyyuan/gobench (a git directory or
# a checked-out tree), fetched for measurement only: its GoKer kernels are
# copied into a scratch module outside this repository and never enter it.
# The kernels are split into the tuning half (cockroach, etcd, grpc) and the
# held-out half (hugo, istio, kubernetes, moby, serving, syncthing); the
# held-out half's findings are counted, their texts not printed
# (HELDOUT_DETAIL=1 prints them).
#
# A blocking kernel counts as found "at the bug" when a finding or one of its
# related positions is on a line where `golens leaks` saw a goroutine of the
# kernel blocked, or inside a function the README backtrace names (see
# scripts/benchgoker). LEAKS_OUTPUT are saved outputs of
# scripts/bench-leaks.sh; without them it is run first (a few minutes).
#
# Prints per-kernel verdicts and findings, totals per half, and every finding
# on the nonblocking kernels.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:?usage: bench-goker.sh GOBENCH [tune|heldout|all] [LEAKS_OUTPUT...]}"
half="${2:-tune}"
shift $(( $# >= 2 ? 2 : 1 ))
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

bin="$scratch/golens"
(cd "$root" && go build -o "$bin" ./cmd/golens)

tree="$scratch/gobench"
mkdir -p "$tree"
if git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1 && [ ! -d "$src/gobench" ]; then
	git --git-dir="$src" archive HEAD gobench/goker | tar -x -C "$tree"
elif git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" archive HEAD gobench/goker | tar -x -C "$tree"
else
	mkdir -p "$tree/gobench" && cp -r "$src/gobench/goker" "$tree/gobench/"
fi
# A module of its own: the kernels import only the standard library.
printf 'module gokerbench\n\ngo 1.22\n' >"$tree/go.mod"
find "$tree/gobench/goker" -name '*.md' -delete

leaks=""
if [ $# -eq 0 ]; then
	echo "== no bench-leaks output given: running scripts/bench-leaks.sh $half first" >&2
	"$root/scripts/bench-leaks.sh" "$src" "$half" >"$scratch/leaks.txt"
	leaks="$scratch/leaks.txt"
else
	leaks="$(IFS=,; echo "$*")"
fi

detail=false
[ "${HELDOUT_DETAIL:-0}" = 1 ] && detail=true
nice go run "$root/scripts/benchgoker/main.go" -gobench "$tree" -golens "$bin" -half "$half" -leaks "$leaks" -heldout-detail="$detail"
