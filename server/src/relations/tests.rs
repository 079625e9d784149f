//! The engine on real reports (`examples/`, copied from the corpus): instances, verdicts, the
//! diagnosis. The data-driven cases over every layout are in `checks::tests::blame`.

use super::*;
use crate::analysis::{Config, analyze};
use crate::diagnostics::Code;

/// 上海市人民政府办公厅 2019 (F2019, blank 总计 cells in every result row).
const SHANGHAI: &str = include_str!("../../../examples/003.txt");
/// 淮安市洪泽区人民政府 2023 (table 4 totals 0 under parts 10 + 1 and 5).
const HONGZE: &str = include_str!("../../../examples/001.txt");
/// 淮安市人民政府 2024 (F2021, every relation holds).
const HUAIAN: &str = include_str!("../../../examples/004.txt");

fn relations(text: &str) -> Relations {
    analyze(text, &Config::default()).relations
}

fn instance<'r>(r: &'r Relations, rule: &str, scope: Scope) -> &'r Instance {
    r.instances
        .iter()
        .find(|i| i.relation.id == rule && i.scope == scope)
        .unwrap_or_else(|| panic!("no {rule} in {scope:?}"))
}

#[test]
fn every_instance_of_every_relation_is_built_from_the_data() {
    let r = relations(HUAIAN);
    let count = |rule: &str| {
        r.instances
            .iter()
            .filter(|i| i.relation.rule.as_str() == rule)
            .count()
    };
    // F2021: 7 columns × (T3-BAL, T3-RES); 25 rows × T3-COL; 3 groups × T4-SUM.
    assert_eq!(count("T3-BAL"), 7);
    assert_eq!(count("T3-RES"), 7);
    assert_eq!(count("T3-COL"), 25);
    assert_eq!(count("T4-SUM"), 3);
    assert!(r.instances.iter().all(|i| i.verdict == Verdict::Holds));
    assert!(r.findings.is_empty());
    let res = instance(&r, "T3-RES", Scope::Column(6));
    assert_eq!(res.lhs.len(), 21);
    assert_eq!(res.target_operand().map(|o| o.shown(HUAIAN)), Some("3050"));
}

/// rules.md's worked example: Shanghai 2019, 859 + 18 = 805 + 72 in the 总计 column.
#[test]
fn the_worked_example_holds_and_blank_totals_are_filled() {
    let r = relations(SHANGHAI);
    let bal = instance(&r, "T3-BAL", Scope::Column(6));
    assert_eq!(bal.verdict, Verdict::Holds);
    let shown: Vec<&str> = bal.operands().map(|(o, _)| o.shown(SHANGHAI)).collect();
    assert_eq!(shown, ["859", "18", "805", "72"]);
    // The 总计 column of （一）予以公开 is blank: T3-COL fails as written, expecting 272.
    let col = instance(&r, "T3-COL", Scope::Row("r1_open"));
    assert_eq!(col.verdict, Verdict::Fails { expected: 272 });
    // One finding, explained by the fills alone: eleven blank totals, nothing else blamed.
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert!(f.undecided.is_none());
    assert_eq!(f.blames.len(), 11);
    assert!(f.blames.iter().all(Blame::is_fill));
    let sum: i128 = f.blames.iter().map(|b| b.expected).sum();
    assert_eq!(sum, 805, "the fills add up to （七）总计");
}

#[test]
fn table4_cannot_tell_a_part_from_its_total() {
    let r = relations(HONGZE);
    assert_eq!(r.findings.len(), 2, "one finding per table-4 group");
    for f in &r.findings {
        assert!(f.blames.is_empty());
        let Some((open, Undecided::Ambiguous(sets))) = &f.undecided else {
            panic!("{f:#?}");
        };
        assert_eq!(open.len(), 1);
        assert_eq!(sets.len(), 5, "the four parts and the total");
        assert!(sets.iter().all(|s| s.len() == 1));
    }
}

#[test]
fn a_cell_too_large_for_a_count_is_unusable_and_sums_never_overflow() {
    // A 25-digit figure is no count (cell-invalid): its relations are not assessed.
    let huge = HUAIAN.replacen("\t3050\n", "\t9999999999999999999999999\n", 1);
    let a = analyze(&huge, &Config::default());
    assert!(a.diagnostics.iter().any(|d| d.code == Code::CellInvalid));
    let res = instance(&a.relations, "T3-RES", Scope::Column(6));
    assert_eq!(res.verdict, Verdict::Unassessed);
    // Figures at the edge of i64: the sums are exact (i128), the diagnosis completes.
    let max = i64::MAX.to_string();
    let edge = HUAIAN
        .replacen("\t1288\t", &format!("\t{max}\t"), 1)
        .replacen("\t447\t", &format!("\t{max}\t"), 1);
    let a = analyze(&edge, &Config::default());
    let col = instance(&a.relations, "T3-RES", Scope::Column(0));
    assert!(matches!(col.verdict, Verdict::Fails { expected } if expected > i128::from(i64::MAX)));
    assert!(
        a.diagnostics
            .iter()
            .any(|d| matches!(d.code, Code::SumMismatch | Code::BalanceMismatch))
    );
}

#[test]
fn two_changes_that_keep_the_balance_can_be_undone_two_ways() {
    // 一 and 四 of 自然人 both 103 lower: the balance still holds in 自然人, the two rows' totals
    // do not. Raising 一 and 四 by 103 in any one column (or lowering both totals) mends all:
    // seven equally small corrections, none claimed.
    let two = HUAIAN.replacen("\t\t\t3001\t", "\t\t\t2898\t", 1).replacen(
        "四、结转下年度继续办理\t\t\t103\t",
        "四、结转下年度继续办理\t\t\t0\t",
        1,
    );
    let r = relations(&two);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert!(f.blames.is_empty());
    let Some((open, Undecided::Ambiguous(sets))) = &f.undecided else {
        panic!("{f:#?}");
    };
    assert_eq!(open.len(), 2, "the two rows' T3-COL");
    assert_eq!(sets.len(), 7, "{sets:?}");
    for (column, set) in sets.iter().enumerate() {
        assert_eq!(
            set,
            &[
                CellAt::Table3 { row: "new", column },
                CellAt::Table3 {
                    row: "carry_next",
                    column
                }
            ]
        );
    }
}

#[test]
fn a_wrong_total_of_results_is_the_one_figure_blamed() {
    // （七）总计 of 自然人 raised by 2000: the single figure that mends every relation is that one,
    // back to 2932.
    let wrong = HUAIAN.replacen("\t（七）总计\t\t2932\t", "\t（七）总计\t\t4932\t", 1);
    let r = relations(&wrong);
    let blamed: Vec<i128> = r
        .findings
        .iter()
        .flat_map(|f| f.blames.iter().map(|b| b.expected))
        .collect();
    assert_eq!(blamed, [2932]);
}
