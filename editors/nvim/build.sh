#!/usr/bin/env bash
# Compiles the project's two tree-sitter grammars — the block grammar (grammar/src) into
# parser/nianbao.so, the inline grammar injected into its lines (grammar/inline/src) into
# parser/nianbao_inline.so — and copies their queries (grammar/queries/highlights.scm, folds.scm,
# injections.scm to queries/nianbao/, grammar/inline/queries/highlights.scm to
# queries/nianbao_inline/), inside this plugin directory, where Neovim finds them on the
# runtimepath. Needs a C compiler (cc), nothing else.
#
#     bash editors/nvim/build.sh        (or :NianbaoBuild in Neovim)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
grammar="$(cd "$here/../../grammar" && pwd)"
cc="${CC:-cc}"

case "$(uname -s)" in
    Darwin) shared=(-dynamiclib -Wl,-undefined,dynamic_lookup) ;;
    *) shared=(-shared) ;;
esac

# compile LANGUAGE SRC_DIR: SRC_DIR/parser.c and scanner.c into parser/LANGUAGE.so (Neovim loads
# the symbol tree_sitter_LANGUAGE from it), through a temporary file so that a running Neovim
# never maps a half-written library.
compile() {
    local tmp="$here/parser/.$1.so.$$"
    "$cc" -O2 -fPIC -std=c11 "${shared[@]}" -I "$2" "$2/parser.c" "$2/scanner.c" -o "$tmp"
    mv -f "$tmp" "$here/parser/$1.so"
}

mkdir -p "$here/parser" "$here/queries/nianbao" "$here/queries/nianbao_inline"
compile nianbao "$grammar/src"
compile nianbao_inline "$grammar/inline/src"
for q in highlights folds injections; do
    cp "$grammar/queries/$q.scm" "$here/queries/nianbao/$q.scm"
done
cp "$grammar/inline/queries/highlights.scm" "$here/queries/nianbao_inline/highlights.scm"
echo "nianbao: parser/{nianbao,nianbao_inline}.so, queries/nianbao/{highlights,folds,injections}.scm and" \
    "queries/nianbao_inline/highlights.scm installed in $here"
