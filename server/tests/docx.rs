//! End-to-end tests of the binary on Word documents and the formats it refuses: `check` names
//! places in the document (human) and adds the `"word"` object (JSON), `convert` prints the text
//! the ranges refer to, `check --fix` writes the fixes into the cells (atomically) and `--diff`
//! shows them, and .doc, encrypted, RTF and non-Word zips are each refused with their own
//! message (an HTML page saved as .doc is read as a page) while the other files are still checked.

use std::error::Error;
use std::path::Path;

use serde_json::Value;

mod common;
use common::{TempDir, run, run_stdin};

type TestResult = Result<(), Box<dyn Error>>;

fn example(name: &str) -> Result<String, Box<dyn Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(name);
    Ok(std::fs::read_to_string(path)?)
}

/// Real report 004 with a typo planted in table 3 (（一）予以公开's 总计 1362 written 1326: the
/// row's sum and the 总计 column's sum both fail, and one figure explains both, so fix-all
/// corrects it), as report text and as a Word document.
fn planted_004() -> Result<(String, Vec<u8>), Box<dyn Error>> {
    let text = example("004.txt")?.replacen("\t50\t3\t1362\n", "\t50\t3\t1326\n", 1);
    assert!(text.contains("\t1326\n"));
    let docx = nianbao::docx::build::report(&text).docx;
    Ok((text, docx))
}

/// Real report 001 (two wrong table-4 totals) as a Word document.
fn report_001() -> Result<(String, Vec<u8>), Box<dyn Error>> {
    let text = example("001.txt")?;
    let docx = nianbao::docx::build::report(&text).docx;
    Ok((text, docx))
}

/// A zip's entries: name and content, in order.
type Entries = Vec<(String, Vec<u8>)>;

fn entries(bytes: &[u8]) -> Result<Entries, Box<dyn Error>> {
    Ok(nianbao::docx::build::unzip(bytes)?)
}

#[test]
fn check_names_word_places_and_gives_the_text_diagnostics() -> TestResult {
    let dir = TempDir::new("check")?;
    let (text, docx) = report_001()?;
    let d = dir.write("报告.docx", &docx)?;
    let t = dir.write("报告.txt", text.as_bytes())?;

    let human = run(&["check", &d])?;
    assert_eq!(human.code, Some(1), "{}", human.stderr);
    // 行政复议's 总计 (0 for 10 + 1 + 0 + 0), its parts named by their cells.
    assert!(
        human.stdout.contains(&format!(
            "{d}: Word 表格 5 第 4 行 第 5 格: error[sum-mismatch]: 表四“行政复议”的总计"
        )),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains("= note: Word 表格 5 第 4 行 第 1 格："),
        "{}",
        human.stdout
    );

    let from_docx: Value = serde_json::from_str(&run(&["check", "--format", "json", &d])?.stdout)?;
    let from_text: Value = serde_json::from_str(&run(&["check", "--format", "json", &t])?.stdout)?;
    let docx_diags = from_docx["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let text_diags = from_text["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!docx_diags.is_empty());
    assert_eq!(docx_diags.len(), text_diags.len());
    for (w, t) in docx_diags.iter().zip(&text_diags) {
        // Every diagnostic of a Word file has its place; the rest is the text's.
        let word = &w["word"];
        assert!(
            word["paragraph"].is_u64()
                || (word["table"].is_u64() && word["row"].is_u64() && word["cell"].is_u64()),
            "{w}"
        );
        let mut w = w.clone();
        if let Some(o) = w.as_object_mut() {
            o.remove("word");
            for r in o
                .get_mut("related")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                assert!(r.get("word").is_some(), "{r}");
                if let Some(r) = r.as_object_mut() {
                    r.remove("word");
                }
            }
        }
        assert_eq!(&w, t);
        assert!(t.get("word").is_none());
    }
    Ok(())
}

#[test]
fn convert_prints_the_text_the_ranges_refer_to() -> TestResult {
    let dir = TempDir::new("convert")?;
    let (text, docx) = report_001()?;
    let d = dir.write("报告.docx", &docx)?;
    let out = run(&["convert", &d])?;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, text);
    // Text files and standard input are printed as read.
    let t = dir.write("a.txt", "\u{feff}一、总体情况\n".as_bytes())?;
    assert_eq!(run(&["convert", &t])?.stdout, "一、总体情况\n");
    assert_eq!(run_stdin(&["convert", "-"], &docx)?.stdout, text);
    let missing = run(&["convert", &format!("{d}.missing")])?;
    assert_eq!(missing.code, Some(2));
    assert!(missing.stderr.contains("不存在"), "{}", missing.stderr);
    Ok(())
}

/// An OLE2 compound file holding the named streams (UTF-16LE names in its directory).
fn ole2(streams: &[&str]) -> Vec<u8> {
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.resize(512, 0);
    for s in streams {
        let mut entry: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        bytes.extend(entry);
    }
    bytes
}

#[test]
fn other_formats_are_refused_each_with_its_advice_and_the_rest_still_checked() -> TestResult {
    let dir = TempDir::new("formats")?;
    let good = dir.write("0-好的.txt", example("seed-000.txt")?.as_bytes())?;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("a-旧版.doc", ole2(&["Root Entry", "WordDocument", "1Table"]), "是 Word 97-2003 二进制文档（.doc/.wps），nianbao 只能读取 .docx：请在 Word/WPS 中“另存为 .docx”，或运行：soffice --headless --convert-to docx "),
        ("b-加密.docx", ole2(&["Root Entry", "EncryptionInfo", "EncryptedPackage"]), "文档有密码保护"),
        ("c-富文本.doc", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}".to_vec(), "是 RTF 文档"),
        ("d-网页.doc", b"<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><body><p>x</p></body></html>".to_vec(), "网页中没有找到年报"),
        ("e-表格.docx", nianbao::docx::build::zip([("xl/workbook.xml", b"<workbook/>".as_slice())], zip::CompressionMethod::Deflated), "是Excel 工作簿（.xlsx），不是 Word 文档"),
        ("f-截断.docx", report_001()?.1[..3000].to_vec(), "Word 文档（.docx）已损坏或不完整"),
    ];
    let mut args = vec!["check".to_owned(), good.clone()];
    for (name, bytes, _) in &cases {
        args.push(dir.write(name, bytes)?);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args)?;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for (name, _, message) in &cases {
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not named: {}", out.stderr));
        assert!(line.starts_with("nianbao: "), "{line}");
        assert!(line.contains(message), "{line}");
    }
    // The good file was checked.
    assert!(out.stdout.contains("检查 1 个文件"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with("；6 个文件无法读取\n"),
        "{}",
        out.stdout
    );
    // `fmt` refuses a Word document too, saying what it is.
    let fmt = run(&["fmt", "--check", args[args.len() - 2]])?;
    assert_eq!(fmt.code, Some(2));
    let docx = dir.write("g.docx", &report_001()?.1)?;
    let fmt = run(&["fmt", &docx])?;
    assert_eq!(fmt.code, Some(2));
    assert!(
        fmt.stderr.contains("是 Word 文档（.docx）"),
        "{}",
        fmt.stderr
    );
    Ok(())
}

#[test]
fn directories_hold_word_documents_but_not_their_lock_files() -> TestResult {
    let dir = TempDir::new("dir")?;
    dir.write("sub/报告.docx", &report_001()?.1)?;
    // Word's owner file while the document is open: not a document.
    dir.write("sub/~$报告.docx", b"\x0bsomeone")?;
    let out = run(&["check", "--format", "json", &dir.0.display().to_string()])?;
    let report: Value = serde_json::from_str(&out.stdout)?;
    let files = report["files"].as_array().cloned().unwrap_or_default();
    assert_eq!(files.len(), 1, "{}", out.stderr);
    assert!(
        files[0]["path"]
            .as_str()
            .unwrap_or_default()
            .ends_with("报告.docx")
    );
    Ok(())
}

#[test]
fn fix_writes_only_the_cells_and_diff_shows_them() -> TestResult {
    let dir = TempDir::new("fix")?;
    let (_, docx) = planted_004()?;
    let d = dir.write("报告.docx", &docx)?;

    let diff = run(&["check", "--diff", &d])?;
    assert_eq!(diff.code, Some(1), "{}", diff.stderr);
    assert!(
        diff.stdout
            .contains("@@ -81,3 +81,3 @@ Word 表格 3 第 6 行\n"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout
            .contains("\n+三、本年度办理结果\t（一）予以公开\t\t1288\t21\t0\t0\t50\t3\t1362\n"),
        "{}",
        diff.stdout
    );
    assert_eq!(std::fs::read(&d)?, docx, "--diff wrote the file");

    let fix = run(&["check", "--fix", &d])?;
    assert!(
        fix.stderr
            .contains("已改正 1 处：Word 表格 3 第 6 行 第 9 格：1326 → 1362"),
        "{}",
        fix.stderr
    );
    // What is left is reported; the total is no longer wrong.
    assert!(!fix.stdout.contains("sum-mismatch"), "{}", fix.stdout);
    let after = std::fs::read(&d)?;
    let (old, new) = (entries(&docx)?, entries(&after)?);
    assert_eq!(old.len(), new.len());
    for (o, n) in old.iter().zip(&new) {
        assert_eq!(o.0, n.0);
        if o.0 != "word/document.xml" {
            assert_eq!(o.1, n.1, "{}", o.0);
        }
    }
    // document.xml: that cell's `1326` became `1362`; no other byte changed.
    let xml = |e: &[(String, Vec<u8>)]| {
        e.iter()
            .find(|(n, _)| n == "word/document.xml")
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let (old_xml, new_xml) = (xml(&old), xml(&new));
    assert_eq!(old_xml.len(), new_xml.len());
    let differing: Vec<usize> = (0..old_xml.len())
        .filter(|&i| old_xml[i] != new_xml[i])
        .collect();
    assert_eq!(differing.len(), 2, "{differing:?}");
    let at = differing[0] - 2;
    assert!(old_xml[at..].starts_with(b"1326</w:t>"));
    assert!(new_xml[at..].starts_with(b"1362</w:t>"));
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(&dir.0)?.count(), 1);

    let again = run(&["check", "--diff", &d])?;
    assert_eq!(again.code, Some(0), "{}", again.stdout);
    assert_eq!(again.stdout, "");
    Ok(())
}

#[test]
fn fix_rewrites_a_text_file_keeping_its_byte_order_mark() -> TestResult {
    let dir = TempDir::new("fix-text")?;
    let (text, _) = planted_004()?;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let t = dir.write("004.txt", &bytes)?;
    let fix = run(&["check", "--fix", &t])?;
    assert!(fix.stderr.contains(": 已改正第 82 行"), "{}", fix.stderr);
    let after = std::fs::read(&t)?;
    assert!(after.starts_with(b"\xEF\xBB\xBF"));
    let after = String::from_utf8(after[3..].to_vec())?;
    assert_eq!(after, nianbao::fix::fix_all(&text, &Default::default()));
    assert!(!fix.stdout.contains("sum-mismatch"), "{}", fix.stdout);
    // Standard input cannot be fixed in place.
    let stdin = run_stdin(&["check", "--fix"], text.as_bytes())?;
    assert_eq!(stdin.code, Some(2));
    assert!(
        stdin.stderr.contains("不能用于标准输入"),
        "{}",
        stdin.stderr
    );
    Ok(())
}
