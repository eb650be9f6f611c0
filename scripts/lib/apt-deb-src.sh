# Turns the machine's configured apt sources into `deb-src` lines, so that
# fetch-qemu.sh can run `apt-get source` against a private source list without
# touching the system's apt configuration. No archive host is written anywhere
# in the repository: every URI comes from the machine's own configuration.
# Sourced, never run.

# Prints the configured `deb` entries as "URI<TAB>SUITE<TAB>COMPONENTS<TAB>KEYRING",
# one suite per line, from sources.list, *.list and deb822 *.sources files.
# Disabled files (other suffixes) and entries with "Enabled: no" are skipped.
# The apt configuration directory is apt's own, or $QAPI_TS_APT_ETC (for tests).
apt_configured_deb_entries() {
  local etc list_files=() sources_files=()
  etc="${QAPI_TS_APT_ETC:-}"
  [ -n "$etc" ] || etc="$(apt-config shell ETC Dir::Etc/d | sed -n "s/^ETC='\(.*\)'$/\1/p")"
  etc="${etc:-/etc/apt}"
  etc="${etc%/}/"
  [ -f "${etc}sources.list" ] && list_files+=("${etc}sources.list")
  local f
  for f in "${etc}"sources.list.d/*.list; do [ -f "$f" ] && list_files+=("$f"); done
  for f in "${etc}"sources.list.d/*.sources; do [ -f "$f" ] && sources_files+=("$f"); done

  if [ "${#list_files[@]}" -gt 0 ]; then
    # One-line format: deb [options] URI SUITE COMPONENT...
    awk '
      $1 != "deb" { next }
      {
        keyring = ""; i = 2
        if ($2 ~ /^\[/) {
          opts = ""
          for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
          if (match(opts, /signed-by=[^] ]+/)) keyring = substr(opts, RSTART + 10, RLENGTH - 10)
        }
        uri = $i; suite = $(i + 1); comps = ""
        for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
        if (uri != "" && suite != "") printf "%s\t%s\t%s\t%s\n", uri, suite, comps, keyring
      }' "${list_files[@]}"
  fi

  if [ "${#sources_files[@]}" -gt 0 ]; then
    # deb822 format: paragraphs of "Field: value", continuation lines indented.
    # A multi-line (embedded) Signed-By key is dropped: the default keyrings apply.
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" && suites != "") {
          nu = split(uris, u, " "); ns = split(suites, s, " ")
          for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++)
            printf "%s\t%s\t%s\t%s\n", u[a], s[b], comps, keyring
        }
        types = uris = suites = comps = keyring = enabled = ""; field = ""
      }
      FNR == 1 { flush() }   # a file ends its last paragraph even without a blank line
      /^#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { if (field == "signed-by") keyring = ""; next }
      {
        field = tolower($1); sub(/:$/, "", field)
        value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (field == "types") types = value
        else if (field == "uris") uris = value
        else if (field == "suites") suites = value
        else if (field == "components") comps = value
        else if (field == "enabled") enabled = tolower(value)
        else if (field == "signed-by") keyring = (value ~ /^\// ? value : "")
      }
      END { flush() }' "${sources_files[@]}"
  fi
}

# Prints a one-line-format source list of `deb-src` entries: the configured
# suites, plus each suite named in "$@" on every URI that serves a plain release
# suite (one without a "-updates"/"-security" part), with that entry's components.
apt_deb_src_list() {
  local entries
  entries="$(apt_configured_deb_entries)"
  [ -n "$entries" ] || return 1
  printf '%s\n' "$entries" | awk -F'\t' -v extra="$*" '
    function emit(uri, suite, comps, keyring,   key) {
      key = uri " " suite
      if (key in seen) return
      seen[key] = 1
      printf "deb-src %s%s %s %s\n", (keyring != "" ? "[signed-by=" keyring "] " : ""), uri, suite, comps
    }
    {
      emit($1, $2, $3, $4)
      if ($2 !~ /-/ && !($1 in release_uri)) { release_uri[$1] = 1; order[++n] = $1; comps_of[$1] = $3; key_of[$1] = $4 }
    }
    END {
      ne = split(extra, suites, " ")
      for (i = 1; i <= n; i++) for (k = 1; k <= ne; k++) emit(order[i], suites[k], comps_of[order[i]], key_of[order[i]])
    }'
}
