#!/usr/bin/env bash
# Runs a bench kernel and checks the checksum it prints (CTest helper).
#   check_checksum.sh EXPECTED COMMAND [ARGS...]
# Passes when COMMAND exits 0 and its whole standard output is the line EXPECTED. Exits 77
# (CTest's skip code for these tests) when COMMAND is a `kiln` without the `run` subcommand.
set -u
expected=$1
shift
stderr_file=$(mktemp)
trap 'rm -f "$stderr_file"' EXIT
output=$("$@" 2>"$stderr_file")
status=$?
if [[ $status -ne 0 ]] && grep -q "unknown command 'run'" "$stderr_file"; then
  echo "skipped: $1 has no 'run' command yet"
  exit 77
fi
cat "$stderr_file" >&2
if [[ $status -ne 0 ]]; then
  echo "FAIL: '$*' exited with status $status (output: '$output')"
  exit 1
fi
if [[ "$output" != "$expected" ]]; then
  echo "FAIL: '$*' printed '$output', expected '$expected'"
  exit 1
fi
echo "ok: $output"
