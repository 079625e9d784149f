//! The reports of the workspace as the series checks see them: one [`Entry`] per report file read
//! from disk by the indexer, and one per open document, which wins over the file. Owned by the
//! documents thread.
//!
//! Which report is whose previous one (grouping by body and year) is recomputed only when an
//! identity changes; an edit that keeps the body and year re-compares only the edited report
//! with its previous one and the next year's report with it.

use std::collections::HashMap;
use std::sync::Arc;

use tower_lsp_server::ls_types::Uri;

use crate::diagnostics::Diagnostic;
use crate::series::{self, Entry, Series};

/// How a document or file is keyed: its file-system path for `file:` URIs (the client's spelling
/// of the URI and the indexer's may differ), else the URI itself.
pub fn key_of(uri: &Uri) -> String {
    if uri.scheme().as_str().eq_ignore_ascii_case("file")
        && let Some(path) = uri.to_file_path()
    {
        return path.to_string_lossy().into_owned();
    }
    uri.as_str().to_string()
}

/// The file-system path of a `file:` URI.
pub fn file_path(uri: &Uri) -> Option<std::path::PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

/// The file name of a key, for the identity (`None` for a non-file URI).
pub fn file_name(key: &str) -> Option<&str> {
    (!key.contains("://") && !key.starts_with("untitled:")).then_some(key)
}

/// Each report's place in its series, for the current identities.
#[derive(Default)]
struct Links {
    previous: HashMap<String, String>,
    next: HashMap<String, String>,
    notes: HashMap<String, Vec<String>>,
}

/// What the series pass says about one open report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    pub diagnostics: Vec<Diagnostic>,
    /// The key of the report compared as the year before.
    pub previous: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Default)]
pub struct Workspace {
    disk: HashMap<String, Arc<Entry>>,
    open: HashMap<String, Arc<Entry>>,
    /// `None` after an identity changed.
    links: Option<Links>,
}

/// What grouping depends on.
fn same_identity(a: &Entry, b: &Entry) -> bool {
    a.body_key == b.body_key && a.year() == b.year() && a.mentions_text() == b.mentions_text()
}

impl Workspace {
    /// The entry in force for `key`: the open document's, else the file's.
    pub fn entry(&self, key: &str) -> Option<&Arc<Entry>> {
        self.open.get(key).or_else(|| self.disk.get(key))
    }

    fn replace(&mut self, key: &str, before: Option<Arc<Entry>>) {
        let now = self.entry(key);
        let unchanged = match (before.as_deref(), now.map(Arc::as_ref)) {
            (Some(a), Some(b)) => same_identity(a, b),
            (None, None) => true,
            _ => false,
        };
        if !unchanged {
            self.links = None;
        }
    }

    pub fn set_open(&mut self, key: String, entry: Arc<Entry>) {
        let before = self.entry(&key).cloned();
        self.open.insert(key.clone(), entry);
        self.replace(&key, before);
    }

    pub fn close(&mut self, key: &str) {
        let before = self.entry(key).cloned();
        self.open.remove(key);
        self.replace(key, before);
    }

    /// A file read from disk (`None`: deleted, or not a report).
    pub fn set_disk(&mut self, key: String, entry: Option<Arc<Entry>>) {
        let before = self.entry(&key).cloned();
        match entry {
            Some(e) => self.disk.insert(key.clone(), e),
            None => self.disk.remove(&key),
        };
        self.replace(&key, before);
    }

    fn links(&mut self) -> &Links {
        if self.links.is_none() {
            self.links = Some(self.compute_links());
        }
        self.links.get_or_insert_with(Links::default)
    }

    fn compute_links(&self) -> Links {
        let keys: Vec<&String> = self
            .open
            .keys()
            .chain(self.disk.keys().filter(|k| !self.open.contains_key(*k)))
            .collect();
        let entries: Vec<&Entry> = keys
            .iter()
            .filter_map(|k| self.entry(k).map(Arc::as_ref))
            .collect();
        let series = Series::new(entries);
        let mut links = Links::default();
        for (i, key) in keys.iter().enumerate() {
            let link = series.link(i);
            if let Some(p) = link.previous {
                links.previous.insert((*key).clone(), keys[p].clone());
            }
            if let Some(n) = link.next {
                links.next.insert((*key).clone(), keys[n].clone());
            }
            links.notes.insert((*key).clone(), link.notes);
        }
        links
    }

    /// The reports whose findings may change when `key` changes: itself and the next year's.
    pub fn next_of(&mut self, key: &str) -> Option<String> {
        self.links().next.get(key).cloned()
    }

    /// Compares the report `key` with its previous one.
    pub fn view(&mut self, key: &str) -> View {
        let links = self.links();
        let previous = links.previous.get(key).cloned();
        let mut notes = links.notes.get(key).cloned().unwrap_or_default();
        let mut diagnostics = Vec::new();
        if let (Some(p), Some(current)) = (&previous, self.entry(key))
            && let Some(before) = self.entry(p)
        {
            let (found, more) = series::compare(before, current);
            diagnostics = found;
            notes.extend(more);
        }
        View {
            diagnostics,
            previous,
            notes,
        }
    }
}
