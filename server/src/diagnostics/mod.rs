//! Diagnostics as plain data: what every check returns and every edge (CLI, LSP) converts.
//! Ranges are byte ranges of the source text; nothing here knows about lines, UTF-16 or LSP.

mod codes;

pub use codes::{Code, CodeDoc};

use std::ops::Range;

use serde::Serialize;

/// How serious a finding is. Ordered from the most to the least serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "information" | "info" => Severity::Information,
            "hint" => Severity::Hint,
            _ => return None,
        })
    }
}

/// One replacement of a byte range of the source.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// A safe automatic fix: edits that belong together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Shown to the user, in Chinese: `改为 12`.
    pub title: String,
    pub edits: Vec<Edit>,
}

/// Another place that explains a diagnostic (the parts of a sum, the row a total belongs to).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// A byte range of the diagnostic's own text, or of the text of `path` when it is set.
    pub range: Range<usize>,
    pub message: String,
    /// Set when the place is in another file (the series checks relate last year's report):
    /// the name that file was given to the series pass (a path shown by the CLI, a document
    /// key of the language server), which the edge resolves to its text and location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub range: Range<usize>,
    /// In Chinese, stating what was expected and how it was computed:
    /// `（七）总计应为 12（各项之和），实为 10`.
    pub message: String,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
    /// Fixes offered but not safe — e.g. recomputing a total when the numbers cannot tell
    /// whether the total or a part is wrong. Quick-fixes the user may pick, never applied by
    /// fix-all, not part of the JSON `fix`.
    #[serde(skip)]
    pub suggestions: Vec<Fix>,
    /// The rule of `rules.md` behind an arithmetic finding (`T3-COL`, `T3-RES`, `T3-BAL`,
    /// `T4-SUM`): fix-all orders its fixes by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.default_severity(),
            range,
            message: message.into(),
            related: Vec::new(),
            fix: None,
            suggestions: Vec::new(),
            rule: None,
        }
    }

    pub fn with_related(mut self, range: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
            path: None,
        });
        self
    }

    /// A related place in another file (`path`, as named to the series pass).
    pub fn with_related_in(
        mut self,
        path: impl Into<String>,
        range: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related {
            range,
            message: message.into(),
            path: Some(path.into()),
        });
        self
    }

    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.fix = Some(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    pub fn with_suggestion(mut self, title: impl Into<String>, edits: Vec<Edit>) -> Self {
        self.suggestions.push(Fix {
            title: title.into(),
            edits,
        });
        self
    }

    pub fn with_rule(mut self, rule: &'static str) -> Self {
        self.rule = Some(rule);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
