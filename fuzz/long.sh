#!/usr/bin/env bash
# The long fuzz run that closes a hardening round: builds the targets without trace-compare
# instrumentation (about 1.7× the executions per second; the short CI runs keep it for
# coverage), then runs each named target for a fixed number of executions, all at once (one
# process per target: give each a core), and prints executions and crashes per target.
#
#     bash fuzz/long.sh [RUNS] [TARGET ...]      # default: 10000000 executions of every target
#
# Logs go to fuzz/long/<target>.log and crash inputs to fuzz/long/artifacts/<target>/ (both
# ignored by git). The corpora are fuzz/corpus/<target>/, shared with run.sh. Replay a crash with
# `cargo fuzz run -s none TARGET fuzz/long/artifacts/TARGET/<file>`.
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

runs=${1:-10000000}
shift || true
targets_from "$@"

python3 seed.py
for target in "${targets[@]}"; do
    cargo fuzz build -s none --no-trace-compares "$target"
done
bin=target/x86_64-unknown-linux-gnu/release
mkdir -p long
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
started=$(date +%s)

pids=()
for target in "${targets[@]}"; do
    dict=$(dict_of "$target")
    max_len=256
    if [ "$target" = lsp ]; then max_len=1024; fi
    mkdir -p "long/artifacts/$target"
    "$bin/$target" "corpus/$target" -runs="$runs" -max_len="$max_len" -timeout=10 \
        -rss_limit_mb=2048 -dict="$dict" -print_final_stats=1 \
        -artifact_prefix="long/artifacts/$target/" >"long/$target.log" 2>&1 &
    pids+=($!)
done

failed=()
echo "==== long fuzz run at $commit: $runs executions per target ===="
for i in "${!targets[@]}"; do
    target=${targets[$i]}
    status=0
    wait "${pids[$i]}" || status=$?
    done_runs=$(awk '/^stat::number_of_executed_units/ {print $2}' "long/$target.log")
    peak=$(awk '/^stat::peak_rss_mb/ {print $2}' "long/$target.log")
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        printf '%-8s %12s executions — CRASH (exit status %s), see fuzz/long/%s.log\n' \
            "$target" "${done_runs:-?}" "$status" "$target"
    else
        printf '%-8s %12s executions, 0 crashes, peak RSS %s MB\n' "$target" "$done_runs" "$peak"
    fi
done
echo "in $(($(date +%s) - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashes in: ${failed[*]}"
    exit 1
fi
