//! Which `nianbao.toml` applies to each input, and `nianbao config`: the configuration in force
//! for a path and where each value came from. The file's format is the library's
//! ([`nianbao::config`]); here is the IO and the precedence: command-line flags, then the file
//! named with `--config` or the nearest one above the input, then the defaults.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nianbao::analysis::Config;
use nianbao::config::{self, FileConfig, Overrides};

use super::files::Input;

/// The configurations of a run, found once per directory.
pub struct Configs {
    /// `--config PATH`: the one file for every input.
    named: Option<Arc<FileConfig>>,
    overrides: Overrides,
    /// Directory → the file that applies there (`None`: none).
    found: HashMap<PathBuf, Option<Arc<FileConfig>>>,
    /// The analysis configuration made of each file (by its address; 0: no file).
    applied: HashMap<usize, Arc<Config>>,
}

impl Configs {
    /// `named`: the `--config` argument; `overrides`: what the command-line flags set.
    pub fn new(named: Option<&Path>, overrides: Overrides) -> Result<Configs, String> {
        let named = named.map(config::load).transpose()?.map(Arc::new);
        Ok(Configs {
            named,
            overrides,
            found: HashMap::new(),
            applied: HashMap::new(),
        })
    }

    /// The file that applies to `input` (for standard input: the current directory's).
    pub fn file_for(&mut self, input: &Input) -> Result<Option<Arc<FileConfig>>, String> {
        if let Some(named) = &self.named {
            return Ok(Some(named.clone()));
        }
        let dir = match input {
            // Standard input and web addresses: the configuration where nianbao runs.
            Input::Stdin | Input::Url(_) => {
                std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
            }
            Input::File(path) => absolute(path.parent().unwrap_or(Path::new("."))),
        };
        if let Some(found) = self.found.get(&dir) {
            return Ok(found.clone());
        }
        let found = config::discover(&dir)
            .map(|path| config::load(&path).map(Arc::new))
            .transpose()?;
        self.found.insert(dir, found.clone());
        Ok(found)
    }

    /// The analysis configuration for `input`, shared: inputs under the same configuration file
    /// get the same `Arc` (a batch of 100,000 files holds one per file).
    pub fn shared_for_input(&mut self, input: &Input) -> Result<Arc<Config>, String> {
        let file = self.file_for(input)?;
        let key = file.as_ref().map_or(0, |f| Arc::as_ptr(f) as usize);
        if let Some(config) = self.applied.get(&key) {
            return Ok(config.clone());
        }
        let config = Arc::new(match &file {
            Some(file) => file.apply(&self.overrides),
            None => FileConfig::default().apply(&self.overrides),
        });
        // The file stays alive in `found` or `named`, so its address names it for the run.
        self.applied.insert(key, config.clone());
        Ok(config)
    }

    /// Whether a file found in a directory is excluded by its configuration's `exclude`.
    pub fn excludes(&mut self, path: &Path) -> Result<bool, String> {
        let input = Input::File(path.to_path_buf());
        Ok(self
            .file_for(&input)?
            .is_some_and(|file| file.excludes(&absolute(path))))
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `nianbao config [PATH]`: prints the configuration in force for PATH (a file, or a directory's
/// files) and where each value came from. Exit 0, or 2 for an invalid file.
pub fn run(path: Option<&Path>, named: Option<&Path>) -> u8 {
    let target = path.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let input = if target.is_dir() {
        Input::File(target.join("报告.txt"))
    } else {
        Input::File(target.clone())
    };
    let mut configs = match Configs::new(named, Overrides::default()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return super::EXIT_USAGE;
        }
    };
    let file = match configs.file_for(&input) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("nianbao: {e}");
            return super::EXIT_USAGE;
        }
    };
    super::files::print_stdout(&describe(file.as_deref()));
    super::EXIT_OK
}

/// The effective configuration as TOML, each value with where it came from.
fn describe(file: Option<&FileConfig>) -> String {
    let from_file = file.map(|f| f.path.display().to_string());
    let source = |set: bool| -> String {
        match (&from_file, set) {
            (Some(path), true) => path.clone(),
            _ => "默认".to_owned(),
        }
    };
    let mut out = String::new();
    match &from_file {
        Some(path) => out.push_str(&format!("# 配置文件：{path}\n")),
        None => out.push_str(&format!("# 未找到 {}：全部为默认值\n", config::FILE_NAME)),
    }
    let template = file.and_then(|f| f.template);
    let template_text = match template {
        Some(nianbao::analysis::TemplateChoice::Forced(id)) => id.as_str().to_owned(),
        _ => "auto".to_owned(),
    };
    out.push_str(&line(
        &format!("template = \"{template_text}\""),
        &source(template.is_some()),
    ));
    let exclude = file.map(|f| f.exclude.clone()).unwrap_or_default();
    let globs: Vec<String> = exclude.iter().map(|g| format!("\"{g}\"")).collect();
    out.push_str(&line(
        &format!("exclude = [{}]", globs.join(", ")),
        &source(!exclude.is_empty()),
    ));
    out.push_str("\n[severity]\n");
    let severities = file.map(|f| f.severity.clone()).unwrap_or_default();
    for (code, level) in &severities {
        let level = level.map_or("off", nianbao::diagnostics::Severity::as_str);
        out.push_str(&line(&format!("{code} = \"{level}\""), &source(true)));
    }
    out.push_str("# 其余诊断代码按其默认级别（nianbao explain 代码）\n");
    out.push_str("\n[deadline]\n");
    for key in ["department", "government"] {
        let set = file.and_then(|f| match key {
            "department" => f.deadlines.department,
            _ => f.deadlines.government,
        });
        let statutory = nianbao::checks::statutory_deadline(key);
        let (day, why) = match (set, statutory) {
            (Some(day), _) => (Some(day), source(true)),
            (None, Some((day, reference))) => (Some(day), format!("默认（条例{reference}）")),
            (None, None) => (None, "默认".to_owned()),
        };
        if let Some(day) = day {
            out.push_str(&line(&format!("{key} = \"{day}\""), &why));
        }
    }
    out
}

/// `setting   # source`, the comments lined up by display width (CJK is two columns).
fn line(setting: &str, source: &str) -> String {
    let width = unicode_width::UnicodeWidthStr::width(setting);
    format!(
        "{setting}{} # {source}\n",
        " ".repeat(32usize.saturating_sub(width))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_name_their_source() {
        let text = describe(None);
        assert!(text.contains("template = \"auto\""), "{text}");
        assert!(text.contains("department = \"01-31\""), "{text}");
        assert!(text.contains("默认（条例第四十九条第一款）"), "{text}");
        assert!(text.contains("government = \"03-31\""), "{text}");
    }

    #[test]
    fn a_file_names_itself_for_what_it_sets() {
        let file = FileConfig::parse(
            "template = \"2021\"\n[severity]\nnumber-format = \"off\"\n[deadline]\ndepartment = \"01-28\"\n",
            Path::new("/r/nianbao.toml"),
        )
        .expect("valid");
        let text = describe(Some(&file));
        assert!(text.contains("# 配置文件：/r/nianbao.toml"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("template = \"2021\"") && l.ends_with("/r/nianbao.toml")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("number-format = \"off\"") && l.ends_with("/r/nianbao.toml")),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("department = \"01-28\"") && l.ends_with("/r/nianbao.toml")),
            "{text}"
        );
        assert!(text.contains("government = \"03-31\""), "{text}");
    }
}
