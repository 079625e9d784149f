//! `sum-mismatch` and `balance-mismatch`: the relation engine's findings as diagnostics.
//!
//! - A unique explanation: one error on each blamed figure (and each blank total the relations
//!   fill in), with the value it should have, why, the failed relations as related information
//!   and a safe fix. No error on the figures that are right.
//! - Several equally small explanations, or none: one error per failed relation on its total,
//!   naming the candidates, as a reviewer would — no culprit claimed, and the recomputed total
//!   offered only as a suggestion that fix-all never applies.

use crate::diagnostics::{Code, Diagnostic, Edit};
use crate::model::{CellAt, Report};
use crate::relations::{self, Blame, Instance, Relations, Scope, Undecided, Verdict};
use crate::template::{self, Template, TemplateId};

/// Longer sums are named, not written out, in messages.
const MAX_FORMULA_TERMS: usize = 8;
/// At most this many candidates are named.
const MAX_NAMED: usize = 6;
/// At most this many explanations of several figures are spelled out.
const MAX_LISTED_SETS: usize = 3;

pub fn check(text: &str, report: &Report, relations: &Relations, out: &mut Vec<Diagnostic>) {
    let template = template::template(report.template.unwrap_or_else(TemplateId::latest));
    let ctx = Ctx {
        text,
        template,
        relations,
    };
    for finding in &relations.findings {
        for blame in &finding.blames {
            out.push(ctx.blamed(blame, &finding.blames));
        }
        if let Some((open, why)) = &finding.undecided {
            for &i in open {
                if let Some(d) = ctx.undecided(&relations.instances[i], why) {
                    out.push(d);
                }
            }
        }
    }
}

struct Ctx<'a> {
    text: &'a str,
    template: &'static Template,
    relations: &'a Relations,
}

impl Ctx<'_> {
    /// The error on a figure a unique explanation blames (or a blank total it fills in).
    fn blamed(&self, blame: &Blame, all: &[Blame]) -> Diagnostic {
        let instances = &self.relations.instances;
        let x = relations::cell_name(self.template, blame.at);
        let v = blame.expected;
        let actual = match blame.actual {
            Some(_) => self.written(&blame.range),
            None => "空".to_string(),
        };
        let witnesses: Vec<&Instance> = blame.witnesses.iter().map(|&i| &instances[i]).collect();
        let message = match witnesses.as_slice() {
            [one] => format!(
                "{x}应为 {v}（{}），实为{actual}",
                self.phrase(one, blame.at)
            ),
            [] => {
                let others: Vec<String> = all
                    .iter()
                    .filter(|b| b.at != blame.at)
                    .map(|b| relations::cell_name(self.template, b.at))
                    .collect();
                format!(
                    "{x}应为 {v}（与{}一并改正后，各项关系都成立），实为{actual}",
                    others.join("、")
                )
            }
            many => {
                // Across the row first, as a reviewer reads; the balance, the longest, last.
                let mut many = many.to_vec();
                many.sort_by_key(|i| (!i.is_plain_sum(), !matches!(i.scope, Scope::Row(_))));
                let phrases: Vec<String> = many
                    .iter()
                    .map(|i| self.short_phrase(i, blame.at))
                    .collect();
                format!(
                    "{x}应为 {v}：{}都与 {v} 相符，实为{actual}",
                    spaced(&join_last(&phrases, "、", "与"))
                )
            }
        };
        // The code and rule of the relation it is the total of, else of the first it breaks.
        let primary = blame
            .failed
            .iter()
            .map(|&i| &instances[i])
            .min_by_key(|i| (i.target != blame.at, !i.is_plain_sum()))
            .map(|i| i.relation);
        let (code, rule) = primary.map_or((Code::SumMismatch, None), |r| {
            (r.code, Some(r.rule.as_str()))
        });
        let mut d = Diagnostic::new(code, blame.range.clone(), message).with_fix(
            format!("改为 {v}"),
            vec![Edit {
                range: blame.range.clone(),
                new_text: v.to_string(),
            }],
        );
        d.rule = rule;
        for &i in &blame.failed {
            if let Some((range, message)) = self.related(&instances[i], blame.at) {
                d = d.with_related(range, message);
            }
        }
        d
    }

    /// The error on a failed relation whose culprit cannot be told.
    fn undecided(&self, instance: &Instance, why: &Undecided) -> Option<Diagnostic> {
        let Verdict::Fails { expected } = instance.verdict else {
            return None;
        };
        let target = instance.target_operand()?;
        let range = target.range.clone()?;
        let blank_totals = instance
            .operands()
            .filter(|(o, _)| {
                o.at != instance.target
                    && o.reading == relations::Reading::Blank
                    && self.relations.is_total(o.at)
            })
            .count();
        let mut message = self.relation_message(instance, expected);
        if blank_totals > 0 {
            message.push_str(&format!("；其中 {blank_totals} 个合计单元格为空，按 0 计"));
        }
        message.push_str(&self.undecided_suffix(instance, why));
        let mut d = Diagnostic::new(instance.relation.code, range.clone(), message)
            .with_rule(instance.relation.rule.as_str());
        for (o, _) in instance.operands() {
            if o.at != instance.target
                && let Some(r) = &o.range
                && !r.is_empty()
            {
                d = d.with_related(r.clone(), format!("{}：{}", o.name, o.shown(self.text)));
            }
        }
        if expected >= 0 && blank_totals == 0 {
            d = d.with_suggestion(
                format!("改为 {expected}（重新计算合计；也可能是其他数字有误）"),
                vec![Edit {
                    range,
                    new_text: expected.to_string(),
                }],
            );
        }
        Some(d)
    }

    /// What a relation says is wrong, as written: `（七）总计的“自然人”应为 105（各项办理结果之和），实为 102`.
    fn relation_message(&self, instance: &Instance, expected: i128) -> String {
        let Some(target) = instance.target_operand() else {
            return String::new();
        };
        let actual = target.shown(self.text);
        let relation = instance.relation;
        let formula = self.formula(instance, instance.target);
        if let Some(parts) = &relation.parts_name {
            let x = relations::cell_name(self.template, instance.target);
            let terms = instance.lhs.len() + instance.rhs.len() - 1;
            return if terms <= MAX_FORMULA_TERMS {
                format!("{x}应为 {expected}（{parts}之和：{formula}），实为 {actual}")
            } else {
                format!("{x}应为 {expected}（{parts}之和），实为 {actual}")
            };
        }
        let name = relation.name.as_deref().unwrap_or_default();
        let statement = relation.statement.as_deref().unwrap_or_default();
        let scope = self.scope(instance.scope);
        if expected < 0 {
            format!(
                "{scope}{name}不成立：{formula} = {expected}，{}不能为负（实为 {actual}）",
                target.name
            )
        } else {
            format!(
                "{scope}{name}不成立（{statement}）：{}应为 {expected}（{formula}），实为 {actual}",
                target.name
            )
        }
    }

    fn undecided_suffix(&self, instance: &Instance, why: &Undecided) -> String {
        let explanations = match why {
            Undecided::Ambiguous(e) if !e.is_empty() => e,
            _ => return "；表中多处数字不符，无法确定哪些数字有误".to_string(),
        };
        // Within one relation its own scope goes without saying: `结果维持`.
        let name = |at: CellAt| match instance.operand(at) {
            Some(o) if explanations.iter().flatten().all(|&c| instance.involves(c)) => {
                o.name.rsplit(" · ").next().unwrap_or(&o.name).to_string()
            }
            _ => relations::cell_name(self.template, at),
        };
        if explanations.iter().all(|e| e.len() == 1) {
            let mut names: Vec<String> = explanations
                .iter()
                .flatten()
                .take(MAX_NAMED)
                .map(|&at| name(at))
                .collect();
            if explanations.len() > MAX_NAMED {
                names.push(format!("其余 {} 个数字", explanations.len() - MAX_NAMED));
            }
            format!(
                "；仅凭表中数字无法确定哪个数字有误：{}中任一个改正都能使各关系成立",
                join_last(&names, "、", "或")
            )
        } else if explanations.len() <= MAX_LISTED_SETS {
            let sets: Vec<String> = explanations
                .iter()
                .map(|e| self.set_name(e, &name))
                .collect();
            format!(
                "；仅凭表中数字无法确定哪些数字有误：改{}都能使各关系成立",
                join_last(&sets, "，或改", "，或改")
            )
        } else {
            format!(
                "；仅凭表中数字无法确定哪些数字有误：有 {} 种同样简单的改法（每种改 {} 个数字）",
                explanations.len(),
                explanations.first().map_or(0, Vec::len)
            )
        }
    }

    /// Several cells: `“二、上年结转…”的“自然人”与总计` when they share a table-3 row.
    fn set_name(&self, cells: &[CellAt], name: &dyn Fn(CellAt) -> String) -> String {
        let rows: Vec<&str> = cells
            .iter()
            .filter_map(|at| match at {
                CellAt::Table3 { row, .. } => Some(*row),
                _ => None,
            })
            .collect();
        let one_row = rows.len() == cells.len() && rows.windows(2).all(|w| w[0] == w[1]);
        let names: Vec<String> = if one_row && cells.len() > 1 {
            let columns = self.template.table3_columns();
            let column = |at: &CellAt| match at {
                CellAt::Table3 { column, .. } => {
                    columns.get(*column).map_or_else(String::new, |c| {
                        if c.total {
                            c.label.clone()
                        } else {
                            format!("“{}”", c.label)
                        }
                    })
                }
                _ => String::new(),
            };
            let first = relations::cell_name(self.template, cells[0]);
            std::iter::once(first)
                .chain(cells[1..].iter().map(column))
                .collect()
        } else {
            cells.iter().map(|&at| name(at)).collect()
        };
        join_last(&names, "、", "与")
    }

    /// Why a figure must be `v`, for a message with one reason:
    /// `六类申请人之和：1 + 16 + 0`, `本行总计 14 减其余各项 1`, `勾稽关系：5 + 2 − 3`.
    fn phrase(&self, instance: &Instance, at: CellAt) -> String {
        let relation = instance.relation;
        match &relation.parts_name {
            Some(parts) if instance.target == at => {
                if instance.lhs.len() + instance.rhs.len() - 1 <= MAX_FORMULA_TERMS {
                    format!("{parts}之和：{}", self.formula(instance, at))
                } else {
                    format!("{parts}之和")
                }
            }
            Some(_) => {
                let (anchor, total) = self.anchor(instance);
                let rest: i128 = instance
                    .operands()
                    .filter(|(o, _)| o.at != at && o.at != instance.target)
                    .filter_map(|(o, _)| o.reading.value())
                    .map(i128::from)
                    .sum();
                format!("{anchor} {total} 减其余各项之和 {rest}")
            }
            None => format!(
                "{}：{}",
                relation.name.as_deref().unwrap_or_default(),
                self.formula(instance, at)
            ),
        }
    }

    /// One reason among several: `本行总计 14`, `（七）总计 102`, `六类申请人之和 17`, `勾稽关系`.
    fn short_phrase(&self, instance: &Instance, at: CellAt) -> String {
        let relation = instance.relation;
        match &relation.parts_name {
            Some(parts) if instance.target == at => {
                let sum: i128 = instance
                    .operands()
                    .filter(|(o, _)| o.at != at)
                    .filter_map(|(o, _)| o.reading.value())
                    .map(i128::from)
                    .sum();
                format!("{parts}之和 {sum}")
            }
            Some(_) => {
                let (anchor, total) = self.anchor(instance);
                format!("{anchor} {total}")
            }
            None => format!(
                "{}（{}）",
                relation.name.as_deref().unwrap_or_default(),
                self.formula(instance, at)
            ),
        }
    }

    /// The total a part is checked against, named from the part's point of view.
    fn anchor(&self, instance: &Instance) -> (String, String) {
        let shown = instance
            .target_operand()
            .map_or_else(|| "?".to_string(), |o| o.shown(self.text).to_string());
        let label = match instance.target {
            CellAt::Table3 { row, column } => match instance.scope {
                Scope::Row(_) => format!(
                    "本行{}",
                    self.template
                        .table3_columns()
                        .get(column)
                        .map_or("总计", |c| c.label.as_str())
                ),
                _ => relations::row_name(self.template, row),
            },
            CellAt::Table4 { column } => format!(
                "本组{}",
                self.template
                    .table4_columns()
                    .get(column)
                    .map_or("总计", |c| c.label.as_str())
            ),
            CellAt::Table2 { .. } => String::new(),
        };
        (label, shown)
    }

    /// `at` solved from the other operands as written: the other side's terms added, the rest of
    /// its own side subtracted — `5 + 2 − 3`.
    fn formula(&self, instance: &Instance, at: CellAt) -> String {
        let in_lhs = instance.lhs.iter().any(|o| o.at == at);
        let (own, other) = if in_lhs {
            (&instance.lhs, &instance.rhs)
        } else {
            (&instance.rhs, &instance.lhs)
        };
        let mut out = other
            .iter()
            .map(|o| o.shown(self.text))
            .collect::<Vec<_>>()
            .join(" + ");
        for o in own.iter().filter(|o| o.at != at) {
            out.push_str(" − ");
            out.push_str(o.shown(self.text));
        }
        out
    }

    /// A failed relation as related information, pointing at its other total (or first part).
    fn related(&self, instance: &Instance, at: CellAt) -> Option<(std::ops::Range<usize>, String)> {
        let point = instance
            .target_operand()
            .filter(|o| o.at != at)
            .or_else(|| {
                instance
                    .operands()
                    .map(|(o, _)| o)
                    .find(|o| o.at != at && o.range.as_ref().is_some_and(|r| !r.is_empty()))
            })?;
        let range = point.range.clone()?;
        let sum = |side: &[relations::Operand]| -> i128 {
            side.iter()
                .filter_map(|o| o.reading.value())
                .map(i128::from)
                .sum()
        };
        Some((
            range,
            format!(
                "{}（{}）不成立：{}；按表中数字 {} ≠ {}",
                instance.relation.rule,
                self.scope(instance.scope),
                instance.relation.description,
                sum(&instance.lhs),
                sum(&instance.rhs)
            ),
        ))
    }

    fn scope(&self, scope: Scope) -> String {
        relations::scope_name(self.template, scope)
    }

    fn written(&self, range: &std::ops::Range<usize>) -> String {
        format!(
            " {}",
            self.text.get(range.clone()).unwrap_or_default().trim()
        )
    }
}

/// A space between a number and a Chinese character after it (`3050与` → `3050 与`), and after
/// a number at the end, as the messages write figures.
fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c.is_ascii_digit()
            && chars
                .peek()
                .is_none_or(|n| ('\u{4e00}'..='\u{9fff}').contains(n))
        {
            out.push(' ');
        }
    }
    out
}

/// `a、b、c`; with `last` before the final item: `a、b或c`.
fn join_last(items: &[String], sep: &str, last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., end] => format!("{}{last}{end}", init.join(sep)),
    }
}
