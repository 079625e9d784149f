#!/usr/bin/env bash
# Builds the fuzz targets and runs each for SECONDS (default 30); fails if any target finds a
# crash (a panic, an assertion, a timeout of 10 s on one input, or running out of memory).
#
#     bash fuzz/run.sh [SECONDS] [TARGET ...]
#
# Stable Rust through cargo-fuzz's `-s none` (libFuzzer without a sanitizer): install it with
# `cargo install cargo-fuzz --locked --version 0.13.2`. The corpora start from the reports in
# ../shared/corpus beside the repository and from built-in LSP sessions (fuzz/seed.py); they
# grow under fuzz/corpus/<target>/ (ignored by git). A crash leaves its input in
# fuzz/artifacts/<target>/; replay it with `cargo fuzz run -s none TARGET fuzz/artifacts/...`.
# Extra libFuzzer flags can come from FUZZ_FLAGS (e.g. FUZZ_FLAGS="-jobs=2 -workers=2").
set -euo pipefail

# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-30}
shift || true
targets_from "$@"

python3 seed.py
cargo fuzz build -s none

failed=()
summary=()
for target in "${targets[@]}"; do
    dict=$(dict_of "$target")
    log=$(mktemp)
    echo "==== fuzz $target: ${seconds} s ===="
    set +e
    # shellcheck disable=SC2086
    cargo fuzz run -s none "$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict="$dict" \
        -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 | tee "$log" |
        grep --line-buffered -E "^#[0-9]+\s+(pulse|DONE)|ERROR|panicked|SUMMARY|^stat::"
    status=${PIPESTATUS[0]}
    set -e
    runs=$(awk '/^stat::number_of_executed_units/ {s += $2} END {print s + 0}' "$log")
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        echo "fuzz $target FAILED (exit status $status); its input is in fuzz/artifacts/$target/"
        grep -E "panicked|ERROR|SUMMARY" -A12 "$log" | head -60 || true
        # The input, also when the machine (and fuzz/artifacts/) is gone: decode it with
        # `base64 -d > crash.bin`, replay with `cargo fuzz run -s none $target crash.bin`.
        grep -E "^Base64: " "$log" | head -1 || true
        echo "replay: cargo fuzz run -s none $target fuzz/artifacts/$target/<crash file>" 
    fi
    summary+=("$(printf '%-8s %12s executions in %s s%s' "$target" "$runs" "$seconds" "$([ "$status" -ne 0 ] && echo ' — CRASH')")")
    rm -f "$log"
done

echo
echo "==== fuzz summary ===="
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashes in: ${failed[*]}"
    exit 1
fi
