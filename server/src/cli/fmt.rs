//! `nianbao fmt`: put reports in the canonical layout ([`nianbao::format`]).
//!
//! - a file is rewritten atomically: the new text goes to a temporary file beside it (same
//!   directory, so the rename stays on one file system), is flushed to disk, gets the original's
//!   permissions, and replaces the original by a rename — unless the original changed on disk
//!   while it was being formatted (then nothing is written and the file is reported);
//! - `--check` writes nothing and lists the files that would change (exit 1 if any);
//! - `-` or no path: standard input to standard output;
//! - directories are searched like `check` (`*.txt`, `*.md`, `*.nianbao`), files in parallel,
//!   messages in path order; a file that cannot be read or is not UTF-8 is named on stderr
//!   (exit 2) and the others are still formatted.
//!
//! A leading byte-order mark is kept. The formatter never changes a character other than
//! whitespace nor any diagnostic; when its own checks fail on a file it leaves the file alone
//! and says so on stderr.

use std::path::Path;

use nianbao::analysis::Config;
use nianbao::format::{Formatted, Refusal, format_with};
use rayon::prelude::*;

use super::atomic::{Snapshot, replace};
use super::files::{self, Input, InputError};
use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE, FmtArgs};

/// What happened to one input.
enum Outcome {
    /// Already in the canonical layout.
    Unchanged,
    /// Would change (`--check`) or was rewritten.
    Changed,
    /// Left alone: the formatter's own checks failed.
    Refused(Refusal),
}

pub fn run(args: &FmtArgs) -> u8 {
    let overrides = nianbao::config::Overrides {
        template: args.template,
        ..Default::default()
    };
    let (inputs, mut errors) = files::collect(&args.paths, files::TEXT_EXTENSIONS);
    let configured =
        match super::check::configure(inputs, &args.paths, args.config.as_deref(), overrides) {
            Ok(configured) => configured,
            Err(reason) => {
                eprintln!("nianbao: {reason}");
                return EXIT_USAGE;
            }
        };

    let mut results: Vec<(String, Result<Outcome, String>)> = configured
        .par_iter()
        .filter_map(|(input, config)| match input {
            Input::Stdin => None,
            Input::File(path) => Some((input.name(), file(path, args.check, config))),
            Input::Url(url) => Some((
                url.clone(),
                Err("网址不能格式化：可用 nianbao convert 导出文本".to_owned()),
            )),
        })
        .collect();
    if let Some((_, config)) = configured.iter().find(|(i, _)| *i == Input::Stdin) {
        results.push((files::STDIN_NAME.to_owned(), stdin(args.check, config)));
    }
    results.sort_by(|a, b| a.0.cmp(&b.0));

    let mut changed = 0;
    let mut unchanged = 0;
    for (name, result) in results {
        match result {
            Ok(Outcome::Changed) => {
                changed += 1;
                if args.check {
                    files::print_stdout(&format!("{name}\n"));
                }
            }
            Ok(Outcome::Unchanged) => unchanged += 1,
            Ok(Outcome::Refused(refusal)) => {
                unchanged += 1;
                eprintln!(
                    "nianbao: {name}: 未格式化：{}（原文未改动；请报告此问题）",
                    why(&refusal)
                );
            }
            Err(reason) => errors.push(InputError { name, reason }),
        }
    }
    errors.sort_by(|a, b| a.name.cmp(&b.name));
    for error in &errors {
        eprintln!("nianbao: {}: {}", error.name, error.reason);
    }
    if configured.is_empty() && errors.is_empty() {
        eprintln!(
            "nianbao: 没有找到要格式化的文件（目录中查找 {}）",
            files::patterns(files::TEXT_EXTENSIONS)
        );
    }
    let on_disk = !(configured.len() == 1 && configured[0].0 == Input::Stdin);
    if on_disk && !configured.is_empty() {
        let verb = if args.check {
            "需要格式化"
        } else {
            "已格式化"
        };
        eprintln!("nianbao: {changed} 个文件{verb}，{unchanged} 个文件无需改动");
    }

    if !errors.is_empty() {
        EXIT_USAGE
    } else if args.check && changed > 0 {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

fn why(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::NotLossless => "格式化结果改动了空白以外的字符",
        Refusal::AnalysisChanged => "格式化结果的诊断与原文不同",
        Refusal::NotStable => "格式化结果再次格式化仍会改变",
    }
}

/// Standard input to standard output (`--check`: nothing printed but the name).
fn stdin(check: bool, config: &Config) -> Result<Outcome, String> {
    let bytes = files::read_stdin_bytes()?;
    files::refuse_other_kinds(&bytes, files::STDIN_NAME)?;
    let document = nianbao::input::read(&bytes)?;
    let formatted = format_with(&document.text, config);
    let outcome = outcome(&document.text, &formatted);
    if !check {
        // Out in the encoding it came in, as a file is written back.
        let (encoding, bom) = document
            .encoding
            .unwrap_or((nianbao::encoding::TextEncoding::Utf8, false));
        files::print_stdout_bytes(&nianbao::encoding::encode(&formatted.text, encoding, bom));
    }
    Ok(outcome)
}

fn outcome(text: &str, formatted: &Formatted) -> Outcome {
    match &formatted.refused {
        Some(refusal) => Outcome::Refused(refusal.clone()),
        None if formatted.text == text => Outcome::Unchanged,
        None => Outcome::Changed,
    }
}

/// One file: read, format, and (unless `check`) replace it.
fn file(path: &Path, check: bool, config: &Config) -> Result<Outcome, String> {
    let before = Snapshot::take(path)?;
    files::refuse_other_kinds(&before.bytes, &path.display().to_string())?;
    // Written back in the encoding it came in (GB18030 stays GB18030), byte-order mark and all.
    let decoded = nianbao::encoding::decode(&before.bytes)?;
    let text = decoded.text;
    let formatted = format_with(&text, config);
    let outcome = outcome(&text, &formatted);
    if check || !matches!(outcome, Outcome::Changed) {
        return Ok(outcome);
    }
    if !before.regular {
        // A FIFO or a device: renaming a file over it would destroy it, and reading it again
        // to see whether it changed could wait for ever.
        return Err(
            "不是普通文件（FIFO、设备等），不能原地改写；可用 nianbao fmt - < 文件".to_owned(),
        );
    }
    let bytes = nianbao::encoding::encode(&formatted.text, decoded.encoding, decoded.bom);
    replace(path, &before, &bytes, "格式化")?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nianbao-fmt-unit-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let _ = fs::create_dir_all(&dir);
        dir
    }

    /// Regression: a FIFO named to `fmt` was read, then either replaced by a regular file or
    /// read again (to see whether it changed) with no writer left — waiting for ever.
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_not_rewritten() {
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("fifo");
        let fifo = dir.join("a.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                fs::write(&fifo, "一、总体情况  \n\n\n\n二、主动公开政府信息情况\n")
            })
        };
        let result = file(&fifo, false, &Config::default());
        let _ = writer.join();
        assert!(
            result
                .as_ref()
                .err()
                .is_some_and(|e| e.starts_with("不是普通文件")),
            "{:?}",
            result.err()
        );
        assert!(fs::metadata(&fifo).is_ok_and(|m| m.file_type().is_fifo()));
        let _ = fs::remove_dir_all(&dir);
    }
}
