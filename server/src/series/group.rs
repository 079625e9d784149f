//! Which reports are the same body's: equal name keys ([`names::key`]), or two keys one of which
//! is a shortening of the other ([`names::shortening`]) when a report writes the other form
//! itself — `real/001` is titled 洪泽区人民政府 and its opening names 淮安市洪泽区人民政府办公室,
//! the body `real/002` is titled by. A shortening that could stand for two bodies joins neither.

use std::collections::HashMap;

use super::Member;
use super::names::{self, Shortening};

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
                let evidence =
                    writes(short, long) || (kind == Shortening::Abbreviated && writes(long, short));
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
