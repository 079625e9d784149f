#!/usr/bin/env bash
# The web page's end-to-end test, from the repository root of a clone (Debian, `../shared` beside
# the repository):
#
#     bash web/e2e.sh [--update-screenshot]
#
# Installs what the machine lacks, skipping whatever is there (a second run only builds and tests):
#   - Debian: clang-16, llvm-16, lld-16 (the engine's C parser for wasm32), chromium, a CJK font;
#   - the Rust target wasm32-unknown-unknown;
#   - wasm-bindgen-cli, the version of the wasm-bindgen crate in Cargo.lock (about 2–5 minutes,
#     once: into ~/.cargo/bin, or under .tools/ when another version is on PATH);
#   - the page's npm packages (npm ci in web/, by web/build.sh).
# Then: the page (web/build.sh), the release build of the CLI, the unit tests of the page's own
# code (node --test web/test/unit), and the end-to-end test web/test/e2e.mjs in headless Chromium
# (artefacts — screenshots, budgets.json — in .e2e/web). --update-screenshot copies the page's
# screenshot to docs/web.png.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

update_screenshot=0
for a in "$@"; do
    case "$a" in
        --update-screenshot) update_screenshot=1 ;;
        *) echo "web/e2e.sh: unknown argument $a" >&2; exit 2 ;;
    esac
done

step_started=
step() {
    local now
    now=$(date +%s)
    if [ -n "$step_started" ]; then
        echo "-- $((now - step_started)) s"
    fi
    step_started=$now
    echo "== web: $*"
}

step "Debian packages"
as_root=()
if [ "$(id -u)" != 0 ]; then
    as_root=(sudo)
fi
missing=()
for pkg in clang-16 llvm-16 lld-16 chromium fonts-wqy-zenhei; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "present: clang-16, llvm-16, lld-16, chromium, fonts-wqy-zenhei"
fi

step "Rust target wasm32-unknown-unknown"
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
echo "installed"

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
step "wasm-bindgen-cli $want"
wasm_bindgen=wasm-bindgen
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }')" != "$want" ]; then
    if command -v wasm-bindgen >/dev/null; then
        echo "found $(wasm-bindgen --version), need $want: installing it under .tools/"
        pinned="$root/.tools/wasm-bindgen-$want"
        if [ ! -x "$pinned/bin/wasm-bindgen" ]; then
            cargo install wasm-bindgen-cli --version "$want" --root "$pinned"
        fi
        wasm_bindgen="$pinned/bin/wasm-bindgen"
    else
        # Not --locked: its lock file names a crate version the registry here lacks (wasm.md).
        cargo install wasm-bindgen-cli --version "$want"
    fi
fi
"$wasm_bindgen" --version

step "the page (web/build.sh)"
WASM_BINDGEN="$wasm_bindgen" bash web/build.sh

step "the CLI (release build)"
cargo build --release --locked -p nianbao
cli="${CARGO_TARGET_DIR:-$root/target}/release/nianbao"

step "unicode-normalization's NFKC table (web/test/nfkc-table)"
# The command line's NFKC, for the end-to-end test to compare with the browser's (the page's).
mkdir -p .e2e
cargo run --release --locked -q --manifest-path web/test/nfkc-table/Cargo.toml >.e2e/nfkc-table.json
echo "$(wc -c <.e2e/nfkc-table.json) bytes"

step "unit tests of the page's code"
node --test web/test/unit/

step "end-to-end (headless Chromium)"
shot_args=()
if [ "$update_screenshot" = 1 ]; then
    shot_args=(--screenshot "$root/docs/web.png")
fi
status=0
timeout 600 node web/test/e2e.mjs --chromium "$(command -v chromium)" --cli "$cli" --nfkc-table .e2e/nfkc-table.json \
    --corpus "$root/../shared/corpus/real" --work "$root/.e2e/web" "${shot_args[@]}" || status=$?
step "$([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
