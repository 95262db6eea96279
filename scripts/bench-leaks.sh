#!/usr/bin/env bash
# Measures `golens leaks` (issue 12). Not a test: run it by hand, once.
#
#   scripts/bench-leaks.sh GOBENCH [tune|heldout|all|none] [count]
#   WALL=1 scripts/bench-leaks.sh GOBENCH none     (false leaks and wall time only)
#
# GOBENCH is a local copy of github.com/timmyyuan/gobench (a git directory or
# a checked-out tree), fetched for measurement only: it is extracted to a
# scratch directory and never enters this repository. The GoKer kernels are
# split into the tuning half (cockroach, etcd, grpc) and the held-out half
# (hugo, istio, kubernetes, moby, serving, syncthing).
#
# Prints, per kernel, whether golens reported its leak at the blocking site of
# the kernel's README backtrace; the counts per half; the leaks reported on the
# nonblocking kernels; and, with WALL=1, false leaks and wall time of
# `golens leaks` against plain `go test` on golens's own packages and on std's
# sync, context, net/http and os/exec.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:?usage: bench-leaks.sh GOBENCH [tune|heldout|all|none] [count]}"
half="${2:-tune}"
count="${3:-100}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

bin="$scratch/golens"
(cd "$root" && go build -o "$bin" ./cmd/golens)

tree="$scratch/gobench"
mkdir -p "$tree"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$src" archive HEAD go.mod go.sum gobench/goker | tar -x -C "$tree"
else
	cp -r "$src/go.mod" "$src/go.sum" "$tree/" && mkdir -p "$tree/gobench" && cp -r "$src/gobench/goker" "$tree/gobench/"
fi

if [ "$half" != none ]; then
	echo "== GoKer blocking kernels ($half), golens leaks -count $count"
	nice go run "$root/scripts/benchleaks/main.go" -gobench "$tree" -golens "$bin" -half "$half" -count "$count"
	echo
	echo "== GoKer nonblocking kernels ($half): every reported leak"
	nice go run "$root/scripts/benchleaks/main.go" -gobench "$tree" -golens "$bin" -half "$half" -kind nonblocking -count "$count"
fi

if [ "${WALL:-0}" = 1 ]; then
	wall() { # label dir packages...
		local label="$1" dir="$2"; shift 2
		# Warm the build cache for both (build only: -run '^$' runs no test).
		(cd "$dir" && go test -count=1 -run '^$' "$@" >/dev/null 2>&1 || true)
		(cd "$dir" && "$bin" leaks -run '^$' "$@" >/dev/null 2>&1 || true)
		local t0 t1 t2 rc
		t0=$(date +%s.%N)
		(cd "$dir" && go test -count=1 "$@" >/dev/null 2>&1) || true
		t1=$(date +%s.%N)
		rc=0
		(cd "$dir" && "$bin" leaks "$@" >"$scratch/leaks.out" 2>&1) || rc=$?
		t2=$(date +%s.%N)
		printf '%-32s go test %6.1fs   golens leaks %6.1fs   exit %d\n' "$label" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$rc"
		sed 's/^/    /' "$scratch/leaks.out"
	}
	echo
	echo "== false leaks and wall time (warm caches; go test -count=1 vs golens leaks)"
	for p in sync context os/exec net/http; do
		wall "std $p" "$root" "$p"
	done
	wall "golens ./..." "$root" ./...
fi
