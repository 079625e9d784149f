#!/usr/bin/env bash
# Builds the extension and packages it into a .vsix with `vsce package`.
#
#     bash editors/vscode/scripts/package.sh [--server PATH | --no-server] [--out FILE]
#
# By default the release build of the server (target/release/nianbao, built when missing) is
# bundled as server/nianbao inside the .vsix, and the .vsix is marked for this platform
# (e.g. linux-x64). With --no-server the .vsix is platform-neutral and the extension finds the
# server through the setting nianbao.server.path or on PATH.
# Needs `npm ci` in editors/vscode first (node 20 is enough: vsce 3.9.2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/../.." && pwd)"
server="${CARGO_TARGET_DIR:-$root/target}/release/nianbao"
bundle=1
out=

while [ $# -gt 0 ]; do
    case "$1" in
        --server) server="$2"; shift 2 ;;
        --no-server) bundle=0; shift ;;
        --out) out="$2"; shift 2 ;;
        *) echo "package.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

cd "$here"
version=$(node -p 'require("./package.json").version')
rm -rf out server
npx esbuild src/extension.ts --bundle --outfile=out/extension.js --external:vscode \
    --format=cjs --platform=node --target=node20 --minify --log-level=warning

target_args=()
suffix=
if [ "$bundle" = 1 ]; then
    if [ ! -x "$server" ]; then
        echo "building the server: cargo build --release -p nianbao"
        (cd "$root" && cargo build --release --locked -p nianbao)
    fi
    mkdir -p server
    cp "$server" server/nianbao
    # The release profile keeps debug info; the .vsix needs none.
    strip server/nianbao 2>/dev/null || true
    chmod 755 server/nianbao
    case "$(uname -s)-$(uname -m)" in
        Linux-x86_64) target=linux-x64 ;;
        Linux-aarch64) target=linux-arm64 ;;
        Darwin-x86_64) target=darwin-x64 ;;
        Darwin-arm64) target=darwin-arm64 ;;
        *) target= ;;
    esac
    if [ -n "$target" ]; then
        target_args=(--target "$target")
        suffix="-$target"
    fi
fi

out="${out:-$here/dist/nianbao-$version$suffix.vsix}"
mkdir -p "$(dirname "$out")"
npx vsce package --no-dependencies --allow-missing-repository --skip-license \
    "${target_args[@]}" --out "$out"
echo "$out"
