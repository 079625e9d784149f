#!/usr/bin/env bash
# Builds the web page into web/dist/, from the repository root or anywhere:
#
#     bash web/build.sh
#
# 1. the engine (crate web/engine) for wasm32-unknown-unknown, profile `wasm`, its C parser
#    compiled by clang-16 (Debian: apt-get install clang-16 llvm-16 lld-16);
# 2. wasm-bindgen (the CLI of the same version as the crate, pinned in web/engine/Cargo.toml:
#    cargo install wasm-bindgen-cli --version X; or WASM_BINDGEN=path) → web/build/pkg/;
# 3. npm ci in web/ when node_modules is missing or older than package-lock.json;
# 4. web/scripts/bundle.mjs (esbuild) → web/dist/: index.html + app.js + app.css +
#    nianbao_web_bg.wasm (serve them as static files), and nianbao.html (the same page in one
#    file, which works when opened from disk), with sizes.json.
# Checks what it needs first and says how to install what is missing.
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$web")"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$root"

fail() {
    echo "web/build.sh: $*" >&2
    exit 1
}

# The C compiler for the grammar's parser and scanner (cc reads these; Rust links with rust-lld).
cc="${CC_wasm32_unknown_unknown:-}"
if [ -z "$cc" ]; then
    for candidate in clang-16 clang; do
        if command -v "$candidate" >/dev/null && "$candidate" -print-targets 2>/dev/null | grep -q wasm32; then
            cc=$candidate
            break
        fi
    done
fi
[ -n "$cc" ] || fail "no clang that targets wasm32: apt-get install clang-16 llvm-16 lld-16"
export CC_wasm32_unknown_unknown="$cc"
if [ -z "${AR_wasm32_unknown_unknown:-}" ]; then
    for candidate in llvm-ar-16 llvm-ar; do
        if command -v "$candidate" >/dev/null; then
            export AR_wasm32_unknown_unknown="$candidate"
            break
        fi
    done
fi

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    fail "the Rust target is missing: rustup target add wasm32-unknown-unknown"

# The wasm-bindgen CLI must be the version of the wasm-bindgen crate in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || fail "wasm-bindgen not found in Cargo.lock"
wasm_bindgen="${WASM_BINDGEN:-wasm-bindgen}"
have=$("$wasm_bindgen" --version 2>/dev/null | awk '{ print $2 }' || true)
[ "$have" = "$want" ] ||
    fail "wasm-bindgen $want is needed (found: ${have:-none}): cargo install wasm-bindgen-cli --version $want"

started=$(date +%s)
echo "== engine: cargo build --profile wasm --target wasm32-unknown-unknown -p nianbao-web (CC $cc)"
cargo build --locked --profile wasm --target wasm32-unknown-unknown -p nianbao-web
target_dir="${CARGO_TARGET_DIR:-$root/target}"

echo "== wasm-bindgen $want"
rm -rf "$web/build/pkg"
# Function names and producer notes are of no use on the page (about 50 KB gzipped).
"$wasm_bindgen" --target web --remove-name-section --remove-producers-section \
    --out-dir "$web/build/pkg" "$target_dir/wasm32-unknown-unknown/wasm/nianbao_web.wasm"

if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "== npm ci"
    (cd "$web" && npm ci --no-audit --no-fund)
fi

echo "== bundle"
node "$web/scripts/bundle.mjs"
echo "web/dist built in $(($(date +%s) - started)) s: serve web/dist/ (e.g. python3 -m http.server -d web/dist)," \
    "or open web/dist/nianbao.html"
