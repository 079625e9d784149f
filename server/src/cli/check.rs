//! `nianbao check`: collect the inputs, analyse them in parallel, print in path order.

use std::io::IsTerminal;

use std::collections::HashMap;

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::diagnostics::{Diagnostic, Severity};
use nianbao::report_json as json;
use nianbao::series::{Entry, Outcome, Series};
use rayon::prelude::*;

use super::files::{self, Input, InputError};
use super::human::HumanRenderer;
use super::{CheckArgs, ColorArg, EXIT_ERRORS, EXIT_OK, EXIT_USAGE, Format};

/// One analysed input.
struct Checked {
    name: String,
    text: String,
    /// The text encoding it was read in (`GB18030`), when read as text.
    encoding: Option<nianbao::encoding::TextEncoding>,
    analysis: Analysis,
    /// What the series pass reads of it (identity, carry-over rows, section 五).
    entry: Entry,
    /// The series pass's notes and neighbours (its findings are merged into `analysis`).
    series: Outcome,
    /// Its configuration (the series findings take its severities too).
    config: Config,
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
    // Each input's configuration (its nianbao.toml, found once per directory): an invalid file
    // stops the run, as it says something nianbao would otherwise not do.
    let (inputs, mut errors) = files::collect(&args.paths);
    let configured = match configure(inputs, &args.paths, args.config.as_deref(), overrides) {
        Ok(configured) => configured,
        Err(reason) => {
            eprintln!("nianbao: {reason}");
            return EXIT_USAGE;
        }
    };
    let inputs: Vec<&Input> = configured.iter().map(|(input, _)| input).collect();

    // Standard input is read once, up front; files are read and analysed in parallel.
    let stdin = inputs.contains(&&Input::Stdin).then(files::read_stdin);
    let results: Vec<Result<Checked, InputError>> = configured
        .par_iter()
        .map(|(input, config)| {
            let name = input.name();
            let document = match input {
                Input::Stdin => stdin.clone().unwrap_or_else(|| nianbao::input::read(b"")),
                Input::File(path) => files::read_text(path),
            };
            match document {
                Ok(document) => {
                    let analysis = analyze(&document.text, config);
                    let file_name = matches!(input, Input::File(_)).then_some(name.as_str());
                    let entry = Entry::new(name.clone(), &document.text, &analysis, file_name);
                    Ok(Checked {
                        name,
                        text: document.text,
                        encoding: document.encoding.map(|(e, _)| e),
                        analysis,
                        entry,
                        series: Outcome::default(),
                        config: config.clone(),
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

    series_pass(&mut checked);
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
                        file.encoding = c.encoding.map(|e| e.name());
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
                    // Text not in UTF-8 says how it was read (GB18030, UTF-16).
                    let read_as = match c.encoding {
                        Some(e) if e != nianbao::encoding::TextEncoding::Utf8 => {
                            format!("{}: 按 {} 编码读取\n", c.name, e.name())
                        }
                        _ => String::new(),
                    };
                    read_as
                        + &renderer.render_file_with(
                            &c.name,
                            &c.text,
                            &c.analysis.diagnostics,
                            &others,
                        )
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
