//! The diagnosis as integer linear algebra, with no report types: which figures to change so
//! that every relation holds.
//!
//! Each relation instance is an equation over the cells it names; the report's figures make
//! some of them fail. A *change* is a set of cells with new values. We look for the smallest
//! changes of written figures ("knowns") that make every failing equation hold while every
//! other equation keeps holding; blank totals ("unknowns") are free: the equations determine
//! them and they are never counted (rules.md §4: a blank total is missing, not a figure).
//!
//! Method: Gauss–Jordan elimination of the unknowns (exact, fraction-free, `i128` with checked
//! arithmetic — an overflow gives up the group instead of guessing), then a bounded search over
//! sets of knowns by increasing size. The search branches only on cells that can matter: a cell
//! of a failing equation not yet touched, or a cell of an equation the current set touches —
//! which is complete (every minimal set is found) by the argument in [`search`].

use std::collections::BTreeSet;

/// Explanations are searched up to this many changed figures (the issue asks for at least 2).
pub const MAX_CHANGES: usize = 3;

/// At most this many candidate sets are tried per group before the search gives up
/// (then no explanation is claimed).
const BUDGET: usize = 50_000;

/// `Σ coef · Δvar = rhs`: an equation on the changes (`rhs` = minus the residual as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Equation {
    pub terms: Vec<(usize, i128)>,
    pub rhs: i128,
}

/// The equations of one analysis.
#[derive(Clone, Debug, Default)]
pub struct System {
    /// Per variable: `true` for an unknown (a blank total), `false` for a written figure.
    pub unknown: Vec<bool>,
    pub equations: Vec<Equation>,
}

/// One smallest set of written figures that explains a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The written figures it changes, sorted.
    pub figures: Vec<usize>,
    /// `(variable, Δ)` of every change, blank totals' values included (Δ ≠ 0), sorted; `None`
    /// when the equations do not fix the values.
    pub changes: Option<Vec<(usize, i128)>>,
}

/// How one group of failing equations is explained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every smallest explanation (one: the culprits are known; several: the numbers alone
    /// cannot tell). An empty `figures` means the blank totals' values explain it all.
    Explained(Vec<Explanation>),
    /// No set of at most [`MAX_CHANGES`] figures explains the group (or arithmetic overflowed,
    /// or the search ran out of budget).
    Unexplained,
}

/// Failing equations explained together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Indices of the failing equations.
    pub equations: Vec<usize>,
    pub outcome: Outcome,
}

/// Groups the failing equations (those with `rhs ≠ 0`) and explains each group on its own.
///
/// Groups are first the failures that share figures. A group that cannot be explained alone —
/// a row changed consistently breaks two column sums that share no cell — is explained together
/// with the other such groups of its part of the system (the equations linked through shared
/// cells, passing ones included: table 3 is one part, each group of table 4 another).
pub fn diagnose(system: &System) -> Vec<Group> {
    let mut out: Vec<Group> = groups(system)
        .into_iter()
        .map(|equations| {
            let outcome = explain(system, &equations).unwrap_or(Outcome::Unexplained);
            Group { equations, outcome }
        })
        .collect();
    let part = parts(system);
    let mut parts_seen: Vec<usize> = out
        .iter()
        .filter(|g| g.outcome == Outcome::Unexplained)
        .filter_map(|g| g.equations.first().map(|&e| part[e]))
        .collect();
    parts_seen.sort_unstable();
    parts_seen.dedup();
    for p in parts_seen {
        let (alone, rest): (Vec<Group>, Vec<Group>) = out.into_iter().partition(|g| {
            g.outcome == Outcome::Unexplained && g.equations.first().is_some_and(|&e| part[e] == p)
        });
        out = rest;
        if alone.len() < 2 {
            out.extend(alone);
            continue;
        }
        let mut equations: Vec<usize> = alone.iter().flat_map(|g| g.equations.clone()).collect();
        equations.sort_unstable();
        let outcome = explain(system, &equations).unwrap_or(Outcome::Unexplained);
        if outcome == Outcome::Unexplained {
            out.extend(alone);
        } else {
            out.push(Group { equations, outcome });
        }
    }
    out.sort_by_key(|g| g.equations.first().copied());
    out
}

/// Union–find over indices.
struct Sets(Vec<usize>);

impl Sets {
    fn new(n: usize) -> Self {
        Sets((0..n).collect())
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        self.0[a] = b;
    }
}

/// Connected components of `equations` (indices into the system), linked by shared variables:
/// for each, the component's representative.
fn components(system: &System, equations: &[usize]) -> Vec<usize> {
    let mut sets = Sets::new(equations.len());
    let mut owner: Vec<Option<usize>> = vec![None; system.unknown.len()];
    for (i, &e) in equations.iter().enumerate() {
        for &(v, _) in &system.equations[e].terms {
            match owner.get(v).copied().flatten() {
                Some(j) => sets.join(i, j),
                None => {
                    if let Some(slot) = owner.get_mut(v) {
                        *slot = Some(i);
                    }
                }
            }
        }
    }
    (0..equations.len()).map(|i| sets.root(i)).collect()
}

/// The part of the system each equation belongs to (all equations, passing ones included).
fn parts(system: &System) -> Vec<usize> {
    let all: Vec<usize> = (0..system.equations.len()).collect();
    components(system, &all)
}

/// The failing equations, grouped by shared variables, in order.
fn groups(system: &System) -> Vec<Vec<usize>> {
    let failing: Vec<usize> = (0..system.equations.len())
        .filter(|&e| system.equations[e].rhs != 0)
        .collect();
    let roots = components(system, &failing);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut index_of_root: Vec<Option<usize>> = vec![None; failing.len()];
    for (i, &e) in failing.iter().enumerate() {
        match index_of_root[roots[i]] {
            Some(g) => out[g].push(e),
            None => {
                index_of_root[roots[i]] = Some(out.len());
                out.push(vec![e]);
            }
        }
    }
    out
}

/// A dense row: coefficients per variable, then the right-hand side.
type Row = Vec<i128>;

/// The group's equations with the unknowns eliminated.
struct Reduced {
    /// Rows without unknowns: the constraints on written figures.
    constraints: Vec<Row>,
    /// (unknown, its pivot row): the row determines the unknown from the knowns.
    pivots: Vec<(usize, Row)>,
    /// Unknowns that no row determines.
    free: Vec<usize>,
}

fn explain(system: &System, group: &[usize]) -> Option<Outcome> {
    let n = system.unknown.len();
    // Only this group's failures are to be mended: every other equation must keep its balance.
    let rows: Vec<Row> = system
        .equations
        .iter()
        .enumerate()
        .map(|(e, eq)| {
            let mut row = vec![0i128; n + 1];
            for &(v, c) in &eq.terms {
                row[v] = row[v].checked_add(c)?;
            }
            row[n] = if group.contains(&e) { eq.rhs } else { 0 };
            Some(row)
        })
        .collect::<Option<_>>()?;
    let reduced = eliminate_unknowns(system, rows)?;
    let sets = search(system, &reduced.constraints)?;
    if sets.is_empty() {
        return Some(Outcome::Unexplained);
    }
    let explanations = sets
        .into_iter()
        .map(|(figures, deltas)| {
            let changes = match deltas {
                None => None,
                Some(deltas) => {
                    let mut changes: Vec<(usize, i128)> =
                        figures.iter().copied().zip(deltas).collect();
                    for (u, delta) in fills(&reduced, &changes, n)? {
                        if delta != 0 {
                            changes.push((u, delta));
                        }
                    }
                    changes.sort_unstable();
                    Some(changes)
                }
            };
            Some(Explanation { figures, changes })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Outcome::Explained(explanations))
}

/// Gauss–Jordan on the unknowns' columns. `None` on overflow.
fn eliminate_unknowns(system: &System, mut rows: Vec<Row>) -> Option<Reduced> {
    let n = system.unknown.len();
    let mut used = vec![false; rows.len()];
    let mut pivot_rows: Vec<(usize, usize)> = Vec::new();
    let mut free = Vec::new();
    for u in (0..n).filter(|&v| system.unknown[v]) {
        let Some(p) = (0..rows.len()).find(|&r| !used[r] && rows[r][u] != 0) else {
            // In no remaining row: determined by nothing, or by a pivot row alone.
            if rows.iter().any(|r| r[u] != 0) {
                free.push(u);
            }
            continue;
        };
        used[p] = true;
        let pivot = rows[p].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != p && row[u] != 0 {
                *row = combine(row, &pivot, u)?;
            }
        }
        pivot_rows.push((u, p));
    }
    let pivots = pivot_rows
        .iter()
        .map(|&(u, p)| (u, rows[p].clone()))
        .collect();
    let constraints = rows
        .into_iter()
        .enumerate()
        .filter(|(r, row)| !used[*r] && row.iter().any(|&c| c != 0))
        .map(|(_, row)| row)
        .collect();
    Some(Reduced {
        constraints,
        pivots,
        free,
    })
}

/// `row·pivot[col] − pivot·row[col]`, divided by the gcd of its entries: `row` without `col`.
fn combine(row: &[i128], pivot: &[i128], col: usize) -> Option<Row> {
    let (a, b) = (pivot[col], row[col]);
    let mut out = Vec::with_capacity(row.len());
    for (&x, &y) in row.iter().zip(pivot) {
        out.push(x.checked_mul(a)?.checked_sub(y.checked_mul(b)?)?);
    }
    let g = out.iter().fold(0i128, |g, &x| gcd(g, x));
    if g > 1 {
        for x in &mut out {
            *x /= g;
        }
    }
    Some(out)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    i128::try_from(a).unwrap_or(i128::MAX)
}

/// A set of written figures and, when the constraints fix them, their changes.
type Found = (Vec<usize>, Option<Vec<i128>>);

/// Every smallest set of written figures whose change satisfies `constraints` (by increasing
/// size, stopping at the first size that has one), or `None` when the budget ran out before a
/// size was searched completely.
///
/// Completeness: let `S*` be a smallest solution and `S ⊂ S*` the current set. (1) A failing
/// row that `S` does not touch is touched by `S*`: branching over its cells reaches a member
/// of `S* \ S`. (2) A balanced row touched by exactly one member `m` of `S*` would force
/// `Δm = 0`, so a balanced row touched once by `S` holds a member of `S* \ S`. (3) Otherwise,
/// if `S` is no solution, `S* \ S` must touch a row that `S` touches (were the two apart, `S`
/// would satisfy its rows alone and `S* \ S` could be zero): branch over those rows' cells.
fn search(system: &System, constraints: &[Row]) -> Option<Vec<Found>> {
    let n = system.unknown.len();
    if constraints.iter().all(|r| r[n] == 0) {
        return Some(vec![(Vec::new(), Some(Vec::new()))]);
    }
    let supports: Vec<Vec<usize>> = constraints
        .iter()
        .map(|r| {
            (0..n)
                .filter(|&v| r[v] != 0 && !system.unknown[v])
                .collect()
        })
        .collect();
    // The most rows one figure takes part in: k figures mend at most k times as many.
    let mut rows_per_figure = vec![0usize; n];
    for s in &supports {
        for &v in s {
            rows_per_figure[v] += 1;
        }
    }
    let mut search = Search {
        rows: constraints,
        supports: &supports,
        n,
        reach: rows_per_figure.into_iter().max().unwrap_or(0),
        seen: BTreeSet::new(),
        found: Vec::new(),
        budget: BUDGET,
    };
    for size in 1..=MAX_CHANGES {
        search.seen.clear();
        search.grow(&mut Vec::new(), size)?;
        if !search.found.is_empty() {
            return Some(search.found);
        }
    }
    Some(Vec::new())
}

/// The state of one search for the smallest explanations.
struct Search<'a> {
    rows: &'a [Row],
    /// Per row, the written figures it holds.
    supports: &'a [Vec<usize>],
    n: usize,
    /// The most rows one figure takes part in.
    reach: usize,
    seen: BTreeSet<Vec<usize>>,
    found: Vec<Found>,
    budget: usize,
}

impl Search<'_> {
    /// Extends `set` towards `size` figures along the branches that can matter (see
    /// [`search`]); `None` when the budget runs out.
    fn grow(&mut self, set: &mut Vec<usize>, size: usize) -> Option<()> {
        let mut key = set.clone();
        key.sort_unstable();
        if !self.seen.insert(key.clone()) {
            return Some(());
        }
        self.budget = self.budget.checked_sub(1)?;
        let n = self.n;
        let touches = |r: &Row| set.iter().filter(|&&v| r[v] != 0).count();
        // Rows that need another member: a failing row not yet touched, a balanced row
        // touched once.
        let needy: Vec<usize> = (0..self.rows.len())
            .filter(|&i| {
                let r = &self.rows[i];
                let t = touches(r);
                (r[n] != 0 && t == 0) || (r[n] == 0 && t == 1)
            })
            .collect();
        let untouched_failing = needy.iter().filter(|&&i| self.rows[i][n] != 0).count();
        if untouched_failing > (size - set.len()) * self.reach {
            return Some(()); // too many failing rows left for the figures left
        }
        if set.len() == size {
            if needy.is_empty() {
                match solve_set(self.rows, &key, n)? {
                    Solved::Unique(deltas) => self.found.push((key, Some(deltas))),
                    Solved::Underdetermined => self.found.push((key, None)),
                    Solved::NoSolution => {}
                }
            }
            return Some(());
        }
        let candidates: Vec<usize> = if needy.is_empty() {
            // Structurally complete: a solution as it is (then no larger set is minimal), or
            // grow through the rows it touches.
            if let Solved::Unique(_) | Solved::Underdetermined = solve_set(self.rows, &key, n)? {
                return Some(());
            }
            let mut all: Vec<usize> = (0..self.rows.len())
                .filter(|&i| touches(&self.rows[i]) > 0)
                .flat_map(|i| self.supports[i].iter().copied())
                .collect();
            all.sort_unstable();
            all.dedup();
            all
        } else if size - set.len() == 1 {
            // The last member must serve every needy row.
            let mut common = self.supports[needy[0]].clone();
            for &i in &needy[1..] {
                common.retain(|v| self.supports[i].contains(v));
            }
            common
        } else {
            // The needy row with the fewest figures: the fewest branches.
            needy
                .iter()
                .map(|&i| &self.supports[i])
                .min_by_key(|s| s.len())
                .cloned()
                .unwrap_or_default()
        };
        for v in candidates {
            if set.contains(&v) {
                continue;
            }
            set.push(v);
            let result = self.grow(set, size);
            set.pop();
            result?;
        }
        Some(())
    }
}

enum Solved {
    /// The only values: every Δ an integer ≠ 0.
    Unique(Vec<i128>),
    /// Consistent, but the values are not fixed by the constraints.
    Underdetermined,
    NoSolution,
}

/// Solves the constraints for the changes of `set` (every other figure unchanged). `None` on
/// overflow.
fn solve_set(rows: &[Row], set: &[usize], n: usize) -> Option<Solved> {
    let k = set.len();
    // Augmented k+1 columns, one row per constraint that `set` touches or that fails.
    let mut m: Vec<Vec<i128>> = Vec::new();
    for row in rows {
        let coefs: Vec<i128> = set.iter().map(|&v| row[v]).collect();
        if coefs.iter().all(|&c| c == 0) {
            if row[n] != 0 {
                return Some(Solved::NoSolution);
            }
            continue;
        }
        let mut r = coefs;
        r.push(row[n]);
        m.push(r);
    }
    // Row-reduce the k columns.
    let mut rank = 0;
    for col in 0..k {
        let Some(p) = (rank..m.len()).find(|&r| m[r][col] != 0) else {
            continue;
        };
        m.swap(rank, p);
        let pivot = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != rank && row[col] != 0 {
                *row = combine(row, &pivot, col)?;
            }
        }
        rank += 1;
    }
    if m[rank..].iter().any(|r| r[k] != 0) {
        return Some(Solved::NoSolution);
    }
    if rank < k {
        return Some(Solved::Underdetermined);
    }
    let mut deltas = vec![0i128; k];
    for row in &m[..k] {
        let Some(col) = (0..k).find(|&c| row[c] != 0) else {
            return Some(Solved::NoSolution);
        };
        if row[k].checked_rem(row[col])? != 0 {
            return Some(Solved::NoSolution); // not an integer: no count can be that
        }
        deltas[col] = row[k].checked_div(row[col])?;
    }
    if deltas.contains(&0) {
        return Some(Solved::NoSolution); // a smaller set does it
    }
    Some(Solved::Unique(deltas))
}

/// The blank totals' values once `changes` are made: from each unknown's pivot row. An
/// unknown whose row also holds an undetermined one is left out. `None` on overflow or a
/// value that is not an integer.
fn fills(reduced: &Reduced, changes: &[(usize, i128)], n: usize) -> Option<Vec<(usize, i128)>> {
    let mut out = Vec::new();
    for (u, row) in &reduced.pivots {
        if reduced.free.iter().any(|&f| row[f] != 0) {
            continue;
        }
        let mut rest = row[n];
        for &(v, d) in changes {
            rest = rest.checked_sub(row[v].checked_mul(d)?)?;
        }
        if rest.checked_rem(row[*u])? != 0 {
            return None;
        }
        out.push((*u, rest.checked_div(row[*u])?));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Σ terms = total` as an equation on the changes, given the written values.
    fn sum(values: &[i128], parts: &[usize], total: usize) -> Equation {
        let mut terms: Vec<(usize, i128)> = parts.iter().map(|&p| (p, 1)).collect();
        terms.push((total, -1));
        let residual: i128 = parts.iter().map(|&p| values[p]).sum::<i128>() - values[total];
        Equation {
            terms,
            rhs: -residual,
        }
    }

    /// A 3×3 grid (two parts and a total per row and per column) with values.
    fn grid(values: &[i128], unknown: &[usize]) -> System {
        let mut equations = Vec::new();
        for r in 0..3 {
            equations.push(sum(values, &[3 * r, 3 * r + 1], 3 * r + 2));
        }
        for c in 0..3 {
            equations.push(sum(values, &[c, 3 + c], 6 + c));
        }
        let mut is_unknown = vec![false; 9];
        for &u in unknown {
            is_unknown[u] = true;
        }
        System {
            unknown: is_unknown,
            equations,
        }
    }

    const SOUND: [i128; 9] = [1, 2, 3, 4, 5, 9, 5, 7, 12];

    /// The changes of the only explanation.
    fn only(outcome: &Outcome) -> Vec<(usize, i128)> {
        match outcome {
            Outcome::Explained(e) if e.len() == 1 => e[0].changes.clone().expect("values"),
            other => panic!("not one explanation: {other:?}"),
        }
    }

    /// The figures of each explanation.
    fn sets(outcome: &Outcome) -> Vec<Vec<usize>> {
        match outcome {
            Outcome::Explained(e) => e.iter().map(|e| e.figures.clone()).collect(),
            Outcome::Unexplained => Vec::new(),
        }
    }

    #[test]
    fn a_sound_grid_has_no_group() {
        assert!(diagnose(&grid(&SOUND, &[])).is_empty());
    }

    #[test]
    fn each_single_wrong_figure_is_the_unique_explanation() {
        for cell in 0..9 {
            let mut values = SOUND;
            values[cell] += 4;
            let groups = diagnose(&grid(&values, &[]));
            assert_eq!(groups.len(), 1, "cell {cell}");
            assert_eq!(only(&groups[0].outcome), vec![(cell, -4)], "cell {cell}");
        }
    }

    #[test]
    fn a_blank_total_is_filled_not_blamed() {
        let mut values = SOUND;
        values[2] = 0; // blank row total
        let groups = diagnose(&grid(&values, &[2]));
        assert_eq!(only(&groups[0].outcome), vec![(2, 3)]);
    }

    #[test]
    fn a_wrong_figure_beside_a_blank_total_is_found_after_the_fill() {
        let mut values = SOUND;
        values[2] = 0; // blank total of row 0
        values[4] = 6; // wrong part in row 1 (should be 5)
        let groups = diagnose(&grid(&values, &[2]));
        // Row 1 and column 2 share cell 5: one group, explained by the fill and one figure.
        assert_eq!(groups.len(), 1);
        assert_eq!(only(&groups[0].outcome), vec![(2, 3), (4, -1)]);
    }

    #[test]
    fn failures_that_share_no_cell_are_explained_apart() {
        // Two 1-equation systems side by side: a wrong total in each.
        let values = [1, 2, 4, 5, 5, 9];
        let system = System {
            unknown: vec![false, false, false, false, false, false],
            equations: vec![sum(&values, &[0, 1], 2), sum(&values, &[3, 4], 5)],
        };
        let groups = diagnose(&system);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].equations, [0]);
        assert_eq!(groups[1].equations, [1]);
    }

    #[test]
    fn one_equation_alone_is_ambiguous() {
        // 1 + 2 = 4: any of the three could be wrong.
        let values = [1, 2, 4];
        let system = System {
            unknown: vec![false; 3],
            equations: vec![sum(&values, &[0, 1], 2)],
        };
        let groups = diagnose(&system);
        assert_eq!(sets(&groups[0].outcome), vec![vec![0], vec![1], vec![2]]);
    }

    #[test]
    fn two_wrong_figures_in_different_rows_and_columns() {
        let mut values = SOUND;
        values[0] += 2;
        values[4] += 3;
        let groups = diagnose(&grid(&values, &[]));
        // Rows and columns cross: one group, and only {0, 4} mends all four sums ({1, 3}
        // would need the same change for a row and a column it shares with different sums).
        assert_eq!(groups.len(), 1);
        assert_eq!(only(&groups[0].outcome), vec![(0, -2), (4, -3)]);
    }

    #[test]
    fn two_cells_that_mend_the_same_sums_are_ambiguous() {
        let mut values = SOUND;
        values[0] += 2;
        values[4] += 2;
        // {0, 4} and {1, 3} both mend rows 0, 1 and columns 0, 1 by 2.
        let groups = diagnose(&grid(&values, &[]));
        assert_eq!(sets(&groups[0].outcome), vec![vec![0, 4], vec![1, 3]]);
    }

    #[test]
    fn huge_values_give_up_instead_of_overflowing() {
        let values = [i128::MAX / 2, i128::MAX / 2, 1];
        let system = System {
            unknown: vec![false; 3],
            equations: vec![
                sum(&values, &[0, 1], 2),
                Equation {
                    terms: vec![(0, i128::MAX), (2, 3)],
                    rhs: 0,
                },
            ],
        };
        // No panic; whatever it concludes, it claims nothing it could not compute.
        let _ = diagnose(&system);
    }
}
