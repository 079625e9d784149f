//! End-to-end tests of the binary on published pages: saved pages (`../shared/corpus/html`) give
//! the diagnostics of their text twins, a GBK copy too; the same pages served by a local HTTP
//! server on 127.0.0.1 give the same through their addresses, while a missing, a slow and a huge
//! page each get their own error and the others are still checked; `--from` lists; `--format
//! csv`; the hand-made pages of `tests/fixtures/html`.

use std::error::Error;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

mod common;
use common::{Run, TempDir, run};

type TestResult = Result<(), Box<dyn Error>>;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(rel)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/html")
        .join(name)
}

/// The JSON of `check --format json` over `args`, by path.
fn check_json(args: &[&str]) -> Result<(Run, Value), Box<dyn Error>> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all)?;
    let value = serde_json::from_str(&out.stdout)?;
    Ok((out, value))
}

/// `code severity message` of each diagnostic of the file `path` in a JSON document, sorted.
fn findings(report: &Value, path: &str) -> Vec<String> {
    let file = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["path"] == path);
    let mut out: Vec<String> = file
        .and_then(|f| f["diagnostics"].as_array())
        .into_iter()
        .flatten()
        .map(|d| format!("{} {} {}", d["code"], d["severity"], d["message"]))
        .collect();
    out.sort();
    out
}

const TWINS: &[(&str, &str)] = &[
    ("html/101-shuyang-fagaiju-2023.html", "real/024.txt"),
    ("html/102-shanghai-office-2019.html", "real/003.txt"),
];

#[test]
fn saved_pages_give_the_diagnostics_of_their_text_twins() -> TestResult {
    for (page, twin) in TWINS {
        let page = shared(page).display().to_string();
        let twin = shared(twin).display().to_string();
        let (out, report) = check_json(&[&page, &twin])?;
        assert_ne!(out.code, Some(2), "{}", out.stderr);
        let from_page = findings(&report, &page);
        assert!(!from_page.is_empty(), "{page}");
        assert_eq!(from_page, findings(&report, &twin), "{page}");
        // Every diagnostic of a page says where it is in the page.
        let file = report["files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["path"] == page.as_str())
            .cloned()
            .unwrap_or_default();
        for d in file["diagnostics"].as_array().into_iter().flatten() {
            let at = &d["html"];
            assert!(
                at["paragraph"].is_u64()
                    || (at["table"].is_u64() && at["row"].is_u64() && at["cell"].is_u64()),
                "{d}"
            );
        }
    }
    Ok(())
}

/// Page 101 in GBK, its `<meta charset>` saying so (or, with `meta`, nothing: the server says it).
fn gbk_101(meta: bool) -> Result<Vec<u8>, Box<dyn Error>> {
    let text = std::fs::read_to_string(shared("html/101-shuyang-fagaiju-2023.html"))?;
    let replacement = if meta { "charset=\"gbk\"" } else { "" };
    let text = text
        .replace("charset=\"utf-8\"", replacement)
        .replace("charset=utf-8", replacement);
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    Ok(bytes.into_owned())
}

#[test]
fn a_gbk_copy_reads_the_same() -> TestResult {
    let dir = TempDir::new("gbk")?;
    let copy = dir.write("101-gbk.html", &gbk_101(true)?)?;
    let original = shared("html/101-shuyang-fagaiju-2023.html")
        .display()
        .to_string();
    let (_, report) = check_json(&[&copy, &original])?;
    assert_eq!(findings(&report, &copy), findings(&report, &original));
    assert_eq!(
        run(&["convert", &copy])?.stdout,
        run(&["convert", &original])?.stdout
    );
    Ok(())
}

/// A local web server for the tests: `/101.html`, `/102.html`, `/101-gbk.html` (charset only in
/// the `Content-Type` header), `/slow.html` (answers after 3 s), `/huge.html` (33 MB), anything
/// else 404.
fn serve() -> Result<String, Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let p101 = std::fs::read(shared("html/101-shuyang-fagaiju-2023.html"))?;
    let p102 = std::fs::read(shared("html/102-shanghai-office-2019.html"))?;
    let gbk = gbk_101(false)?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (p101, p102, gbk) = (p101.clone(), p102.clone(), gbk.clone());
            std::thread::spawn(move || answer(stream, &p101, &p102, &gbk));
        }
    });
    Ok(base)
}

fn answer(mut stream: TcpStream, p101: &[u8], p102: &[u8], gbk: &[u8]) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request = String::new();
    let _ = reader.read_line(&mut request);
    // The rest of the request head.
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let huge;
    let (status, charset, body): (&str, &str, &[u8]) = match path {
        "/101.html" => ("200 OK", "", p101),
        "/102.html" => ("200 OK", "; charset=utf-8", p102),
        "/101-gbk.html" => ("200 OK", "; charset=GBK", gbk),
        "/slow.html" => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", "", p101)
        }
        "/huge.html" => {
            huge = vec![b'x'; 33 * 1024 * 1024];
            ("200 OK", "", &huge)
        }
        _ => ("404 Not Found", "", b"not found"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html{charset}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

#[test]
fn addresses_are_fetched_and_each_failure_is_named() -> TestResult {
    let base = serve()?;
    let url = |p: &str| format!("{base}{p}");
    let (good, gbk, p102) = (url("/101.html"), url("/101-gbk.html"), url("/102.html"));
    let (missing, slow, huge) = (url("/missing.html"), url("/slow.html"), url("/huge.html"));
    let saved101 = shared("html/101-shuyang-fagaiju-2023.html")
        .display()
        .to_string();
    let saved102 = shared("html/102-shanghai-office-2019.html")
        .display()
        .to_string();
    let (out, report) = check_json(&[
        "--timeout",
        "1",
        &good,
        &gbk,
        &p102,
        &missing,
        &slow,
        &huge,
        &saved101,
        &saved102,
    ])?;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    for (address, why) in [
        (&missing, "网页无法获取：服务器返回 HTTP 404 Not Found"),
        (&slow, "网页无法获取：1 秒内没有取完"),
        (&huge, "网页超过 32 MB，不像年报，未读取"),
    ] {
        assert!(
            out.stderr.contains(&format!("nianbao: {address}: {why}")),
            "{}",
            out.stderr
        );
    }
    // The pages through their addresses: the diagnostics of the saved files.
    assert_eq!(findings(&report, &good), findings(&report, &saved101));
    assert_eq!(findings(&report, &gbk), findings(&report, &saved101));
    assert_eq!(findings(&report, &p102), findings(&report, &saved102));
    assert!(!findings(&report, &p102).is_empty());
    assert_eq!(report["files"].as_array().map(Vec::len), Some(5));
    // `convert` prints an address's text too.
    assert_eq!(
        run(&["convert", &gbk])?.stdout,
        run(&["convert", &saved101])?.stdout
    );
    assert_eq!(run(&["convert", &missing])?.code, Some(2));
    Ok(())
}

#[test]
fn a_list_of_paths_and_addresses() -> TestResult {
    let base = serve()?;
    let dir = TempDir::new("from")?;
    let saved = shared("html/102-shanghai-office-2019.html")
        .display()
        .to_string();
    let list = dir.write(
        "list.txt",
        format!("# reports to check\n{base}/101.html\n\n{saved}\n").as_bytes(),
    )?;
    let (out, report) = check_json(&["--from", &list])?;
    assert_ne!(out.code, Some(2), "{}", out.stderr);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(paths, [saved.as_str(), format!("{base}/101.html").as_str()]);
    let empty = dir.write("empty.txt", b"# nothing\n")?;
    let out = run(&["check", "--from", &empty])?;
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("没有列出路径或网址"), "{}", out.stderr);
    Ok(())
}

#[test]
fn csv_has_one_row_per_report_and_human_output_a_table() -> TestResult {
    let p101 = shared("html/101-shuyang-fagaiju-2023.html")
        .display()
        .to_string();
    let p102 = shared("html/102-shanghai-office-2019.html")
        .display()
        .to_string();
    let out = run(&["check", "--format", "csv", &p101, &p102])?;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}path,body,year,template,errors,warnings,first_error"
    );
    // Body and year as the checks across years read them.
    assert_eq!(
        lines[1],
        format!("{p101},沭阳县发展和改革局,2023,2021,0,1,")
    );
    assert!(
        lines[2].starts_with(&format!("{p102},上海市人民政府办公厅,2019,2019,")),
        "{}",
        lines[2]
    );
    assert!(lines[2].contains(",sum-mismatch: "), "{}", lines[2]);
    assert_eq!(lines[3], "");
    let human = run(&["check", &p101, &p102])?;
    assert!(human.stdout.contains("文件"), "{}", human.stdout);
    let table: Vec<&str> = human
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("文件"))
        .take(3)
        .collect();
    assert_eq!(table.len(), 3, "{}", human.stdout);
    assert!(
        table[1].starts_with(&p101)
            && table[1].ends_with("沭阳县发展和改革局    2023  2021  0     1"),
        "{table:?}"
    );
    Ok(())
}

#[test]
fn hand_made_pages() -> TestResult {
    let split = fixture("made-nested-split-th.html").display().to_string();
    let word = fixture("made-word-saved.doc").display().to_string();
    let none = fixture("made-not-a-report.html").display().to_string();
    let out = run(&["check", &split, &word, &none])?;
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    // The planted error (（七）总计's 总计 25 for 26), in the second part of the split table 3.
    assert!(
        out.stdout.contains(&format!(
            "{split}: 网页表格 3 第 12 行 第 9 格: error[sum-mismatch]: "
        )),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains(&format!("nianbao: {none}: 网页中没有找到年报")),
        "{}",
        out.stderr
    );
    // Word's web page saved as .doc, in GBK: read as a page, its table on the grid.
    let text = run(&["convert", &word])?;
    assert_eq!(text.code, Some(0), "{}", text.stderr);
    assert!(
        text.stdout
            .starts_with("某县某局2023年政府信息公开工作年度报告\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t5\n"),
        "{}",
        text.stdout
    );
    // `<th>` header rows and a table nested in a cell.
    let text = run(&["convert", &split])?.stdout;
    assert!(
        text.contains("\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"),
        "{text}"
    );
    assert!(
        text.contains("\n\t（七）总计\t\t25\t1\t0\t0\t0\t0\t25\n"),
        "{text}"
    );
    Ok(())
}
