#!/usr/bin/env bash
# Runs every golens test: formatting and vet, the Go tests with the race
# detector (including fuzz seed corpora and the Neovim end-to-end tests), the
# VS Code client's unit tests and the end-to-end test in a real VS Code.
#
# Editor tests skip with a printed reason when the editor is missing, and fail
# instead when CI is set. .ci/run installs the editors first.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet ./..."
go vet ./...

step "go test -race ./..."
go test -race -count=1 -timeout 20m ./...

if [ -f package.json ]; then
	if command -v npm >/dev/null; then
		step "VS Code client: npm ci, build, unit tests"
		npm ci --no-audit --no-fund
		npm run build
		npm test
		step "VS Code end-to-end (real VS Code via code-server)"
		npm run e2e:vscode
	elif [ -n "${CI:-}" ]; then
		echo "npm is missing: the VS Code client cannot be tested"; exit 1
	else
		echo "SKIP: npm is missing, so the VS Code client tests do not run"
	fi
fi

step "all tests passed"
