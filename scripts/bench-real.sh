#!/usr/bin/env bash
# bench-real.sh: run golens check and go vet over real modules and compare.
#
# It makes a scratch module, fetches the modules below into it through the
# Go module proxy (GOPROXY as configured), and for each one runs
# `golens check -json` (cold: empty golens cache; warm: again, unchanged)
# and `go vet` (twice too, so both warm runs use their caches) over the
# module's packages with their tests. It prints, per module: non-test
# lines, findings (each once), and the time ratios golens/vet.
#
#   scripts/bench-real.sh                 # every module below
#   scripts/bench-real.sh bbolt ants      # only modules whose path contains a word
#   KEEP=1 scripts/bench-real.sh          # keep the scratch dir (printed)
#
# Findings go to $OUT/findings.txt (file:line: check: message), one per
# line, for review.
set -euo pipefail

MODULES=(
	golang.org/x/sync
	golang.org/x/net
	google.golang.org/grpc
	github.com/nats-io/nats.go
	go.etcd.io/bbolt
	github.com/prometheus/client_golang
	github.com/hashicorp/raft
	go.etcd.io/etcd/server/v3
	k8s.io/client-go
	github.com/dgraph-io/badger/v4
	github.com/segmentio/kafka-go
	github.com/redis/go-redis/v9
	github.com/panjf2000/ants/v2
	github.com/hashicorp/memberlist
	github.com/cockroachdb/pebble
)

root=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d -t golens-bench.XXXXXX)}
OUT=${OUT:-$work/out}
mkdir -p "$OUT"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work/mod" "$work/cache"' EXIT
echo "scratch: $work" >&2

go build -o "$work/golens" "$root/cmd/golens"

mkdir -p "$work/mod"
cd "$work/mod"
[ -f go.mod ] || go mod init golens.bench/real >/dev/null 2>&1

selected=()
for m in "${MODULES[@]}"; do
	if [ $# -eq 0 ]; then
		selected+=("$m")
		continue
	fi
	for w in "$@"; do
		case $m in *"$w"*) selected+=("$m") ;; esac
	done
done

secs() { # run a command, print its wall time in seconds
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}

printf '%-36s %9s %8s %9s %9s %9s %9s %7s %7s\n' module lines findings golens1 golens2 vet1 vet2 cold warm
total_lines=0
total_findings=0
: >"$OUT/findings.txt"
for m in "${selected[@]}"; do
	go get "$m@latest" >/dev/null 2>&1 || { echo "$m: go get failed" >&2; continue; }
	dir=$(go list -m -f '{{.Dir}}' "$m")
	# Dependencies must be resolvable for the module's packages and tests.
	go get -t "$m/..." >/dev/null 2>&1 || true
	lines=$(find "$dir" -name '*.go' ! -name '*_test.go' ! -path '*/testdata/*' -print0 | xargs -0 cat | wc -l)
	export GOLENS_CACHE="$work/cache/$(echo "$m" | tr / _)"
	rm -rf "$GOLENS_CACHE"
	# vet first: its first run compiles the dependencies (export data),
	# which golens's loads then share. golens1 runs with an empty golens
	# cache, golens2 and vet2 on the unchanged tree.
	v1=$(secs go vet "$m/...")
	g1=$(secs "$work/golens" check "$m/...")
	v2=$(secs go vet "$m/...")
	g2=$(secs "$work/golens" check "$m/...")
	"$work/golens" check -json "$m/..." 2>/dev/null >"$OUT/$(echo "$m" | tr / _).json" || true
	python3 - "$OUT/$(echo "$m" | tr / _).json" >>"$OUT/findings.txt" <<'EOF'
import json, sys
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
seen = set()
for pkg, checks in sorted(data.items()):
    for check, fs in sorted(checks.items()):
        if not isinstance(fs, list):
            continue
        for f in fs:
            key = (f["posn"], check, f["message"])
            if key not in seen:
                seen.add(key)
                print("%s: %s: %s" % (f["posn"], check, f["message"]))
EOF
	n=$(grep -c "^$dir" "$OUT/findings.txt" || true)
	total_lines=$((total_lines + lines))
	total_findings=$((total_findings + n))
	printf '%-36s %9d %8d %9.2f %9.2f %9.2f %9.2f %7.2f %7.2f\n' "$m" "$lines" "$n" "$g1" "$g2" "$v1" "$v2" \
		"$(echo "$g1 / $v1" | bc -l)" "$(echo "$g2 / $v2" | bc -l)"
done
echo "total: $total_lines non-test lines, $total_findings findings ($(echo "scale=2; $total_findings * 100000 / ($total_lines + 1)" | bc) per 100k lines)"
echo "findings: $OUT/findings.txt"
