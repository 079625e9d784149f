//! End-to-end tests of the `nianbao` binary: exit codes, JSON shape, inputs (stdin, directories,
//! unreadable files), `explain`. The contract is `../shared/spec/interface.md`.
//!
//! Written so they hold both with the stub engine and with the real checks: where the outcome
//! depends on the checks, the tests assert consistency (exit status 1 exactly when the JSON has
//! an error) rather than a count.

use std::error::Error;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;

use common::{Run, TempDir, run, run_stdin};

type TestResult = Result<(), Box<dyn Error>>;

/// Runs the binary with `args` in `dir`, killing it after 60 s (a hang is a failure).
fn run_in(dir: &Path, args: &[&str]) -> Result<Run, Box<dyn Error>> {
    let mut command = common::command(args);
    command.current_dir(dir);
    common::run_command(command, b"", common::DEADLINE)
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn example(name: &str) -> String {
    examples().join(name).display().to_string()
}

fn paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f["path"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const REPORT: &str =
    "沙河市卫生健康局\n2020年政府信息公开工作年度报告\n一、总体情况\n我局认真贯彻落实《条例》。\n";

/// Checks every key and type interface.md fixes for one `check --format json` document.
fn assert_json_shape(report: &Value) {
    assert_eq!(report["version"], 1, "{report}");
    let Some(files) = report["files"].as_array() else {
        panic!("files is not an array: {report}");
    };
    for file in files {
        assert!(file["path"].is_string(), "{file}");
        let template = file["template"].as_str().unwrap_or_default();
        assert!(
            ["2019", "2021", "unknown"].contains(&template),
            "{template}"
        );
        let Some(diagnostics) = file["diagnostics"].as_array() else {
            panic!("diagnostics is not an array: {file}");
        };
        for d in diagnostics {
            let code = d["code"].as_str().unwrap_or_default();
            assert!(!code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
            let severity = d["severity"].as_str().unwrap_or_default();
            assert!(["error", "warning", "information", "hint"].contains(&severity));
            assert!(d["message"].is_string());
            assert_range(&d["range"]);
            assert!(d["related"].is_array(), "{d}");
            for r in d["related"].as_array().into_iter().flatten() {
                assert_range(&r["range"]);
                assert!(r["message"].is_string());
            }
            if let Some(fix) = d.get("fix") {
                assert!(fix["title"].is_string(), "{fix}");
                for e in fix["edits"].as_array().into_iter().flatten() {
                    assert_range(&e["range"]);
                    assert!(e["newText"].is_string(), "{e}");
                }
            }
        }
    }
}

fn assert_range(range: &Value) {
    for end in ["start", "end"] {
        assert!(range[end]["line"].is_u64(), "{range}");
        assert!(range[end]["character"].is_u64(), "{range}");
    }
}

#[test]
fn version() -> TestResult {
    let r = run(&["--version"])?;
    assert_eq!(r.code, Some(0));
    assert!(
        r.stdout
            .contains(&format!("nianbao {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        r.stdout
    );
    Ok(())
}

#[test]
fn clean_report_exits_0() -> TestResult {
    // seed-000 is complete and every cross-check passes (tables 3 and 4 are all 0): no errors.
    let r = run(&["check", &example("seed-000.txt")])?;
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("检查 1 个文件"), "{}", r.stdout);
    Ok(())
}

#[test]
fn exit_status_follows_error_diagnostics_on_every_example() -> TestResult {
    let r = run(&[
        "check",
        "--format",
        "json",
        &examples().display().to_string(),
    ])?;
    let report = r.json()?;
    assert_json_shape(&report);
    let names: Vec<String> = paths(&report)
        .iter()
        .filter_map(|p| Path::new(p).file_name()?.to_str().map(str::to_owned))
        .collect();
    // examples/README.md is skipped: a directory search leaves out README files.
    assert_eq!(
        names,
        [
            "001.txt",
            "003.txt",
            "004.txt",
            "seed-000.txt",
            "seed-002.txt"
        ]
    );
    let errors = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["diagnostics"].as_array().into_iter().flatten())
        .any(|d| d["severity"] == "error");
    assert_eq!(r.code, Some(if errors { 1 } else { 0 }), "{}", r.stderr);
    Ok(())
}

#[test]
fn human_and_json_report_the_same_number_of_problems() -> TestResult {
    let file = example("001.txt");
    let human = run(&["check", &file])?;
    let report = run(&["check", "--format", "json", &file])?.json()?;
    let n = report["files"][0]["diagnostics"]
        .as_array()
        .map_or(0, Vec::len);
    let summary = human.stdout.lines().last().unwrap_or_default().to_owned();
    if n == 0 {
        assert_eq!(summary, "检查 1 个文件，未发现问题");
    } else {
        assert!(
            summary.starts_with(&format!("检查 1 个文件，共 {n} 个问题（")),
            "{summary}"
        );
        // Every diagnostic starts with `path:line:column: severity[code]: `.
        let headers = human
            .stdout
            .lines()
            .filter(|l| l.starts_with(&format!("{file}:")))
            .count();
        assert_eq!(headers, n, "{}", human.stdout);
    }
    Ok(())
}

#[test]
fn stdin_dash_and_no_path() -> TestResult {
    for args in [
        &["check", "--format", "json", "-"][..],
        &["check", "--format", "json"],
    ] {
        let r = run_stdin(args, REPORT.as_bytes())?;
        assert_ne!(r.code, Some(2), "{}", r.stderr);
        let report = r.json()?;
        assert_json_shape(&report);
        assert_eq!(paths(&report), ["<stdin>"]);
    }
    Ok(())
}

#[test]
fn directories_are_searched_recursively_sorted_and_loops_end() -> TestResult {
    let dir = TempDir::new("tree")?;
    dir.write("b/z.txt", REPORT.as_bytes())?;
    dir.write("a.md", REPORT.as_bytes())?;
    dir.write("c/d/e.nianbao", REPORT.as_bytes())?;
    dir.write("c/a.TXT", REPORT.as_bytes())?;
    dir.write("c/report.pdf", b"%PDF")?;
    dir.write(".hidden/x.txt", REPORT.as_bytes())?;
    dir.write("b/README.md", b"# notes")?;
    // A symbolic link back to the root: the search must not loop.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir.0, dir.0.join("c/d/loop"))?;

    let r = run_in(&dir.0, &["check", "--format", "json", "."])?;
    assert_ne!(r.code, Some(2), "{}", r.stderr);
    let report = r.json()?;
    assert_json_shape(&report);
    assert_eq!(
        paths(&report),
        ["./a.md", "./b/z.txt", "./c/a.TXT", "./c/d/e.nianbao"]
    );

    // A file named explicitly is checked whatever its name; a file given twice once.
    let r = run_in(
        &dir.0,
        &[
            "check",
            "--format",
            "json",
            "c/report.pdf",
            "a.md",
            "b/README.md",
            "a.md",
        ],
    )?;
    assert_eq!(paths(&r.json()?), ["a.md", "b/README.md", "c/report.pdf"]);
    Ok(())
}

#[test]
fn non_utf8_file_is_named_and_the_others_still_checked() -> TestResult {
    let dir = TempDir::new("gb18030")?;
    dir.write("good.txt", REPORT.as_bytes())?;
    // 政府 in GB18030.
    dir.write("bad.txt", b"\xd5\xfe\xb8\xae")?;
    dir.write("zz.txt", REPORT.as_bytes())?;

    for format in ["json", "human"] {
        let r = run_in(&dir.0, &["check", "--format", format, "."])?;
        assert_eq!(r.code, Some(2), "{format}");
        assert!(
            r.stderr
                .contains("nianbao: ./bad.txt: 不是 UTF-8 编码（第 1 字节）"),
            "{}",
            r.stderr
        );
        if format == "json" {
            let report = r.json()?;
            assert_json_shape(&report);
            assert_eq!(paths(&report), ["./good.txt", "./zz.txt"]);
        } else {
            assert!(r.stdout.contains("检查 2 个文件，"), "{}", r.stdout);
            assert!(r.stdout.contains("1 个文件无法读取"), "{}", r.stdout);
        }
    }
    Ok(())
}

#[test]
fn missing_path_exits_2() -> TestResult {
    let r = run(&["check", "no/such/report.txt"])?;
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("no/such/report.txt: 文件或目录不存在"),
        "{}",
        r.stderr
    );
    Ok(())
}

#[test]
fn template_flag() -> TestResult {
    for template in ["2019", "2021", "auto"] {
        let r = run(&[
            "check",
            "--format",
            "json",
            "--template",
            template,
            &example("seed-000.txt"),
        ])?;
        assert_ne!(r.code, Some(2), "--template {template}: {}", r.stderr);
        assert_json_shape(&r.json()?);
    }
    Ok(())
}

#[test]
fn usage_errors_exit_2() -> TestResult {
    for args in [
        &["check", "--no-such-flag"][..],
        &["check", "--format", "xml"],
        &["check", "--template", "2020"],
        &["no-such-command"],
        &["explain"],
        &[],
    ] {
        let r = run(args)?;
        assert_eq!(r.code, Some(2), "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
    Ok(())
}

#[test]
fn explain_a_code() -> TestResult {
    let r = run(&["explain", "balance-mismatch"])?;
    assert_eq!(r.code, Some(0));
    for part in [
        "# balance-mismatch",
        "T3-BAL",
        "## 为什么",
        "## 示例",
        "## 修复",
    ] {
        assert!(r.stdout.contains(part), "{part}: {}", r.stdout);
    }
    Ok(())
}

#[test]
fn explain_an_unknown_topic_lists_the_codes() -> TestResult {
    let r = run(&["explain", "no-such-code"])?;
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("未知主题「no-such-code」"),
        "{}",
        r.stderr
    );
    for code in ["section-missing", "sum-mismatch", "number-format"] {
        assert!(r.stderr.contains(code), "{code}");
    }
    Ok(())
}

#[test]
fn explain_a_statute_article_and_item() -> TestResult {
    let r = run(&["explain", "第二十条第（五）项"])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("第二十条第（五）项"), "{}", r.stdout);
    assert!(
        r.stdout.contains("办理行政许可和其他对外管理服务事项"),
        "{}",
        r.stdout
    );
    let r = run(&["explain", "第二十条"])?;
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("（十五）"), "{}", r.stdout);
    // A well-formed reference to an article the report does not cite is still unknown.
    let r = run(&["explain", "第九十九条"])?;
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    Ok(())
}

#[test]
fn color_flag() -> TestResult {
    let file = example("seed-000.txt");
    let r = run(&["check", "--color", "always", &file])?;
    assert!(r.stdout.contains('\u{1b}'), "{}", r.stdout);
    let r = run(&["check", "--color", "never", &file])?;
    assert!(!r.stdout.contains('\u{1b}'));
    Ok(())
}

#[test]
fn parse_prints_the_tree() -> TestResult {
    let r = run(&["parse", &example("seed-000.txt")])?;
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("(document"), "{}", r.stdout);
    Ok(())
}

fn corpus(name: &str) -> Result<String, Box<dyn Error>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(name);
    Ok(std::fs::read_to_string(path)?)
}

/// The file entry of `path` in a JSON document.
fn entry<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == path))
        .unwrap_or(&Value::Null)
}

fn codes_of(file: &Value) -> Vec<&str> {
    file["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

/// A folder of several bodies' reports: 淮安市洪泽区 2023 and 2024 (a carry-over planted into
/// 2024's 自然人 column), 淮安市 2024 and 沭阳县发改局 2023 (other bodies, same years), a
/// report whose body cannot be read, and 平潭 2024 named by its file.
#[test]
fn series_checks_in_a_directory() -> TestResult {
    let dir = TempDir::new("series")?;
    let carried = "二、上年结转政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0";
    let planted = corpus("real/002.txt")?.replace(
        carried,
        "二、上年结转政府信息公开申请数量\t\t\t3\t0\t0\t0\t0\t0\t0",
    );
    dir.write("洪泽/2023.txt", corpus("real/001.txt")?.as_bytes())?;
    dir.write("洪泽/2024.txt", planted.as_bytes())?;
    dir.write("其他/淮安市.txt", corpus("real/004.txt")?.as_bytes())?;
    dir.write("其他/沭阳.txt", corpus("real/024.txt")?.as_bytes())?;
    dir.write("其他/无名.txt", corpus("degraded/013.txt")?.as_bytes())?;
    dir.write(
        "平潭综合实验区2024年政府信息公开工作年度报告.txt",
        corpus("degraded/012.txt")?.as_bytes(),
    )?;

    let r = run_in(&dir.0, &["check", "--format", "json", "."])?;
    let report = r.json()?;
    assert_json_shape(&report);

    let y2024 = entry(&report, "./洪泽/2024.txt");
    assert_eq!(y2024["body"], "淮安市洪泽区人民政府");
    assert_eq!(y2024["year"], 2024);
    assert_eq!(y2024["series"]["previous"], "./洪泽/2023.txt");
    assert_eq!(y2024["series"]["bodySource"], "title");
    let carry: Vec<&Value> = y2024["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"] == "carryover-mismatch")
        .collect();
    assert_eq!(carry.len(), 1, "{y2024}");
    assert_eq!(carry[0]["severity"], "warning");
    assert_eq!(
        carry[0]["message"],
        "“自然人”列上年结转应为 0（2023 年报告“结转下年度继续办理”），实为 3"
    );
    assert!(
        carry[0].get("fix").is_none(),
        "a suggestion, not a safe fix"
    );
    let related = &carry[0]["related"][0];
    assert_eq!(related["path"], "./洪泽/2023.txt");
    // 001.txt line 83 (0-based 82): `四、结转下年度继续办理⇥⇥⇥0…`, the 自然人 cell at column 14.
    assert_eq!(
        related["range"],
        serde_json::json!({"start": {"line": 81, "character": 14}, "end": {"line": 81, "character": 15}})
    );

    let y2023 = entry(&report, "./洪泽/2023.txt");
    assert_eq!(y2023["body"], "洪泽区人民政府");
    assert_eq!(y2023["series"]["next"], "./洪泽/2024.txt");
    assert!(!codes_of(y2023).contains(&"carryover-mismatch"));

    for other in ["./其他/淮安市.txt", "./其他/沭阳.txt"] {
        let f = entry(&report, other);
        assert_eq!(f["series"]["previous"], Value::Null, "{other}");
        assert_eq!(f["series"]["next"], Value::Null, "{other}");
        assert!(!codes_of(f).contains(&"carryover-mismatch"), "{other}");
    }
    let unnamed = entry(&report, "./其他/无名.txt");
    assert_eq!(unnamed["body"], Value::Null);
    assert_eq!(unnamed["year"], 2025);
    let notes = unnamed["series"]["notes"].to_string();
    assert!(notes.contains("发布机关不明"), "{notes}");
    let pingtan = entry(
        &report,
        "./平潭综合实验区2024年政府信息公开工作年度报告.txt",
    );
    assert_eq!(pingtan["body"], "平潭综合实验区");
    assert_eq!(pingtan["series"]["bodySource"], "filename");

    // The human output names last year's cell in the other file.
    let r = run_in(&dir.0, &["check", "洪泽"])?;
    assert!(
        r.stdout
            .contains("洪泽/2024.txt:61:20: warning[carryover-mismatch]: “自然人”列上年结转应为 0"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "= note: 洪泽/2023.txt:82:15：2023 年报告“四、结转下年度继续办理”的“自然人”：0"
        ),
        "{}",
        r.stdout
    );
    Ok(())
}

#[test]
fn explain_the_series_codes_says_how_identity_is_read() -> TestResult {
    for code in ["carryover-mismatch", "content-copied"] {
        let r = run(&["explain", code])?;
        assert_eq!(r.code, Some(0));
        for part in [
            "文件名",
            "标题",
            "落款",
            "平潭综合实验区2021年政府信息公开工作年度报告.txt",
        ] {
            assert!(r.stdout.contains(part), "{code}: {part}");
        }
    }
    Ok(())
}

/// What the web page's engine prints for a text (`report_json::alone`) is what `check --format
/// json -` prints for it, on every corpus report: one JSON document, two edges.
#[test]
fn the_library_document_of_one_text_is_the_cli_document_of_stdin() -> Result<(), Box<dyn Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/real");
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        let r = run_stdin(&["check", "--format", "json", "-"], text.as_bytes())?;
        let analysis = nianbao::analysis::analyze(&text, &nianbao::analysis::Config::default());
        let mut file =
            nianbao::report_json::alone(nianbao::report_json::STDIN_NAME, &text, &analysis, None);
        file.encoding = Some("UTF-8");
        let library = nianbao::report_json::to_string(&nianbao::report_json::Report {
            version: nianbao::report_json::VERSION,
            files: vec![file],
        });
        assert_eq!(r.stdout, library, "{}", path.display());
    }
    Ok(())
}

/// `nianbao.toml`: found above the files, its severities and excludes applied, a flag over it,
/// `--config` naming another, `nianbao config` saying what is in force; a mistake is an error
/// naming the key and the file, before anything is checked.
#[test]
fn the_configuration_file() -> Result<(), Box<dyn Error>> {
    let dir = TempDir::new("config")?;
    let report = std::fs::read(examples().join("001.txt"))?;
    dir.write("reports/a.txt", &report)?;
    dir.write("reports/归档/b.txt", &report)?;
    let config = dir.write_path(
        "nianbao.toml",
        "exclude = [\"reports/归档/**\"]\n[severity]\nsum-mismatch = \"warning\"\nlabel-mismatch = \"off\"\n"
            .as_bytes(),
    )?;
    let root = dir.0.display().to_string();
    let r = run(&["check", "--format", "json", &root])?;
    assert_eq!(
        r.code,
        Some(0),
        "sum-mismatch is a warning here: {}",
        r.stderr
    );
    let json: Value = serde_json::from_str(&r.stdout)?;
    let files = paths(&json);
    assert_eq!(files.len(), 1, "归档/ is excluded: {files:?}");
    let codes: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(!codes.contains(&"label-mismatch"), "{codes:?}");
    // A file named on the command line is checked even where excluded.
    let named = dir.0.join("reports/归档/b.txt").display().to_string();
    assert_eq!(run(&["check", "--format", "json", &named])?.code, Some(0));

    let shown = run(&["config", &root])?;
    assert_eq!(shown.code, Some(0));
    let place = config.display().to_string();
    for line in [
        "exclude = [\"reports/归档/**\"]",
        "sum-mismatch = \"warning\"",
        "label-mismatch = \"off\"",
    ] {
        assert!(
            shown
                .stdout
                .lines()
                .any(|l| l.starts_with(line) && l.ends_with(&place)),
            "{line}: {}",
            shown.stdout
        );
    }
    assert!(
        shown.stdout.contains("department = \"01-31\""),
        "{}",
        shown.stdout
    );

    // --config names another file: the defaults here, so the errors count again.
    let plain = dir.write_path("plain.toml", b"template = \"auto\"\n")?;
    let r = run(&["check", "--config", &plain.display().to_string(), &root])?;
    assert_eq!(r.code, Some(1), "{}", r.stderr);

    std::fs::write(&config, "[severity]\nsum-mismach = \"off\"\n")?;
    let r = run(&["check", &root])?;
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(&place) && r.stderr.contains("“sum-mismach”不是诊断代码"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "nothing checked: {}", r.stdout);
    Ok(())
}
