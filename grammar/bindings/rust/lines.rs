//! The block grammar's lines without its parser: the external scanner (`src/scanner.c`), which
//! decides every line's kind, driven directly over a text.
//!
//! Every token of the block grammar is a line from the scanner, and the grammar only groups them
//! (sections, tables), so the parser's one contribution to the kinds is the valid symbols it
//! hands the scanner: a title is valid only before the first heading, a continuation only
//! directly after a cell line or a continuation, every other line kind always. [`scan`] keeps
//! exactly that state, and reads a report's lines in about a sixth of a full parse's time — for a
//! reader that needs the kinds and not the tree (a batch of files, which never edits them).
//! [`LineScanner`] reads from any line start in a given [`ScanState`], a line at a time: an editor
//! reads again only the lines an edit may have changed.
//! `server/src/syntax` tests that the two agree on any text.

use std::ffi::c_void;

/// A line token, as the scanner's `enum TokenType` numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineToken {
    Title,
    Heading,
    Subheading,
    Paragraph,
    PageNumber,
    TableRow,
    CellLine,
    Continuation,
}

impl LineToken {
    const ALL: [LineToken; 8] = [
        LineToken::Title,
        LineToken::Heading,
        LineToken::Subheading,
        LineToken::Paragraph,
        LineToken::PageNumber,
        LineToken::TableRow,
        LineToken::CellLine,
        LineToken::Continuation,
    ];
}

// The scanner's token numbers (`enum TokenType` in src/scanner.c).
const TITLE: usize = 0;
const HEADING: u16 = 1;
const CELL_LINE: u16 = 6;
const CONTINUATION: usize = 7;
const BLANK_LINE: u16 = 8;
const ERROR_SENTINEL: usize = 9;
const TOKENS: usize = 10;

/// `TSLexer` of `src/tree_sitter/parser.h` (tree-sitter 0.27), field for field.
#[repr(C)]
struct TsLexer {
    lookahead: i32,
    result_symbol: u16,
    advance: unsafe extern "C" fn(*mut TsLexer, bool),
    mark_end: unsafe extern "C" fn(*mut TsLexer),
    get_column: unsafe extern "C" fn(*mut TsLexer) -> u32,
    is_at_included_range_start: unsafe extern "C" fn(*const TsLexer) -> bool,
    eof: unsafe extern "C" fn(*const TsLexer) -> bool,
    /// Variadic in C; the scanner never logs, so it stays null.
    log: *const c_void,
}

/// The lexer the scanner is given: `TsLexer` first, so that the pointer it passes back to the
/// callbacks is a pointer to the whole.
#[repr(C)]
struct Cursor<'t> {
    lexer: TsLexer,
    text: &'t [u8],
    /// The byte offset of `lookahead`, and of the character after it.
    at: usize,
    next: usize,
    /// Where the token being read starts (after the space skipped before it) and ends.
    start: usize,
    end: usize,
}

unsafe extern "C" {
    fn tree_sitter_nianbao_external_scanner_scan(
        payload: *mut c_void,
        lexer: *mut TsLexer,
        valid_symbols: *const bool,
    ) -> bool;
}

impl Cursor<'_> {
    /// Puts the lookahead at byte `at` (the end of the text: 0, as tree-sitter's lexer has it).
    #[inline(always)]
    fn seek(&mut self, at: usize) {
        let (c, next) = decode(self.text, at);
        self.at = at.min(self.text.len());
        self.lexer.lookahead = c;
        self.next = next;
    }
}

/// The character of `text` (valid UTF-8) at byte `at` and the offset after it; `(0, at)` at
/// the end. Called once a character: ASCII first, the rest without slicing.
#[inline]
fn decode(text: &[u8], at: usize) -> (i32, usize) {
    let Some(&b0) = text.get(at) else {
        return (0, at);
    };
    if b0 < 0x80 {
        return (i32::from(b0), at + 1);
    }
    let byte = |i: usize| u32::from(text.get(at + i).map_or(0, |b| b & 0x3F));
    let (c, len) = if b0 < 0xE0 {
        ((u32::from(b0 & 0x1F) << 6) | byte(1), 2)
    } else if b0 < 0xF0 {
        ((u32::from(b0 & 0x0F) << 12) | (byte(1) << 6) | byte(2), 3)
    } else {
        (
            (u32::from(b0 & 0x07) << 18) | (byte(1) << 12) | (byte(2) << 6) | byte(3),
            4,
        )
    };
    (c as i32, (at + len).min(text.len()))
}

unsafe extern "C" fn advance(lexer: *mut TsLexer, skip: bool) {
    // SAFETY: `lexer` is the first field of the `Cursor` that `scan` handed the scanner.
    let cursor = unsafe { &mut *lexer.cast::<Cursor>() };
    if cursor.at >= cursor.text.len() {
        return;
    }
    let next = cursor.next;
    cursor.seek(next);
    if skip {
        cursor.start = next;
    }
}

unsafe extern "C" fn mark_end(lexer: *mut TsLexer) {
    // SAFETY: as in `advance`.
    let cursor = unsafe { &mut *lexer.cast::<Cursor>() };
    cursor.end = cursor.at;
}

unsafe extern "C" fn get_column(lexer: *mut TsLexer) -> u32 {
    // SAFETY: as in `advance`.
    let cursor = unsafe { &*lexer.cast::<Cursor>() };
    let line_start = cursor.text[..cursor.at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column =
        std::str::from_utf8(&cursor.text[line_start..cursor.at]).map_or(0, |s| s.chars().count());
    u32::try_from(column).unwrap_or(u32::MAX)
}

unsafe extern "C" fn is_at_included_range_start(_: *const TsLexer) -> bool {
    false
}

unsafe extern "C" fn eof(lexer: *const TsLexer) -> bool {
    // SAFETY: as in `advance`.
    let cursor = unsafe { &*lexer.cast::<Cursor>() };
    cursor.at >= cursor.text.len()
}

/// What the parser's state tells the scanner before a line: whether a title is still valid (no
/// heading yet) and whether a continuation is (the line before was a cell line or a
/// continuation). The scanner's decision on a line depends on its bytes and this alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanState {
    pub title: bool,
    pub continuation: bool,
}

impl ScanState {
    /// At the start of a text.
    pub const START: ScanState = ScanState {
        title: true,
        continuation: false,
    };
}

/// One line token read by [`LineScanner`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScannedLine {
    /// The line's kind; `None` for a blank line (spaces only, which the grammar makes no node
    /// of).
    pub kind: Option<LineToken>,
    /// Where the token starts (after the space before it) and ends (after its line break, or at
    /// the end of the text): `end` is the start of the next line.
    pub start: usize,
    pub end: usize,
    /// The state before the next line.
    pub after: ScanState,
}

/// The scanner declined a line, which the grammar never lets happen: the caller parses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Declined;

/// The block grammar's line tokens from a line start on, one at a time, so that a caller that
/// knows the lines before can read again only those an edit may have changed and stop where
/// the old and new tokens agree again (same offset in the unchanged tail, same [`ScanState`]).
/// Yields `Err(Declined)` at most once, then nothing; ends where the text ends or only space is
/// left (no token, as in a parse).
pub struct LineScanner<'t> {
    cursor: Cursor<'t>,
    valid: [bool; TOKENS],
    /// The start of the next line to read; past the end once declined.
    at: usize,
}

impl<'t> LineScanner<'t> {
    /// Reads `text` from byte `at`, which must be a line start (0 or after a `\n`), in `state`.
    pub fn new(text: &'t str, at: usize, state: ScanState) -> Self {
        let mut valid = [true; TOKENS];
        valid[ERROR_SENTINEL] = false;
        valid[TITLE] = state.title;
        valid[CONTINUATION] = state.continuation;
        LineScanner {
            cursor: Cursor {
                lexer: TsLexer {
                    lookahead: 0,
                    result_symbol: 0,
                    advance,
                    mark_end,
                    get_column,
                    is_at_included_range_start,
                    eof,
                    log: std::ptr::null(),
                },
                text: text.as_bytes(),
                at: 0,
                next: 0,
                start: 0,
                end: 0,
            },
            valid,
            at,
        }
    }

    /// The state before the next line.
    pub fn state(&self) -> ScanState {
        ScanState {
            title: self.valid[TITLE],
            continuation: self.valid[CONTINUATION],
        }
    }
}

impl Iterator for LineScanner<'_> {
    type Item = Result<ScannedLine, Declined>;

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.at;
        let len = self.cursor.text.len();
        if at >= len {
            return None;
        }
        // Declined or not, this call is the last one unless a token moves `at` on.
        self.at = usize::MAX;
        let cursor = &mut self.cursor;
        cursor.seek(at);
        cursor.start = at;
        cursor.end = at;
        // The pointer is taken from the whole cursor (not from its `lexer` field), so the
        // callbacks may reach every field through it.
        let lexer = (&raw mut *cursor).cast::<TsLexer>();
        // SAFETY: the scanner keeps no state (a null payload, as `create` returns), reads
        // `valid` (TOKENS entries) and calls back only through `lexer`, which points to the
        // cursor (`repr(C)`, `TsLexer` first) and outlives the call; nothing else touches the
        // cursor during it.
        let found = unsafe {
            tree_sitter_nianbao_external_scanner_scan(
                std::ptr::null_mut(),
                lexer,
                self.valid.as_ptr(),
            )
        };
        if !found {
            // Either only space was left (an extra of the grammar): the scanner skipped it all,
            // so the token start followed it to the end; or it declined a line it had read.
            let only_space = cursor.at >= len && cursor.start == cursor.at;
            return if only_space {
                None
            } else {
                Some(Err(Declined))
            };
        }
        let symbol = cursor.lexer.result_symbol;
        let kind = match symbol {
            BLANK_LINE => None,
            _ => match LineToken::ALL.get(usize::from(symbol)) {
                Some(&kind) => Some(kind),
                None => return Some(Err(Declined)),
            },
        };
        if cursor.end <= at {
            return Some(Err(Declined));
        }
        if symbol == HEADING {
            self.valid[TITLE] = false;
        }
        self.valid[CONTINUATION] = symbol == CELL_LINE || usize::from(symbol) == CONTINUATION;
        self.at = cursor.end;
        Some(Ok(ScannedLine {
            kind,
            start: cursor.start,
            end: cursor.end,
            after: self.state(),
        }))
    }
}

/// The line tokens of `text` as the block grammar's parser reads them: each line's kind and
/// the byte offset it starts at (after the space before it; blank lines are left out), in
/// order. `None` if the scanner declines a line, which the grammar never lets happen but at the
/// end of the text — the caller then parses.
pub fn scan(text: &str) -> Option<Vec<(usize, LineToken)>> {
    let mut lines = Vec::with_capacity(text.len() / 32);
    for token in LineScanner::new(text, 0, ScanState::START) {
        let token = token.ok()?;
        if let Some(kind) = token.kind {
            lines.push((token.start, kind));
        }
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_where_they_start() {
        let text = "某县2020年政府信息公开工作年度报告\n\n一、总体情况\n  正文。\n\t本年新\n制作数量\n规章\t1\t2\n- 3 -\n";
        let Some(lines) = scan(text) else {
            panic!("declined");
        };
        let kinds: Vec<LineToken> = lines.iter().map(|l| l.1).collect();
        assert_eq!(
            kinds,
            [
                LineToken::Title,
                LineToken::Heading,
                LineToken::Paragraph,
                LineToken::CellLine,
                LineToken::Continuation,
                LineToken::TableRow,
                LineToken::PageNumber,
            ]
        );
        assert_eq!(&text[lines[2].0..lines[2].0 + 3], "正");
    }

    #[test]
    fn a_title_after_the_first_heading_is_a_paragraph() {
        let text = "一、总体情况\n某县2020年政府信息公开工作年度报告";
        let kinds: Vec<LineToken> = scan(text).unwrap_or_default().iter().map(|l| l.1).collect();
        assert_eq!(kinds, [LineToken::Heading, LineToken::Paragraph]);
    }

    /// Every token of a full scan, with the state after it.
    fn tokens(text: &str, at: usize, state: ScanState) -> Vec<ScannedLine> {
        LineScanner::new(text, at, state)
            .collect::<Result<_, _>>()
            .unwrap_or_default()
    }

    #[test]
    fn the_state_after_each_line() {
        let text = "某县2020年政府信息公开工作年度报告\n\t本年新\n制作数量\n\n其他\n一、总体情况\n某县年度报告";
        let lines = tokens(text, 0, ScanState::START);
        let seen: Vec<(Option<LineToken>, bool, bool)> = lines
            .iter()
            .map(|t| (t.kind, t.after.title, t.after.continuation))
            .collect();
        assert_eq!(
            seen,
            [
                (Some(LineToken::Title), true, false),
                (Some(LineToken::CellLine), true, true),
                (Some(LineToken::Continuation), true, true),
                // A blank line: no node, and no continuation after it.
                (None, true, false),
                (Some(LineToken::Paragraph), true, false),
                (Some(LineToken::Heading), false, false),
                (Some(LineToken::Paragraph), false, false),
            ]
        );
        // Each token ends where the next line starts; the last at the end of the text.
        for pair in lines.windows(2) {
            assert_eq!(text.as_bytes()[pair[0].end - 1], b'\n');
            assert!(pair[1].start >= pair[0].end);
        }
        assert_eq!(lines.last().map(|t| t.end), Some(text.len()));
    }

    /// Resumed at any line start in the state the lines before leave, the scanner reads the
    /// rest as a scan from the start does.
    #[test]
    fn resumed_at_a_line_start_it_reads_what_a_whole_scan_reads() {
        let text = "标题年度报告\r\n\r\n  一、总体情况\r\n\t行政复议\r\n结果\r\n 规章\t0\r\n\u{3000}\r\n（一）主动公开\n- 3 -\n第三行";
        let whole = tokens(text, 0, ScanState::START);
        let mut state = ScanState::START;
        let mut at = 0;
        for (i, token) in whole.iter().enumerate() {
            assert_eq!(tokens(text, at, state), whole[i..], "from byte {at}");
            state = token.after;
            at = token.end;
        }
        assert_eq!(tokens(text, at, state), []);
    }

    /// What the state decides: the same line is a title or a paragraph, a continuation or a
    /// paragraph.
    #[test]
    fn the_state_given_decides_titles_and_continuations() {
        let title = "某县2020年政府信息公开工作年度报告\n";
        let kind = |text: &str, title: bool, continuation: bool| {
            tokens(
                text,
                0,
                ScanState {
                    title,
                    continuation,
                },
            )
            .first()
            .and_then(|t| t.kind)
        };
        assert_eq!(kind(title, true, false), Some(LineToken::Title));
        assert_eq!(kind(title, false, false), Some(LineToken::Paragraph));
        assert_eq!(
            kind("制作数量\n", false, true),
            Some(LineToken::Continuation)
        );
        assert_eq!(kind("制作数量\n", false, false), Some(LineToken::Paragraph));
        // An enumerator opens a paragraph even where a continuation is valid.
        assert_eq!(
            kind("1.制作数量\n", false, true),
            Some(LineToken::Paragraph)
        );
    }

    #[test]
    fn a_scanner_ends_with_the_text() {
        let mut scanner = LineScanner::new("正文\n", 0, ScanState::START);
        assert!(matches!(scanner.next(), Some(Ok(_))));
        assert_eq!(scanner.next(), None);
        // Past the end or at only space: nothing.
        assert_eq!(LineScanner::new("正文", 99, ScanState::START).next(), None);
        assert_eq!(
            LineScanner::new("正文\n  ", 7, ScanState::START).next(),
            None
        );
    }

    #[test]
    fn space_at_the_end_and_nothing() {
        assert_eq!(scan(""), Some(Vec::new()));
        assert_eq!(scan("  \u{3000}").map(|l| l.len()), Some(0));
        assert_eq!(scan("正文\n \r").map(|l| l.len()), Some(1));
    }
}
