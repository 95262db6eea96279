#!/usr/bin/env bash
# Runs every golens test: formatting and vet, the Go tests with the race
# detector (including fuzz seed corpora, the Neovim end-to-end tests and the
# custom golangci-lint built with golens's plugin), the VS Code client's unit
# tests, the VSIX of every platform, and the end-to-end test in a real VS Code.
#
# Editor tests skip with a printed reason when the editor is missing, and fail
# instead when CI is set. .ci/run installs the editors first. The run ends with
# a summary: what ran, and every skipped test with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
ran=()     # what ran, with its counts
skipped=() # what was skipped, with why
skips_file=$(mktemp)
trap 'rm -f "$skips_file"' EXIT

step() { printf '\n==> %s\n' "$*"; }
elapsed() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
ran+=("gofmt")

step "go vet ./..."
go vet ./...
ran+=("go vet")

step "go test -race ./..."
t=$SECONDS
go build -o "${TMPDIR:-/tmp}/golens-testsummary" ./scripts/testsummary
set +e
go test -race -count=1 -timeout 30m -json ./... |
	"${TMPDIR:-/tmp}/golens-testsummary" -skips "$skips_file" | tee "${skips_file}.out"
status=${PIPESTATUS[1]}
set -e
[ "$status" -eq 0 ] || { echo "go test failed"; exit 1; }
ran+=("$(tail -n1 "${skips_file}.out") in $(elapsed $t)")
rm -f "${skips_file}.out"
while IFS= read -r line; do skipped+=("$line"); done <"$skips_file"

# The README's Neovim 0.10+ configuration, in Neovim 0.10 (Debian bookworm's
# nvim, which the step above used, is 0.7.2). The other Neovim tests are
# written for 0.7's UI and run above.
step "Neovim 0.10: the README's 0.10+ configuration"
nvim010="$PWD/.e2e/nvim-0.10/bin/nvim"
if [ -x "$nvim010" ]; then
	t=$SECONDS
	GOLENS_NVIM="$nvim010" go test -count=1 -v -run '^TestReadmeNeovim010$' ./e2e/nvim
	ran+=("Neovim $("$nvim010" --version | head -n1 | cut -d' ' -f2): the README's 0.10+ configuration in $(elapsed $t)")
elif [ -n "${CI:-}" ]; then
	echo "Neovim 0.10 is not installed (CI is set, so this is a failure): bash scripts/install-neovim-0.10.sh"; exit 1
else
	echo "SKIP: Neovim 0.10 is not installed, so the README's 0.10+ configuration is not tested (bash scripts/install-neovim-0.10.sh)"
	skipped+=("Neovim 0.10 README configuration: Neovim 0.10 is not installed (bash scripts/install-neovim-0.10.sh)")
fi

if [ -f package.json ]; then
	if command -v npm >/dev/null; then
		step "VS Code client: npm ci, build, unit tests"
		t=$SECONDS
		npm ci --no-audit --no-fund
		npm run build
		npm test
		ran+=("VS Code client unit tests in $(elapsed $t)")

		step "VSIX for every platform (npm run package) and their check"
		t=$SECONDS
		npm run package
		GOLENS_VSIX_REQUIRE=1 go test -count=1 ./e2e/vsix
		ran+=("7 VSIXes built and checked in $(elapsed $t)")

		step "VS Code end-to-end (real VS Code via code-server)"
		t=$SECONDS
		e2e_out=$(mktemp)
		set +e
		# The linux-x64 VSIX just built and checked, when this machine is one.
		vsix="$PWD/dist/golens-linux-x64-$(node -p 'require("./package.json").version').vsix"
		if [ "$(uname -sm)" = "Linux x86_64" ] && [ -f "$vsix" ]; then export GOLENS_VSIX="$vsix"; fi
		npm run e2e:vscode 2>&1 | tee "$e2e_out"
		status=${PIPESTATUS[0]}
		set -e
		while IFS= read -r line; do skipped+=("VS Code end-to-end: ${line#SKIP }"); done < <(grep -E '^SKIP ' "$e2e_out" || true)
		ran+=("$(grep -E '^vscode-e2e: ' "$e2e_out" | tail -n1 || echo 'VS Code end-to-end') in $(elapsed $t)")
		rm -f "$e2e_out"
		[ "$status" -eq 0 ] || { echo "VS Code end-to-end failed"; exit 1; }
	elif [ -n "${CI:-}" ]; then
		echo "npm is missing: the VS Code client cannot be tested"; exit 1
	else
		echo "SKIP: npm is missing, so the VS Code client tests do not run"
		skipped+=("VS Code client, VSIXes and end-to-end: npm is missing")
	fi
fi

step "summary ($(elapsed $started))"
echo "ran:"
for r in "${ran[@]}"; do echo "  $r"; done
if [ ${#skipped[@]} -gt 0 ]; then
	echo "skipped (${#skipped[@]}):"
	for s in "${skipped[@]}"; do echo "  $s"; done
	echo "all tests that ran passed; ${#skipped[@]} skipped (see above)"
else
	echo "nothing skipped"
	echo "all tests passed"
fi
