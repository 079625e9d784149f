//! Each open document's configuration: the `nianbao.toml` nearest above its file, under the
//! editor's settings (which win), as on the command line. The file is found once per directory
//! and read again when it changes (its modification time), so editing `nianbao.toml` takes effect
//! at the next analysis without a restart. A file with mistakes is reported once (the editor
//! shows it) and left out until it is mended.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::analysis::Config;
use crate::config::{self, FileConfig, Overrides};

/// What was found for one directory.
struct Found {
    /// The `nianbao.toml` that applies, with its modification time when read.
    file: Option<(PathBuf, Option<SystemTime>)>,
    config: Arc<Config>,
}

/// The configurations of the documents, cached per directory.
#[derive(Default)]
pub struct Configs {
    overrides: Overrides,
    /// Directory → what applies there.
    found: HashMap<PathBuf, Found>,
    /// The configuration of a document that is no file (`untitled:`), and the fallback.
    plain: Option<Arc<Config>>,
    /// Files whose mistakes were reported, with the time they had then.
    reported: HashMap<PathBuf, Option<SystemTime>>,
}

impl Configs {
    /// New editor settings: every configuration is worked out again.
    pub fn set_overrides(&mut self, overrides: Overrides) {
        self.overrides = overrides;
        self.found.clear();
        self.plain = None;
    }

    /// The configuration of a document at `path` (`None`: not a file), and a message when its
    /// `nianbao.toml` has mistakes that were not reported yet.
    pub fn for_path(&mut self, path: Option<&Path>) -> (Arc<Config>, Option<String>) {
        let Some(dir) = path.and_then(Path::parent) else {
            return (self.plain(), None);
        };
        if let Some(found) = self.found.get(dir)
            && Self::still_valid(dir, found)
        {
            return (found.config.clone(), None);
        }
        let (found, problem) = self.read(dir);
        let config = found.config.clone();
        self.found.insert(dir.to_path_buf(), found);
        (config, problem)
    }

    fn plain(&mut self) -> Arc<Config> {
        self.plain
            .get_or_insert_with(|| Arc::new(FileConfig::default().apply(&self.overrides)))
            .clone()
    }

    /// Whether a cached answer for `dir` still holds: the same file, unchanged (a file added
    /// in between is seen by looking again where none was found).
    fn still_valid(dir: &Path, found: &Found) -> bool {
        match &found.file {
            Some((path, modified)) => modified_time(path) == *modified,
            None => config::discover(dir).is_none(),
        }
    }

    fn read(&mut self, dir: &Path) -> (Found, Option<String>) {
        let Some(path) = config::discover(dir) else {
            return (
                Found {
                    file: None,
                    config: self.plain(),
                },
                None,
            );
        };
        let modified = modified_time(&path);
        match config::load(&path) {
            Ok(file) => {
                self.reported.remove(&path);
                (
                    Found {
                        file: Some((path, modified)),
                        config: Arc::new(file.apply(&self.overrides)),
                    },
                    None,
                )
            }
            Err(reason) => {
                let new = self.reported.get(&path) != Some(&modified);
                self.reported.insert(path.clone(), modified);
                (
                    Found {
                        file: Some((path, modified)),
                        config: self.plain(),
                    },
                    new.then(|| format!("{reason}（此配置文件暂不生效，改正后自动生效）")),
                )
            }
        }
    }
}

fn modified_time(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Severity};

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("nianbao-configs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(dir.join("sub"));
        dir
    }

    #[test]
    fn the_nearest_file_under_the_editor_settings_and_changes_seen() {
        let dir = scratch("nearest");
        let report = dir.join("sub/2024.txt");
        let mut configs = Configs::default();
        let (c, problem) = configs.for_path(Some(&report));
        assert!(c.severity.is_empty() && problem.is_none());

        let _ = std::fs::write(
            dir.join(config::FILE_NAME),
            "[severity]\nnumber-format = \"off\"\ncell-empty = \"hint\"\n",
        );
        let (c, _) = configs.for_path(Some(&report));
        assert_eq!(c.severity.get(&Code::NumberFormat), Some(&None));

        configs.set_overrides(Overrides {
            template: None,
            severity: [(Code::CellEmpty, Some(Severity::Error))].into(),
        });
        let (c, _) = configs.for_path(Some(&report));
        assert_eq!(
            c.severity.get(&Code::CellEmpty),
            Some(&Some(Severity::Error))
        );
        assert_eq!(c.severity.get(&Code::NumberFormat), Some(&None));

        // A mistake: reported once, the file left out meanwhile.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let _ = std::fs::write(dir.join(config::FILE_NAME), "templat = \"2021\"\n");
        let (c, problem) = configs.for_path(Some(&report));
        assert!(problem.is_some_and(|p| p.contains("未知的配置项“templat”")));
        assert_eq!(c.severity.get(&Code::NumberFormat), None);
        configs.found.clear();
        let (_, again) = configs.for_path(Some(&report));
        assert!(again.is_none(), "reported once");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
