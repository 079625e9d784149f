//! The grouping and linking as they were before the compact [`super::Index`] (every report's
//! notes, a map of (group, year) to its reports): the reference the compact one is tested against.

#![allow(dead_code)]

use super::{Member, Outcome};

mod group {
    use std::collections::HashMap;

    use super::super::Member;
    use super::super::names::{self, Shortening};

    /// The bodies of a set of reports.
    #[derive(Clone, Debug, Default)]
    pub struct Groups {
        /// The group of each entry (an index into `names`); `None` when the body is unknown.
        pub group: Vec<Option<usize>>,
        /// Each group's body, as its longest-named report writes it.
        pub names: Vec<String>,
        /// Notes on how each entry was grouped (a name read as another body's, or not), in Chinese.
        pub notes: Vec<Vec<String>>,
    }

    /// Groups `entries` by body.
    pub fn group<E: Member>(entries: &[&E]) -> Groups {
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(key) = e.body_key() {
                by_key.entry(key).or_default().push(i);
            }
        }
        let keys: Vec<&str> = {
            let mut k: Vec<&str> = by_key.keys().copied().collect();
            k.sort_unstable();
            k
        };
        let candidates = candidates(entries, &keys, &by_key);
        let mut notes = vec![Vec::new(); entries.len()];
        let mut canonical: HashMap<&str, &str> = HashMap::new();
        for &key in &keys {
            let finals: Vec<&str> = {
                let mut f: Vec<&str> = candidates
                    .get(key)
                    .into_iter()
                    .flatten()
                    .map(|&long| resolve(long, &candidates))
                    .collect();
                f.sort_unstable();
                f.dedup();
                f
            };
            match finals.as_slice() {
                [] => {}
                [one] => {
                    canonical.insert(key, one);
                    for &i in &by_key[key] {
                        notes[i].push(format!(
                        "机关“{}”与“{}”视为同一机关（同一机关的两种写法，报告正文中写出了另一种）",
                        display(entries, &by_key, key),
                        display(entries, &by_key, one)
                    ));
                    }
                }
                many => {
                    let shown: Vec<String> = many
                        .iter()
                        .map(|k| format!("“{}”", display(entries, &by_key, k)))
                        .collect();
                    for &i in &by_key[key] {
                        notes[i].push(format!(
                            "机关“{}”可能是{}中任一个的另一种写法，无法确定，未与它们的报告比对",
                            display(entries, &by_key, key),
                            shown.join("或")
                        ));
                    }
                }
            }
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut names = Vec::new();
        let group = entries
            .iter()
            .map(|e| {
                let key = e.body_key()?;
                let root = canonical.get(key).copied().unwrap_or(key);
                Some(*index.entry(root).or_insert_with(|| {
                    names.push(display(entries, &by_key, root));
                    names.len() - 1
                }))
            })
            .collect();
        Groups {
            group,
            names,
            notes,
        }
    }

    /// For each key, the longer keys it is a shortening of, with a report writing the other form.
    fn candidates<'k, E: Member>(
        entries: &[&E],
        keys: &[&'k str],
        by_key: &HashMap<&str, Vec<usize>>,
    ) -> HashMap<&'k str, Vec<&'k str>> {
        // A shortening keeps the last character: compare only keys ending alike.
        let mut by_last: HashMap<char, Vec<&'k str>> = HashMap::new();
        for &k in keys {
            if let Some(c) = k.chars().last() {
                by_last.entry(c).or_default().push(k);
            }
        }
        let mut out: HashMap<&'k str, Vec<&'k str>> = HashMap::new();
        for bucket in by_last.values() {
            for &short in bucket {
                for &long in bucket {
                    let Some(kind) = names::shortening(short, long) else {
                        continue;
                    };
                    let writes = |key: &str, other: &str| {
                        by_key[key].iter().any(|&i| entries[i].mentions(other))
                    };
                    // The short form's report writes the long form; for an abbreviation, also the
                    // long form's report writing the short one (`以下简称…`).
                    let evidence = writes(short, long)
                        || (kind == Shortening::Abbreviated && writes(long, short));
                    if evidence {
                        out.entry(short).or_default().push(long);
                    }
                }
            }
        }
        out
    }

    /// The key a key finally stands for, following unique shortenings (at most a few steps).
    fn resolve<'k>(key: &'k str, candidates: &HashMap<&'k str, Vec<&'k str>>) -> &'k str {
        let mut at = key;
        for _ in 0..8 {
            match candidates.get(at).map(Vec::as_slice) {
                Some([next]) => at = next,
                _ => break,
            }
        }
        at
    }

    /// A key's body as written by the first of its reports.
    fn display<E: Member>(entries: &[&E], by_key: &HashMap<&str, Vec<usize>>, key: &str) -> String {
        by_key
            .get(key)
            .and_then(|v| v.first())
            .and_then(|&i| entries[i].body())
            .map_or_else(|| key.to_string(), str::to_owned)
    }
}

use group::Groups;
use std::collections::HashMap;

/// Reports grouped by body and year.
pub struct Series<'a, E: Member> {
    entries: Vec<&'a E>,
    groups: Groups,
    /// (group, year) → the entries of that body and year.
    by_year: HashMap<(usize, u32), Vec<usize>>,
}

impl<'a, E: Member> Series<'a, E> {
    pub fn new(entries: Vec<&'a E>) -> Self {
        let groups = group::group(&entries);
        let mut by_year: HashMap<(usize, u32), Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let (Some(g), Some(year)) = (groups.group[i], e.year()) {
                by_year.entry((g, year)).or_default().push(i);
            }
        }
        Self {
            entries,
            groups,
            by_year,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The body a report was grouped under (as written by the group's first report).
    pub fn body(&self, i: usize) -> Option<&str> {
        let g = (*self.groups.group.get(i)?)?;
        self.groups.names.get(g).map(String::as_str)
    }

    /// The entry `i`'s place in its series: (group, year), when both are known.
    fn place(&self, i: usize) -> Option<(usize, u32)> {
        Some((self.groups.group[i]?, self.entries[i].year()?))
    }

    /// The one report of (group, year), if exactly one.
    fn only(&self, at: (usize, u32)) -> Option<usize> {
        match self.by_year.get(&at).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// The report `i` is compared with (the year before), when there is exactly one and `i` is
    /// the only report of its own year.
    pub fn previous(&self, i: usize) -> Option<usize> {
        let (g, year) = self.place(i)?;
        self.only((g, year))?;
        self.only((g, year.checked_sub(1)?))
    }

    /// The report compared with `i` as its previous one.
    pub fn next(&self, i: usize) -> Option<usize> {
        let (g, year) = self.place(i)?;
        self.only((g, year))?;
        self.only((g, year + 1))
    }

    /// Where report `i` stands in its body's series: its previous and next reports, and why
    /// it has no previous one.
    pub fn link(&self, i: usize) -> Outcome {
        let entry = self.entries[i];
        let mut out = Outcome {
            notes: self.groups.notes[i].clone(),
            ..Outcome::default()
        };
        let Some(g) = self.groups.group[i] else {
            out.notes.extend(entry.problems().iter().cloned());
            out.notes.push("发布机关不明，未与其他年度比对".to_string());
            return out;
        };
        let Some(year) = entry.year() else {
            out.notes.extend(entry.problems().iter().cloned());
            out.notes.push("报告年度不明，未与其他年度比对".to_string());
            return out;
        };
        if let Some(same) = self.by_year.get(&(g, year)).filter(|v| v.len() > 1) {
            out.notes.push(format!(
                "{} {year} 年度有 {} 份报告（{}），无法确定是哪一份，未与相邻年度比对",
                self.groups.names[g],
                same.len(),
                self.names(same)
            ));
            return out;
        }
        out.next = self.only((g, year + 1));
        match self.by_year.get(&(g, year - 1)).map(Vec::as_slice) {
            Some([one]) => out.previous = Some(*one),
            Some(many) => out.notes.push(format!(
                "{} {} 年度有 {} 份报告（{}），无法确定与哪一份比对",
                self.groups.names[g],
                year - 1,
                many.len(),
                self.names(many)
            )),
            None => out.notes.push(self.missing_previous(g, year)),
        }
        out
    }

    fn names(&self, indices: &[usize]) -> String {
        let names: Vec<&str> = indices.iter().map(|&i| self.entries[i].name()).collect();
        names.join("、")
    }

    fn missing_previous(&self, g: usize, year: u32) -> String {
        let mut years: Vec<u32> = self
            .by_year
            .keys()
            .filter(|(group, y)| *group == g && *y != year)
            .map(|&(_, y)| y)
            .collect();
        years.sort_unstable();
        if years.is_empty() {
            return format!("没有{}其他年度的报告一起检查", self.groups.names[g]);
        }
        let listed: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        format!(
            "没有{} {} 年度的报告一起检查（一起检查的有 {} 年度），未与上年比对",
            self.groups.names[g],
            year - 1,
            listed.join("、")
        )
    }
}
