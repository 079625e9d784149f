//! Compiles the generated parser and the external scanner.

fn main() {
    let src_dir = std::path::Path::new("src");
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
    build.compile("tree-sitter-nianbao");

    println!("cargo:rerun-if-changed=queries");
    for query in ["highlights", "injections", "locals", "tags", "folds"] {
        println!("cargo:rustc-check-cfg=cfg(with_{query}_query)");
        if std::path::Path::new("queries")
            .join(format!("{query}.scm"))
            .exists()
        {
            println!("cargo:rustc-cfg=with_{query}_query");
        }
    }
}
