//! `nianbao check`: collect the inputs, read each by what it is (report text or a Word
//! document), apply the safe fixes when asked (`--fix` writes them, `--diff` shows them),
//! analyse in parallel, print in path order.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::fix::fix_all;
use nianbao::series::Entry;

use super::atomic::{Snapshot, replace};
use super::fetch::Fetcher;
use super::files::{self, Input, InputError, Loaded};
use super::human::HumanRenderer;
use super::{CheckArgs, ColorArg, EXIT_USAGE, Format, batch, diff};

/// One analysed input.
pub struct Checked {
    pub name: String,
    pub loaded: Loaded,
    pub analysis: Analysis,
    /// Lines for stderr: how the text was read, what was fixed.
    pub notes: Vec<String>,
    /// `--diff`: the changes fix-all would make.
    pub diff: String,
    /// What the series pass reads of it (identity, carry-over rows, section 五).
    pub entry: Entry,
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
) -> Result<Vec<(Input, std::sync::Arc<Config>)>, String> {
    let mut configs = super::config::Configs::new(config, overrides)?;
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        if let Input::File(path) = &input
            && !named.contains(path)
            && configs.excludes(path)?
        {
            continue;
        }
        let config = configs.shared_for_input(&input)?;
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
    let stdin = paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-");
    if fixing != Fixing::No && stdin {
        eprintln!("nianbao: --fix 和 --diff 只改正文件，不能用于标准输入：请给出文件路径");
        return EXIT_USAGE;
    }
    // Each input's configuration (its nianbao.toml, found once per directory): an invalid file
    // stops the run, as it says something nianbao would otherwise not do. The inputs are found
    // while the first are checked; so that `--fix` writes nothing when a configuration file is
    // invalid, the configurations are read through once before fixing.
    if fixing == Fixing::Write {
        for next in inputs(&paths, args.config.as_deref(), overrides.clone()) {
            if let batch::Next::Stop(reason) = next {
                eprintln!("nianbao: {reason}");
                return EXIT_USAGE;
            }
        }
    }
    let fetcher = paths
        .iter()
        .any(|p| p.to_str().is_some_and(super::fetch::is_address))
        .then(|| Fetcher::new(std::time::Duration::from_secs(args.timeout.max(1))));

    // Standard input is read once, up front; files are read and analysed in parallel, streamed
    // through a bounded reorder window (`batch`).
    let stdin = stdin.then(files::load_stdin);
    let check_one = |input: &Input, config: &Config| -> Result<Checked, InputError> {
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
    };
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let output = match fixing {
        Fixing::Show => batch::Output::Diff,
        _ => match args.format {
            Format::Human => batch::Output::Human(HumanRenderer::new(color)),
            Format::Json => batch::Output::Json,
            Format::Csv => batch::Output::Csv,
        },
    };
    let source = inputs(&paths, args.config.as_deref(), overrides);
    batch::check(source, &check_one, output)
}

/// The inputs `paths` name, in path order, each with its configuration, found as they are asked
/// for ([`files::Walk`]); files found in a directory that their configuration excludes are left
/// out (a file named on the command line is checked). Ends after an invalid configuration file.
fn inputs<'a>(
    paths: &'a [PathBuf],
    config: Option<&'a Path>,
    overrides: nianbao::config::Overrides,
) -> impl Iterator<Item = batch::Next> + Send + 'a {
    let mut configs = super::config::Configs::new(config, overrides);
    let named: HashSet<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let mut walk = files::Walk::new(paths, files::CHECK_EXTENSIONS);
    let mut stopped = false;
    std::iter::from_fn(move || {
        if stopped {
            return None;
        }
        let configs = match &mut configs {
            Ok(configs) => configs,
            Err(reason) => {
                stopped = true;
                return Some(batch::Next::Stop(reason.clone()));
            }
        };
        loop {
            let input = match walk.next()? {
                Ok(input) => input,
                Err(error) => return Some(batch::Next::Unusable(error)),
            };
            let configured = (|| {
                if let Input::File(path) = &input
                    && !named.contains(path.as_path())
                    && configs.excludes(path)?
                {
                    return Ok(None);
                }
                configs.shared_for_input(&input).map(Some)
            })();
            match configured {
                Ok(Some(config)) => return Some(batch::Next::Check(input, config)),
                Ok(None) => {}
                Err(reason) => {
                    stopped = true;
                    return Some(batch::Next::Stop(reason));
                }
            }
        }
    })
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
            let places: Vec<String> = out.changes.iter().map(|c| c.describe()).collect();
            Ok((
                out.bytes,
                format!("已改正 {} 处：{}", places.len(), places.join("；")),
            ))
        }
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
