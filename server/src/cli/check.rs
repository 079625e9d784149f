//! `nianbao check`: collect the inputs, analyse them in parallel, print in path order.

use std::io::IsTerminal;

use std::collections::HashMap;

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::diagnostics::{Diagnostic, Severity};
use nianbao::series::{Entry, Outcome, Series};
use rayon::prelude::*;

use super::files::{self, Input, InputError};
use super::human::HumanRenderer;
use super::{CheckArgs, ColorArg, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format, json};

/// One analysed input.
struct Checked {
    name: String,
    text: String,
    analysis: Analysis,
    /// What the series pass reads of it (identity, carry-over rows, section 五).
    entry: Entry,
    /// The series pass's notes and neighbours (its findings are merged into `analysis`).
    series: Outcome,
}

pub fn run(args: &CheckArgs) -> u8 {
    let config = Config {
        template: args.template,
        ..Config::default()
    };
    let (inputs, mut errors) = files::collect(&args.paths);

    // Standard input is read once, up front; files are read and analysed in parallel.
    let stdin = inputs.contains(&Input::Stdin).then(files::read_stdin);
    let results: Vec<Result<Checked, InputError>> = inputs
        .par_iter()
        .map(|input| {
            let name = input.name();
            let text = match input {
                Input::Stdin => stdin.clone().unwrap_or_else(|| Ok(String::new())),
                Input::File(path) => files::read_text(path),
            };
            match text {
                Ok(text) => {
                    let analysis = analyze(&text, &config);
                    let file_name = matches!(input, Input::File(_)).then_some(name.as_str());
                    let entry = Entry::new(name.clone(), &text, &analysis, file_name);
                    Ok(Checked {
                        name,
                        text,
                        analysis,
                        entry,
                        series: Outcome::default(),
                    })
                }
                Err(reason) => Err(InputError { name, reason }),
            }
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
    for error in &errors {
        eprintln!("nianbao: {}: {}", error.name, error.reason);
    }
    if checked.is_empty() && errors.is_empty() {
        eprintln!(
            "nianbao: 没有找到要检查的文件（目录中查找 {}）",
            files::EXTENSIONS
                .iter()
                .map(|e| format!("*.{e}"))
                .collect::<Vec<_>>()
                .join("、")
        );
    }

    series_pass(&mut checked, &config);
    let texts: HashMap<&str, &str> = checked
        .iter()
        .map(|c| (c.name.as_str(), c.text.as_str()))
        .collect();
    let others = |name: &str| texts.get(name).copied();

    let all: Vec<&Diagnostic> = checked
        .iter()
        .flat_map(|c| &c.analysis.diagnostics)
        .collect();
    match args.format {
        Format::Json => {
            let report = json::Report {
                version: 1,
                files: checked
                    .iter()
                    .map(|c| {
                        let mut file = json::file_with(
                            c.name.clone(),
                            c.analysis.template,
                            &c.text,
                            &c.analysis.diagnostics,
                            &others,
                        );
                        series_fields(&mut file, c, &checked);
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
                    renderer.render_file_with(&c.name, &c.text, &c.analysis.diagnostics, &others)
                })
                .collect::<Vec<_>>()
                .concat();
            out.push_str(&renderer.summary(checked.len(), &all, errors.len()));
            files::print_stdout(&out);
        }
    }

    if !errors.is_empty() {
        EXIT_USAGE
    } else if all.iter().any(|d| d.severity == Severity::Error) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// The series pass over everything checked together: each report compared with its body's
/// report of the year before; findings merged into the later report's diagnostics.
fn series_pass(checked: &mut [Checked], config: &Config) {
    let outcomes: Vec<Outcome> = {
        let series = Series::new(checked.iter().map(|c| &c.entry).collect());
        (0..series.len())
            .into_par_iter()
            .map(|i| series.outcome(i))
            .collect()
    };
    for (c, mut outcome) in checked.iter_mut().zip(outcomes) {
        let found = config.apply_severity(std::mem::take(&mut outcome.diagnostics));
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
    let identity = &c.entry.identity;
    file.body = identity.body.as_ref().map(|b| b.value.clone());
    file.year = identity.year.as_ref().map(|y| y.value);
    let name = |i: Option<usize>| i.and_then(|i| all.get(i)).map(|o| o.name.clone());
    file.series = Some(json::Series {
        body_source: identity.body.as_ref().map(|b| b.source.as_str()),
        year_source: identity.year.as_ref().map(|y| y.source.as_str()),
        previous: name(c.series.previous),
        next: name(c.series.next),
        notes: c.series.notes.clone(),
    });
}
