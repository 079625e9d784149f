//! Compiles the generated parser and the external scanner.

fn main() {
    let src_dir = std::path::Path::new("src");
    let mut build = cc::Build::new();
    build.std("c11").include(src_dir).warnings(false);
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
