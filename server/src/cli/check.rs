//! `nianbao check`: collect the inputs, read each by what it is (report text or a Word
//! document), apply the safe fixes when asked (`--fix` writes them, `--diff` shows them),
//! analyse in parallel, print in path order.

use std::io::IsTerminal;
use std::path::Path;

use std::collections::HashMap;

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::diagnostics::{Diagnostic, Severity};
use nianbao::fix::fix_all;
use nianbao::report_json as json;
use nianbao::series::{Entry, Outcome, Series};
use rayon::prelude::*;

use super::atomic::{Snapshot, replace};
use super::fetch::Fetcher;
use super::files::{self, Input, InputError, Loaded};
use super::human::HumanRenderer;
use super::{CheckArgs, ColorArg, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, csv, diff};

/// One analysed input.
struct Checked {
    name: String,
    loaded: Loaded,
    analysis: Analysis,
    /// Lines for stderr: how the text was read, what was fixed.
    notes: Vec<String>,
    /// `--diff`: the changes fix-all would make.
    diff: String,
    /// What the series pass reads of it (identity, carry-over rows, section 五).
    entry: Entry,
    /// The series pass's notes and neighbours (its findings are merged into `analysis`).
    series: Outcome,
    /// Its configuration (the series findings take its severities too).
    config: Config,
}

/// What `check` does with the safe fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fixing {
    No,
    /// `--fix`: write them into the files.
    Write,
    /// `--diff`: show them, write nothing.
    Show,
}

/// Each input with its analysis configuration; files found in a directory that their
/// configuration excludes are left out (a file named on the command line is checked).
pub fn configure(
    inputs: Vec<Input>,
    named: &[std::path::PathBuf],
    config: Option<&std::path::Path>,
    overrides: nianbao::config::Overrides,
) -> Result<Vec<(Input, Config)>, String> {
    let mut configs = super::config::Configs::new(config, overrides)?;
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        if let Input::File(path) = &input
            && !named.contains(path)
            && configs.excludes(path)?
        {
            continue;
        }
        let config = configs.for_input(&input)?;
        out.push((input, config));
    }
    Ok(out)
}

pub fn run(args: &CheckArgs) -> u8 {
    let overrides = nianbao::config::Overrides {
        template: args.template,
        ..Default::default()
    };
    let fixing = match (args.fix, args.diff) {
        (_, true) => Fixing::Show,
        (true, false) => Fixing::Write,
        (false, false) => Fixing::No,
    };
    let mut paths = args.paths.clone();
    if let Some(list) = &args.from {
        match files::read_list(list) {
            Ok(listed) => paths.extend(listed),
            Err(reason) => {
                eprintln!("nianbao: {}: {reason}", list.display());
                return EXIT_USAGE;
            }
        }
        if paths.is_empty() {
            eprintln!("nianbao: {}: 没有列出路径或网址", list.display());
            return EXIT_USAGE;
        }
    }
    // Each input's configuration (its nianbao.toml, found once per directory): an invalid file
    // stops the run, as it says something nianbao would otherwise not do.
    let (inputs, mut errors) = files::collect(&paths, files::CHECK_EXTENSIONS);
    let configured = match configure(inputs, &paths, args.config.as_deref(), overrides) {
        Ok(configured) => configured,
        Err(reason) => {
            eprintln!("nianbao: {reason}");
            return EXIT_USAGE;
        }
    };
    let inputs: Vec<&Input> = configured.iter().map(|(input, _)| input).collect();
    if fixing != Fixing::No && inputs.contains(&&Input::Stdin) {
        eprintln!("nianbao: --fix 和 --diff 只改正文件，不能用于标准输入：请给出文件路径");
        return EXIT_USAGE;
    }
    let fetcher = inputs
        .iter()
        .any(|i| matches!(i, Input::Url(_)))
        .then(|| Fetcher::new(std::time::Duration::from_secs(args.timeout.max(1))));

    // Standard input is read once, up front; files are read and analysed in parallel.
    let stdin = inputs.contains(&&Input::Stdin).then(files::load_stdin);
    let results: Vec<Result<Checked, InputError>> = configured
        .par_iter()
        .map(|(input, config)| {
            let name = input.name();
            let checked = match input {
                Input::Stdin => stdin
                    .clone()
                    .unwrap_or_else(|| Ok(Loaded::empty()))
                    .map(|loaded| analysed(name.clone(), loaded, config, None)),
                Input::File(path) => check_file(path, &name, fixing, config),
                Input::Url(url) => check_address(url, fetcher.as_ref(), fixing, config),
            };
            checked.map_err(|reason| InputError { name, reason })
        })
        .collect();
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(c) => checked.push(c),
            Err(e) => errors.push(e),
        }
    }
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    for c in &checked {
        for note in &c.notes {
            eprintln!("nianbao: {}: {note}", c.name);
        }
    }
    for error in &errors {
        eprintln!("nianbao: {}: {}", error.name, error.reason);
    }
    if checked.is_empty() && errors.is_empty() {
        eprintln!(
            "nianbao: 没有找到要检查的文件（目录中查找 {}）",
            files::patterns(files::CHECK_EXTENSIONS)
        );
    }
    if fixing == Fixing::Show {
        let out: String = checked.iter().map(|c| c.diff.as_str()).collect();
        files::print_stdout(&out);
        return if !errors.is_empty() {
            EXIT_USAGE
        } else if out.is_empty() {
            EXIT_OK
        } else {
            EXIT_ERRORS
        };
    }
    // The series pass over everything checked together (its findings go to the later year).
    series_pass(&mut checked);
    print(args, &checked, errors.len());
    let all = checked.iter().flat_map(|c| &c.analysis.diagnostics);
    if !errors.is_empty() {
        EXIT_USAGE
    } else if all.clone().any(|d| d.severity == Severity::Error) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Analyses what was read. `file_name`: the name of the file it was read from, which the series
/// pass reads an identity from (`None` for standard input).
fn analysed(name: String, loaded: Loaded, config: &Config, file_name: Option<&str>) -> Checked {
    let analysis = analyze(loaded.text(), config);
    let notes = loaded.notes();
    let entry = Entry::new(name.clone(), loaded.text(), &analysis, file_name);
    Checked {
        name,
        loaded,
        analysis,
        notes,
        diff: String::new(),
        entry,
        series: Outcome::default(),
        config: config.clone(),
    }
}

/// Fetches and analyses one web address (a page cannot be fixed in place).
fn check_address(
    url: &str,
    fetcher: Option<&Fetcher>,
    fixing: Fixing,
    config: &Config,
) -> Result<Checked, String> {
    let fetcher = fetcher.ok_or("网页无法获取")?;
    let page = fetcher.get(url)?;
    let loaded = files::load_with_charset(page.bytes, url, page.charset.as_deref())?;
    let mut checked = analysed(url.to_owned(), loaded, config, None);
    if fixing != Fixing::No {
        checked
            .notes
            .push("未改正：网址的网页不能原地改正".to_owned());
    }
    Ok(checked)
}

/// Reads, fixes (as asked) and analyses one file.
fn check_file(path: &Path, name: &str, fixing: Fixing, config: &Config) -> Result<Checked, String> {
    if fixing == Fixing::No {
        return Ok(analysed(
            name.to_owned(),
            files::load_file(path)?,
            config,
            Some(name),
        ));
    }
    let before = Snapshot::take(path)?;
    let loaded = files::load(before.bytes.clone(), name)?;
    let mut notes: Vec<String> = loaded.notes();
    let fixed = fix_all(loaded.text(), config);
    let mut diff = String::new();
    let loaded = if fixed == loaded.text() {
        loaded
    } else {
        match fixed_bytes(&loaded, &fixed) {
            Err(why) => {
                notes.push(format!("未改正：{why}"));
                loaded
            }
            // The bytes were made (so the fix can be written), but are not.
            Ok(_) if fixing == Fixing::Show => {
                diff = diff::unified(name, loaded.text(), &fixed, loaded.map());
                loaded
            }
            Ok((bytes, changes)) => {
                if !before.regular {
                    return Err("不是普通文件（FIFO、设备等），不能原地改正".to_owned());
                }
                replace(path, &before, &bytes, "改正")?;
                notes.push(changes);
                files::load(bytes, name)?
            }
        }
    };
    let mut checked = analysed(name.to_owned(), loaded, config, Some(name));
    checked.notes = notes;
    checked.diff = diff;
    Ok(checked)
}

/// The file's new bytes with `fixed` written in, and a line saying what changed.
fn fixed_bytes(loaded: &Loaded, fixed: &str) -> Result<(Vec<u8>, String), String> {
    match loaded {
        Loaded::Text {
            text,
            encoding,
            bom,
        } => {
            // Written back in the encoding it came in, byte-order mark and all.
            let bytes = nianbao::encoding::encode(fixed, *encoding, *bom);
            let lines: Vec<String> = changed_lines(text, fixed)
                .into_iter()
                .map(|l| l.to_string())
                .collect();
            Ok((bytes, format!("已改正第 {} 行", lines.join("、"))))
        }
        Loaded::Page(_) => Err(
            "网页不能原地改正：可用 nianbao convert 导出文本，改正文本（check --fix）".to_owned(),
        ),
        Loaded::Word { bytes, doc } => {
            let out = doc.fix(bytes, fixed).map_err(|e| e.to_string())?;
            let kind = doc.extracted.map.kind;
            let places: Vec<String> = out
                .changes
                .iter()
                .map(|c| {
                    let place = c
                        .location
                        .as_ref()
                        .map_or_else(|| "Word 文档".to_owned(), |l| l.describe(kind));
                    format!("{place}：{} → {}", show(&c.before), show(&c.after))
                })
                .collect();
            Ok((
                out.bytes,
                format!("已改正 {} 处：{}", places.len(), places.join("；")),
            ))
        }
    }
}

/// A cell's text as quoted in a message: `（空）` for none.
fn show(text: &str) -> String {
    if text.is_empty() {
        "（空）".to_owned()
    } else {
        text.to_owned()
    }
}

/// The 1-based numbers of the lines of `old` that `new` changes.
fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut lines: Vec<usize> = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .flat_map(|op| {
            let r = op.old_range();
            // A pure insertion is "after" the line before it.
            if r.is_empty() {
                r.start.max(1)..r.start.max(1) + 1
            } else {
                r.start + 1..r.end + 1
            }
        })
        .collect();
    lines.dedup();
    lines
}

fn print(args: &CheckArgs, checked: &[Checked], unreadable: usize) {
    let all: Vec<&Diagnostic> = checked
        .iter()
        .flat_map(|c| &c.analysis.diagnostics)
        .collect();
    let texts: HashMap<&str, &str> = checked
        .iter()
        .map(|c| (c.name.as_str(), c.loaded.text()))
        .collect();
    let others = |name: &str| texts.get(name).copied();
    match args.format {
        Format::Csv => files::print_stdout(&csv::render(&summary_rows(checked))),
        Format::Json => {
            let report = json::Report {
                version: 1,
                files: checked
                    .iter()
                    .map(|c| {
                        let mut file = json::located(
                            c.name.clone(),
                            c.analysis.template,
                            c.loaded.text(),
                            &c.analysis.diagnostics,
                            &others,
                            c.loaded.map(),
                        );
                        file.encoding = c.loaded.encoding().map(|e| e.name());
                        series_fields(&mut file, c, checked);
                        file
                    })
                    .collect(),
            };
            files::print_stdout(&json::to_string(&report));
        }
        Format::Human => {
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let renderer = HumanRenderer::new(color);
            let mut out: String = checked
                .par_iter()
                .map(|c| {
                    // Text not in UTF-8 says how it was read (GB18030, UTF-16).
                    let read_as = match c.loaded.encoding() {
                        Some(e) if e != nianbao::encoding::TextEncoding::Utf8 => {
                            format!("{}: 按 {} 编码读取\n", c.name, e.name())
                        }
                        _ => String::new(),
                    };
                    read_as
                        + &renderer.render_file_with(
                            &c.name,
                            c.loaded.text(),
                            &c.analysis.diagnostics,
                            &others,
                            c.loaded.map(),
                        )
                })
                .collect::<Vec<_>>()
                .concat();
            if checked.len() > 1 {
                out.push_str(&csv::table(&summary_rows(checked), 60));
                out.push('\n');
            }
            out.push_str(&renderer.summary(checked.len(), &all, unreadable));
            files::print_stdout(&out);
        }
    }
}

/// One summary row per report (`--format csv`, and the human output's table).
fn summary_rows(checked: &[Checked]) -> Vec<csv::Row> {
    checked
        .iter()
        .map(|c| {
            let count = |s: Severity| {
                c.analysis
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == s)
                    .count()
            };
            let identity = &c.entry.identity;
            csv::Row {
                path: c.name.clone(),
                body: identity.body.as_ref().map(|b| b.value.clone()),
                year: identity.year.as_ref().map(|y| y.value).or(c
                    .analysis
                    .report
                    .year
                    .as_ref()
                    .map(|y| y.year)),
                template: c.analysis.template,
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                first_error: c
                    .analysis
                    .diagnostics
                    .iter()
                    .find(|d| d.severity == Severity::Error)
                    .map(|d| format!("{}: {}", d.code, d.message)),
            }
        })
        .collect()
}

/// The series pass over everything checked together: each report compared with its body's
/// report of the year before; findings merged into the later report's diagnostics.
fn series_pass(checked: &mut [Checked]) {
    let outcomes: Vec<Outcome> = {
        let series = Series::new(checked.iter().map(|c| &c.entry).collect());
        (0..series.len())
            .into_par_iter()
            .map(|i| series.outcome(i))
            .collect()
    };
    for (c, mut outcome) in checked.iter_mut().zip(outcomes) {
        let found = c
            .config
            .apply_severity(std::mem::take(&mut outcome.diagnostics));
        if !found.is_empty() {
            let diagnostics = &mut c.analysis.diagnostics;
            diagnostics.extend(found);
            diagnostics.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.cmp(&b.code)));
        }
        c.series = outcome;
    }
}

/// `body`, `year` and `series` of a file's JSON entry.
fn series_fields(file: &mut json::File, c: &Checked, all: &[Checked]) {
    json::set_series(file, &c.entry, &c.series, |i| {
        all.get(i).map(|o| o.name.clone())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_lines_are_numbered_from_one() {
        assert_eq!(changed_lines("a\nb\nc\n", "a\nB\nc\n"), [2]);
        assert_eq!(changed_lines("a\nb\nc\n", "A\nb\nC\n"), [1, 3]);
        assert_eq!(changed_lines("a\nb\n", "a\n"), [2]);
    }
}
