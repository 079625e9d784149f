//! Byte offset ↔ (line, column) conversion. The model keeps byte ranges; the edges (CLI output,
//! LSP) convert with this index, in UTF-16 code units (the LSP default) or UTF-8 bytes.

/// How a column counts characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PositionEncoding {
    /// UTF-16 code units: the LSP default and the JSON output of `nianbao check`.
    #[default]
    Utf16,
    /// Bytes of UTF-8.
    Utf8,
    /// Unicode scalar values (what a person counts; used by the human CLI output).
    Utf32,
}

/// The column after `prefix` (the text from its line's start), counted in `encoding`.
pub fn column(prefix: &str, encoding: PositionEncoding) -> usize {
    match encoding {
        PositionEncoding::Utf8 => prefix.len(),
        // Counted on the bytes (a loop the compiler vectorises; a column can lie far into a
        // long line): a character is a byte that does not continue one, and one of four bytes
        // is two UTF-16 units.
        PositionEncoding::Utf16 => prefix
            .bytes()
            .map(|b| usize::from(!is_continuation(b)) + usize::from(b >= 0xF0))
            .sum(),
        PositionEncoding::Utf32 => prefix.bytes().filter(|&b| !is_continuation(b)).count(),
    }
}

/// A UTF-8 byte that continues a character (`10xxxxxx`).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// A 0-based line and a 0-based column in some [`PositionEncoding`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text. Lines end at `\n`; a `\r` before it belongs to the line's content
/// for counting purposes but positions never point between `\r` and `\n` in practice.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where `line` starts (clamped to the end of the text).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of `line`, without its `\n` (and without a `\r` before it).
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_start(line);
        let mut end = self
            .line_starts
            .get(line + 1)
            .map_or(self.len, |&next| next - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn line_col(&self, text: &str, offset: usize, encoding: PositionEncoding) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol {
            line: to_u32(line),
            col: to_u32(column(&text[start..offset], encoding)),
        }
    }

    /// Byte offset of a position. Out-of-range lines clamp to the end of the text, columns past
    /// the end of the line clamp to its end, and a column inside a character moves to its start.
    pub fn offset(&self, text: &str, pos: LineCol, encoding: PositionEncoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let range = self.line_range(text, line);
        let content = &text[range.clone()];
        let mut counted = 0usize;
        for (i, ch) in content.char_indices() {
            let width = match encoding {
                PositionEncoding::Utf8 => ch.len_utf8(),
                PositionEncoding::Utf16 => ch.len_utf16(),
                PositionEncoding::Utf32 => 1,
            };
            if counted + width > pos.col as usize {
                return range.start + i;
            }
            counted += width;
        }
        range.end
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The largest char boundary ≤ `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn columns_count_the_characters_units_and_bytes(s in "[a\u{7f}\u{80}é一\u{FFFF}\u{10000}𠀀\u{10FFFF}]{0,20}") {
            proptest::prop_assert_eq!(column(&s, PositionEncoding::Utf8), s.len());
            proptest::prop_assert_eq!(column(&s, PositionEncoding::Utf16), s.encode_utf16().count());
            proptest::prop_assert_eq!(column(&s, PositionEncoding::Utf32), s.chars().count());
        }
    }

    #[test]
    fn converts_cjk_and_astral_in_every_encoding() {
        let text = "一、总体情况\r\n𠀀a\t12\n";
        let index = LineIndex::new(text);
        let at_a = text.find('a').unwrap_or_default();
        assert_eq!(
            index.line_col(text, at_a, PositionEncoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
        assert_eq!(
            index.line_col(text, at_a, PositionEncoding::Utf8),
            LineCol { line: 1, col: 4 }
        );
        assert_eq!(
            index.line_col(text, at_a, PositionEncoding::Utf32),
            LineCol { line: 1, col: 1 }
        );
        for enc in [
            PositionEncoding::Utf16,
            PositionEncoding::Utf8,
            PositionEncoding::Utf32,
        ] {
            for (offset, _) in text.char_indices() {
                let pos = index.line_col(text, offset, enc);
                if text.as_bytes()[offset] != b'\n' && text.as_bytes()[offset] != b'\r' {
                    assert_eq!(index.offset(text, pos, enc), offset, "{enc:?} {offset}");
                }
            }
        }
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let text = "规章\n0";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 0 }, PositionEncoding::Utf16),
            text.len()
        );
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 99 }, PositionEncoding::Utf16),
            6
        );
        // Inside a surrogate pair / a multi-byte char: the char's start.
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 1 }, PositionEncoding::Utf8),
            0
        );
        assert_eq!(
            index.line_col(text, 1, PositionEncoding::Utf16),
            LineCol { line: 0, col: 0 }
        );
    }
}
