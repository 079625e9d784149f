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
