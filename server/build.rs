//! Build-time work on the data files of `data/`:
//! - embeds every official format in `data/templates/*.toml` (file-name order, so `f2019` before
//!   `f2021`): a new template year is a new data file, nothing else;
//! - with the feature `json-data` and without `toml` (which reads them at run time), converts the
//!   data files `data/**/*.toml` to JSON in `OUT_DIR` (`data/statute.toml` →
//!   `$OUT_DIR/data/statute.json`), and the templates are embedded as that JSON: the web page's
//!   engine then needs no TOML parser (see Cargo.toml and `src/data.rs`).

use std::fmt::Write as _;
use std::path::Path;

/// Whether the data files are embedded as JSON.
const JSON: bool = cfg!(feature = "json-data") && !cfg!(feature = "toml");

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    #[cfg(feature = "json-data")]
    if JSON {
        json::convert_all(Path::new(&out_dir)).unwrap_or_else(|e| panic!("data/: {e}"));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/templates");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut out =
        String::from("/// (path, text) of each embedded template file, in file-name order.\n");
    let _ = writeln!(out, "const EMBEDDED: [(&str, &str); {}] = [", files.len());
    for path in &files {
        println!("cargo::rerun-if-changed={}", path.display());
        let name = path
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
            .to_string();
        let embedded = if JSON {
            Path::new(&out_dir)
                .join(&name)
                .with_extension("json")
                .display()
                .to_string()
        } else {
            path.display().to_string()
        };
        let _ = writeln!(out, "    ({name:?}, include_str!({embedded:?})),");
    }
    out.push_str("];\n");
    let target = Path::new(&out_dir).join("templates.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

#[cfg(feature = "json-data")]
mod json {
    use std::error::Error;
    use std::fmt::Write;
    use std::path::Path;

    use toml_edit::{Document, Item, Table, Value};

    pub fn convert_all(out_dir: &Path) -> Result<(), Box<dyn Error>> {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        println!("cargo::rerun-if-changed={}", data.display());
        convert_dir(&data, &out_dir.join("data"))
    }

    fn convert_dir(dir: &Path, out: &Path) -> Result<(), Box<dyn Error>> {
        std::fs::create_dir_all(out)?;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let Some(name) = path.file_name() else {
                continue;
            };
            if path.is_dir() {
                convert_dir(&path, &out.join(name))?;
            } else if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path)?;
                let document = Document::parse(text.as_str())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let mut json = String::new();
                table(document.as_table(), &mut json)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                std::fs::write(out.join(Path::new(name).with_extension("json")), json)?;
            }
        }
        Ok(())
    }

    fn table(t: &Table, out: &mut String) -> Result<(), String> {
        out.push('{');
        for (i, (key, item)) in t.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            string(key, out);
            out.push(':');
            match item {
                Item::None => out.push_str("null"),
                Item::Value(v) => value(v, out)?,
                Item::Table(t) => table(t, out)?,
                Item::ArrayOfTables(tables) => {
                    out.push('[');
                    for (j, t) in tables.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        table(t, out)?;
                    }
                    out.push(']');
                }
            }
        }
        out.push('}');
        Ok(())
    }

    /// The same value in JSON. A TOML date-time has no JSON form that the crate's types would
    /// read the same way, so it is refused (the data files have none).
    fn value(v: &Value, out: &mut String) -> Result<(), String> {
        match v {
            Value::String(s) => string(s.value(), out),
            Value::Integer(i) => out.push_str(&i.value().to_string()),
            Value::Float(f) if f.value().is_finite() => {
                let _ = write!(out, "{:?}", f.value());
            }
            Value::Float(f) => return Err(format!("{} has no JSON form", f.value())),
            Value::Boolean(b) => out.push_str(if *b.value() { "true" } else { "false" }),
            Value::Datetime(d) => return Err(format!("date-time {} is not supported", d.value())),
            Value::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    value(v, out)?;
                }
                out.push(']');
            }
            Value::InlineTable(t) => {
                out.push('{');
                for (i, (key, v)) in t.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    string(key, out);
                    out.push(':');
                    value(v, out)?;
                }
                out.push('}');
            }
        }
        Ok(())
    }

    fn string(s: &str, out: &mut String) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}
