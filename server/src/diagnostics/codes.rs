//! The diagnostic codes: stable kebab-case names (a contract, see `../shared/spec/interface.md`),
//! their default severities and the documentation `nianbao explain CODE` prints.

use serde::{Serialize, Serializer};

use super::Severity;

// The texts live beside this file (`diagnostics/docs.rs`), one entry per code.
#[path = "docs.rs"]
mod docs;

macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident;)*) => {
        /// Every diagnostic code nianbao reports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            pub fn parse(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    SectionMissing = "section-missing", Error;
    SectionOrder = "section-order", Warning;
    SectionDuplicate = "section-duplicate", Warning;
    SectionEmpty = "section-empty", Warning;
    TableMissing = "table-missing", Error;
    RowMissing = "row-missing", Error;
    RowUnknown = "row-unknown", Warning;
    LabelMismatch = "label-mismatch", Warning;
    ColumnMissing = "column-missing", Warning;
    HeaderUnreadable = "header-unreadable", Warning;
    CellInvalid = "cell-invalid", Error;
    CellEmpty = "cell-empty", Warning;
    SumMismatch = "sum-mismatch", Error;
    BalanceMismatch = "balance-mismatch", Error;
    TextTableMismatch = "text-table-mismatch", Warning;
    TemplateMismatch = "template-mismatch", Warning;
    YearMismatch = "year-mismatch", Error;
    FeeNotReported = "fee-not-reported", Warning;
    DeadlineLate = "deadline-late", Warning;
    NumberFormat = "number-format", Hint;
    SuppressionInvalid = "suppression-invalid", Warning;
    SuppressionUnused = "suppression-unused", Warning;
    CarryoverMismatch = "carryover-mismatch", Warning;
    ContentCopied = "content-copied", Warning;
}

impl Code {
    /// Codes found by comparing a report with the same body's report of the year before (the
    /// series pass, `crate::series`), not by reading one report alone. A suppression comment
    /// naming one is never `suppression-unused`: whether it silences anything depends on which
    /// other reports are checked with it.
    pub fn is_cross_file(self) -> bool {
        matches!(self, Code::CarryoverMismatch | Code::ContentCopied)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    /// From the stable name; an unknown name is an error (template files name codes).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Code::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown diagnostic code `{name}`")))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What `nianbao explain CODE` prints, in Chinese.
#[derive(Clone, Copy, Debug)]
pub struct CodeDoc {
    /// One line: what the code reports.
    pub summary: &'static str,
    /// Why it matters (the rule of the template or the statute behind it).
    pub why: &'static str,
    /// A short report excerpt that triggers it.
    pub example: &'static str,
    /// How to fix it, and whether nianbao offers an automatic fix.
    pub fix: &'static str,
}

impl Code {
    /// The documentation of this code.
    pub fn doc(self) -> CodeDoc {
        docs::doc(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        for &code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-')
            );
        }
    }
}
