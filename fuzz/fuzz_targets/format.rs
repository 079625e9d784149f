//! The formatter's three properties on arbitrary text, as assertions:
//! 1. lossless: only whitespace changes;
//! 2. analysis-preserving: same template, same diagnostics (code, severity, message);
//! 3. idempotent: formatting the output changes nothing.
//!
//! The formatter checks all three itself on every call and refuses (returns the text unchanged)
//! when one fails; a refusal is a planner bug, so it fails here. Every input also checks
//! losslessness and that the minimal edits handed to editors give the output; one input in four
//! checks 2 and 3 again independently of the formatter, and range formatting.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nianbao::analysis::{Config, analyze};
use nianbao::fix::apply_edits;
use nianbao::format::{
    format_range_with, format_unchecked, format_with, same_analysis, same_visible,
};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;
    let config = Config::default();
    // No refusal: the formatter's own checks (lossless, same analysis, a pass over its output
    // changes nothing) all held.
    let formatted = format_with(text, &config);
    assert_eq!(
        formatted.refused, None,
        "the formatter refused (a property of the planned layout failed)"
    );
    let out = &formatted.text;
    assert!(same_visible(text, out), "not lossless");
    assert_eq!(&apply_edits(text, formatted.edits.clone()), out, "edits");

    // One input in four: the properties again, checked here independently of the formatter,
    // and range formatting (each costs several more analyses).
    if data.first().is_some_and(|b| b & 3 != 0) {
        return;
    }
    let before = analyze(text, &config);
    let after = analyze(out, &config);
    assert!(same_analysis(&before, &after), "analysis changed");
    assert_eq!(&format_unchecked(out, &config), out, "not idempotent");
    // A range: from a quarter to a half of the text, on character boundaries.
    let start = floor(text, text.len() / 4);
    let end = floor(text, text.len() / 2);
    let ranged = format_range_with(text, start..end, &config);
    assert_eq!(ranged.refused, None, "range formatting refused");
    assert!(same_visible(text, &ranged.text), "range: not lossless");
    assert_eq!(apply_edits(text, ranged.edits), ranged.text, "range edits");
});

fn floor(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
