//! Bad files through the `nianbao` binary: nothing panics, hangs or takes more than linear time,
//! a file that cannot be read is named with the reason (exit 2) while the others are still
//! checked, and `nianbao fmt` never loses a byte: no half-written file, permissions kept, no
//! write over a file that changed meanwhile, no file touched that it was not asked to format.
//!
//! Tests run as root here, and root reads a file whatever its mode: the unreadable-file test then
//! runs the binary as `nobody` through `setpriv` (util-linux), and says so when it cannot.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

mod common;

use common::{BIN, Run, TempDir};

type TestResult = Result<(), Box<dyn Error>>;
type Res<T> = Result<T, Box<dyn Error>>;

/// A report with findings (a missing section, a table-2 row without its third value).
const REPORT: &str = "沙河市卫生健康局\n2020年政府信息公开工作年度报告\n一、总体情况\n我局认真贯彻落实《条例》。\n\
二、主动公开政府信息情况\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t减47\n";

/// A report `nianbao fmt` changes (a one-cell-per-line table, trailing spaces, blank lines).
const MESSY: &str = "沙河市卫生健康局2020年政府信息公开工作年度报告\n一、总体情况  \n我局认真贯彻落实《条例》。\n\n\n\n二、主动公开政府信息情况\n\t第二十条第（一）项\n\n\t信息内容\n\t本年新\n制作数量\n\t本年新公开数量\n\t对外公开总数量\n\n\t规章\n\t0\n\t减47\n\t0\n";

/// The start of a report in GB18030 (某某局2024年政府信息公开工作年度报告 / 一、总体情况 / 本年度无。).
const GB18030: &[u8] = b"\xc4\xb3\xc4\xb3\xbe\xd62024\xc4\xea\xd5\xfe\xb8\xae\xd0\xc5\xcf\xa2\xb9\xab\xbf\xaa\xb9\xa4\xd7\xf7\xc4\xea\xb6\xc8\xb1\xa8\xb8\xe6\n\xd2\xbb\xa1\xa2\xd7\xdc\xcc\xe5\xc7\xe9\xbf\xf6\n\xb1\xbe\xc4\xea\xb6\xc8\xce\xde\xa1\xa3\n";

/// How to start the binary.
#[derive(Clone, Copy, Default)]
struct Opts<'a> {
    stdin: &'a [u8],
    /// Run as `nobody` (through `setpriv`).
    unprivileged: bool,
}

/// Runs the binary; a run longer than 120 s is killed and is a failure (a hang).
fn run_opts(args: &[&str], opts: Opts<'_>) -> Res<Run> {
    let command = if opts.unprivileged {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            BIN,
        ])
        .args(args)
        .env("NO_COLOR", "1");
        c
    } else {
        common::command(args)
    };
    common::run_command(command, opts.stdin, Duration::from_secs(120))
}

fn run(args: &[&str]) -> Res<Run> {
    run_opts(args, Opts::default())
}

fn s(path: &Path) -> String {
    path.display().to_string()
}

/// A diagnostic's code and the line and character of its start and end.
type Position = (String, u64, u64, u64, u64);

/// The diagnostics of a one-file JSON run.
fn positions(run: &Run) -> Res<Vec<Position>> {
    let json = run.json()?;
    let diagnostics = json["files"][0]["diagnostics"]
        .as_array()
        .ok_or("no diagnostics array")?;
    Ok(diagnostics
        .iter()
        .map(|d| {
            let at = |end: &str, key: &str| d["range"][end][key].as_u64().unwrap_or(u64::MAX);
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                at("start", "line"),
                at("start", "character"),
                at("end", "line"),
                at("end", "character"),
            )
        })
        .collect())
}

/// The text without whitespace: what `nianbao fmt` must keep.
fn visible(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// ---------------------------------------------------------------------------------------------
// Files that are odd but readable
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_file() -> TestResult {
    let dir = TempDir::new("empty")?;
    let path = dir.write("empty.txt", b"")?;
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("check");
    assert_eq!(r.json()?["files"][0]["path"], path.as_str());
    let r = run(&["check", &path])?;
    r.assert_checked("check (human)");
    let r = run(&["fmt", &path])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(std::fs::read(&path)?, b"");
    let r = run(&["parse", &path])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    Ok(())
}

#[test]
fn whitespace_only_file() -> TestResult {
    let dir = TempDir::new("blank")?;
    let text = " \n\t\n\r\n\u{3000}\n   \n\n";
    let path = dir.write("blank.txt", text.as_bytes())?;
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("check");
    let r = run(&["fmt", &path])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read_to_string(&path)?;
    assert_eq!(visible(&after), "", "{after:?}");
    Ok(())
}

#[test]
fn byte_order_mark_is_dropped_and_positions_are_those_of_the_text() -> TestResult {
    let dir = TempDir::new("bom")?;
    let plain = dir.write("plain.txt", REPORT.as_bytes())?;
    let bom = dir.write("bom.txt", format!("\u{feff}{REPORT}").as_bytes())?;
    let a = run(&["check", "--format", "json", &plain])?;
    let b = run(&["check", "--format", "json", &bom])?;
    a.assert_checked("plain");
    b.assert_checked("bom");
    assert!(!positions(&a)?.is_empty());
    assert_eq!(positions(&a)?, positions(&b)?);
    // A byte-order mark in the middle of the text is an ordinary character.
    let mid = dir.write(
        "mid.txt",
        format!("一、总体情况\u{feff}\n{REPORT}").as_bytes(),
    )?;
    run(&["check", "--format", "json", &mid])?.assert_checked("mid");
    Ok(())
}

#[test]
fn crlf_line_ends_give_the_positions_of_lf() -> TestResult {
    let dir = TempDir::new("crlf")?;
    let lf = dir.write("lf.txt", REPORT.as_bytes())?;
    let crlf_text = REPORT.replace('\n', "\r\n");
    let crlf = dir.write("crlf.txt", crlf_text.as_bytes())?;
    let a = run(&["check", "--format", "json", &lf])?;
    let b = run(&["check", "--format", "json", &crlf])?;
    b.assert_checked("crlf");
    assert_eq!(positions(&a)?, positions(&b)?);
    // Mixed and lone CR: read, not crashed on.
    let mixed = dir.write("mixed.txt", "一、总体情况\r\n二、\r三、\n\r\n\r".as_bytes())?;
    run(&["check", "--format", "json", &mixed])?.assert_checked("mixed");
    // fmt keeps CRLF files CRLF.
    let messy = dir.write_path("messy.txt", MESSY.replace('\n', "\r\n").as_bytes())?;
    let r = run(&["fmt", &s(&messy)])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read_to_string(&messy)?;
    assert!(after.contains("\r\n") && !after.replace("\r\n", "").contains('\n'));
    Ok(())
}

#[test]
fn nul_bytes_and_control_characters() -> TestResult {
    let dir = TempDir::new("nul")?;
    let mut text = REPORT.replace("规章", "规\0章").into_bytes();
    text.extend_from_slice(b"\0\0\x01\x1b[31m\x7f\n\t\0\t0\n");
    let path = dir.write("nul.txt", &text)?;
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("json");
    let r = run(&["check", &path])?;
    r.assert_checked("human");
    let before = String::from_utf8(text)?;
    let r = run(&["fmt", &path])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(visible(&std::fs::read_to_string(&path)?), visible(&before));
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Files that cannot be read as text
// ---------------------------------------------------------------------------------------------

#[test]
fn gb18030_is_read_named_and_written_back_in_gb18030() -> TestResult {
    let dir = TempDir::new("gb18030")?;
    let good = dir.write("a.txt", REPORT.as_bytes())?;
    let gb = dir.write("b.txt", GB18030)?;
    let other = dir.write("c.txt", REPORT.as_bytes())?;
    let r = run(&["check", "--format", "json", &dir.path()])?;
    r.assert_no_panic("json");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let files: Vec<Value> = r.json()?["files"].as_array().cloned().unwrap_or_default();
    let read: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| Some((f["path"].as_str()?, f["encoding"].as_str()?)))
        .collect();
    assert_eq!(
        read,
        [
            (good.as_str(), "UTF-8"),
            (gb.as_str(), "GB18030"),
            (other.as_str(), "UTF-8")
        ]
    );
    // The report is read: its title and heading are found (no section-missing for 一).
    let gb_file = files
        .iter()
        .find(|f| f["path"] == gb.as_str())
        .cloned()
        .unwrap_or_default();
    let messages: Vec<&str> = gb_file["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["message"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        messages.iter().all(|m| !m.contains("缺少第一部分")),
        "{messages:?}"
    );
    let r = run(&["check", &gb])?;
    r.assert_no_panic("human");
    assert!(
        r.stdout.contains(&format!("{gb}: 按 GB18030 编码读取")),
        "{}",
        r.stdout
    );
    // fmt writes it back in GB18030: only the blank lines change, the encoding does not.
    let messy_gb = [GB18030, b"\n\n\n\n\xb6\xfe\xa1\xa2\xd6\xf7\xb6\xaf\n"].concat();
    let path = dir.write("d.txt", &messy_gb)?;
    let r = run(&["fmt", &path])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read(&path)?;
    assert!(
        std::str::from_utf8(&after).is_err(),
        "still GB18030, not UTF-8"
    );
    assert_ne!(after, messy_gb, "the formatter closed up the blank lines");
    let before = nianbao::encoding::decode(&messy_gb)?;
    let after = nianbao::encoding::decode(&after)?;
    assert_eq!(after.encoding, nianbao::encoding::TextEncoding::Gb18030);
    assert_eq!(after.text, nianbao::format::format(&before.text));
    Ok(())
}

#[test]
fn bytes_that_are_neither_utf8_nor_chinese_gb18030_are_refused_the_others_checked() -> TestResult {
    let dir = TempDir::new("latin1")?;
    let good = dir.write("a.txt", REPORT.as_bytes())?;
    let latin = dir.write("b.txt", b"caf\xe9 au lait, cr\xe8me br\xfbl\xe9e\n")?;
    for format in ["human", "json"] {
        let r = run(&["check", "--format", format, &dir.path()])?;
        r.assert_no_panic(format);
        assert_eq!(r.code, Some(2), "{format}: {}", r.stderr);
        assert!(
            r.stderr
                .contains(&format!("{latin}: 不是 UTF-8 编码（第 4 字节）")),
            "{}",
            r.stderr
        );
        if format == "json" {
            let files: Vec<Value> = r.json()?["files"].as_array().cloned().unwrap_or_default();
            let paths: Vec<&str> = files.iter().filter_map(|f| f["path"].as_str()).collect();
            assert_eq!(paths, [good.as_str()]);
        }
    }
    Ok(())
}

#[test]
fn truncated_in_the_middle_of_a_character() -> TestResult {
    let dir = TempDir::new("truncated")?;
    let mut bytes = REPORT.as_bytes().to_vec();
    bytes.extend_from_slice("年".as_bytes());
    bytes.pop();
    let cut = dir.write("cut.txt", &bytes)?;
    let good = dir.write("good.txt", REPORT.as_bytes())?;
    let r = run(&["check", "--format", "json", &cut, &good])?;
    r.assert_no_panic("check");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let at = REPORT.len() + 1;
    assert!(
        r.stderr.contains(&format!(
            "{cut}: 不是 UTF-8 编码（第 {at} 字节）：文件末尾的字符不完整，文件可能被截断"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(r.json()?["files"][0]["path"], good.as_str());
    // Through standard input as well.
    let r = run_opts(
        &["check", "-"],
        Opts {
            stdin: &bytes,
            ..Opts::default()
        },
    )?;
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("<stdin>: 不是 UTF-8 编码"),
        "{}",
        r.stderr
    );
    Ok(())
}

/// `/dev/zero` never ends: reading stops at the input limit instead of exhausting memory.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_file_is_refused_at_the_limit() -> TestResult {
    let r = run(&["check", "/dev/zero"])?;
    r.assert_no_panic("check");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("/dev/zero: 过大（超过 256 MB）"),
        "{}",
        r.stderr
    );
    let r = run(&["fmt", "--check", "/dev/zero"])?;
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_directory_with_unreadable_entries() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("unreadable")?;
    dir.write("a-good.txt", REPORT.as_bytes())?;
    let locked = dir.write_path("b-locked.txt", REPORT.as_bytes())?;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000))?;
    dir.write("c-closed/inside.txt", REPORT.as_bytes())?;
    let closed = dir.0.join("c-closed");
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o000))?;
    // A link to nowhere, with a report's name.
    std::os::unix::fs::symlink(dir.0.join("nowhere.txt"), dir.0.join("d-dangling.txt"))?;
    // A directory named like a report: searched, not read as a file.
    dir.write("e-folder.txt/inside.md", REPORT.as_bytes())?;
    // A FIFO with a report's name: not a file, skipped (reading it would wait for a writer).
    let fifo = dir.0.join("f-fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    dir.write("z-good.txt", REPORT.as_bytes())?;

    let as_nobody = is_root() && Command::new("setpriv").arg("--version").output().is_ok();
    if !as_nobody && is_root() {
        eprintln!("setpriv is missing: root reads files whatever their mode; testing the rest");
    }
    let r = run_opts(
        &["check", "--format", "json", &dir.path()],
        Opts {
            unprivileged: as_nobody,
            ..Opts::default()
        },
    )?;
    r.assert_no_panic("check");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let files: Vec<Value> = r.json()?["files"].as_array().cloned().unwrap_or_default();
    let mut paths: Vec<String> = files
        .iter()
        .filter_map(|f| f["path"].as_str())
        .map(|p| p.trim_start_matches(&dir.path()).to_string())
        .collect();
    paths.sort();
    let mut expected = vec!["/a-good.txt", "/e-folder.txt/inside.md", "/z-good.txt"];
    let readable_anyway = !as_nobody && is_root();
    if readable_anyway {
        expected.extend(["/b-locked.txt", "/c-closed/inside.txt"]);
        expected.sort();
    }
    assert_eq!(paths, expected, "{}", r.stderr);
    assert!(
        r.stderr.contains("d-dangling.txt: 文件或目录不存在"),
        "{}",
        r.stderr
    );
    if !readable_anyway {
        assert!(
            r.stderr.contains("b-locked.txt: 没有读取权限"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("c-closed: 没有读取权限"), "{}", r.stderr);
    }
    if made.is_ok_and(|s| s.success()) {
        assert!(!r.stderr.contains("f-fifo"), "{}", r.stderr);
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops() -> TestResult {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("loops")?;
    dir.write("a.txt", REPORT.as_bytes())?;
    // A link to itself, two links to each other, a directory link back to the root, a
    // directory link to its own parent further down.
    symlink(dir.0.join("self.txt"), dir.0.join("self.txt"))?;
    symlink(dir.0.join("pong.txt"), dir.0.join("ping.txt"))?;
    symlink(dir.0.join("ping.txt"), dir.0.join("pong.txt"))?;
    symlink(&dir.0, dir.0.join("root-again"))?;
    dir.write("deep/er/b.md", REPORT.as_bytes())?;
    symlink(dir.0.join("deep"), dir.0.join("deep/er/up"))?;
    let r = run(&["check", "--format", "json", &dir.path()])?;
    r.assert_no_panic("check");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    for name in ["self.txt", "ping.txt", "pong.txt"] {
        assert!(
            r.stderr.contains(&format!("{name}: 无法读取")),
            "{name}: {}",
            r.stderr
        );
    }
    let files: Vec<Value> = r.json()?["files"].as_array().cloned().unwrap_or_default();
    assert_eq!(files.len(), 2, "{files:?}");
    // Named explicitly: the same reason, exit 2.
    let r = run(&["check", &s(&dir.0.join("self.txt"))])?;
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let r = run(&["fmt", &s(&dir.0.join("ping.txt"))])?;
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    Ok(())
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------------------------
// Big files: linear time (generous bounds for a debug build on a busy machine)
// ---------------------------------------------------------------------------------------------

#[test]
fn a_ten_megabyte_single_line() -> TestResult {
    let dir = TempDir::new("line")?;
    let piece = "本年度政府信息公开申请12件，（一）规章0\t减47 | 总计，";
    let text = piece.repeat(10_000_000 / piece.len() + 1);
    assert!(text.len() >= 10_000_000 && !text.contains('\n'));
    let path = dir.write("line.txt", text.as_bytes())?;
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("check");
    assert!(r.took < Duration::from_secs(90), "{:?}", r.took);
    Ok(())
}

#[test]
fn two_hundred_thousand_rows() -> TestResult {
    let dir = TempDir::new("rows")?;
    let mut text = String::from(
        "某某局2024年政府信息公开工作年度报告\n二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n",
    );
    for i in 0..200_000 {
        text.push_str(&format!("规章\t{}\t0\t{}\n", i % 100, i % 7));
    }
    let path = dir.write("rows.txt", text.as_bytes())?;
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("check");
    assert!(r.took < Duration::from_secs(90), "{:?}", r.took);
    let r = run(&["check", &path])?;
    r.assert_checked("check (human)");
    Ok(())
}

/// Regression: every duplicate heading was drawn with all the lines back to the first one, so
/// the human output took quadratic time (20,000 headings: 10 s in release, minutes in debug).
#[test]
fn twenty_thousand_headings() -> TestResult {
    let dir = TempDir::new("headings")?;
    let numerals = ["一", "二", "三", "四", "五", "六"];
    let subs = ["（一）", "（二）", "（三）"];
    let mut text = String::new();
    for i in 0..20_000 {
        if i % 2 == 0 {
            text.push_str(&format!("{}、总体情况\n", numerals[i / 2 % 6]));
        } else {
            text.push_str(&format!("{}主动公开\n", subs[i / 2 % 3]));
        }
    }
    let path = dir.write("headings.txt", text.as_bytes())?;
    let r = run(&["check", &path])?;
    r.assert_checked("check (human)");
    assert!(r.took < Duration::from_secs(40), "{:?}", r.took);
    let r = run(&["check", "--format", "json", &path])?;
    r.assert_checked("check (json)");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// nianbao fmt: what it writes, and what it does not
// ---------------------------------------------------------------------------------------------

/// A messy report large enough that formatting it takes a while (≈ 3 s in a debug build).
fn big_messy() -> String {
    let mut text = MESSY.to_string();
    for _ in 0..5000 {
        text.push_str("  \n一、总体情况  \n我局认真。  \n\n\n");
    }
    text
}

#[test]
fn fmt_never_leaves_a_half_written_file() -> TestResult {
    let dir = TempDir::new("atomic")?;
    let original = big_messy();
    let path = dir.write_path("big.txt", original.as_bytes())?;
    let mut child = Command::new(BIN)
        .args(["fmt", &s(&path)])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Read the file over and over while it is being formatted and replaced.
    let mut seen: Vec<Vec<u8>> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        let bytes = std::fs::read(&path)?;
        if !seen.contains(&bytes) {
            seen.push(bytes);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err("fmt did not finish".into());
        }
    };
    assert_eq!(status.code(), Some(0));
    let formatted = std::fs::read(&path)?;
    assert_ne!(formatted, original.as_bytes());
    for bytes in &seen {
        assert!(
            bytes == original.as_bytes() || *bytes == formatted,
            "a read saw a file that is neither the original nor the formatted one ({} bytes)",
            bytes.len()
        );
    }
    assert_eq!(dir.entries()?, ["big.txt"], "temporary files left behind");
    Ok(())
}

#[cfg(unix)]
#[test]
fn fmt_keeps_every_permission_mode() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("modes")?;
    let mut paths = Vec::new();
    for mode in [0o600, 0o644, 0o664, 0o755, 0o444, 0o4755] {
        let path = dir.write_path(&format!("m{mode:o}.txt"), MESSY.as_bytes())?;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))?;
        paths.push((path, mode));
    }
    let args: Vec<String> = paths.iter().map(|(p, _)| s(p)).collect();
    let mut argv = vec!["fmt"];
    argv.extend(args.iter().map(String::as_str));
    let r = run(&argv)?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for (path, mode) in paths {
        assert_ne!(std::fs::read_to_string(&path)?, MESSY, "{}", s(&path));
        let got = std::fs::metadata(&path)?.permissions().mode() & 0o7777;
        assert_eq!(got, mode, "{}: {got:o} ≠ {mode:o}", s(&path));
    }
    Ok(())
}

/// Someone saves the file while `nianbao fmt` formats it: their text must survive. Whatever the
/// timing, the file ends as their text or as their text formatted — never as the old text
/// formatted; and when fmt noticed the change, it says so, exits 2 and leaves their text.
#[test]
fn fmt_does_not_write_over_a_file_changed_meanwhile() -> TestResult {
    let dir = TempDir::new("race")?;
    let original = big_messy();
    let path = dir.write_path("big.txt", original.as_bytes())?;
    let theirs = format!("{original}二、他人刚保存的内容  \n");
    let child = Command::new(BIN)
        .args(["fmt", &s(&path)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // The file is read at once; formatting takes seconds in a debug build.
    std::thread::sleep(Duration::from_millis(500));
    std::fs::write(&path, theirs.as_bytes())?;
    let out = child.wait_with_output()?;
    let stderr = String::from_utf8(out.stderr)?;
    let after = std::fs::read_to_string(&path)?;
    let theirs_formatted = {
        let r = run_opts(
            &["fmt", "-"],
            Opts {
                stdin: theirs.as_bytes(),
                ..Opts::default()
            },
        )?;
        r.stdout
    };
    assert!(
        after == theirs || after == theirs_formatted,
        "the file was overwritten with something else ({} bytes); fmt said: {stderr}",
        after.len()
    );
    if stderr.contains("文件在格式化期间被修改，未写入") {
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(after, theirs);
    } else {
        eprintln!("fmt finished before the file was changed (a fast machine): {stderr}");
    }
    Ok(())
}

/// A FIFO named to `fmt` stays a FIFO: read, formatted, but not rewritten (exit 2, named).
#[cfg(unix)]
#[test]
fn fmt_does_not_replace_a_fifo() -> TestResult {
    use std::os::unix::fs::FileTypeExt;
    let dir = TempDir::new("fifo")?;
    let fifo = dir.0.join("pipe.txt");
    if !Command::new("mkfifo").arg(&fifo).status()?.success() {
        return Ok(());
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, MESSY))
    };
    let r = run(&["fmt", &s(&fifo)])?;
    let _ = writer.join();
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("pipe.txt: 不是普通文件"), "{}", r.stderr);
    assert!(std::fs::metadata(&fifo)?.file_type().is_fifo());
    // /dev/null: nothing to format, nothing written.
    let r = run(&["fmt", "/dev/null"])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    Ok(())
}

fn mtime(path: &Path) -> Res<SystemTime> {
    Ok(std::fs::symlink_metadata(path)?.modified()?)
}

#[cfg(unix)]
fn inode(path: &Path) -> Res<u64> {
    use std::os::unix::fs::MetadataExt;
    Ok(std::fs::metadata(path)?.ino())
}

#[cfg(unix)]
#[test]
fn fmt_touches_only_the_files_it_was_asked_to_format() -> TestResult {
    let outside = TempDir::new("outside")?;
    let neighbour = outside.write_path("neighbour.txt", MESSY.as_bytes())?;
    let dir = TempDir::new("asked")?;
    let asked = dir.write_path("asked.txt", MESSY.as_bytes())?;
    let sibling = dir.write_path("sibling.txt", MESSY.as_bytes())?;
    let rst = dir.write_path("notes.rst", MESSY.as_bytes())?;
    let hidden = dir.write_path(".hidden/h.txt", MESSY.as_bytes())?;
    let readme = dir.write_path("README.md", MESSY.as_bytes())?;
    let nested = dir.write_path("sub/nested.md", MESSY.as_bytes())?;
    let tidy_text = run_opts(
        &["fmt", "-"],
        Opts {
            stdin: MESSY.as_bytes(),
            ..Opts::default()
        },
    )?
    .stdout;
    let tidy = dir.write_path("tidy.txt", tidy_text.as_bytes())?;
    // Old enough that a rewrite would show in the modification time.
    std::thread::sleep(Duration::from_millis(20));
    let untouched = |paths: &[&PathBuf]| -> Res<Vec<(PathBuf, Vec<u8>, SystemTime)>> {
        paths
            .iter()
            .map(|p| Ok(((*p).clone(), std::fs::read(p)?, mtime(p)?)))
            .collect()
    };
    let check = |before: Vec<(PathBuf, Vec<u8>, SystemTime)>| -> TestResult {
        for (path, bytes, time) in before {
            assert_eq!(std::fs::read(&path)?, bytes, "{} changed", s(&path));
            assert_eq!(mtime(&path)?, time, "{} was rewritten", s(&path));
        }
        Ok(())
    };

    // One file named: only it changes.
    let before = untouched(&[&neighbour, &sibling, &rst, &hidden, &readme, &nested, &tidy])?;
    let r = run(&["fmt", &s(&asked)])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&asked)?, tidy_text);
    check(before)?;

    // The directory: its reports change; other extensions, hidden entries, READMEs, files
    // outside, and files already formatted (not even rewritten with the same bytes) do not.
    let tidy_inode = inode(&tidy)?;
    let before = untouched(&[&neighbour, &rst, &hidden, &readme, &tidy, &asked])?;
    let r = run(&["fmt", &dir.path()])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&sibling)?, tidy_text);
    assert_eq!(std::fs::read_to_string(&nested)?, tidy_text);
    check(before)?;
    assert_eq!(inode(&tidy)?, tidy_inode);

    // --check writes nothing at all.
    let messy_again = dir.write_path("sub/again.txt", MESSY.as_bytes())?;
    let before = untouched(&[&messy_again])?;
    let r = run(&["fmt", "--check", &dir.path()])?;
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    check(before)?;
    Ok(())
}
