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
cat > "$work/numbers.wat" <<'WAT'
(module
  (func (export "neg64") (param i64) (result i64) i64.const 0 local.get 0 i64.sub)
  (func (export "half") (param f64) (result f64) local.get 0 f64.const 0.5 f64.mul)
  (func (export "third") (param f32) (result f32) local.get 0 f32.const 3 f32.div)
  (func (export "pair") (result i32 i64) i32.const -1 i64.const 0x7fffffffffffffff)
  (func (export "splat") (param v128) (result v128) local.get 0)
  (memory (export "mem") 1))
WAT
cat > "$work/loops.wat" <<'WAT'
(module
  (func (export "forever") (loop br 0))
  (func $deep (export "deep") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $deep))
WAT
cat > "$work/imports.wat" <<'WAT'
(module (import "env" "log" (func (param i32))) (func (export "f")))
WAT
cat > "$work/start-trap.wat" <<'WAT'
(module (func $s unreachable) (start $s) (func (export "f")))
WAT
# inner: unreachable; boom (exported) calls inner; a name section names both.
printf '\0asm\1\0\0\0\1\4\1\x60\0\0\3\3\2\0\0\7\x08\1\4boom\0\1\x0a\x0a\2\3\0\0\x0b\4\0\x10\0\x0b\0\x15\4name\1\x0e\2\0\5inner\1\4boom' \
  > "$work/named.wasm"
printf 'not wasm at all' > "$work/garbage.wasm"
printf '\0asm\1\0\0' > "$work/truncated.wasm"
printf '\0asm\1\0\0\0\1\5' > "$work/short-section.wasm"
cat > "$work/script.wast" <<'WAST'
(module (func (export "f") (result i32) i32.const 7))
(assert_return (invoke "f") (i32.const 7))
(module $M (global (export "g") i32 (i32.const 42))
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "nan") (result f32) f32.const nan:0x600000))
(register "m" $M)
(assert_return (get "g") (i32.const 42))
(assert_return (invoke $M "nan") (f32.const nan:arithmetic))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(module (import "m" "g" (global i32)) (import "spectest" "print_i32" (func (param i32))))
(assert_unlinkable (module (import "m" "nope" (func))) "unknown import")
(assert_invalid (module (func (result i32) f32.const 0)) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func i32.bogus)") "unknown operator")
WAST
cat > "$work/failing.wast" <<'WAST'
(module (func (export "f") (result i32) i32.const 7))
(assert_return (invoke "f") (i32.const 8))
(assert_trap (invoke "f") "unreachable")
(assert_return (invoke "g") (i32.const 8))
(assert_return (invoke $Nope "f") (i32.const 8))
(module (func (export "f") unreachable) (start 0))
(invoke "f")
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
expect 0 'total: 12 passed, 0 failed, 0 skipped' -- "$kiln" wast --tier=interp "$work/script.wast"
expect 2 'needs at least one'        -- "$kiln" wast
expect 0 'total: 12 passed, 0 failed, 0 skipped' -- "$kiln" wast "$work/script.wast"
expect 1 'failing.wast:2: assert_return: invoke "f" returned i32:7 \(0x7\), expected i32:8' -- "$kiln" wast "$work/failing.wast"
expect 1 'failing.wast:3: assert_trap: invoke "f" returned i32:7 \(0x7\), expected trap "unreachable"' -- "$kiln" wast "$work/failing.wast"
expect 1 'failing.wast:4: assert_return: the current module has no export "g"' -- "$kiln" wast "$work/failing.wast"
expect 1 'failing.wast:5: assert_return: unknown module \$Nope' -- "$kiln" wast "$work/failing.wast"
expect 1 'failing.wast:6: module: instantiation failed \(trap\): unreachable' -- "$kiln" wast "$work/failing.wast"
expect 1 'failing.wast:7: action: the current module \(line 6\) failed to instantiate' -- "$kiln" wast "$work/failing.wast"
expect 1 'total: 1 passed, 6 failed, 0 skipped' -- "$kiln" wast "$work/failing.wast"

# kiln run: 0 success, 1 the module failed (load, link, trap), 2 bad usage or arguments.
expect 0 '^5$'                       -- "$kiln" run "$work/add.wat" --invoke add 2 3
expect 0 '^-2$'                      -- "$kiln" run --invoke=add "$work/add.wat" -5 3
expect 0 '^-1$'                      -- "$kiln" run "$work/add.wat" --invoke add 0xffffffff 0
expect 0 '^-9223372036854775807$'    -- "$kiln" run "$work/numbers.wat" --invoke neg64 0x7fffffffffffffff
expect 0 '^1.5$'                     -- "$kiln" run "$work/numbers.wat" --invoke half 3
expect 0 '^-inf$'                    -- "$kiln" run "$work/numbers.wat" --invoke half -inf
expect 0 '^0.333333343$'             -- "$kiln" run "$work/numbers.wat" --invoke third 1
expect 0 '^-1$'                      -- "$kiln" run "$work/numbers.wat" --invoke pair
expect 0 '^9223372036854775807$'     -- "$kiln" run "$work/numbers.wat" --invoke pair
expect 2 "'add' takes 2 arguments, 1 given" -- "$kiln" run "$work/add.wat" --invoke add 1
expect 2 "argument 2 of 'add' must be an i32, not 'x'" -- "$kiln" run "$work/add.wat" --invoke add 1 x
expect 2 "must be an i32, not '4294967296'" -- "$kiln" run "$work/add.wat" --invoke add 1 4294967296
expect 2 "is a v128, which kiln run cannot pass" -- "$kiln" run "$work/numbers.wat" --invoke splat 0
expect 2 "exports no function 'sub'; its exported functions: add" -- "$kiln" run "$work/add.wat" --invoke sub
expect 2 "exports 'mem' as a memory, not a function" -- "$kiln" run "$work/numbers.wat" --invoke mem
expect 2 "exports no function '_start' \(use --invoke NAME\)" -- "$kiln" run "$work/add.wat"
expect 2 'run needs a module'        -- "$kiln" run
expect 2 "unknown option '--frob'"   -- "$kiln" run "$work/add.wat" --frob
expect 2 '--fuel needs a count'      -- "$kiln" run "$work/add.wat" --invoke add 1 2 --fuel lots
expect 2 '--timeout needs a number'  -- "$kiln" run "$work/add.wat" --invoke add 1 2 --timeout 0
expect 1 'cannot read .*missing.wasm' -- "$kiln" run "$work/missing.wasm" --invoke f
expect 1 'mismatch.wat:@0x[0-9a-f]+: error: invalid module: type mismatch' -- "$kiln" run "$work/mismatch.wat" --invoke f
expect 1 'unknown import "env" "log" \(a function\)' -- "$kiln" run "$work/imports.wat" --invoke f
expect 1 'kiln: trap: unreachable'   -- "$kiln" run "$work/start-trap.wat" --invoke f
expect 1 '^  at #0 inner @0x[0-9a-f]+$' -- "$kiln" run "$work/named.wasm" --invoke boom
expect 1 '^  at #1 boom @0x[0-9a-f]+$' -- "$kiln" run "$work/named.wasm" --invoke boom
expect 1 'kiln: trap: fuel exhausted' -- "$kiln" run "$work/loops.wat" --invoke forever --fuel 1000
expect 1 'kiln: trap: call stack exhausted' -- "$kiln" run "$work/loops.wat" --invoke deep 0
started=$(date +%s%N)
expect 1 'kiln: trap: interrupted'   -- "$kiln" run "$work/loops.wat" --invoke forever --timeout 1
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
checks=$((checks + 1))
if [ "$elapsed_ms" -lt 900 ] || [ "$elapsed_ms" -gt 5000 ]; then
  failures=$((failures + 1))
  echo "FAIL: run --timeout 1 took ${elapsed_ms} ms (wanted about 1000)"
fi
expect 1 'total: 0 passed, 1 failed' -- "$kiln" wast "$work/nothing.wast"

echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" = 0 ]
