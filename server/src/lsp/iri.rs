//! Document URIs as clients write them. A hand-written client or script may send
//! `file:///…/2020年政府信息公开工作年度报告.txt` with the Chinese name unencoded (an IRI), which
//! the LSP types refuse to parse: the document would be ignored. So every `uri` the client
//! sends is percent-encoded on the way in when it needs to be ([`encode_incoming`]), the pair
//! is remembered, and everything the server writes back carries the string the client sent
//! ([`restore`], applied to every frame by [`super::outbox`]): diagnostics are published under
//! exactly that URI.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::Value;

/// Encoded URI → the string the client sent.
#[derive(Default)]
pub struct Iris {
    map: Mutex<HashMap<String, String>>,
}

impl Iris {
    pub(super) fn remember(&self, encoded: &str, original: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.insert(encoded.to_owned(), original.to_owned());
        }
    }

    /// `(encoded, original)` of every URI rewritten so far.
    pub(super) fn pairs(&self) -> Vec<(String, String)> {
        self.map
            .lock()
            .map(|m| m.iter().map(|(a, b)| (a.clone(), b.clone())).collect())
            .unwrap_or_default()
    }
}

/// `uri` percent-encoded where it holds what a URI may not (non-ASCII, spaces, quotes…);
/// `None` when it is a URI already. A `%` is left as it is: the name may be encoded in part.
pub fn encode(uri: &str) -> Option<String> {
    let needs = |b: u8| {
        !b.is_ascii()
            || b <= b' '
            || matches!(
                b,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' | 0x7f
            )
    };
    if !uri.bytes().any(needs) {
        return None;
    }
    let mut out = String::with_capacity(uri.len() * 3);
    for b in uri.bytes() {
        if needs(b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    Some(out)
}

/// The body with every `uri` string it holds encoded where needed, remembered in `iris`;
/// `None` when nothing needed it (the common case: answered without parsing the body twice).
pub fn encode_incoming(body: &[u8], iris: &Iris) -> Option<Vec<u8>> {
    if !has_raw_uri(body) {
        return None;
    }
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let mut changed = false;
    walk(&mut value, iris, &mut changed);
    if !changed {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

fn walk(value: &mut Value, iris: &Iris, changed: &mut bool) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "uri"
                    && let Value::String(s) = v
                    && let Some(encoded) = encode(s)
                {
                    iris.remember(&encoded, s);
                    *s = encoded;
                    *changed = true;
                } else {
                    walk(v, iris, changed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, iris, changed)),
        _ => {}
    }
}

/// A cheap look at the raw JSON: a `"uri"` key whose string value holds a byte that a URI may
/// not hold. (Report text is full of non-ASCII; a URI almost never is.)
fn has_raw_uri(body: &[u8]) -> bool {
    let mut rest = body;
    while let Some(at) = find(rest, b"\"uri\"") {
        rest = &rest[at + 5..];
        let mut i = 0;
        while i < rest.len() && matches!(rest[i], b' ' | b'\t' | b'\r' | b'\n' | b':') {
            i += 1;
        }
        if rest.get(i) != Some(&b'"') {
            continue;
        }
        i += 1;
        while i < rest.len() && rest[i] != b'"' {
            let b = rest[i];
            if b == b'\\' {
                return true; // an escape may stand for anything: look closer
            }
            if !b.is_ascii() || b == b' ' {
                return true;
            }
            i += 1;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The body with every encoded URI the client did not send written back as it was sent.
pub(super) fn restore(body: &[u8], pairs: &[(String, String)]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (encoded, original) in pairs {
        let quoted = format!("\"{encoded}\"");
        let current = out.as_deref().unwrap_or(body);
        if find(current, quoted.as_bytes()).is_none() {
            continue;
        }
        let Ok(replacement) = serde_json::to_string(original) else {
            continue;
        };
        let mut next = Vec::with_capacity(current.len() + 16);
        let mut rest = current;
        while let Some(at) = find(rest, quoted.as_bytes()) {
            next.extend_from_slice(&rest[..at]);
            next.extend_from_slice(replacement.as_bytes());
            rest = &rest[at + quoted.len()..];
        }
        next.extend_from_slice(rest);
        out = Some(next);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_uri_may_not_hold_is_encoded() {
        assert_eq!(encode("file:///work/a.txt"), None);
        assert_eq!(encode("file:///work/%E6%B7%AE.txt"), None);
        assert_eq!(
            encode("file:///work/淮安 报告.txt").as_deref(),
            Some("file:///work/%E6%B7%AE%E5%AE%89%20%E6%8A%A5%E5%91%8A.txt")
        );
    }

    #[test]
    fn incoming_uris_are_encoded_and_outgoing_ones_restored() {
        let iris = Iris::default();
        let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w/年报.txt","languageId":"nianbao","version":1,"text":"一、总体情况"}}}"#;
        let encoded = encode_incoming(body.as_bytes(), &iris).expect("rewritten");
        let value: Value = serde_json::from_slice(&encoded).expect("json");
        assert_eq!(
            value["params"]["textDocument"]["uri"],
            "file:///w/%E5%B9%B4%E6%8A%A5.txt"
        );
        assert_eq!(value["params"]["textDocument"]["text"], "一、总体情况");
        // A URI already encoded, and report text that is not a URI, pass untouched.
        let plain = r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///w/a.txt","version":2},"contentChanges":[{"text":"二、\"uri\": 年报"}]}}"#;
        assert_eq!(encode_incoming(plain.as_bytes(), &iris), None);
        let out = r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///w/%E5%B9%B4%E6%8A%A5.txt","diagnostics":[]}}"#;
        let restored = restore(out.as_bytes(), &iris.pairs()).expect("restored");
        let value: Value = serde_json::from_slice(&restored).expect("json");
        assert_eq!(value["params"]["uri"], "file:///w/年报.txt");
    }
}
