//! End-to-end tests of `nianbao fmt` (interface.md): standard input to standard output, `--check`
//! (lists files, exit 1), atomic in-place rewrite keeping permissions and the byte-order mark,
//! directories, unreadable and non-UTF-8 files (exit 2, the others still formatted).

use std::error::Error;
use std::path::Path;

mod common;

use common::{TempDir, run, run_stdin};

type TestResult = Result<(), Box<dyn Error>>;

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// A report with a one-cell-per-line table (layout 1b), trailing spaces and extra blank lines.
const MESSY: &str = "沙河市卫生健康局2020年政府信息公开工作年度报告\n一、总体情况  \n我局认真贯彻落实《条例》。\n\n\n\n二、主动公开政府信息情况\n\t第二十条第（一）项\n\n\t信息内容\n\t本年新\n制作数量\n\t本年新公开数量\n\t对外公开总数量\n\n\t规章\n\t0\n\t减47\n\t0\n";

const TIDY: &str = "沙河市卫生健康局2020年政府信息公开工作年度报告\n\n一、总体情况\n我局认真贯彻落实《条例》。\n\n二、主动公开政府信息情况\n\t第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t减47\t0\n";

#[test]
fn stdin_to_stdout() -> TestResult {
    let out = run_stdin(&["fmt"], MESSY.as_bytes())?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, TIDY);
    let out = run_stdin(&["fmt", "-"], MESSY.as_bytes())?;
    assert_eq!(out.stdout, TIDY);
    // Formatted text is a fixed point.
    let out = run_stdin(&["fmt", "-"], TIDY.as_bytes())?;
    assert_eq!(out.stdout, TIDY);
    Ok(())
}

#[test]
fn crlf_stays_crlf() -> TestResult {
    let crlf = MESSY.replace('\n', "\r\n");
    let out = run_stdin(&["fmt"], crlf.as_bytes())?;
    assert_eq!(out.stdout, TIDY.replace('\n', "\r\n"));
    Ok(())
}

#[test]
fn check_lists_files_that_would_change_and_writes_nothing() -> TestResult {
    let dir = TempDir::new("check")?;
    let messy = dir.write_path("a.txt", MESSY.as_bytes())?;
    let tidy = dir.write_path("b.txt", TIDY.as_bytes())?;
    let out = run(&["fmt", "--check", &dir.path()])?;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stdout, format!("{}\n", s(&messy)));
    assert_eq!(std::fs::read_to_string(&messy)?, MESSY);
    let out = run(&["fmt", "--check", &s(&tidy)])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    // Standard input: named `<stdin>`, nothing else printed.
    let out = run_stdin(&["fmt", "--check"], MESSY.as_bytes())?;
    assert_eq!((out.code, out.stdout.as_str()), (Some(1), "<stdin>\n"));
    Ok(())
}

#[test]
fn rewrites_in_place_keeping_permissions_and_bom() -> TestResult {
    let dir = TempDir::new("rewrite")?;
    let path = dir.write_path("a.txt", MESSY.as_bytes())?;
    let bom = dir.write_path("bom.md", format!("\u{feff}{MESSY}").as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640))?;
    }
    let out = run(&["fmt", &s(&path), &s(&bom)])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(std::fs::read_to_string(&path)?, TIDY);
    assert_eq!(std::fs::read_to_string(&bom)?, format!("\u{feff}{TIDY}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path)?.permissions().mode() & 0o777,
            0o640
        );
    }
    // No temporary file left beside them.
    assert_eq!(
        dir.entries()?,
        vec!["a.txt".to_owned(), "bom.md".to_owned()]
    );
    // A second run changes nothing.
    let out = run(&["fmt", "--check", &s(&path), &s(&bom)])?;
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    Ok(())
}

#[test]
fn directories_are_searched_like_check() -> TestResult {
    let dir = TempDir::new("dirs")?;
    let txt = dir.write_path("x/a.txt", MESSY.as_bytes())?;
    let md = dir.write_path("x/y/b.md", MESSY.as_bytes())?;
    let nb = dir.write_path("c.nianbao", MESSY.as_bytes())?;
    let other = dir.write_path("x/notes.rst", MESSY.as_bytes())?;
    let out = run(&["fmt", &dir.path()])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for path in [&txt, &md, &nb] {
        assert_eq!(std::fs::read_to_string(path)?, TIDY, "{}", s(path));
    }
    assert_eq!(std::fs::read_to_string(&other)?, MESSY);
    Ok(())
}

#[test]
fn unreadable_and_non_utf8_files_are_named_and_the_others_formatted() -> TestResult {
    let dir = TempDir::new("bad")?;
    let good = dir.write_path("good.txt", MESSY.as_bytes())?;
    let gbk = dir.write_path("gbk.txt", b"\xd5\xfe\xb8\xae\n")?;
    let missing = dir.0.join("missing.txt");
    let out = run(&["fmt", &s(&good), &s(&gbk), &s(&missing)])?;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(
        out.stderr.contains(&s(&gbk)) && out.stderr.contains("UTF-8"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&s(&missing)), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&good)?, TIDY);
    assert_eq!(std::fs::read(&gbk)?, b"\xd5\xfe\xb8\xae\n");
    // With --check too: 2 wins over 1.
    let out = run(&["fmt", "--check", &s(&gbk), &dir.path()])?;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_formatted_through() -> TestResult {
    let dir = TempDir::new("link")?;
    let real = dir.write_path("real.txt", MESSY.as_bytes())?;
    let link = dir.0.join("link.txt");
    std::os::unix::fs::symlink(&real, &link)?;
    let out = run(&["fmt", &s(&link)])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(std::fs::symlink_metadata(&link)?.file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&real)?, TIDY);
    Ok(())
}

#[test]
fn corpus_formats_to_a_fixed_point() -> TestResult {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    if !corpus.is_dir() {
        return Ok(());
    }
    let dir = TempDir::new("corpus")?;
    for entry in std::fs::read_dir(&corpus)?.flatten() {
        let bytes = std::fs::read(entry.path())?;
        dir.write(&entry.file_name().to_string_lossy(), &bytes)?;
    }
    let out = run(&["fmt", &dir.path()])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stderr.contains("未格式化"), "{}", out.stderr);
    let out = run(&["fmt", "--check", &dir.path()])?;
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    Ok(())
}
