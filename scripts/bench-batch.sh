#!/usr/bin/env bash
# Whole-command benchmark of `nianbao check --format json` over generated batches (issue 20):
# reports per second on one core and peak RSS, for each batch size.
#
#   scripts/bench-batch.sh [SIZE ...]            # default: 1000 10000 100000
#
# Environment:
#   NIANBAO_BIN   the binaries to measure, space-separated (default: target/release/nianbao); with
#                 two or more, each batch is checked by each and their outputs must be identical
#                 (compared by SHA-256, so a 100,000-report output is never kept)
#   CORPUS        the corpus the reports are copied from (default: ../shared/corpus)
#   BATCH_TMP     where the batches are written (default: $TMPDIR or /tmp); each batch is deleted
#                 after it is measured (100,000 reports are about 0.9 GB)
#   CORES         the CPU list for taskset (default: 0, one core)
#
# Needs python3, taskset and GNU time (/usr/bin/time; `apt-get install time`).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="${CORPUS:-$root/../shared/corpus}"
bins="${NIANBAO_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/nianbao}"
cores="${CORES:-0}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
tmp="${BATCH_TMP:-${TMPDIR:-/tmp}}"

[ -x /usr/bin/time ] || { echo "bench-batch: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }

printf '%-10s %-40s %10s %12s %12s %8s\n' reports binary seconds "reports/s" "peak RSS MB" exit
for n in "${sizes[@]}"; do
  dir="$(mktemp -d "$tmp/nianbao-batch-$n.XXXXXX")"
  trap 'rm -rf "$dir"' EXIT
  python3 "$here/gen-batch.py" "$corpus" "$dir/reports" "$n"
  # The batch just written is still being written back to disk: without this, the first binary
  # measured shares its core with the writeback (seen: 3,800 reports/s for a binary that makes
  # 5,000–5,500 in the runs after it).
  sync
  first_sum=""
  for bin in $bins; do
    # One warm-up pass over the directory tree (page cache), not measured.
    find "$dir/reports" -type f -exec cat {} + >/dev/null
    set +e
    # Wall clock in nanoseconds around the run (GNU time's own figure has 10 ms steps: 0.20 s or
    # 0.21 s for 1,000 reports is 5,000 or 4,762 reports/s).
    started="$(date +%s%N)"
    RAYON_NUM_THREADS=1 /usr/bin/time -v -o "$dir/time.txt" taskset -c "$cores" \
      "$bin" check --format json "$dir/reports" 2>/dev/null | sha256sum >"$dir/sum.txt"
    status=${PIPESTATUS[0]}
    ended="$(date +%s%N)"
    set -e
    secs="$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    rss="$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$dir/time.txt")"
    code="$(awk -F': ' '/Exit status/ { print $2 }' "$dir/time.txt")"
    rate="$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')"
    printf '%-10s %-40s %10s %12s %12s %8s\n' "$n" "$bin" "$secs" "$rate" "$rss" "$code"
    sum="$(cut -d' ' -f1 "$dir/sum.txt")"
    if [ -z "$first_sum" ]; then
      first_sum="$sum"
    elif [ "$sum" != "$first_sum" ]; then
      echo "bench-batch: $bin's output differs from the first binary's on $n reports" >&2
      exit 1
    fi
    : "$status"
  done
  rm -rf "$dir"
  trap - EXIT
done
