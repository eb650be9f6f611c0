# Copies the part of a QEMU source tree that qapi-ts reads into the cache
# layout that test/support/qemu-sources.ts and the benchmark expect:
#   VERSION, qapi/*.json, qga/qapi-schema.json, storage-daemon/qapi/*.json,
#   tests/qapi-schema/ (cases, expectations, include/), docs/ (flat:
#   qapi-code-gen.rst, qmp-spec.*), and scripts/qapi/ when the tree has it.
# The source is either QEMU's own layout (docs/devel/, docs/interop/) or an
# already-flat copy of this layout. Sourced, never run; needs common.sh.

# Copies from tree $1 into (new, empty) directory $2.
copy_qemu_layout() {
  local src="$1" dest="$2" f
  [ -f "$src/qapi/qapi-schema.json" ] || die "$src does not look like a QEMU tree: no qapi/qapi-schema.json"
  mkdir -p "$dest/qapi" "$dest/qga" "$dest/storage-daemon/qapi" "$dest/tests" "$dest/docs"
  [ -f "$src/VERSION" ] && cp "$src/VERSION" "$dest/VERSION"
  cp "$src"/qapi/*.json "$dest/qapi/"
  cp "$src/qga/qapi-schema.json" "$dest/qga/"
  # The storage daemon came with 5.0; stable releases in ../shared carry no test suite.
  if [ -d "$src/storage-daemon/qapi" ]; then cp "$src"/storage-daemon/qapi/*.json "$dest/storage-daemon/qapi/"; fi
  # The front-end test suite, without QEMU's build glue (meson.build, its Python driver).
  if [ -d "$src/tests/qapi-schema" ]; then cp -R "$src/tests/qapi-schema" "$dest/tests/"; fi
  rm -f "$dest/tests/qapi-schema/meson.build" "$dest"/tests/qapi-schema/*.py
  # The specs, wherever this QEMU version keeps them.
  while IFS= read -r f; do cp "$f" "$dest/docs/"; done < <(
    find "$src/docs" -type f \( -name 'qapi-code-gen.rst' -o -name 'qapi-code-gen.txt' -o -name 'qmp-spec.*' \) 2>/dev/null)
  [ -n "$(ls "$dest/docs")" ] || [ ! -d "$src/tests/qapi-schema" ] ||
    note "warning: $src has no qapi-code-gen/qmp-spec documents"
  if [ -d "$src/scripts/qapi" ]; then copy_qemu_python_frontend "$src" "$dest"; fi
  # Sources such as shared/ are read-only; the cache must stay removable.
  chmod -R u+w "$dest"
}

# Copies QEMU's Python front end (scripts/qapi/) from tree $1 into $2.
copy_qemu_python_frontend() {
  mkdir -p "$2/scripts"
  cp -R "$1/scripts/qapi" "$2/scripts/"
  [ -f "$1/scripts/qapi-gen.py" ] && cp "$1/scripts/qapi-gen.py" "$2/scripts/"
  rm -rf "$2/scripts/qapi/__pycache__"
  chmod -R u+w "$2/scripts"
}
