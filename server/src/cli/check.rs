//! `nianbao check`: collect the inputs, analyse them in parallel, print in path order.

use std::io::IsTerminal;

use nianbao::analysis::{Analysis, Config, analyze};
use nianbao::diagnostics::{Diagnostic, Severity};
use nianbao::report_json as json;
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
            let document = match input {
                Input::Stdin => stdin.clone().unwrap_or_else(|| nianbao::input::read(b"")),
                Input::File(path) => files::read_text(path),
            };
            match document {
                Ok(document) => {
                    let analysis = analyze(&document.text, &config);
                    Ok(Checked {
                        name,
                        text: document.text,
                        encoding: document.encoding.map(|(e, _)| e),
                        analysis,
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
                        let mut file = json::file(
                            c.name.clone(),
                            c.analysis.template,
                            &c.text,
                            &c.analysis.diagnostics,
                        );
                        file.encoding = c.encoding.map(|e| e.name());
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
                    read_as + &renderer.render_file(&c.name, &c.text, &c.analysis.diagnostics)
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
