//! Matching keys, fuzzy comparison, cell numbers and Chinese numerals (`layouts.md` §5, `rules.md` §4).
//!
//! Everything here is for *matching and reading*; nothing rewrites the source text. Checks keep the byte
//! ranges of the original and use [`key`] / [`key_with_offsets`] only to compare labels.
//!
//! The edit distance is a small in-house Levenshtein over `char`s with an early exit (no extra dependency).

use std::borrow::Cow;

use smol_str::SmolStr;

#[cfg(feature = "nfkc")]
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------------------------------------
// Matching keys
// ---------------------------------------------------------------------------------------------------------

/// The matching key of a label or heading.
///
/// * NFKC, applied per character (full-width digits, letters, `（）`, `，`, `：`, `．`, `／`, `＊` become ASCII),
/// * curly and straight quotes (`“ ” ‘ ’ " '`, also `「」『』`) all become `"`,
/// * every whitespace character is deleted (ASCII, U+3000, NBSP, …) as are zero-width characters,
/// * Markdown bold markers `**` are dropped,
/// * a list marker `1、` or `1．` after a digit becomes `1.`.
///
/// ```
/// use nianbao::normalize::key;
/// assert_eq!(key("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"),
///            key("(二)部分公开(区分处理的,只计这一情形,不计其他情形)"));
/// assert_eq!(key("3.危及“三安全一稳定”"), key("3、危及\"三安全一稳定\""));
/// ```
pub fn key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    key_chars(s, |op| match op {
        Emit::Char(c, _) => out.push(c),
        Emit::Run(run, _) => out.push_str(run),
        Emit::Pop => {
            out.pop();
        }
    });
    out
}

/// [`key`] plus, for every `char` of the key, the byte offset in `s` of the source character it came from.
///
/// Lets a reader match on keys and still report ranges of the original text.
pub fn key_with_offsets(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len());
    key_chars(s, |op| match op {
        Emit::Char(c, o) => {
            out.push(c);
            offsets.push(o);
        }
        Emit::Run(run, o) => {
            out.push_str(run);
            offsets.extend(run.char_indices().map(|(i, _)| o + i));
        }
        Emit::Pop => {
            out.pop();
            offsets.pop();
        }
    });
    (out, offsets)
}

/// What [`key_chars`] adds to the key, or takes back.
enum Emit<'s> {
    /// A character, and the byte offset of the source character it came from.
    Char(char, usize),
    /// A run of CJK ideographs copied as it is, and its byte offset.
    Run(&'s str, usize),
    /// The last character appended goes (the first `*` of a `**` pair).
    Pop,
}

/// The characters of [`key`] in one pass, handed to `emit`.
fn key_chars<'s>(s: &'s str, mut emit: impl FnMut(Emit<'s>)) {
    // The last character of the key so far, and the one before it when that is an unpaired `*`
    // (what is last again once the `*` is removed).
    let mut last: Option<char> = None;
    let mut star: Option<Option<char>> = None;
    let mut at = 0;
    while at < s.len() {
        // CJK ideographs (most characters) are kept as they are: not dropped, NFKC-stable, no
        // quote, star or `、` — a run of them is copied whole.
        let run = cjk_run_end(s.as_bytes(), at);
        if run > at {
            star = None;
            emit(Emit::Run(&s[at..run], at));
            last = s[at..run].chars().next_back();
            at = run;
            continue;
        }
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        let offset = at;
        at += c.len_utf8();
        if is_dropped(c) {
            continue;
        }
        nfkc_char(c, |n| {
            if is_dropped(n) {
                return;
            }
            let n = unify_char(n);
            // Drop `**` (pairs from the left), then `digit、` → `digit.` (after NFKC `．` is
            // already `.`).
            if n == '*' {
                if let Some(before) = star.take() {
                    emit(Emit::Pop);
                    last = before;
                } else {
                    star = Some(last);
                    emit(Emit::Char('*', offset));
                    last = Some('*');
                }
                return;
            }
            star = None;
            let n = if n == '、' && last.is_some_and(|p| p.is_ascii_digit()) {
                '.'
            } else {
                n
            };
            emit(Emit::Char(n, offset));
            last = Some(n);
        });
    }
}

/// The end of the run of CJK unified ideographs (U+4E00–U+9FFF) of UTF-8 `bytes` from `at`:
/// three bytes each, led by E4 (with a second byte from B8 on) to E9.
fn cjk_run_end(bytes: &[u8], mut at: usize) -> usize {
    loop {
        match bytes.get(at) {
            Some(0xE5..=0xE9) => at += 3,
            Some(0xE4) if bytes.get(at + 1).is_some_and(|&b| b >= 0xB8) => at += 3,
            _ => return at.min(bytes.len()),
        }
    }
}

/// NFKC of one character on its own, passed to `f` character by character.
///
/// ASCII and the CJK unified ideographs U+4E00–U+9FFF are NFKC-stable (no decomposition, and a lone
/// character composes with nothing), the full-width forms U+FF01–U+FF5E are compatibility
/// characters of ASCII U+0021–U+007E, and `、。《》“”‘’` and U+3000-block brackets are stable: all of
/// these — nearly every character of a report — skip the normaliser (a test checks each of them
/// against it).
#[inline]
pub(crate) fn nfkc_char(c: char, mut f: impl FnMut(char)) {
    match c {
        '\0'..='\u{7F}' | '\u{4E00}'..='\u{9FFF}' => f(c),
        '\u{FF01}'..='\u{FF5E}' => f(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)),
        '、' | '。' | '《' | '》' | '“' | '”' | '‘' | '’' | '〈' | '〉' | '「' | '」' | '『'
        | '』' | '【' | '】' | '〔' | '〕' | '—' => f(c),
        _ => nfkc_other(c, &mut f),
    }
}

/// NFKC of a character off the fast path of [`nfkc_char`]: unicode-normalization's; or, without
/// the feature `nfkc` (the web page's engine, whose size its tables would grow by a fifth), the
/// embedder's, set with [`set_nfkc`] — in the browser, `String.prototype.normalize("NFKC")`. By
/// Unicode's normalization stability policy the two agree on every character both know; they
/// can differ only on characters assigned after the browser's Unicode version.
#[cfg(feature = "nfkc")]
fn nfkc_other(c: char, f: &mut dyn FnMut(char)) {
    std::iter::once(c).nfkc().for_each(f);
}

#[cfg(not(feature = "nfkc"))]
fn nfkc_other(c: char, f: &mut dyn FnMut(char)) {
    match NFKC.get() {
        Some(nfkc) => nfkc(c, f),
        None => f(c),
    }
}

/// An embedder's NFKC of one character, passing the result to the callback character by character.
#[cfg(not(feature = "nfkc"))]
pub type Nfkc = fn(char, &mut dyn FnMut(char));

#[cfg(not(feature = "nfkc"))]
static NFKC: std::sync::OnceLock<Nfkc> = std::sync::OnceLock::new();

/// Without the feature `nfkc`: the NFKC of one character, passed to the callback character by
/// character, for the characters [`nfkc_char`] does not know itself. Set once, before the first
/// analysis (later calls are ignored); unset, those characters are taken as they are.
#[cfg(not(feature = "nfkc"))]
pub fn set_nfkc(nfkc: Nfkc) {
    let _ = NFKC.set(nfkc);
}

/// Characters deleted from keys: whitespace and invisible format characters.
fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Per-character unification after NFKC.
fn unify_char(c: char) -> char {
    match c {
        '“' | '”' | '‘' | '’' | '\'' | '「' | '」' | '『' | '』' | '„' | '‟' | '‚' | '‛' => {
            '"'
        }
        _ => c,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Fuzzy comparison
// ---------------------------------------------------------------------------------------------------------

/// The Levenshtein distance of two strings in `char`s, or `None` as soon as it is certain to exceed `max`.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > max {
        return None;
    }
    // `b` is the shorter one: rows are indexed by it.
    let (a, b, lb) = if la < lb { (b, a, la) } else { (a, b, lb) };
    if lb <= STACK {
        let mut chars = ['\0'; STACK];
        for (slot, c) in chars.iter_mut().zip(b.chars()) {
            *slot = c;
        }
        levenshtein(a.chars(), &chars[..lb], max)
    } else {
        let chars: Vec<char> = b.chars().collect();
        levenshtein(a.chars(), &chars, max)
    }
}

/// [`edit_distance_within`] of two keys already split into `char`s.
pub fn edit_distance_within_chars(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    levenshtein(a.iter().copied(), b, max)
}

/// Strings up to this many `char`s get their rows on the stack (all of the template's keys).
const STACK: usize = 64;

/// The bounded edit distance of `a` and `b` (`b` no longer than `a`).
fn levenshtein(a: impl Iterator<Item = char>, b: &[char], max: usize) -> Option<usize> {
    let mut stack = [0usize; 2 * (STACK + 1)];
    let mut heap = Vec::new();
    let rows: &mut [usize] = if b.len() <= STACK {
        &mut stack
    } else {
        heap.resize(2 * (b.len() + 1), 0);
        &mut heap
    };
    let (prev, cur) = rows.split_at_mut(rows.len() / 2);
    let (mut prev, mut cur) = (&mut prev[..=b.len()], &mut cur[..=b.len()]);
    for (j, p) in prev.iter_mut().enumerate() {
        *p = j;
    }
    for (i, ca) in a.enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

/// The full Levenshtein distance in `char`s.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let max = a.chars().count().max(b.chars().count());
    edit_distance_within(a, b, max).unwrap_or(max)
}

/// [`similarity`] when it is at least `min`, else `None` — computed with a bounded edit distance,
/// so clearly different keys cost little.
pub fn similarity_at_least(a_key: &str, b_key: &str, min: f64) -> Option<f64> {
    let longest = a_key.chars().count().max(b_key.chars().count());
    if longest == 0 {
        return Some(1.0);
    }
    let d = edit_distance_within(a_key, b_key, max_edits(longest, min))?;
    Some(1.0 - d as f64 / longest as f64)
}

/// A key prepared for many fuzzy comparisons: its `char`s, and the same sorted (for a cheap
/// lower bound of the edit distance that rules most candidates out without computing it).
#[derive(Clone, Debug)]
pub struct FuzzyKey {
    chars: Vec<char>,
    sorted: Vec<char>,
    /// How many chars fall in each of 64 buckets (`char as u32 % 64`), when the key is short
    /// enough for the counts to fit a `u8`.
    buckets: Option<[u8; 64]>,
}

impl FuzzyKey {
    pub fn new(key: &str) -> Self {
        let chars: Vec<char> = key.chars().collect();
        let mut sorted = chars.clone();
        sorted.sort_unstable();
        let buckets = (chars.len() <= usize::from(u8::MAX)).then(|| {
            let mut b = [0u8; 64];
            for &c in &chars {
                let slot = &mut b[(c as usize) % 64];
                *slot = slot.saturating_add(1);
            }
            b
        });
        Self {
            chars,
            sorted,
            buckets,
        }
    }

    /// The number of `char`s.
    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// [`similarity_at_least`] of the two keys (the same answer, found faster).
    pub fn similarity_at_least(&self, other: &FuzzyKey, min: f64) -> Option<f64> {
        let longest = self.len().max(other.len());
        if longest == 0 {
            return Some(1.0);
        }
        let max = max_edits(longest, min);
        if self.len().abs_diff(other.len()) > max {
            return None;
        }
        // Every character of the longer key that is not matched to an equal one costs an edit,
        // and no more characters can be matched than the two keys have in common — nor than
        // their bucket counts have in common (a coarser bound, first: it costs less).
        if let (Some(a), Some(b)) = (&self.buckets, &other.buckets) {
            let common: usize = a.iter().zip(b).map(|(x, y)| usize::from(*x.min(y))).sum();
            if longest - common > max {
                return None;
            }
        }
        if longest - common_chars(&self.sorted, &other.sorted) > max {
            return None;
        }
        let d = edit_distance_within_chars(&self.chars, &other.chars, max)?;
        Some(1.0 - d as f64 / longest as f64)
    }
}

/// The size of the multiset intersection of two sorted `char` slices.
fn common_chars(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The most edits that keep the similarity of keys of up to `longest` chars at least `min`.
fn max_edits(longest: usize, min: f64) -> usize {
    // Truncation is the intent: the largest whole number of edits that keeps the similarity ≥ min.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max = ((1.0 - min) * longest as f64).floor() as usize;
    max
}

/// Whether two keys are at most `max_edits` character edits apart (insert, delete, substitute).
///
/// Pass keys (see [`key`]), not raw text: `fuzzy_eq(&key(a), &key(b), 3)`.
pub fn fuzzy_eq(a_key: &str, b_key: &str, max_edits: usize) -> bool {
    edit_distance_within(a_key, b_key, max_edits).is_some()
}

/// A similarity in `0.0..=1.0`: `1 − distance / longer length` (two empty strings are identical).
pub fn similarity(a_key: &str, b_key: &str) -> f64 {
    let longest = a_key.chars().count().max(b_key.chars().count());
    if longest == 0 {
        return 1.0;
    }
    1.0 - edit_distance(a_key, b_key) as f64 / longest as f64
}

// ---------------------------------------------------------------------------------------------------------
// Cell values
// ---------------------------------------------------------------------------------------------------------

/// What a table cell holds, read per `rules.md` §4.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Nothing, whitespace only, or HTML `&nbsp;`.
    Empty,
    /// A "no value" mark: `/`, `-`, `—`, `--`, `——`, `无`, `不适用` (full-width forms included).
    Placeholder,
    /// A number, possibly written non-canonically.
    Number(Number),
    /// Neither empty, a placeholder nor a number (`cell-invalid`).
    Invalid,
}

/// Alias kept for readers who look for the parse result by this name.
pub type ParsedNumber = CellValue;

impl CellValue {
    /// The number, if the cell holds one.
    pub fn number(&self) -> Option<&Number> {
        match self {
            CellValue::Number(n) => Some(n),
            _ => None,
        }
    }

    /// `Empty` or `Placeholder`: read as a blank by the relations.
    pub fn is_blank(&self) -> bool {
        matches!(self, CellValue::Empty | CellValue::Placeholder)
    }
}

/// An exact decimal: `mantissa × 10^(−scale)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u32,
}

impl Decimal {
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// Whether the value is a whole number (`12`, also `12.00`).
    pub fn is_whole(self) -> bool {
        let p = 10i128.checked_pow(self.scale);
        p.is_some_and(|p| self.mantissa % p == 0)
    }
}

/// How the sign of a number was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sign {
    /// No sign.
    None,
    /// `+`, `＋` or `增`.
    Plus,
    /// `-`, `－`, `−` or `减`.
    Minus,
}

/// A unit written inside the cell after the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// `元`
    Yuan,
    /// `万元`
    WanYuan,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
        }
    }
}

/// Why a number is not written canonically (`number-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberIssue {
    /// Full-width digits or punctuation (`１２`, `３．５`, `１，２３４`).
    FullWidth,
    /// Thousands separators (`1,234`).
    ThousandsSeparator,
    /// Spaces inside the number (`2 416`, `- 2`).
    InnerSpace,
    /// The sign written as a word: `减47`, `增3`.
    WordSign,
    /// A non-ASCII minus or plus sign (`−2` U+2212; full-width ones are [`NumberIssue::FullWidth`]).
    NonAsciiSign,
    /// Leading zeros (`007`).
    LeadingZeros,
    /// A decimal point without digits on one side (`.5`, `5.`).
    BareDecimalPoint,
    /// A signed zero (`-0`).
    SignedZero,
}

impl NumberIssue {
    /// Short Chinese description, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            NumberIssue::FullWidth => "使用了全角数字或符号",
            NumberIssue::ThousandsSeparator => "使用了千位分隔符",
            NumberIssue::InnerSpace => "数字中间有空格",
            NumberIssue::WordSign => "用“增”“减”表示正负",
            NumberIssue::NonAsciiSign => "使用了非标准的正负号",
            NumberIssue::LeadingZeros => "有多余的前导零",
            NumberIssue::BareDecimalPoint => "小数点一侧缺少数字",
            NumberIssue::SignedZero => "零带有负号",
        }
    }
}

/// A number read from a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The value as a float (amounts, display).
    pub value: f64,
    /// The exact value.
    pub decimal: Decimal,
    /// The exact integer when written without a fractional part and within `i64` (`12.0` gives `None`).
    pub integer: Option<i64>,
    /// How the sign was written.
    pub sign: Sign,
    /// A unit written in the cell (`251000元`).
    pub unit: Option<Unit>,
    /// `issues.is_empty()`: the number part is written as [`Number::canonical_text`].
    pub canonical: bool,
    /// The canonical spelling of the number part: ASCII digits, `-` for negatives, `+` kept when written,
    /// no separators, no leading zeros. `减47` → `-47`, `１２` → `12`, `1,234` → `1234`, `增3` → `+3`.
    /// Inline up to 23 bytes (every count a report writes): most cells are plain integers, and
    /// a heap string each was an eighth of a batch's allocations.
    pub canonical_text: SmolStr,
    /// Everything non-canonical about the writing, in order of detection.
    pub issues: Vec<NumberIssue>,
}

impl Number {
    /// A non-negative integer written without decimals: what every count cell needs.
    pub fn as_count(&self) -> Option<u64> {
        self.integer.and_then(|i| u64::try_from(i).ok())
    }

    pub fn is_negative(&self) -> bool {
        self.decimal.mantissa < 0
    }

    /// The canonical spelling including the written unit (`251000元`): the replacement text for a
    /// `number-format` fix of the whole cell.
    pub fn canonical_form(&self) -> String {
        match self.unit {
            Some(u) => format!("{}{}", self.canonical_text, u.as_str()),
            None => self.canonical_text.to_string(),
        }
    }

    /// The value in 万元 when the cell states a unit (`251000元` → 25.1); `None` without a unit.
    pub fn in_wan_yuan(&self) -> Option<f64> {
        match self.unit? {
            Unit::Yuan => Some(self.value / 10_000.0),
            Unit::WanYuan => Some(self.value),
        }
    }
}

const PLACEHOLDERS: &[&str] = &["/", "-", "—", "–", "―", "--", "——", "-/-", "无", "不适用"];

/// Reads one table cell (`rules.md` §4).
///
/// ```
/// use nianbao::normalize::{parse_number, CellValue};
/// let CellValue::Number(n) = parse_number("减47") else { panic!() };
/// assert_eq!((n.integer, n.canonical, n.canonical_text.as_str()), (Some(-47), false, "-47"));
/// assert_eq!(parse_number("不适用"), CellValue::Placeholder);
/// ```
pub fn parse_number(s: &str) -> CellValue {
    let trimmed = s.trim_matches(is_dropped);
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("&nbsp;") {
        return CellValue::Empty;
    }
    // Fast answer for text (most words of a report): no digit and too long for a placeholder.
    if trimmed.len() > 12
        && !trimmed
            .chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return CellValue::Invalid;
    }
    // Plain ASCII digits (most cells): nothing to normalise, never a placeholder.
    if trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return plain_integer(trimmed).map_or(CellValue::Invalid, CellValue::Number);
    }
    let mut issues = Vec::new();
    // Per-char NFKC, remembering whether any visible character changed.
    let text: Cow<'_, str> = if trimmed.chars().all(|c| c.is_ascii() || is_cjk_ideograph(c)) {
        // NFKC-stable throughout. Without an ASCII digit it is no number (labels, words).
        if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
            return if is_placeholder(trimmed) {
                CellValue::Placeholder
            } else {
                CellValue::Invalid
            };
        }
        Cow::Borrowed(trimmed)
    } else {
        let mut text = String::with_capacity(trimmed.len());
        let mut full_width = false;
        for c in trimmed.chars() {
            let mut changed = false;
            nfkc_char(c, |n| {
                changed |= n != c;
                text.push(n);
            });
            full_width |= changed && !c.is_whitespace();
        }
        if full_width {
            issues.push(NumberIssue::FullWidth);
        }
        Cow::Owned(text)
    };
    if is_placeholder(&text) {
        return CellValue::Placeholder;
    }
    parse_number_text(&text, issues).map_or(CellValue::Invalid, CellValue::Number)
}

/// [`parse_number_text`] of a non-empty string of ASCII digits, without its general machinery.
fn plain_integer(digits: &str) -> Option<Number> {
    if digits.len() > 30 {
        return None;
    }
    let mut issues = Vec::new();
    if digits.len() > 1 && digits.starts_with('0') {
        issues.push(NumberIssue::LeadingZeros);
    }
    let mantissa = digits
        .bytes()
        .fold(0i128, |m, b| m * 10 + i128::from(b - b'0'));
    let decimal = Decimal { mantissa, scale: 0 };
    let canonical_text = match digits.trim_start_matches('0') {
        "" => "0",
        canon => canon,
    };
    Some(Number {
        value: decimal.to_f64(),
        decimal,
        integer: i64::try_from(mantissa).ok(),
        sign: Sign::None,
        unit: None,
        canonical: issues.is_empty(),
        canonical_text: SmolStr::new(canonical_text),
        issues,
    })
}

/// Whether `text` without its spaces is one of [`PLACEHOLDERS`] (none is longer than three
/// characters).
fn is_placeholder(text: &str) -> bool {
    let mut compact = ['\0'; 3];
    let mut n = 0;
    for c in text.chars().filter(|c| !is_dropped(*c)) {
        let Some(slot) = compact.get_mut(n) else {
            return false;
        };
        *slot = c;
        n += 1;
    }
    PLACEHOLDERS
        .iter()
        .any(|p| p.chars().eq(compact[..n].iter().copied()))
}

fn parse_number_text(text: &str, mut issues: Vec<NumberIssue>) -> Option<Number> {
    let mut rest = text.trim_matches(is_dropped);
    // Unit suffix.
    let mut unit = None;
    if let Some(r) = rest.strip_suffix("万元") {
        unit = Some(Unit::WanYuan);
        rest = r.trim_end_matches(is_dropped);
    } else if let Some(r) = rest.strip_suffix('元') {
        unit = Some(Unit::Yuan);
        rest = r.trim_end_matches(is_dropped);
    }
    // Sign prefix.
    let mut sign = Sign::None;
    for (prefix, s, issue) in [
        ("+", Sign::Plus, None),
        ("-", Sign::Minus, None),
        ("\u{2212}", Sign::Minus, Some(NumberIssue::NonAsciiSign)),
        ("减少", Sign::Minus, Some(NumberIssue::WordSign)),
        ("增加", Sign::Plus, Some(NumberIssue::WordSign)),
        ("减", Sign::Minus, Some(NumberIssue::WordSign)),
        ("增", Sign::Plus, Some(NumberIssue::WordSign)),
    ] {
        if let Some(r) = rest.strip_prefix(prefix) {
            sign = s;
            if let Some(i) = issue {
                issues.push(i);
            }
            let t = r.trim_start_matches(is_dropped);
            if t.len() != r.len() {
                push_once(&mut issues, NumberIssue::InnerSpace);
            }
            rest = t;
            break;
        }
    }
    // Body: integer part (digits, maybe grouped by `,` or spaces), optional `.fraction`.
    let (int_text, frac_text) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let int_digits = parse_int_part(int_text, &mut issues)?;
    let frac_digits = match frac_text {
        Some(f) => {
            if !f.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            f
        }
        None => "",
    };
    if int_digits.is_empty() && frac_digits.is_empty() {
        return None;
    }
    if frac_text.is_some() && (int_digits.is_empty() || frac_digits.is_empty()) {
        issues.push(NumberIssue::BareDecimalPoint);
    }
    if int_digits.len() > 1 && int_digits.starts_with('0') {
        issues.push(NumberIssue::LeadingZeros);
    }
    if int_digits.len() + frac_digits.len() > 30 {
        return None;
    }
    let mut mantissa: i128 = 0;
    for c in int_digits.chars().chain(frac_digits.chars()) {
        mantissa = mantissa * 10 + i128::from(c as u8 - b'0');
    }
    let is_zero = mantissa == 0;
    if sign == Sign::Minus {
        if is_zero {
            issues.push(NumberIssue::SignedZero);
        }
        mantissa = -mantissa;
    }
    let scale = frac_digits.len() as u32;
    let decimal = Decimal { mantissa, scale };
    let integer = if frac_text.is_none() {
        i64::try_from(mantissa).ok()
    } else {
        None
    };
    let int_canon = int_digits.trim_start_matches('0');
    let int_canon = if int_canon.is_empty() { "0" } else { int_canon };
    let sign_text = match sign {
        Sign::Minus if !is_zero => "-",
        Sign::Plus => "+",
        _ => "",
    };
    let mut canonical_text =
        String::with_capacity(sign_text.len() + int_canon.len() + 1 + frac_digits.len());
    canonical_text.push_str(sign_text);
    canonical_text.push_str(int_canon);
    if !frac_digits.is_empty() {
        canonical_text.push('.');
        canonical_text.push_str(frac_digits);
    }
    Some(Number {
        value: decimal.to_f64(),
        decimal,
        integer,
        sign,
        unit,
        canonical: issues.is_empty(),
        canonical_text: SmolStr::new(canonical_text),
        issues,
    })
}

/// The digits of an integer part; separators (`,` or spaces) are accepted only as groups of three.
fn parse_int_part<'t>(text: &'t str, issues: &mut Vec<NumberIssue>) -> Option<Cow<'t, str>> {
    if text.bytes().all(|c| c.is_ascii_digit()) {
        return Some(Cow::Borrowed(text));
    }
    let mut groups: Vec<String> = vec![String::new()];
    // `None` between digits; inside a separator run, whether the run already holds a comma.
    let mut sep_run: Option<bool> = None;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if sep_run.take().is_some() {
                groups.push(String::new());
            }
            groups.last_mut()?.push(c);
        } else if c == ',' || is_dropped(c) {
            if groups.len() == 1 && groups[0].is_empty() {
                return None; // leading separator
            }
            let had_comma = sep_run.unwrap_or(false);
            if c == ',' {
                if had_comma {
                    return None; // `1,,234`
                }
                push_once(issues, NumberIssue::ThousandsSeparator);
            } else {
                push_once(issues, NumberIssue::InnerSpace);
            }
            sep_run = Some(had_comma || c == ',');
        } else {
            return None;
        }
    }
    let pending_sep = sep_run.is_some();
    if pending_sep {
        return None;
    }
    let first = groups.first()?;
    if first.is_empty() || first.len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    Some(Cow::Owned(groups.concat()))
}

fn push_once(issues: &mut Vec<NumberIssue>, issue: NumberIssue) {
    if !issues.contains(&issue) {
        issues.push(issue);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Chinese numerals
// ---------------------------------------------------------------------------------------------------------

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Reads a positional Chinese numeral from 零 to 九百九十九: `五` 5, `十` 10, `十五` 15, `二十` 20,
/// `九十九` 99, `百` / `一百` 100, `一百零五` 105, `一百一十` 110. Anything else (including ASCII digits and
/// digit strings such as `二〇二一`) gives `None`; see [`chinese_digit_string`] for the latter.
pub fn chinese_numeral(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return None;
    }
    if chars.len() == 1 {
        return match chars[0] {
            '十' => Some(10),
            '百' => Some(100),
            c => chinese_digit(c),
        };
    }
    let mut i = 0;
    let mut total = 0;
    // Hundreds.
    if let Some(p) = chars.iter().position(|&c| c == '百') {
        let h = match p {
            0 => 1,
            1 => chinese_digit(chars[0]).filter(|&d| d > 0)?,
            _ => return None,
        };
        total += h * 100;
        i = p + 1;
        if i == chars.len() {
            return Some(total);
        }
        if matches!(chars[i], '零' | '〇') {
            // 一百零五: a single digit must follow.
            i += 1;
            return match &chars[i..] {
                [d] => chinese_digit(*d).filter(|&d| d > 0).map(|d| total + d),
                _ => None,
            };
        }
    }
    let rest = &chars[i..];
    let tens_units = match rest {
        ['十'] => 10,
        ['十', u] => 10 + chinese_digit(*u).filter(|&d| d > 0)?,
        [t, '十'] => 10 * chinese_digit(*t).filter(|&d| d > 0)?,
        [t, '十', u] => {
            10 * chinese_digit(*t).filter(|&d| d > 0)? + chinese_digit(*u).filter(|&d| d > 0)?
        }
        [_] if total > 0 => return None, // 一百五 is colloquial for 150; not accepted
        [u] => chinese_digit(*u)?,
        _ => return None,
    };
    // After hundreds, a bare 十 (一百十) is sloppy but unambiguous.
    Some(total + tens_units)
}

/// Whether `c` is a CJK unified ideograph of the basic block (U+4E00–U+9FFF): the characters
/// of report text, each a letter (Lo), none a number or space, each NFKC-stable.
pub fn is_cjk_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether `s` holds a CJK ideograph (U+4E00–U+9FFF) that is not one of `allowed`: a test that
/// settles what a long text cannot be (a date, a numeral) before it is copied or keyed.
pub fn has_ideograph_besides(s: &str, allowed: &str) -> bool {
    s.chars()
        .any(|c| is_cjk_ideograph(c) && !allowed.contains(c))
}

/// Reads a digit-by-digit Chinese number such as the year `二〇二一` (2021). Needs at least one character;
/// every character must be a digit `〇零一二…九`.
pub fn chinese_digit_string(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    s.chars().try_fold(0u32, |acc, c| {
        let d = chinese_digit(c).filter(|_| c != '两')?;
        acc.checked_mul(10)?.checked_add(d)
    })
}

/// Writes 0..=999 as a positional Chinese numeral: 10 → `十`, 15 → `十五`, 20 → `二十`, 105 → `一百零五`,
/// 110 → `一百一十`. `None` above 999.
pub fn to_chinese_numeral(n: u32) -> Option<String> {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    if n > 999 {
        return None;
    }
    if n < 10 {
        return Some(D[n as usize].to_string());
    }
    let (h, t, u) = (n / 100, (n / 10) % 10, n % 10);
    let mut s = String::new();
    if h > 0 {
        s.push(D[h as usize]);
        s.push('百');
        if t == 0 {
            if u > 0 {
                s.push('零');
                s.push(D[u as usize]);
            }
            return Some(s);
        }
    }
    if !(h == 0 && t == 1) {
        s.push(D[t as usize]);
    }
    s.push('十');
    if u > 0 {
        s.push(D[u as usize]);
    }
    Some(s)
}

#[cfg(all(test, feature = "nfkc"))]
mod tests {
    use super::*;

    /// The key one character at a time, as before runs of ideographs were copied whole: the
    /// oracle of the fast path.
    fn key_per_char(s: &str) -> (String, Vec<usize>) {
        let mut out: Vec<(char, usize)> = Vec::new();
        let mut last: Option<char> = None;
        let mut star: Option<Option<char>> = None;
        for (offset, c) in s.char_indices() {
            if is_dropped(c) {
                continue;
            }
            nfkc_char(c, |n| {
                if is_dropped(n) {
                    return;
                }
                let n = unify_char(n);
                if n == '*' {
                    if let Some(before) = star.take() {
                        out.pop();
                        last = before;
                    } else {
                        star = Some(last);
                        out.push(('*', offset));
                        last = Some('*');
                    }
                    return;
                }
                star = None;
                let n = if n == '、' && last.is_some_and(|p| p.is_ascii_digit()) {
                    '.'
                } else {
                    n
                };
                out.push((n, offset));
                last = Some(n);
            });
        }
        (
            out.iter().map(|p| p.0).collect(),
            out.iter().map(|p| p.1).collect(),
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn runs_of_ideographs_key_as_one_character_at_a_time(
            s in "[\u{4DFF}\u{4E00}\u{4E01}\u{9FFF}\u{A000}\u{3400}\u{F900}一二、。*１1 　\u{a0}\u{200b}“”（）ａ]{0,30}"
        ) {
            let (key, offsets) = key_per_char(&s);
            proptest::prop_assert_eq!(super::key(&s), key.clone());
            proptest::prop_assert_eq!(key_with_offsets(&s), (key, offsets));
        }
    }

    fn num(s: &str) -> Number {
        match parse_number(s) {
            CellValue::Number(n) => n,
            other => panic!("{s:?} read as {other:?}"),
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_integers_read_as_the_general_reader_reads_them(digits in "[0-9]{1,34}") {
            proptest::prop_assert_eq!(plain_integer(&digits), parse_number_text(&digits, Vec::new()));
        }

        #[test]
        fn stable_text_without_digits_is_never_a_number(s in "[a-z /\\-一无不适用总计]{1,6}") {
            let general = parse_number_text(&s, Vec::new()).map_or(CellValue::Invalid, CellValue::Number);
            let expected = if is_placeholder(&s) { CellValue::Placeholder } else { general };
            let trimmed = s.trim_matches(is_dropped);
            if !trimmed.is_empty() {
                proptest::prop_assert_eq!(parse_number(&s), expected);
            }
        }
    }

    #[test]
    fn placeholders_are_at_most_three_characters() {
        for p in PLACEHOLDERS {
            assert!(p.chars().count() <= 3, "{p}");
            assert!(is_placeholder(p));
        }
        assert!(!is_placeholder("不适用的"));
        assert!(is_placeholder(" - / - "));
    }

    #[test]
    fn nfkc_fast_path_agrees_with_the_normaliser() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let mut fast = String::new();
            nfkc_char(c, |n| fast.push(n));
            let full: String = std::iter::once(c).nfkc().collect();
            assert_eq!(fast, full, "U+{:04X}", c as u32);
        }
    }

    /// [`key_with_offsets`] as first written (two passes over a buffer of pairs).
    fn key_reference(s: &str) -> (String, Vec<usize>) {
        let mut out: Vec<(char, usize)> = Vec::new();
        for (offset, c) in s.char_indices() {
            if is_dropped(c) {
                continue;
            }
            for n in std::iter::once(c).nfkc() {
                if !is_dropped(n) {
                    out.push((unify_char(n), offset));
                }
            }
        }
        let mut result: Vec<(char, usize)> = Vec::new();
        let mut i = 0;
        while i < out.len() {
            let (c, o) = out[i];
            if c == '*' && out.get(i + 1).is_some_and(|&(n, _)| n == '*') {
                i += 2;
                continue;
            }
            if c == '、' && result.last().is_some_and(|&(p, _)| p.is_ascii_digit()) {
                result.push(('.', o));
            } else {
                result.push((c, o));
            }
            i += 1;
        }
        (
            result.iter().map(|&(c, _)| c).collect(),
            result.iter().map(|&(_, o)| o).collect(),
        )
    }

    /// The plain Levenshtein distance (no bound, no early exit).
    fn levenshtein_reference(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(ca != cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    proptest::proptest! {
        #[test]
        fn keys_agree_with_the_reference(
            s in "[*、1２a（）：，．\\. \u{3000}\u{200B}“”'\"一二总计Ⅻ①ﬁ\u{301}é]{0,16}"
        ) {
            proptest::prop_assert_eq!(key_with_offsets(&s), key_reference(&s));
            proptest::prop_assert_eq!(key(&s), key_reference(&s).0);
        }

        #[test]
        fn bounded_distance_agrees_with_the_reference(
            a in "[ab一二ｃ]{0,12}",
            b in "[ab一二ｃ]{0,12}",
            long in 0usize..80,
            max in 0usize..40,
        ) {
            let a = a.repeat(1 + long / 10);
            let b = b.repeat(1 + long / 12); // past 64 characters too (the heap rows)
            let d = levenshtein_reference(&a, &b);
            proptest::prop_assert_eq!(edit_distance_within(&a, &b, max), (d <= max).then_some(d));
            proptest::prop_assert_eq!(edit_distance_within(&b, &a, max), (d <= max).then_some(d));
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            proptest::prop_assert_eq!(edit_distance_within_chars(&ac, &bc, max), (d <= max).then_some(d));
            let min = max as f64 / 40.0;
            proptest::prop_assert_eq!(
                FuzzyKey::new(&a).similarity_at_least(&FuzzyKey::new(&b), min),
                similarity_at_least(&a, &b, min)
            );
        }
    }

    #[test]
    fn keys_unify_widths_quotes_spaces() {
        assert_eq!(key("第二十条第（一）项"), "第二十条第(一)项");
        assert_eq!(key("第二十条 第(一)项"), "第二十条第(一)项");
        assert_eq!(
            key("本年收费金额（单位：万元）"),
            key("本年收费金额(单位:万元)")
        );
        assert_eq!(
            key("（二）部分公开（区分处理的，只计这一情 形，不计其他情形）"),
            key("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)")
        );
        assert_eq!(key("3.危及“三安全一稳定”"), "3.危及\"三安全一稳定\"");
        assert_eq!(key("3.危及‘三安全一稳定’"), key("3.危及\"三安全一稳定\""));
        assert_eq!(key("4.无正当理由大量反复 申请"), "4.无正当理由大量反复申请");
        assert_eq!(key("结果 维持"), "结果维持");
        assert_eq!(key("总\u{3000}计"), "总计");
        assert_eq!(key("总\u{a0}计\u{200b}"), "总计");
        assert_eq!(
            key("**三是完善制度体系。**高度重视"),
            "三是完善制度体系。高度重视"
        );
        assert_eq!(
            key("1、申请人无正当理由逾期不补正"),
            "1.申请人无正当理由逾期不补正"
        );
        assert_eq!(key("1．属于国家秘密"), "1.属于国家秘密");
        assert_eq!(key("１. 属于国家秘密"), "1.属于国家秘密");
        assert_eq!(key("２０２０ 年"), "2020年");
        // `一、` is a heading numeral, not a digit list marker: kept.
        assert_eq!(key("一、总体情况"), "一、总体情况");
        assert_eq!(key("本年增／减"), "本年增/减");
    }

    #[test]
    fn key_offsets_point_into_the_source() {
        let s = "（三） 不予公开";
        let (k, offs) = key_with_offsets(s);
        assert_eq!(k, "(三)不予公开");
        assert_eq!(offs.len(), k.chars().count());
        assert_eq!(&s[offs[3]..offs[3] + 3], "不");
        assert_eq!(offs[0], 0);
    }

    #[test]
    fn edit_distance_and_fuzzy() {
        let typo = key("2.其他法律行政止公开");
        let official = key("2.其他法律行政法规禁止公开");
        assert_eq!(edit_distance(&typo, &official), 3);
        assert!(fuzzy_eq(&typo, &official, 3));
        assert!(!fuzzy_eq(&typo, &official, 2));
        assert_eq!(edit_distance_within("结果维持", "结果纠正", 1), None);
        assert_eq!(edit_distance_within("结果维持", "结果纠正", 2), Some(2));
        assert_eq!(edit_distance("", "总计"), 2);
        assert_eq!(edit_distance("总计", "总计"), 0);
        assert!((similarity("总计", "总计") - 1.0).abs() < 1e-9);
        assert!((similarity("", "") - 1.0).abs() < 1e-9);
        let s = similarity(
            &key("5.要求行政机关确认或重新出具"),
            &key("5.要求行政机关确认或重新出具已获取信息"),
        );
        assert!(s > 0.7 && s < 1.0, "{s}");
        // Early exit on length difference.
        assert_eq!(edit_distance_within("一", "一二三四五", 2), None);
    }

    #[test]
    fn canonical_numbers() {
        let n = num("2416");
        assert_eq!(n.integer, Some(2416));
        assert!(n.canonical);
        assert_eq!(n.as_count(), Some(2416));
        assert_eq!(num("0").as_count(), Some(0));
        let n = num(" 21 ");
        assert!(
            n.canonical,
            "surrounding spaces belong to the cell, not the number"
        );
        let n = num("7730.28");
        assert_eq!(n.integer, None);
        assert_eq!(
            n.decimal,
            Decimal {
                mantissa: 773028,
                scale: 2
            }
        );
        assert!((n.value - 7730.28).abs() < 1e-9);
        assert!(n.canonical);
        assert_eq!(num("10682.4701").canonical_text, "10682.4701");
        let n = num("-2");
        assert_eq!(
            (n.integer, n.sign, n.canonical),
            (Some(-2), Sign::Minus, true)
        );
        assert_eq!(n.as_count(), None);
        let n = num("+81");
        assert_eq!(
            (n.integer, n.sign, n.canonical),
            (Some(81), Sign::Plus, true)
        );
        assert_eq!(n.canonical_text, "+81");
    }

    #[test]
    fn non_canonical_numbers() {
        let n = num("减47");
        assert_eq!((n.integer, n.canonical), (Some(-47), false));
        assert_eq!(n.canonical_text, "-47");
        assert_eq!(n.issues, vec![NumberIssue::WordSign]);
        let n = num("增3");
        assert_eq!((n.integer, n.canonical_text.as_str()), (Some(3), "+3"));
        let n = num("－2");
        assert_eq!((n.integer, n.canonical), (Some(-2), false));
        assert_eq!(n.issues, vec![NumberIssue::FullWidth]);
        let n = num("\u{2212}2");
        assert_eq!(n.issues, vec![NumberIssue::NonAsciiSign]);
        let n = num("１２");
        assert_eq!(
            (n.integer, n.canonical, n.canonical_text.as_str()),
            (Some(12), false, "12")
        );
        let n = num("1,234");
        assert_eq!((n.integer, n.canonical_text.as_str()), (Some(1234), "1234"));
        assert_eq!(n.issues, vec![NumberIssue::ThousandsSeparator]);
        let n = num("1，234，567");
        assert_eq!(n.integer, Some(1_234_567));
        assert!(n.issues.contains(&NumberIssue::ThousandsSeparator));
        assert!(n.issues.contains(&NumberIssue::FullWidth));
        let n = num("2 416");
        assert_eq!(
            (n.integer, n.issues.as_slice()),
            (Some(2416), &[NumberIssue::InnerSpace][..])
        );
        let n = num("007");
        assert_eq!((n.integer, n.canonical_text.as_str()), (Some(7), "7"));
        assert_eq!(n.issues, vec![NumberIssue::LeadingZeros]);
        let n = num(".5");
        assert_eq!((n.canonical_text.as_str(), n.canonical), ("0.5", false));
        let n = num("３．５");
        assert_eq!(n.canonical_text, "3.5");
        let n = num("-0");
        assert_eq!((n.canonical_text.as_str(), n.canonical), ("0", false));
        let n = num("减 47");
        assert!(n.issues.contains(&NumberIssue::InnerSpace));
        assert_eq!(n.integer, Some(-47));
    }

    #[test]
    fn units() {
        let n = num("251000元");
        assert_eq!(
            (n.integer, n.unit, n.canonical),
            (Some(251000), Some(Unit::Yuan), true)
        );
        assert_eq!(n.in_wan_yuan(), Some(25.1));
        assert_eq!(n.canonical_form(), "251000元");
        let n = num("7545万元");
        assert_eq!((n.integer, n.unit), (Some(7545), Some(Unit::WanYuan)));
        let n = num("１２ 元");
        assert_eq!(
            (n.unit, n.canonical_form().as_str()),
            (Some(Unit::Yuan), "12元")
        );
        assert_eq!(num("12").in_wan_yuan(), None);
    }

    #[test]
    fn blanks_placeholders_invalid() {
        for s in ["", "  ", "\t", "\u{3000}", "\u{a0}", "&nbsp;"] {
            assert_eq!(parse_number(s), CellValue::Empty, "{s:?}");
        }
        for s in ["/", "-", "—", "--", "——", "无", "不适用", "／", "－", " / "] {
            assert_eq!(parse_number(s), CellValue::Placeholder, "{s:?}");
        }
        for s in [
            "abc", "12件", "12,34", "1,,234", ",123", "1.2.3", "+", "减", "十二", "约5", "12%",
            "1 2", "12 34", "零",
        ] {
            assert_eq!(parse_number(s), CellValue::Invalid, "{s:?}");
        }
        assert!(parse_number("/").is_blank());
        assert!(parse_number("").is_blank());
        assert!(!parse_number("0").is_blank());
        assert_eq!(
            parse_number("1234567890123456789012345678901234"),
            CellValue::Invalid
        );
        // Larger than i64 but exact: the integer is unknown, the value is kept.
        let n = num("99999999999999999999");
        assert_eq!(n.integer, None);
    }

    #[test]
    fn chinese_numerals() {
        let cases = [
            ("一", 1),
            ("五", 5),
            ("九", 9),
            ("十", 10),
            ("十五", 15),
            ("二十", 20),
            ("二十九", 29),
            ("五十", 50),
            ("五十一", 51),
            ("九十九", 99),
            ("百", 100),
            ("一百", 100),
            ("一百零五", 105),
            ("一百一十", 110),
            ("一百十", 110),
            ("两百", 200),
            ("零", 0),
        ];
        for (s, n) in cases {
            assert_eq!(chinese_numeral(s), Some(n), "{s}");
        }
        for s in [
            "",
            "十十",
            "二二",
            "5",
            "一百五",
            "百百",
            "十零",
            "二十零",
            "第五",
            "一千",
        ] {
            assert_eq!(chinese_numeral(s), None, "{s}");
        }
        for n in 0..=999 {
            let s = to_chinese_numeral(n).unwrap_or_default();
            assert_eq!(chinese_numeral(&s), Some(n), "{n} → {s}");
        }
        assert_eq!(to_chinese_numeral(20).as_deref(), Some("二十"));
        assert_eq!(to_chinese_numeral(15).as_deref(), Some("十五"));
        assert_eq!(to_chinese_numeral(1000), None);
        assert_eq!(chinese_digit_string("二〇二一"), Some(2021));
        assert_eq!(chinese_digit_string("二零二三"), Some(2023));
        assert_eq!(chinese_digit_string("二十"), None);
    }
}
