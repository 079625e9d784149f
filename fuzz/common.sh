# Sourced by run.sh and long.sh: the fuzz directory as working directory, cargo on PATH, the
# targets to run and each target's dictionary.
cd "$(dirname "${BASH_SOURCE[0]}")"
export PATH="$HOME/.cargo/bin:$PATH"

# Sets `targets` to the arguments, or to every target when there are none.
targets_from() {
    targets=("$@")
    if [ ${#targets[@]} -eq 0 ]; then
        targets=(analyze format edits lsp docx html)
    fi
}

# The libFuzzer dictionary of a target.
dict_of() {
    case $1 in
        lsp) echo lsp.dict ;;
        docx) echo docx.dict ;;
        html) echo html.dict ;;
        *) echo report.dict ;;
    esac
}
