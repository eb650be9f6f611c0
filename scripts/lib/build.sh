# The TypeScript build, shared by setup.sh, test.sh and bench.sh.
# Sourced, never run; needs common.sh.

# Compiles the project into build/. tsc emits even when some files have type
# errors, so the return status says whether the code type-checks while the
# output is usable either way; callers decide whether errors are fatal.
build_project() {
  note "building (tsc -p .)"
  (cd "$QAPI_TS_ROOT" && npx --no-install tsc -p .)
}
