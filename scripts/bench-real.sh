#!/usr/bin/env bash
# bench-real.sh: run golens check and go vet over real modules and compare.
#
# It makes a scratch module, fetches the modules below into it through the
# Go module proxy (GOPROXY as configured), and for each one (and for the
# standard library, "std") times `golens check -json` and `go vet` over the
# module's packages with their tests, cold and warm. It prints, per module:
# non-test lines, findings (each once), CPU seconds (user+sys, children
# included) and wall seconds of both tools, cold and warm, and the CPU
# ratios golens/vet; then the totals and false-positive-free rate inputs.
#
#   scripts/bench-real.sh                 # std and every module below
#   scripts/bench-real.sh bbolt ants std  # only modules whose path contains a word
#   WORK=/tmp/x scripts/bench-real.sh     # reuse a scratch dir (kept)
#
# What cold and warm mean here. Both tools need the dependencies' compiled
# export data, which they share through the go build cache; a warm-up
# (`go list -export -deps -test`) compiles it first, so neither run is
# charged for it (it is the same compile for both; COLD_BUILD=1 instead
# gives each cold run a fresh, empty GOCACHE, so each compiles everything
# itself, std included).
#   cold: golens with an empty result cache (GOLENS_CACHE); go vet with a
#         vet flag set to a fresh value, which changes every vet action's
#         cache key, so vet re-analyses every package, dependencies'
#         facts included, as after `go clean -cache` minus the compile.
#   warm: the same command again on the unchanged tree.
#
# Findings go to $OUT/findings.txt (file:line:col: check: message), one
# per line, for review; $OUT/times.tsv holds the raw figures.
set -euo pipefail

MODULES=(
	std
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
if [ -n "${WORK:-}" ]; then
	work=$WORK
else
	work=$(mktemp -d -t golens-bench.XXXXXX)
	trap 'rm -rf "$work/mod" "$work/cache" "$work/gocache"' EXIT
fi
OUT=${OUT:-$work/out}
mkdir -p "$OUT"
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

# timed NAME CMD...: run CMD, set NAME_cpu (user+sys seconds, children
# included) and NAME_wall.
timed() {
	local name=$1 t
	shift
	t=$(mktemp)
	/usr/bin/time -f '%e %U %S' -o "$t" "$@" >/dev/null 2>&1 || true
	# time prints "Command exited with non-zero status N" first when the
	# command fails (golens exits 1 when it finds something).
	read -r w u s < <(tail -n 1 "$t")
	rm -f "$t"
	printf -v "${name}_wall" '%.2f' "$w"
	printf -v "${name}_cpu" '%.2f' "$(echo "$u + $s" | bc)"
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }

printf '%-34s %8s %5s | %-15s %-15s %5s | %-15s %-15s %5s\n' module lines finds \
	"vet cold c/w" "golens cold c/w" ratio "vet warm c/w" "golens warm c/w" ratio
total_lines=0
total_findings=0
sum_vc=0 sum_gc=0 sum_vw=0 sum_gw=0
: >"$OUT/findings.txt"
printf 'module\tlines\tfindings\tvet_cold_cpu\tvet_cold_wall\tgolens_cold_cpu\tgolens_cold_wall\tvet_warm_cpu\tvet_warm_wall\tgolens_warm_cpu\tgolens_warm_wall\n' >"$OUT/times.tsv"
for m in "${selected[@]}"; do
	if [ "$m" = std ]; then
		dir=$(go env GOROOT)/src
		pattern=std
		pkgs=std
	else
		if ! go list -m "$m" >/dev/null 2>&1; then
			go get "$m@latest" >/dev/null 2>&1 || { echo "$m: go get failed" >&2; continue; }
		fi
		dir=$(go list -m -f '{{.Dir}}' "$m")
		# The module's packages, from its own tree: a `m/...` pattern also
		# matches nested modules in the build list (grpc's examples),
		# whose go.sum entries the scratch module lacks.
		pkgs=$(cd "$dir" && find . -type d \( -name testdata -o -name '_*' -o -name '.?*' \) -prune -o \
			-type f -name '*.go' -printf '%h\n' | sort -u | sed "s#^\.#$m#")
		# Dependencies must be resolvable for the packages and their tests.
		# shellcheck disable=SC2086
		go get -t $pkgs >/dev/null 2>&1 || true
		# Keep the packages that load: both tools check the same set.
		# shellcheck disable=SC2086
		pattern=$(go list -e -f '{{if and (not .Error) (not .DepsErrors)}}{{.ImportPath}}{{end}}' $pkgs 2>/dev/null | sed '/^$/d' | tr '\n' ' ')
		if [ -z "$pattern" ]; then
			echo "$m: no package loads" >&2
			continue
		fi
	fi
	# Non-test lines of the packages checked (no testdata).
	# shellcheck disable=SC2086
	lines=$(go list -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .CgoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}' $pattern 2>/dev/null |
		sed '/^$/d' | tr '\n' '\0' | xargs -0 cat | wc -l || true)
	tag=$(echo "$m" | tr / _)
	export GOLENS_CACHE="$work/cache/$tag"
	rm -rf "$GOLENS_CACHE"
	salt=golensbench$(date +%s%N)
	if [ -n "${COLD_BUILD:-}" ]; then
		rm -rf "$work/gocache"
		GOCACHE=$work/gocache/vet timed vc go vet $pattern
		GOCACHE=$work/gocache/golens timed gc "$work/golens" check -json $pattern
		export GOCACHE=$work/gocache/vet
	else
		go list -export -deps -test $pattern >/dev/null 2>&1 || true
		timed vc go vet -printf.funcs="$salt" $pattern
		timed gc sh -c "\"$work/golens\" check -json $pattern >\"$OUT/$tag.json\""
	fi
	timed vw go vet -printf.funcs="$salt" $pattern
	timed gw sh -c "\"$work/golens\" check -json $pattern >\"$OUT/$tag.warm.json\""
	unset GOCACHE
	[ -s "$OUT/$tag.json" ] || cp "$OUT/$tag.warm.json" "$OUT/$tag.json"
	n=$(python3 - "$OUT/$tag.json" <<'EOF' | tee -a "$OUT/findings.txt" | wc -l
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
)
	total_lines=$((total_lines + lines))
	total_findings=$((total_findings + n))
	sum_vc=$(echo "$sum_vc + $vc_cpu" | bc) sum_gc=$(echo "$sum_gc + $gc_cpu" | bc)
	sum_vw=$(echo "$sum_vw + $vw_cpu" | bc) sum_gw=$(echo "$sum_gw + $gw_cpu" | bc)
	printf '%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$lines" "$n" "$vc_cpu" "$vc_wall" "$gc_cpu" "$gc_wall" \
		"$vw_cpu" "$vw_wall" "$gw_cpu" "$gw_wall" >>"$OUT/times.tsv"
	printf '%-34s %8d %5d | %7s/%-7s %7s/%-7s %5s | %7s/%-7s %7s/%-7s %5s\n' "$m" "$lines" "$n" \
		"$vc_cpu" "$vc_wall" "$gc_cpu" "$gc_wall" "$(ratio "$gc_cpu" "$vc_cpu")" \
		"$vw_cpu" "$vw_wall" "$gw_cpu" "$gw_wall" "$(ratio "$gw_cpu" "$vw_cpu")"
done
echo "total: $total_lines non-test lines, $total_findings findings ($(echo "scale=2; $total_findings * 100000 / ($total_lines + 1)" | bc) per 100k lines)"
echo "CPU seconds: cold vet $sum_vc golens $sum_gc ($(ratio "$sum_gc" "$sum_vc" 2>/dev/null || echo -)x), warm vet $sum_vw golens $sum_gw ($(ratio "$sum_gw" "$sum_vw" 2>/dev/null || echo -)x)"
echo "findings: $OUT/findings.txt (false positives per 100k lines = FP count * 100000 / $total_lines)"
