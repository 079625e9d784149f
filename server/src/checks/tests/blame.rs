//! The relation engine blames the figure that is wrong: complete, balanced tables in every layout
//! and both formats, one (or two) figures spoiled, and what the checks and fix-all make of it.

use proptest::prelude::*;

use super::{Doc, Layout};
use crate::analysis::{Analysis, Config, analyze};
use crate::diagnostics::{Code, Diagnostic};
use crate::fix::fix_all;
use crate::model::CellAt;
use crate::template::{self, TemplateId};

const LAYOUTS: [Layout; 4] = [
    Layout::Tab,
    Layout::Pipe,
    Layout::CellPerLine,
    Layout::Spaced,
];

const FORMATS: [TemplateId; 2] = [TemplateId::F2019, TemplateId::F2021];

/// A complete table 3 and table 4 in which every relation holds: every figure set, no zeros
/// needed. `seed` varies the figures.
#[derive(Clone, Debug)]
struct Tables {
    id: TemplateId,
    /// Table 3, per template row (in template order), 7 values.
    t3: Vec<(&'static str, [i64; 7])>,
    t4: [i64; 15],
}

impl Tables {
    fn new(id: TemplateId, seed: &[i64]) -> Tables {
        let rows = template::template(id).table3_rows();
        let mut pick = seed.iter().copied().cycle();
        let mut next = move || pick.next().unwrap_or(1);
        // Leaves, 二 and 四 from the seed; the totals and 一 follow (`rebalance`).
        let t3 = rows
            .iter()
            .map(|row| {
                let mut v = [0i64; 7];
                if row.is_result() || matches!(row.id.as_str(), "carried" | "carry_next") {
                    for cell in v.iter_mut().take(6) {
                        *cell = next();
                    }
                }
                (row.id.as_str(), v)
            })
            .collect();
        let mut t4 = [0i64; 15];
        for (i, cell) in t4.iter_mut().enumerate() {
            if i % 5 != 4 {
                *cell = next();
            }
        }
        let mut tables = Tables { id, t3, t4 };
        tables.rebalance();
        tables
    }

    /// Sets every total from its parts and 一 from the balance (一 = （七） + 四 − 二, 二 lowered
    /// where 一 would be negative): every relation holds.
    fn rebalance(&mut self) {
        let results: Vec<&'static str> = template::template(self.id)
            .table3_rows()
            .iter()
            .filter(|r| r.is_result())
            .map(|r| r.id.as_str())
            .collect();
        let mut total = [0i64; 7];
        for (row, v) in &mut self.t3 {
            if results.contains(row) {
                v[6] = v[..6].iter().sum();
                for c in 0..7 {
                    total[c] += v[c];
                }
            }
        }
        let row = |t: &Tables, id: &str| t.t3.iter().position(|(r, _)| *r == id).unwrap_or(0);
        let (new, carried, seven, four) = (
            row(self, "new"),
            row(self, "carried"),
            row(self, "total"),
            row(self, "carry_next"),
        );
        self.t3[seven].1 = total;
        for (c, &t) in total.iter().enumerate().take(6) {
            let n = t + self.t3[four].1[c] - self.t3[carried].1[c];
            if n < 0 {
                self.t3[carried].1[c] += n;
            }
            self.t3[new].1[c] = n.max(0);
        }
        for i in [new, carried, four] {
            self.t3[i].1[6] = self.t3[i].1[..6].iter().sum();
        }
        for group in 0..3 {
            self.t4[group * 5 + 4] = self.t4[group * 5..group * 5 + 4].iter().sum();
        }
    }

    fn doc(&self, layout: Layout) -> Doc {
        let mut doc = Doc::new(self.id).layout(layout);
        for (row, values) in &self.t3 {
            for (c, v) in values.iter().enumerate() {
                doc = doc.t3(row, c, &v.to_string());
            }
        }
        for (c, v) in self.t4.iter().enumerate() {
            doc = doc.t4(c, &v.to_string());
        }
        doc
    }

    fn get(&self, at: CellAt) -> i64 {
        match at {
            CellAt::Table3 { row, column } => self
                .t3
                .iter()
                .find(|(r, _)| *r == row)
                .map_or(0, |(_, v)| v[column]),
            CellAt::Table4 { column } => self.t4[column],
            CellAt::Table2 { .. } => 0,
        }
    }

    fn set(&mut self, at: CellAt, value: i64) {
        match at {
            CellAt::Table3 { row, column } => {
                if let Some((_, v)) = self.t3.iter_mut().find(|(r, _)| *r == row) {
                    v[column] = value;
                }
            }
            CellAt::Table4 { column } => self.t4[column] = value,
            CellAt::Table2 { .. } => {}
        }
    }
}

/// The arithmetic diagnostics.
fn arithmetic(analysis: &Analysis) -> Vec<&Diagnostic> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| matches!(d.code, Code::SumMismatch | Code::BalanceMismatch))
        .collect()
}

/// The byte range of a cell in the analysed text.
fn range_of(analysis: &Analysis, at: CellAt) -> std::ops::Range<usize> {
    let cell = match at {
        CellAt::Table3 { row, column } => analysis
            .report
            .table3
            .as_ref()
            .and_then(|t| t.row(row))
            .and_then(|r| r.value(column)),
        CellAt::Table4 { column } => analysis
            .report
            .table4
            .as_ref()
            .and_then(|t| t.value(column)),
        CellAt::Table2 { .. } => None,
    };
    cell.map(|c| c.range.clone())
        .unwrap_or_else(|| panic!("{at:?} not read"))
}

/// The classes of figures, each by one representative cell.
fn classes(id: TemplateId) -> Vec<(&'static str, CellAt)> {
    let t3 = |row: &'static str, column: usize| CellAt::Table3 { row, column };
    let leaf = if id == TemplateId::F2021 {
        "r6_2"
    } else {
        "r6"
    };
    vec![
        ("leaf", t3("r3_3", 0)),
        ("leaf of （六）", t3(leaf, 4)),
        ("result row total", t3("r1_open", 6)),
        ("（七）总计, applicant column", t3("total", 1)),
        ("（七）总计, 总计 column", t3("total", 6)),
        ("本年新收", t3("new", 0)),
        ("本年新收 总计", t3("new", 6)),
        ("上年结转", t3("carried", 2)),
        ("结转下年度", t3("carry_next", 0)),
        ("结转下年度 总计", t3("carry_next", 6)),
    ]
}

const SEED: [i64; 7] = [3, 1, 4, 1, 5, 9, 2];

#[test]
fn one_wrong_figure_in_each_class_is_the_one_error_and_fix_all_restores_the_text() {
    for id in FORMATS {
        for layout in LAYOUTS {
            let sound = Tables::new(id, &SEED);
            let original = sound.doc(layout).build();
            assert!(
                arithmetic(&analyze(&original, &Config::default())).is_empty(),
                "{id} {layout:?}: the sound tables do not add up"
            );
            for (class, at) in classes(id) {
                let mut wrong = sound.clone();
                let right = sound.get(at);
                wrong.set(at, right + 3);
                let text = wrong.doc(layout).build();
                let analysis = analyze(&text, &Config::default());
                let found = arithmetic(&analysis);
                let what = format!("{id} {layout:?} {class}");
                assert_eq!(found.len(), 1, "{what}: {found:#?}");
                assert_eq!(found[0].range, range_of(&analysis, at), "{what}");
                assert!(
                    found[0].message.contains(&format!("应为 {right}")),
                    "{what}: {}",
                    found[0].message
                );
                assert!(found[0].fix.is_some(), "{what}");
                assert_eq!(
                    fix_all(&text, &Config::default()),
                    original,
                    "{what}: fix-all"
                );
            }
        }
    }
}

#[test]
fn a_wrong_table4_figure_is_undecided_on_its_total_and_fix_all_leaves_it() {
    for id in FORMATS {
        for layout in LAYOUTS {
            let sound = Tables::new(id, &SEED);
            // A part of 复议后起诉, then the group's total itself.
            for (column, total) in [(11, 14), (14, 14), (2, 4)] {
                let at = CellAt::Table4 { column };
                let mut wrong = sound.clone();
                wrong.set(at, sound.get(at) + 2);
                let text = wrong.doc(layout).build();
                let analysis = analyze(&text, &Config::default());
                let found = arithmetic(&analysis);
                let what = format!("{id} {layout:?} table 4 column {column}");
                assert_eq!(found.len(), 1, "{what}: {found:#?}");
                assert_eq!(
                    found[0].range,
                    range_of(&analysis, CellAt::Table4 { column: total }),
                    "{what}"
                );
                assert!(
                    found[0]
                        .message
                        .contains("仅凭表中数字无法确定哪个数字有误"),
                    "{what}: {}",
                    found[0].message
                );
                assert!(found[0].fix.is_none(), "{what}");
                assert!(!found[0].suggestions.is_empty(), "{what}");
                assert_eq!(fix_all(&text, &Config::default()), text, "{what}");
            }
        }
    }
}

#[test]
fn two_wrong_figures_in_different_rows_and_columns_are_both_blamed() {
    for id in FORMATS {
        for layout in LAYOUTS {
            let sound = Tables::new(id, &SEED);
            let original = sound.doc(layout).build();
            let a = CellAt::Table3 {
                row: "r3_3",
                column: 0,
            };
            let b = CellAt::Table3 {
                row: "r5_2",
                column: 3,
            };
            let mut wrong = sound.clone();
            wrong.set(a, sound.get(a) + 3);
            wrong.set(b, sound.get(b) + 5);
            let text = wrong.doc(layout).build();
            let analysis = analyze(&text, &Config::default());
            let found = arithmetic(&analysis);
            let what = format!("{id} {layout:?}");
            let mut ranges: Vec<_> = found.iter().map(|d| d.range.clone()).collect();
            ranges.sort_by_key(|r| r.start);
            assert_eq!(
                ranges,
                [range_of(&analysis, a), range_of(&analysis, b)],
                "{what}: {found:#?}"
            );
            assert_eq!(fix_all(&text, &Config::default()), original, "{what}");
        }
    }
}

/// The issue's own case: `3.危及“三安全一稳定”` · 自然人 typed 16 for 13 in a 2021 report of TAB rows.
#[test]
fn the_typo_is_blamed_with_the_reasoning_a_reviewer_gives() {
    let mut tables = Tables::new(TemplateId::F2021, &SEED);
    if let Some((_, v)) = tables.t3.iter_mut().find(|(r, _)| *r == "r3_3") {
        *v = [13, 1, 0, 0, 0, 0, 0];
    }
    tables.rebalance();
    let original = tables.doc(Layout::Tab).build();
    assert!(arithmetic(&analyze(&original, &Config::default())).is_empty());
    let column_total = tables.get(CellAt::Table3 {
        row: "total",
        column: 0,
    });
    tables.set(
        CellAt::Table3 {
            row: "r3_3",
            column: 0,
        },
        16,
    );
    let text = tables.doc(Layout::Tab).build();
    let analysis = analyze(&text, &Config::default());
    let found = arithmetic(&analysis);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        format!(
            "“3.危及“三安全一稳定””的“自然人”应为 13：本行总计 14 与（七）总计 {column_total} 都与 13 相符，实为 16"
        )
    );
    assert_eq!(found[0].related.len(), 2);
    assert_eq!(fix_all(&text, &Config::default()), original);
}

/// Every figure of table 3 and table 4, in order.
fn all_cells(tables: &Tables) -> Vec<CellAt> {
    let mut out: Vec<CellAt> = tables
        .t3
        .iter()
        .flat_map(|(row, _)| (0..7).map(|column| CellAt::Table3 { row, column }))
        .collect();
    out.extend((0..15).map(|column| CellAt::Table4 { column }));
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("NIANBAO_BLAME_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(10_000),
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    /// Random complete tables, one random wrong figure: a unique explanation blames exactly that
    /// figure with its right value (in table 3 it always is unique); no right figure is ever
    /// blamed; fix-all restores the text where a figure is blamed and changes nothing elsewhere.
    #[test]
    fn one_random_wrong_figure_is_blamed_and_no_right_one(
        seed in proptest::collection::vec(0i64..40, 7..40),
        f2021 in any::<bool>(),
        layout in 0usize..4,
        which in any::<proptest::sample::Index>(),
        wrong_value in 0i64..120,
    ) {
        let id = if f2021 { TemplateId::F2021 } else { TemplateId::F2019 };
        let layout = LAYOUTS[layout];
        let sound = Tables::new(id, &seed);
        let cells = all_cells(&sound);
        let at = cells[which.index(cells.len())];
        let right = sound.get(at);
        prop_assume!(wrong_value != right);
        let mut wrong = sound.clone();
        wrong.set(at, wrong_value);
        let text = wrong.doc(layout).build();
        let analysis = analyze(&text, &Config::default());
        let blamed: Vec<(CellAt, i128)> = analysis
            .relations
            .findings
            .iter()
            .flat_map(|f| f.blames.iter().map(|b| (b.at, b.expected)))
            .collect();
        for &(cell, _) in &blamed {
            prop_assert_eq!(cell, at, "a right figure blamed");
        }
        if matches!(at, CellAt::Table3 { .. }) {
            prop_assert_eq!(&blamed, &vec![(at, i128::from(right))]);
        }
        let fixed = fix_all(&text, &Config::default());
        if blamed.is_empty() {
            prop_assert_eq!(fixed, text);
        } else {
            prop_assert_eq!(fixed, sound.doc(layout).build());
        }
    }
}
