#!/usr/bin/env bash
# End-to-end checks of the `kiln` program: exit statuses, messages and output of each
# subcommand on good, bad and missing input. Usage: cli_test.sh path/to/kiln
set -u
kiln=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checks=0

# expect STATUS PATTERN -- COMMAND...: runs COMMAND, wants exit STATUS and PATTERN (grep -E)
# somewhere in its stdout+stderr.
expect() {
  local status=$1 pattern=$2
  shift 3
  checks=$((checks + 1))
  local output actual
  output=$("$@" 2>&1)
  actual=$?
  if [ "$actual" != "$status" ] || ! grep -qE -- "$pattern" <<<"$output"; then
    failures=$((failures + 1))
    echo "FAIL: $* -> exit $actual (wanted $status), output:"
    sed 's/^/    /' <<<"$output"
    echo "    (wanted /$pattern/)"
  fi
}

cat > "$work/add.wat" <<'WAT'
(module
  (func $add (export "add") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add))
WAT
cat > "$work/mismatch.wat" <<'WAT'
(module (func (result i32) i64.const 1))
WAT
cat > "$work/syntax.wat" <<'WAT'
(module
  (func (result i32) i32.const 1 i32.frobnicate))
WAT
printf 'not wasm at all' > "$work/garbage.wasm"
printf '\0asm\1\0\0' > "$work/truncated.wasm"
printf '\0asm\1\0\0\0\1\5' > "$work/short-section.wasm"
cat > "$work/script.wast" <<'WAST'
(module (func (export "f") (result i32) i32.const 7))
(assert_invalid (module (func (result i32) f32.const 0)) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func i32.bogus)") "unknown operator")
WAST

expect 2 'usage'                     -- "$kiln"
expect 0 'validate FILE'             -- "$kiln" --help
expect 2 "unknown command 'frob'"    -- "$kiln" frob
expect 2 'needs a file'              -- "$kiln" validate
expect 2 "unknown option '--frob'"   -- "$kiln" validate --frob x.wasm
expect 1 'cannot read .*missing.wasm: No such file' -- "$kiln" validate "$work/missing.wasm"
expect 1 'cannot read .*: Is a directory' -- "$kiln" validate "$work"
expect 0 '^ok$'                      -- "$kiln" validate "$work/add.wat"
expect 1 'mismatch.wat:@0x[0-9a-f]+: error: invalid module: type mismatch' -- "$kiln" validate "$work/mismatch.wat"
expect 1 'syntax.wat:2:[0-9]+: error: unknown operator' -- "$kiln" validate "$work/syntax.wat"
expect 1 'magic header not detected' -- "$kiln" validate "$work/garbage.wasm"
expect 1 'unexpected end'            -- "$kiln" validate "$work/truncated.wasm"
expect 1 'length out of bounds'      -- "$kiln" validate "$work/short-section.wasm"
expect 1 'add.wat: ok'               -- "$kiln" validate "$work/add.wat" "$work/garbage.wasm"
expect 2 'takes interp, jit or tiered' -- "$kiln" wast --tier=fast "$work/script.wast"
expect 2 'jit: this build has no JIT yet' -- "$kiln" wast --tier=jit "$work/script.wast"
expect 0 'total: 4 passed, 0 failed, 0 skipped' -- "$kiln" wast --tier=interp "$work/script.wast"
expect 2 'needs at least one'        -- "$kiln" wast
expect 0 'total: 4 passed, 0 failed, 0 skipped' -- "$kiln" wast "$work/script.wast"
expect 1 'total: 0 passed, 1 failed' -- "$kiln" wast "$work/nothing.wast"

echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
