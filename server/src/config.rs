//! `nianbao.toml`: one configuration for the command line and the language server (interface.md
//! “Configuration”). Found by walking up from a checked file's directory ([`discover`]), or named
//! with `--config`; editor settings override it, and it overrides the defaults:
//!
//! ```toml
//! template = "auto"                 # "2019" | "2021" | "auto"
//! exclude = ["归档/**"]              # globs, relative to this file's directory
//! [severity]                        # code = "error" | "warning" | "information" | "hint" | "off"
//! number-format = "off"
//! [deadline]                        # month-day, in the year after the report year
//! department = "01-31"
//! government = "03-31"
//! ```
//!
//! An unknown key, code, severity or a date that is not one is an error naming it and the file:
//! a configuration that says something nianbao does not do must not pass in silence.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::{Config, Deadlines, MonthDay, TemplateChoice};
use crate::diagnostics::{Code, Severity};

/// The file's name.
pub const FILE_NAME: &str = "nianbao.toml";

/// What a `nianbao.toml` sets (unset: `None` / empty).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileConfig {
    /// Where it was read (for messages and `nianbao config`).
    pub path: PathBuf,
    pub template: Option<TemplateChoice>,
    /// Globs of files not to check, relative to the file's directory.
    pub exclude: Vec<String>,
    /// Per-code severities; `None` switches a code off.
    pub severity: BTreeMap<Code, Option<Severity>>,
    pub deadlines: Deadlines,
}

/// The file as written (kebab-case keys, unknown keys refused).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    template: Option<String>,
    exclude: Option<Vec<String>>,
    severity: Option<HashMap<String, String>>,
    deadline: Option<RawDeadline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadline {
    department: Option<String>,
    government: Option<String>,
}

impl FileConfig {
    /// Parses the text of a `nianbao.toml` read from `path`. Errors in Chinese, naming the file
    /// and what is wrong in it.
    pub fn parse(text: &str, path: &Path) -> Result<FileConfig, String> {
        let shown = path.display();
        let raw: Raw = toml::from_str(text).map_err(|e| format!("{shown}: {}", toml_error(&e)))?;
        let mut config = FileConfig {
            path: path.to_path_buf(),
            ..FileConfig::default()
        };
        if let Some(template) = raw.template {
            config.template = Some(TemplateChoice::parse(&template).ok_or_else(|| {
                format!(
                    "{shown}: template 应为 auto 或 {}，实为“{template}”",
                    template_ids()
                )
            })?);
        }
        config.exclude = raw.exclude.unwrap_or_default();
        for glob in &config.exclude {
            globset::Glob::new(glob)
                .map_err(|e| format!("{shown}: exclude 中的“{glob}”不是有效的通配模式（{e}）"))?;
        }
        for (name, level) in raw.severity.unwrap_or_default() {
            let code = Code::parse(&name).ok_or_else(|| {
                format!(
                    "{shown}: [severity] 中的“{name}”不是诊断代码（nianbao explain 可查看全部代码）"
                )
            })?;
            let level = match level.as_str() {
                "off" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    format!(
                        "{shown}: [severity] {name} 应为 error、warning、information、hint 或 off，实为“{other}”"
                    )
                })?),
            };
            config.severity.insert(code, level);
        }
        if let Some(deadline) = raw.deadline {
            let day = |key: &str, value: Option<String>| -> Result<Option<MonthDay>, String> {
                value
                    .map(|v| {
                        MonthDay::parse(&v).ok_or_else(|| {
                            format!("{shown}: [deadline] {key} 应为“月-日”，如“01-31”，实为“{v}”")
                        })
                    })
                    .transpose()
            };
            config.deadlines = Deadlines {
                department: day("department", deadline.department)?,
                government: day("government", deadline.government)?,
            };
        }
        Ok(config)
    }

    /// Whether `file` is excluded: one of the globs matches its path relative to this file's
    /// directory (`归档/**` excludes `归档/2019.txt`).
    pub fn excludes(&self, file: &Path) -> bool {
        let Some(dir) = self.path.parent() else {
            return false;
        };
        let Ok(relative) = file.strip_prefix(dir) else {
            return false;
        };
        let mut builder = globset::GlobSetBuilder::new();
        for glob in &self.exclude {
            if let Ok(g) = globset::GlobBuilder::new(glob)
                .literal_separator(true)
                .build()
            {
                builder.add(g);
            }
        }
        builder.build().is_ok_and(|set| set.is_match(relative))
    }

    /// The analysis configuration: this file's settings over the defaults, under `overrides`
    /// (command-line flags, editor settings), which win.
    pub fn apply(&self, overrides: &Overrides) -> Config {
        let mut config = Config {
            template: overrides
                .template
                .or(self.template)
                .unwrap_or(TemplateChoice::Auto),
            deadlines: self.deadlines,
            ..Config::default()
        };
        for (code, level) in self.severity.iter().chain(&overrides.severity) {
            config.severity.insert(*code, *level);
        }
        config
    }
}

/// What the command line or an editor sets above the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    pub template: Option<TemplateChoice>,
    pub severity: BTreeMap<Code, Option<Severity>>,
}

/// The `nianbao.toml` that applies to files in `dir`: in it or the nearest directory above.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and parses a `nianbao.toml`.
pub fn load(path: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: 无法读取配置文件（{e}）", path.display()))?;
    FileConfig::parse(&text, path)
}

/// `2019、2021`: the format ids a `template` may name.
fn template_ids() -> String {
    crate::template::TemplateId::all()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// A TOML error in Chinese: an unknown key by name, else the parser's message; with the line.
fn toml_error(e: &toml::de::Error) -> String {
    let message = e.message();
    let line = e.span().map(|_| ()).and(line_of(e));
    let at = line.map_or_else(String::new, |l| format!("（第 {l} 行）"));
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, _)) = rest.split_once('`')
    {
        return format!(
            "未知的配置项“{key}”{at}；可用的配置项：template、exclude、[severity]、[deadline]（department、government）"
        );
    }
    format!("配置文件有误{at}：{message}")
}

/// The 1-based line of an error, from its message (the `toml` crate names it in its display).
fn line_of(e: &toml::de::Error) -> Option<usize> {
    let shown = e.to_string();
    let rest = shown.split_once("line ")?.1;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<FileConfig, String> {
        FileConfig::parse(text, Path::new("/报告/nianbao.toml"))
    }

    #[test]
    fn the_documented_shape_reads() {
        let c = parse(
            "template = \"2021\"\nexclude = [\"归档/**\"]\n[severity]\nnumber-format = \"off\"\ncell-empty = \"hint\"\n[deadline]\ndepartment = \"01-28\"\n",
        )
        .expect("valid");
        assert_eq!(
            c.template,
            Some(TemplateChoice::Forced(crate::template::TemplateId::F2021))
        );
        assert_eq!(c.exclude, ["归档/**"]);
        assert_eq!(c.severity.get(&Code::NumberFormat), Some(&None));
        assert_eq!(
            c.severity.get(&Code::CellEmpty),
            Some(&Some(Severity::Hint))
        );
        assert_eq!(c.deadlines.department, MonthDay::parse("01-28"));
        assert_eq!(c.deadlines.government, None);
        assert!(c.excludes(Path::new("/报告/归档/2019.txt")));
        assert!(!c.excludes(Path::new("/报告/2019.txt")));
        assert!(!c.excludes(Path::new("/别处/归档/2019.txt")));
    }

    #[test]
    fn mistakes_are_errors_naming_the_key_and_the_file() {
        for (text, wanted) in [
            ("templat = \"2021\"\n", "未知的配置项“templat”（第 1 行）"),
            (
                "[severity]\nsum-mismach = \"off\"\n",
                "“sum-mismach”不是诊断代码",
            ),
            ("[severity]\nsum-mismatch = \"fatal\"\n", "实为“fatal”"),
            (
                "template = \"2020\"\n",
                "template 应为 auto 或 2019、2021，实为“2020”",
            ),
            ("[deadline]\ndepartment = \"1月31日\"\n", "实为“1月31日”"),
            ("[deadline]\ndepartment = \"02-30\"\n", "实为“02-30”"),
            (
                "[deadline]\nmunicipal = \"01-31\"\n",
                "未知的配置项“municipal”",
            ),
            ("exclude = [\"[\"]\n", "不是有效的通配模式"),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.starts_with("/报告/nianbao.toml: "), "{err}");
            assert!(err.contains(wanted), "{text}: {err}");
        }
    }

    #[test]
    fn overrides_win_over_the_file_which_wins_over_defaults() {
        let file = parse(
            "template = \"2019\"\n[severity]\nnumber-format = \"off\"\ncell-empty = \"hint\"\n",
        )
        .expect("valid");
        let none = file.apply(&Overrides::default());
        assert_eq!(
            none.template,
            TemplateChoice::Forced(crate::template::TemplateId::F2019)
        );
        assert_eq!(none.severity.get(&Code::NumberFormat), Some(&None));
        let editor = Overrides {
            template: Some(TemplateChoice::Auto),
            severity: [(Code::CellEmpty, Some(Severity::Warning))].into(),
        };
        let over = file.apply(&editor);
        assert_eq!(over.template, TemplateChoice::Auto);
        assert_eq!(
            over.severity.get(&Code::CellEmpty),
            Some(&Some(Severity::Warning))
        );
        assert_eq!(over.severity.get(&Code::NumberFormat), Some(&None));
    }
}
