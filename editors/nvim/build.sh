#!/usr/bin/env bash
# Compiles the project's tree-sitter grammar (grammar/src) into parser/nianbao.so and copies the
# queries (grammar/queries/highlights.scm, folds.scm) to queries/nianbao/, inside this plugin
# directory, where Neovim finds them on the runtimepath. Needs a C compiler (cc), nothing else.
#
#     bash editors/nvim/build.sh        (or :NianbaoBuild in Neovim)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
grammar="$(cd "$here/../../grammar" && pwd)"
cc="${CC:-cc}"

mkdir -p "$here/parser" "$here/queries/nianbao"
case "$(uname -s)" in
    Darwin) shared=(-dynamiclib -Wl,-undefined,dynamic_lookup) ;;
    *) shared=(-shared) ;;
esac
tmp="$here/parser/.nianbao.so.$$"
"$cc" -O2 -fPIC -std=c11 "${shared[@]}" -I "$grammar/src" \
    "$grammar/src/parser.c" "$grammar/src/scanner.c" -o "$tmp"
mv -f "$tmp" "$here/parser/nianbao.so"
for q in highlights folds; do
    cp "$grammar/queries/$q.scm" "$here/queries/nianbao/$q.scm"
done
echo "nianbao: parser/nianbao.so and queries/nianbao/{highlights,folds}.scm installed in $here"
