//! Which reports are the same body's: equal name keys ([`names::key`]), or two keys one of which
//! is a shortening of the other ([`names::shortening`]) when a report writes the other form
//! itself — `real/001` is titled 洪泽区人民政府 and its opening names 淮安市洪泽区人民政府办公室,
//! the body `real/002` is titled by. A shortening that could stand for two bodies joins neither.
//!
//! Kept compact, for a national batch: a few bytes per report (its key's number, its year, its
//! place in the by-year order) and the distinct keys; what is read of a report only now and then
//! (its name, its body as written, its problems, its opening text) is asked of a [`Lookup`],
//! which may read it from disk.

use std::collections::HashMap;

use super::names::{self, Shortening};

/// "None" in the compact per-report columns.
const NONE: u32 = u32::MAX;

/// What grouping and linking read of a report now and then, by its index (the order the
/// reports were pushed to the [`Builder`]).
pub trait Lookup {
    /// How the caller names the report ([`super::Entry::name`]).
    fn name(&self, i: usize) -> String;
    /// The body as read ([`super::Identity::body`]).
    fn body(&self, i: usize) -> Option<String>;
    /// Why the body or the year is unknown ([`super::Identity::problems`]).
    fn problems(&self, i: usize) -> Vec<String>;
    /// Whether the text before section 二 writes `key` (a matching key).
    fn mentions(&self, i: usize, key: &str) -> bool;
}

/// Collects the reports' keys and years, one report at a time, in index order.
#[derive(Default)]
pub struct Builder {
    /// Distinct keys → their number.
    keys: HashMap<Box<str>, u32>,
    /// Per key: its first report.
    first: Vec<u32>,
    /// Per report: its key's number, or [`NONE`].
    key: Vec<u32>,
    /// Per report: its year, or [`NONE`].
    year: Vec<u32>,
}

impl Builder {
    /// For `n` reports (sized once: growing by doubling would hold two copies at once).
    pub fn with_capacity(n: usize) -> Self {
        Builder {
            key: Vec::with_capacity(n),
            year: Vec::with_capacity(n),
            ..Builder::default()
        }
    }

    /// How many reports were pushed.
    pub fn len(&self) -> usize {
        self.key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// The next report: its body's key and its year, when known. (A year of `u32::MAX`, which
    /// no report states, is taken as unknown.)
    pub fn push(&mut self, key: Option<&str>, year: Option<u32>) {
        let index = to_u32(self.key.len());
        let id = match key {
            None => NONE,
            Some(key) => match self.keys.get(key) {
                Some(&id) => id,
                None => {
                    let id = to_u32(self.first.len());
                    self.keys.insert(key.into(), id);
                    self.first.push(index);
                    id
                }
            },
        };
        self.key.push(id);
        self.year.push(year.unwrap_or(NONE));
    }

    /// Groups the reports by body and orders them by body and year.
    pub fn finish(self, lookup: &impl Lookup) -> Index {
        let Builder {
            keys,
            first,
            key,
            year,
        } = self;
        // Every key by its number.
        let mut text: Vec<&str> = vec![""; first.len()];
        for (k, &id) in &keys {
            text[id as usize] = k;
        }
        // The reports of each key, in index order (offsets into `members`).
        let mut start = vec![0u32; first.len() + 1];
        for &k in key.iter().filter(|&&k| k != NONE) {
            start[k as usize + 1] += 1;
        }
        for k in 0..first.len() {
            start[k + 1] += start[k];
        }
        let mut members = vec![0u32; start[first.len()] as usize];
        let mut fill = start.clone();
        for (i, &k) in key.iter().enumerate() {
            if k != NONE {
                members[fill[k as usize] as usize] = to_u32(i);
                fill[k as usize] += 1;
            }
        }
        drop(fill);
        let of = |k: u32| &members[start[k as usize] as usize..start[k as usize + 1] as usize];
        let display = |k: u32| {
            lookup
                .body(first[k as usize] as usize)
                .unwrap_or_else(|| text[k as usize].to_owned())
        };
        let mut sorted: Vec<u32> = (0..to_u32(first.len())).collect();
        sorted.sort_unstable_by(|&a, &b| text[a as usize].cmp(text[b as usize]));
        let candidates = candidates(&sorted, &text, |k, other| {
            of(k).iter().any(|&i| lookup.mentions(i as usize, other))
        });
        let mut notes: HashMap<u32, Vec<String>> = HashMap::new();
        // Per key: the key it stands for.
        let mut root: Vec<u32> = (0..to_u32(first.len())).collect();
        for &k in &sorted {
            let finals: Vec<u32> = {
                let mut f: Vec<u32> = candidates
                    .get(&k)
                    .into_iter()
                    .flatten()
                    .map(|&long| resolve(long, &candidates))
                    .collect();
                f.sort_unstable_by(|&a, &b| text[a as usize].cmp(text[b as usize]));
                f.dedup();
                f
            };
            match finals.as_slice() {
                [] => {}
                [one] => {
                    root[k as usize] = *one;
                    notes.entry(k).or_default().push(format!(
                        "机关“{}”与“{}”视为同一机关（同一机关的两种写法，报告正文中写出了另一种）",
                        display(k),
                        display(*one)
                    ));
                }
                many => {
                    let shown: Vec<String> =
                        many.iter().map(|&k| format!("“{}”", display(k))).collect();
                    notes.entry(k).or_default().push(format!(
                        "机关“{}”可能是{}中任一个的另一种写法，无法确定，未与它们的报告比对",
                        display(k),
                        shown.join("或")
                    ));
                }
            }
        }
        // Groups numbered in the order of their first report.
        let mut group_of_root = vec![NONE; first.len()];
        let mut names = Vec::new();
        for &k in key.iter().filter(|&&k| k != NONE) {
            let r = root[k as usize] as usize;
            if group_of_root[r] == NONE {
                group_of_root[r] = to_u32(names.len());
                names.push(display(to_u32(r)));
            }
        }
        let group: Vec<u32> = root.iter().map(|&r| group_of_root[r as usize]).collect();
        drop((members, start, keys));
        let mut index = Index {
            key,
            year,
            group,
            names,
            notes,
            order: Vec::new(),
        };
        let mut order: Vec<u32> = (0..index.key.len())
            .filter(|&i| index.place(i).is_some())
            .map(to_u32)
            .collect();
        order.sort_unstable_by_key(|&i| (index.place(i as usize), i));
        index.order = order;
        index
    }
}

/// Reports grouped by body, and ordered by body and year.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Per report: its key's number, or [`NONE`].
    key: Vec<u32>,
    /// Per report: its year, or [`NONE`].
    year: Vec<u32>,
    /// Per key: its group (an index into `names`).
    group: Vec<u32>,
    /// Each group's body, as the first report of its key writes it.
    names: Vec<String>,
    /// Notes on how the reports of a key were grouped (a name read as another body's, or not),
    /// in Chinese; most keys have none.
    notes: HashMap<u32, Vec<String>>,
    /// The reports whose body and year are known, by (group, year, index).
    order: Vec<u32>,
}

impl Index {
    pub fn len(&self) -> usize {
        self.key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// The group of report `i`, when its body is known.
    pub fn group(&self, i: usize) -> Option<usize> {
        let k = *self.key.get(i)?;
        (k != NONE).then(|| self.group[k as usize] as usize)
    }

    /// The year of report `i`, when known.
    pub fn year(&self, i: usize) -> Option<u32> {
        self.year.get(i).copied().filter(|&y| y != NONE)
    }

    /// Group `g`'s body.
    pub fn name(&self, g: usize) -> Option<&str> {
        self.names.get(g).map(String::as_str)
    }

    /// How report `i` was grouped.
    pub fn notes(&self, i: usize) -> &[String] {
        self.key
            .get(i)
            .and_then(|k| self.notes.get(k))
            .map_or(&[], Vec::as_slice)
    }

    /// Report `i`'s place: (group, year), when both are known.
    pub fn place(&self, i: usize) -> Option<(usize, u32)> {
        Some((self.group(i)?, self.year(i)?))
    }

    /// The reports of (group, year), in index order.
    pub fn of(&self, at: (usize, u32)) -> &[u32] {
        let place = |&i: &u32| self.place(i as usize);
        let from = self.order.partition_point(|i| place(i) < Some(at));
        let to = self.order.partition_point(|i| place(i) <= Some(at));
        &self.order[from..to]
    }

    /// The years of group `g`'s reports, in order, each once.
    pub fn years(&self, g: usize) -> Vec<u32> {
        let group = |&i: &u32| self.group(i as usize);
        let from = self.order.partition_point(|i| group(i) < Some(g));
        let to = self.order.partition_point(|i| group(i) <= Some(g));
        let mut years: Vec<u32> = self.order[from..to]
            .iter()
            .filter_map(|&i| self.year(i as usize))
            .collect();
        years.dedup();
        years
    }
}

fn to_u32(n: usize) -> u32 {
    // A batch of four billion reports is out of reach of everything else first.
    u32::try_from(n).unwrap_or(NONE - 1)
}

/// For each key, the longer keys it is a shortening of, with a report writing the other form
/// (`writes(k, other)`: a report of key `k` writes `other`). `sorted`: the keys' numbers in the
/// order of their text.
fn candidates(
    sorted: &[u32],
    text: &[&str],
    writes: impl Fn(u32, &str) -> bool,
) -> HashMap<u32, Vec<u32>> {
    // A shortening keeps the last character: compare only keys ending alike.
    let mut by_last: HashMap<char, Vec<u32>> = HashMap::new();
    for &k in sorted {
        if let Some(c) = text[k as usize].chars().last() {
            by_last.entry(c).or_default().push(k);
        }
    }
    let mut out: HashMap<u32, Vec<u32>> = HashMap::new();
    for bucket in by_last.values() {
        for &short in bucket {
            for &long in bucket {
                let (s, l) = (text[short as usize], text[long as usize]);
                let Some(kind) = names::shortening(s, l) else {
                    continue;
                };
                // The short form's report writes the long form; for an abbreviation, also the
                // long form's report writing the short one (`以下简称…`).
                let evidence =
                    writes(short, l) || (kind == Shortening::Abbreviated && writes(long, s));
                if evidence {
                    out.entry(short).or_default().push(long);
                }
            }
        }
    }
    out
}

/// The key a key finally stands for, following unique shortenings (at most a few steps).
fn resolve(key: u32, candidates: &HashMap<u32, Vec<u32>>) -> u32 {
    let mut at = key;
    for _ in 0..8 {
        match candidates.get(&at).map(Vec::as_slice) {
            Some([next]) => at = *next,
            _ => break,
        }
    }
    at
}
