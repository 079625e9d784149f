//! The embedded data files of `data/` — the statute and the deadlines here, the templates by
//! build.rs (`template::EMBEDDED`) — and how they are parsed. With the feature `toml` (default)
//! they are embedded as written and parsed as TOML; with only `json-data` (the web page's engine),
//! build.rs has converted them to JSON, which is embedded and parsed instead: the same values into
//! the same types, without a TOML parser. (So there, `template::register` takes a format's JSON.)

use serde::de::DeserializeOwned;

#[cfg(not(any(feature = "toml", feature = "json-data")))]
compile_error!("nianbao needs the feature `toml` (default) or `json-data` to read its data files");

/// Embeds `data/NAME.toml`, or its JSON conversion without the feature `toml`.
macro_rules! data_file {
    ($name:literal) => {{
        #[cfg(feature = "toml")]
        let text = include_str!(concat!("../data/", $name, ".toml"));
        #[cfg(not(feature = "toml"))]
        let text = include_str!(concat!(env!("OUT_DIR"), "/data/", $name, ".json"));
        text
    }};
}

/// `data/statute.toml`.
pub(crate) const STATUTE: &str = data_file!("statute");
/// `data/deadlines.toml`.
pub(crate) const DEADLINES: &str = data_file!("deadlines");
/// `data/legacy.toml`.
pub(crate) const LEGACY: &str = data_file!("legacy");

/// Parses a data file's text as embedded (TOML, or its JSON conversion without the feature `toml`).
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    #[cfg(feature = "toml")]
    return toml::from_str(text).map_err(|e| e.to_string());
    #[cfg(not(feature = "toml"))]
    return serde_json::from_str(text).map_err(|e| e.to_string());
}
