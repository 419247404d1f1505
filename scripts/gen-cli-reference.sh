#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates docs/ligd.md's command table from a running ligd's own `help`, so the
# reference cannot drift from the code. Usage: scripts/gen-cli-reference.sh [bin-dir]
set -euo pipefail
bin=${1:-build/bin}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
"$bin/ligd" -s "$dir/cli.sock" -l err &
pid=$!
for _ in $(seq 50); do [ -S "$dir/cli.sock" ] && break; sleep 0.05; done
{
	cat <<'EOH'
# ligd command reference

Every command below works the same from `ligctl <command>`, from a script run with
`ligctl exec <file>`, from ligd's startup script (`exec` in the startup file or `-e`),
and in the interactive `ligctl` shell. Words may be abbreviated to any unique prefix
(`sh int`, `cre bri 10`). An error is one line naming the command and what was wrong,
and ligctl then exits with status 1.

This table is generated from ligd's own `help` by `scripts/gen-cli-reference.sh`.

| command | usage | what it does |
|---|---|---|
EOH
	"$bin/ligctl" -s "$dir/cli.sock" help |
		sed -E 's/^  (.{40}) (.*)$/\1\t\2/' |
		awk -F'\t' '{
			gsub(/[ ]+$/, "", $1)
			usage = $2; what = ""
			i = index(usage, ": ")
			if (i > 0) { what = substr(usage, i + 2); usage = substr(usage, 1, i - 1) }
			gsub(/\|/, "\\|", usage)
			printf "| `%s` | `%s` | %s |\n", $1, usage, what
		}'
} >docs/ligd.md
echo "wrote docs/ligd.md"
