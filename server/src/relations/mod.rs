//! The relation engine: the one place where the arithmetic relations of the template (T3-BAL,
//! T3-RES, T3-COL, T4-SUM — `[[relations]]` of `data/templates/*.toml`) are evaluated.
//!
//! [`Relations::evaluate`] runs once per analysis. It builds every instance of every relation
//! of the report's format from the data (a relation over rows holds in each column, one over
//! columns in each row), reads its operands, and gives each a [`Verdict`] as written. Then it
//! diagnoses the failures ([`solve`]): for each group of failing instances that share cells, the
//! smallest set of figures whose correction makes every relation hold — blank totals being
//! unknowns the relations determine, never figures to outvote (rules.md §4). The checks turn
//! the results into diagnostics, the hovers and inlay hints show them, and fix-all applies only
//! what a unique explanation proves; nothing else does arithmetic on relations.

pub mod solve;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::model::{Cell, CellAt, Report, Table3, Table4};
use crate::template::{self, Relation, Table3Group, TableId, Template, TemplateId, TermAxis};

/// How an operand reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    /// A written integer.
    Count(i64),
    /// Blank or a placeholder (`/`, `-`): 0 as a part, unknown as a total.
    Blank,
    /// Not a usable number (text, a decimal) or not read: the instance is not assessed.
    Unusable,
}

impl Reading {
    fn of(cell: &Cell) -> Reading {
        if cell.is_blank() {
            return Reading::Blank;
        }
        cell.count_or_zero()
            .map_or(Reading::Unusable, Reading::Count)
    }

    /// The value as a part: blank reads 0.
    pub fn value(self) -> Option<i64> {
        match self {
            Reading::Count(n) => Some(n),
            Reading::Blank => Some(0),
            Reading::Unusable => None,
        }
    }
}

/// One term of an instance: a cell and how it reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operand {
    pub at: CellAt,
    /// Its name within the relation: `1.属于国家秘密` (over rows), `自然人` (over columns),
    /// `行政复议 · 结果维持` (table 4).
    pub name: Cow<'static, str>,
    /// The cell's range; `None` when the cell was not read.
    pub range: Option<Range<usize>>,
    pub reading: Reading,
}

impl Operand {
    /// As written; `空` for a blank, `?` when not read.
    pub fn shown<'t>(&self, text: &'t str) -> &'t str {
        match (&self.range, self.reading) {
            (None, _) => "?",
            (Some(_), Reading::Blank) => "空",
            (Some(r), _) => text.get(r.clone()).unwrap_or_default().trim(),
        }
    }
}

/// An instance as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    /// Does not hold: the target would have to be `expected` (the other operands as written).
    Fails {
        expected: i128,
    },
    /// An operand is not a usable number or was not read.
    Unassessed,
}

/// Where an instance holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A relation over rows, in one table-3 column.
    Column(usize),
    /// A relation over columns, in one table-3 row.
    Row(&'static str),
    /// A relation over table 4's columns (its one data row).
    Table4,
}

/// One instance of a relation: `Σ lhs = Σ rhs` in one column or row.
#[derive(Clone, Debug)]
pub struct Instance {
    pub relation: &'static Relation,
    pub scope: Scope,
    pub lhs: Vec<Operand>,
    pub rhs: Vec<Operand>,
    /// The relation's target cell in this instance (a total, or 四 for the balance).
    pub target: CellAt,
    pub verdict: Verdict,
}

impl Instance {
    /// Every operand with its sign: +1 on the left, −1 on the right.
    pub fn operands(&self) -> impl Iterator<Item = (&Operand, i128)> {
        self.lhs
            .iter()
            .map(|o| (o, 1))
            .chain(self.rhs.iter().map(|o| (o, -1)))
    }

    pub fn operand(&self, at: CellAt) -> Option<&Operand> {
        self.operands().map(|(o, _)| o).find(|o| o.at == at)
    }

    /// The target's operand.
    pub fn target_operand(&self) -> Option<&Operand> {
        self.operand(self.target)
    }

    /// Whether the target stands alone on its side (a total of parts).
    pub fn is_plain_sum(&self) -> bool {
        self.relation.parts().is_some()
    }

    pub fn involves(&self, at: CellAt) -> bool {
        self.operand(at).is_some()
    }
}

/// A figure blamed by a unique explanation, or a blank total the relations fill in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blame {
    pub at: CellAt,
    pub range: Range<usize>,
    /// The value that makes every relation hold.
    pub expected: i128,
    /// As written; `None` for a blank total.
    pub actual: Option<i64>,
    /// Indices (into [`Relations::instances`]) of the failing instances it takes part in.
    pub failed: Vec<usize>,
    /// Those of them where it is the only figure that changes: each alone fixes its value.
    pub witnesses: Vec<usize>,
}

impl Blame {
    /// A blank total filled in, not a written figure corrected.
    pub fn is_fill(&self) -> bool {
        self.actual.is_none()
    }
}

/// What remains of a group once its proven figures are set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// Several equally small sets of written figures (each sorted, the proven ones left out):
    /// the numbers alone cannot tell which is wrong.
    Ambiguous(Vec<Vec<CellAt>>),
    /// Nothing small explains it (several errors), or the only explanation needs a negative
    /// count.
    Unexplained,
}

/// Failing instances that share cells, and their explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Indices into [`Relations::instances`], in data order.
    pub failed: Vec<usize>,
    /// The figures every smallest explanation changes, and changes alike (and the blank totals
    /// they all fill alike): proven wrong. With one explanation, all of it.
    pub blames: Vec<Blame>,
    /// The failed instances the blames do not mend, and why they stay undecided.
    pub undecided: Option<(Vec<usize>, Undecided)>,
}

/// Every relation instance of a report, evaluated, and the diagnosis of the failures.
#[derive(Clone, Debug, Default)]
pub struct Relations {
    pub instances: Vec<Instance>,
    pub findings: Vec<Finding>,
}

impl Relations {
    /// Builds, evaluates and diagnoses every relation of the report's format.
    pub fn evaluate(report: &Report) -> Relations {
        let template = template::template(report.template.unwrap_or_else(TemplateId::latest));
        let mut instances = Vec::new();
        for relation in template.relations() {
            match relation.table {
                TableId::Table3 => {
                    if let Some(table) = &report.table3 {
                        table3_instances(template, table, relation, &mut instances);
                    }
                }
                TableId::Table4 => {
                    if let Some(table) = &report.table4 {
                        table4_instances(template, table, relation, &mut instances);
                    }
                }
                TableId::Table2 => {}
            }
        }
        // Nothing to diagnose while every relation holds (the common case).
        let findings = if instances
            .iter()
            .any(|i| matches!(i.verdict, Verdict::Fails { .. }))
        {
            diagnose(&instances)
        } else {
            Vec::new()
        };
        Relations {
            instances,
            findings,
        }
    }

    /// The instances a cell takes part in.
    pub fn involving(&self, at: CellAt) -> impl Iterator<Item = &Instance> {
        self.instances.iter().filter(move |i| i.involves(at))
    }

    /// Whether the cell is the target of some instance (a total, or 四).
    pub fn is_target(&self, at: CellAt) -> bool {
        self.instances.iter().any(|i| i.target == at)
    }

    /// Whether the cell is the total of a plain sum: blank, it is unknown, not 0.
    pub fn is_total(&self, at: CellAt) -> bool {
        self.instances
            .iter()
            .any(|i| i.target == at && i.is_plain_sum())
    }

    /// The blame on a cell, with its finding.
    pub fn blame(&self, at: CellAt) -> Option<(&Finding, &Blame)> {
        self.findings
            .iter()
            .find_map(|f| f.blames.iter().find(|b| b.at == at).map(|b| (f, b)))
    }
}

fn table3_instances(
    template: &'static Template,
    table: &Table3,
    relation: &'static Relation,
    out: &mut Vec<Instance>,
) {
    let columns = template.table3_columns();
    match relation.terms {
        TermAxis::Rows => {
            let (Some(lhs), Some(rhs)) = (
                table.resolve_rows(&relation.lhs),
                table.resolve_rows(&relation.rhs),
            ) else {
                return; // a row is missing: row-missing says so
            };
            // The target row as the table has it (a stand-in for a collapsed row included).
            let Some(target_row) = table
                .resolve_rows(std::slice::from_ref(&relation.target))
                .and_then(|rows| rows.first().map(|r| r.id))
            else {
                return;
            };
            for (c, column) in columns.iter().enumerate() {
                if !relation.applies_to(&column.id) {
                    continue;
                }
                let side = |rows: &[&crate::model::table3::Table3Row]| -> Vec<Operand> {
                    rows.iter()
                        .map(|r| {
                            operand(
                                CellAt::Table3 {
                                    row: r.id,
                                    column: c,
                                },
                                row_label(template, r.id),
                                r.value(c),
                            )
                        })
                        .collect()
                };
                out.push(instance(
                    relation,
                    Scope::Column(c),
                    side(&lhs),
                    side(&rhs),
                    CellAt::Table3 {
                        row: target_row,
                        column: c,
                    },
                ));
            }
        }
        TermAxis::Columns => {
            let index = |id: &String| columns.iter().position(|c| &c.id == id);
            let (Some(lhs), Some(rhs), Some(target)) = (
                relation.lhs.iter().map(index).collect::<Option<Vec<_>>>(),
                relation.rhs.iter().map(index).collect::<Option<Vec<_>>>(),
                index(&relation.target),
            ) else {
                return;
            };
            for row in table.rows.iter().filter(|r| relation.applies_to(r.id)) {
                let side = |cols: &[usize]| -> Vec<Operand> {
                    cols.iter()
                        .map(|&c| {
                            operand(
                                CellAt::Table3 {
                                    row: row.id,
                                    column: c,
                                },
                                Cow::Borrowed(columns[c].label.as_str()),
                                row.value(c),
                            )
                        })
                        .collect()
                };
                out.push(instance(
                    relation,
                    Scope::Row(row.id),
                    side(&lhs),
                    side(&rhs),
                    CellAt::Table3 {
                        row: row.id,
                        column: target,
                    },
                ));
            }
        }
    }
}

fn table4_instances(
    template: &'static Template,
    table: &Table4,
    relation: &'static Relation,
    out: &mut Vec<Instance>,
) {
    if relation.terms != TermAxis::Columns || table.misaligned.is_some() || table.data.is_none() {
        return;
    }
    let columns = template.table4_columns();
    let index = |id: &String| columns.iter().position(|c| &c.id == id);
    let (Some(lhs), Some(rhs), Some(target)) = (
        relation.lhs.iter().map(index).collect::<Option<Vec<_>>>(),
        relation.rhs.iter().map(index).collect::<Option<Vec<_>>>(),
        index(&relation.target),
    ) else {
        return;
    };
    let side = |cols: &[usize]| -> Vec<Operand> {
        cols.iter()
            .map(|&c| {
                operand(
                    CellAt::Table4 { column: c },
                    Cow::Borrowed(template.table4_column_name(c)),
                    table.value(c),
                )
            })
            .collect()
    };
    out.push(instance(
        relation,
        Scope::Table4,
        side(&lhs),
        side(&rhs),
        CellAt::Table4 { column: target },
    ));
}

fn operand(at: CellAt, name: Cow<'static, str>, cell: Option<&Cell>) -> Operand {
    Operand {
        at,
        name,
        range: cell.map(|c| c.range.clone()),
        reading: cell.map_or(Reading::Unusable, Reading::of),
    }
}

/// Evaluates an instance as written.
fn instance(
    relation: &'static Relation,
    scope: Scope,
    lhs: Vec<Operand>,
    rhs: Vec<Operand>,
    target: CellAt,
) -> Instance {
    let mut instance = Instance {
        relation,
        scope,
        lhs,
        rhs,
        target,
        verdict: Verdict::Unassessed,
    };
    instance.verdict = verdict(&instance);
    instance
}

fn verdict(instance: &Instance) -> Verdict {
    // Σ lhs − Σ rhs, blanks as 0: i128 holds any sum of i64 values.
    let mut residual: i128 = 0;
    let mut target_sign = 0;
    let mut target_value: i128 = 0;
    for (o, sign) in instance.operands() {
        let Some(v) = o.reading.value() else {
            return Verdict::Unassessed;
        };
        residual += sign * i128::from(v);
        if o.at == instance.target {
            target_sign = sign;
            target_value = i128::from(v);
        }
    }
    if residual == 0 {
        Verdict::Holds
    } else {
        Verdict::Fails {
            expected: target_value - target_sign * residual,
        }
    }
}

/// The most specific label of a table-3 row in the report's format: `1.属于国家秘密`.
pub fn row_name(template: &'static Template, id: &str) -> String {
    row_label(template, id).into_owned()
}

fn row_label(template: &'static Template, id: &str) -> Cow<'static, str> {
    template
        .table3_row(id)
        .or_else(|| template::templates().iter().find_map(|t| t.table3_row(id)))
        .map_or_else(|| Cow::Owned(id.to_string()), |r| Cow::Borrowed(r.label()))
}

/// The full name of a cell in messages: `“3.危及“三安全一稳定””的“自然人”`, `“（一）予以公开”的总计`,
/// `（七）总计的“自然人”`, `表四“行政复议”的总计`.
pub fn cell_name(template: &Template, at: CellAt) -> String {
    match at {
        CellAt::Table3 { row, column } => {
            let spec = template
                .table3_row(row)
                .or_else(|| template::templates().iter().find_map(|t| t.table3_row(row)));
            let row_label = spec.map_or(row, |r| r.label());
            let row_part = if spec.is_some_and(|r| r.group == Table3Group::Total) {
                row_label.to_string()
            } else {
                format!("“{row_label}”")
            };
            let Some(col) = template.table3_columns().get(column) else {
                return row_part;
            };
            if col.total && spec.is_none_or(|r| r.group != Table3Group::Total) {
                format!("{row_part}的{}", col.label)
            } else {
                format!("{row_part}的“{}”", col.label)
            }
        }
        CellAt::Table4 { column } => {
            let Some(c) = template.table4_columns().get(column) else {
                return "表四".to_string();
            };
            let group = template
                .table4
                .groups
                .iter()
                .find(|g| g.id == c.group)
                .map_or_else(String::new, template::Table4GroupSpec::name);
            if c.total {
                format!("表四“{group}”的{}", c.label)
            } else {
                format!("表四“{group}”的“{}”", c.label)
            }
        }
        CellAt::Table2 { .. } => "表二".to_string(),
    }
}

/// Where an instance holds, for messages: `“自然人”列`, `“（一）予以公开”行`, `表四`.
pub fn scope_name(template: &'static Template, scope: Scope) -> String {
    match scope {
        Scope::Column(c) => format!(
            "“{}”列",
            template
                .table3_columns()
                .get(c)
                .map_or("", |c| c.label.as_str())
        ),
        Scope::Row(r) => format!("“{}”行", row_name(template, r)),
        Scope::Table4 => "表四".to_string(),
    }
}

/// One variable of the diagnosis: a cell and what it reads.
struct Var {
    at: CellAt,
    range: Range<usize>,
    reading: Reading,
}

fn diagnose(instances: &[Instance]) -> Vec<Finding> {
    // Blank totals are unknowns: a blank cell that is the target of a plain sum.
    let totals: BTreeSet<CellAt> = instances
        .iter()
        .filter(|i| i.is_plain_sum())
        .map(|i| i.target)
        .collect();
    let mut vars: Vec<Var> = Vec::new();
    let mut index: HashMap<CellAt, usize> = HashMap::new();
    let mut system = solve::System::default();
    // Equation k ↔ instance assessed[k].
    let mut assessed = Vec::new();
    for (i, instance) in instances.iter().enumerate() {
        if instance.verdict == Verdict::Unassessed {
            continue;
        }
        let mut terms: Vec<(usize, i128)> = Vec::new();
        let mut residual: i128 = 0;
        for (o, sign) in instance.operands() {
            let (Some(range), Some(value)) = (o.range.clone(), o.reading.value()) else {
                continue; // unreachable: the instance is assessed
            };
            let v = *index.entry(o.at).or_insert_with(|| {
                vars.push(Var {
                    at: o.at,
                    range,
                    reading: o.reading,
                });
                system
                    .unknown
                    .push(o.reading == Reading::Blank && totals.contains(&o.at));
                vars.len() - 1
            });
            terms.push((v, sign));
            residual += sign * i128::from(value);
        }
        system.equations.push(solve::Equation {
            terms,
            rhs: -residual,
        });
        assessed.push(i);
    }
    solve::diagnose(&system)
        .into_iter()
        .map(|group| {
            let failed: Vec<usize> = group.equations.iter().map(|&e| assessed[e]).collect();
            finding(instances, &vars, &system, &group, failed)
        })
        .collect()
}

/// A group's explanations as blames (what they all agree on) and what stays undecided.
fn finding(
    instances: &[Instance],
    vars: &[Var],
    system: &solve::System,
    group: &solve::Group,
    failed: Vec<usize>,
) -> Finding {
    let unexplained = |failed: Vec<usize>| Finding {
        undecided: Some((failed.clone(), Undecided::Unexplained)),
        failed,
        blames: Vec::new(),
    };
    let solve::Outcome::Explained(explanations) = &group.outcome else {
        return unexplained(failed);
    };
    // The changes every explanation makes alike (none if one leaves its values open).
    let mut common: Vec<(usize, i128)> = explanations
        .first()
        .and_then(|e| e.changes.clone())
        .unwrap_or_default();
    for e in explanations.iter().skip(1) {
        match &e.changes {
            Some(changes) => common.retain(|c| changes.contains(c)),
            None => common.clear(),
        }
    }
    // Every cell some explanation changes: a witness must be free of all of them.
    let mut touched: Vec<usize> = explanations
        .iter()
        .flat_map(|e| {
            e.changes.as_ref().map_or_else(
                || e.figures.clone(),
                |c| c.iter().map(|&(v, _)| v).collect(),
            )
        })
        .collect();
    touched.sort_unstable();
    touched.dedup();
    let Some(blames) = blames(instances, vars, &failed, &common, &touched) else {
        return unexplained(failed); // a count would have to be negative
    };
    // The failed equations the proven changes do not mend.
    let open: Vec<usize> = group
        .equations
        .iter()
        .zip(&failed)
        .filter(|&(&e, _)| {
            let eq = &system.equations[e];
            // `None` on overflow: then it is not shown mended.
            let mended: Option<i128> = eq
                .terms
                .iter()
                .filter_map(|&(v, c)| {
                    common
                        .iter()
                        .find(|&&(w, _)| w == v)
                        .map(|&(_, d)| c.checked_mul(d))
                })
                .try_fold(0i128, |acc, x| acc.checked_add(x?));
            mended != Some(eq.rhs)
        })
        .map(|(_, &i)| i)
        .collect();
    let undecided = (!open.is_empty()).then(|| {
        let proven: Vec<usize> = common.iter().map(|&(v, _)| v).collect();
        // In reading order: cells by position, sets by their first cell.
        let mut sets: Vec<Vec<usize>> = explanations
            .iter()
            .map(|e| {
                let mut set: Vec<usize> = e
                    .figures
                    .iter()
                    .copied()
                    .filter(|v| !proven.contains(v))
                    .collect();
                set.sort_by_key(|&v| vars[v].range.start);
                set
            })
            .filter(|s| !s.is_empty())
            .collect();
        sets.sort_by_key(|s| s.iter().map(|&v| vars[v].range.start).collect::<Vec<_>>());
        sets.dedup();
        let sets: Vec<Vec<CellAt>> = sets
            .into_iter()
            .map(|s| s.into_iter().map(|v| vars[v].at).collect())
            .collect();
        (open, Undecided::Ambiguous(sets))
    });
    Finding {
        failed,
        blames,
        undecided,
    }
}

/// The blames of the proven changes; `None` when a corrected count would be negative (no count
/// can be: the explanation is not plausible).
fn blames(
    instances: &[Instance],
    vars: &[Var],
    failed: &[usize],
    changes: &[(usize, i128)],
    touched: &[usize],
) -> Option<Vec<Blame>> {
    changes
        .iter()
        .map(|&(v, delta)| {
            let var = &vars[v];
            let actual = match var.reading {
                Reading::Count(n) => Some(n),
                _ => None,
            };
            let expected = i128::from(actual.unwrap_or(0)).checked_add(delta)?;
            if expected < 0 {
                return None;
            }
            let mine: Vec<usize> = failed
                .iter()
                .copied()
                .filter(|&i| instances[i].involves(var.at))
                .collect();
            let witnesses = mine
                .iter()
                .copied()
                .filter(|&i| {
                    touched
                        .iter()
                        .all(|&w| w == v || !instances[i].involves(vars[w].at))
                })
                .collect();
            Some(Blame {
                at: var.at,
                range: var.range.clone(),
                expected,
                actual,
                failed: mine,
                witnesses,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
