//! unicode-normalization's NFKC of every character it changes, as JSON.

use std::io::Write;

use unicode_normalization::UnicodeNormalization;

fn main() {
    let mut entries = Vec::new();
    for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
        let nfkc: Vec<u32> = std::iter::once(c).nfkc().map(u32::from).collect();
        if nfkc != [u32::from(c)] {
            let points: Vec<String> = nfkc.iter().map(u32::to_string).collect();
            entries.push(format!("[{},[{}]]", u32::from(c), points.join(",")));
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "[{}]", entries.join(","));
}
