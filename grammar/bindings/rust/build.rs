//! Compiles the generated parsers and their external scanners: the block grammar `nianbao`
//! (src/) and the inline grammar `nianbao_inline` (inline/src/), injected into its lines.

use std::path::Path;

/// Compiles one grammar's `parser.c` and `scanner.c` into the static library `lib_name`. Each
/// grammar has a library of its own, built against its own `tree_sitter/parser.h`.
fn compile(src_dir: &Path, lib_name: &str) {
    let mut build = cc::Build::new();
    build.std("c11").include(src_dir).warnings(false);
    // For wasm32-unknown-unknown (the web page's engine, web/engine) the C library headers come
    // from tree-sitter-language, whose libc subset tree-sitter links — as in the template of
    // `tree-sitter init` 0.27.1.
    if std::env::var("TARGET").as_deref() == Ok("wasm32-unknown-unknown")
        && let Some(headers) = std::env::var_os("DEP_TREE_SITTER_LANGUAGE_WASM_HEADERS")
    {
        build.include(headers);
    }
    for file in ["parser.c", "scanner.c"] {
        let path = src_dir.join(file);
        build.file(&path);
        println!("cargo:rerun-if-changed={}", path.display());
    }
    build.compile(lib_name);
}

/// Sets `cfg(with_<prefix><query>_query)` for each query file of `dir` that exists.
fn query_cfgs(dir: &Path, prefix: &str, queries: &[&str]) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for query in queries {
        println!("cargo:rustc-check-cfg=cfg(with_{prefix}{query}_query)");
        if dir.join(format!("{query}.scm")).exists() {
            println!("cargo:rustc-cfg=with_{prefix}{query}_query");
        }
    }
}

fn main() {
    compile(Path::new("src"), "tree-sitter-nianbao");
    compile(Path::new("inline/src"), "tree-sitter-nianbao-inline");
    // Both scanners include it: the space set and the NUL test.
    println!("cargo:rerun-if-changed=common/space.h");

    query_cfgs(
        Path::new("queries"),
        "",
        &["highlights", "injections", "locals", "tags", "folds"],
    );
    query_cfgs(Path::new("inline/queries"), "inline_", &["highlights"]);
}
