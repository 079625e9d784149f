//! Matching keys, fuzzy comparison, cell numbers and Chinese numerals (`layouts.md` §5, `rules.md` §4).
//!
//! Everything here is for *matching and reading*; nothing rewrites the source text. Checks keep the byte
//! ranges of the original and use [`key`] / [`key_with_offsets`] only to compare labels.
//!
//! The edit distance is a small in-house Levenshtein over `char`s with an early exit (no extra dependency).

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
    key_with_offsets(s).0
}

/// [`key`] plus, for every `char` of the key, the byte offset in `s` of the source character it came from.
///
/// Lets a reader match on keys and still report ranges of the original text.
pub fn key_with_offsets(s: &str) -> (String, Vec<usize>) {
    let mut out: Vec<(char, usize)> = Vec::with_capacity(s.len());
    for (offset, c) in s.char_indices() {
        if is_dropped(c) {
            continue;
        }
        // NFKC leaves ASCII letters and digits and the CJK unified ideographs as they are: skip
        // the normaliser for them (nearly every character of a report).
        if c.is_ascii_alphanumeric() || ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            out.push((c, offset));
            continue;
        }
        for n in std::iter::once(c).nfkc() {
            if is_dropped(n) {
                continue;
            }
            out.push((unify_char(n), offset));
        }
    }
    // Drop `**`, then `digit、` → `digit.` (after NFKC `．` is already `.`).
    let mut result: Vec<(char, usize)> = Vec::with_capacity(out.len());
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
    let offsets = result.iter().map(|&(_, o)| o).collect();
    (result.into_iter().map(|(c, _)| c).collect(), offsets)
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
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    // `b` is the shorter one: rows are indexed by it.
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
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
    // Truncation is the intent: the largest whole number of edits that keeps the similarity ≥ min.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let max_edits = ((1.0 - min) * longest as f64).floor() as usize;
    let d = edit_distance_within(a_key, b_key, max_edits)?;
    Some(1.0 - d as f64 / longest as f64)
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
    pub canonical_text: String,
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
            None => self.canonical_text.clone(),
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
    let mut issues = Vec::new();
    // Per-char NFKC, remembering whether any visible character changed.
    let mut chars: Vec<char> = Vec::with_capacity(trimmed.len());
    for c in trimmed.chars() {
        let mut changed = false;
        for n in std::iter::once(c).nfkc() {
            changed |= n != c;
            chars.push(n);
        }
        if changed && !c.is_whitespace() && !issues.contains(&NumberIssue::FullWidth) {
            issues.push(NumberIssue::FullWidth);
        }
    }
    let text: String = chars.iter().collect();
    let compact: String = text.chars().filter(|c| !is_dropped(*c)).collect();
    if PLACEHOLDERS.contains(&compact.as_str()) {
        return CellValue::Placeholder;
    }
    parse_number_text(&text, issues).map_or(CellValue::Invalid, CellValue::Number)
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
    let canonical_text = if frac_digits.is_empty() {
        format!("{sign_text}{int_canon}")
    } else {
        format!("{sign_text}{int_canon}.{frac_digits}")
    };
    Some(Number {
        value: decimal.to_f64(),
        decimal,
        integer,
        sign,
        unit,
        canonical: issues.is_empty(),
        canonical_text,
        issues,
    })
}

/// The digits of an integer part; separators (`,` or spaces) are accepted only as groups of three.
fn parse_int_part(text: &str, issues: &mut Vec<NumberIssue>) -> Option<String> {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return Some(text.to_string());
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
    Some(groups.concat())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Number {
        match parse_number(s) {
            CellValue::Number(n) => n,
            other => panic!("{s:?} read as {other:?}"),
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
