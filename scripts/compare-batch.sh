#!/usr/bin/env bash
# Compares two nianbao binaries' `check` output (stdout, stderr, exit status) byte for byte on
# the given paths, in every output format:
#   scripts/compare-batch.sh OLD NEW PATH ...
set -uo pipefail
old="$1"; new="$2"; shift 2
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail=0
for format in json human csv; do
  for bin in old new; do
    "${!bin}" check --format "$format" --color never "$@" >"$tmp/$bin.out" 2>"$tmp/$bin.err"
    echo $? >"$tmp/$bin.rc"
  done
  for part in out err rc; do
    if ! cmp -s "$tmp/old.$part" "$tmp/new.$part"; then
      echo "DIFFERENT: --format $format ($part) on $*"; diff "$tmp/old.$part" "$tmp/new.$part" | head -20; fail=1
    fi
  done
  echo "--format $format: $(wc -c <"$tmp/new.out") bytes, exit $(cat "$tmp/new.rc")"
done
exit $fail
