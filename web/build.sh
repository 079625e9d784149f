#!/usr/bin/env bash
# Builds the web page into web/dist/, from the repository root or anywhere:
#
#     bash web/build.sh
#
# 1. the engine (crate web/engine) for wasm32-unknown-unknown, profile `wasm`, its C parser
#    compiled by clang-16 (Debian: apt-get install clang-16 llvm-16 lld-16);
#    — twice: the page's engine (text), and the full engine with the Word and page readers
#    (features docx, html, legacy-encodings), which the page loads only when such a file is opened;
# 2. wasm-bindgen (the CLI of the same version as the crate, pinned in web/engine/Cargo.toml:
#    cargo install wasm-bindgen-cli --version X; or WASM_BINDGEN=path) → web/build/pkg/ and
#    web/build/pkg-full/;
# 3. npm ci in web/ when node_modules is missing or older than package-lock.json;
# 4. web/scripts/bundle.mjs (esbuild) → web/dist/: index.html + app.js + app.css +
#    nianbao_web_bg.wasm + nianbao_full_bg.wasm (serve them as static files), and nianbao.html (the same page in one
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
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rm -rf "$web/build/pkg" "$web/build/pkg-full"
# Two engines from the same crate: the page's (report text: UTF-8, GB18030 through the browser's
# TextDecoder, UTF-16), loaded with the page; and the full one (plus the Word and page readers,
# encoding_rs and chardetng: the command line's readers), loaded only when a Word document or a
# saved page is opened — its readers would more than double what the page loads.
for engine in "page:nianbao_web:pkg:" "full:nianbao_full:pkg-full:docx,html,legacy-encodings"; do
    IFS=: read -r what out_name out_dir features <<<"$engine"
    echo "== engine ($what): cargo build --profile wasm --target wasm32-unknown-unknown -p nianbao-web${features:+ --features $features} (CC $cc)"
    cargo build --locked --profile wasm --target wasm32-unknown-unknown -p nianbao-web ${features:+--features "$features"}
    echo "== wasm-bindgen $want ($what)"
    # Function names and producer notes are of no use on the page (about 50 KB gzipped).
    "$wasm_bindgen" --target web --remove-name-section --remove-producers-section --out-name "$out_name" \
        --out-dir "$web/build/$out_dir" "$target_dir/wasm32-unknown-unknown/wasm/nianbao_web.wasm"
done

if [ ! -d "$web/node_modules" ] || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "== npm ci"
    (cd "$web" && npm ci --no-audit --no-fund)
fi

echo "== bundle"
node "$web/scripts/bundle.mjs"
echo "web/dist built in $(($(date +%s) - started)) s: serve web/dist/ (e.g. python3 -m http.server -d web/dist)," \
    "or open web/dist/nianbao.html"
