//! Number formats of automatic numbering (`w:numFmt`): how Word writes the counter `n` of a list
//! level. The headings of a report (`一、`, `（一）`) are such numbers in most Word files.

/// The counter `n` in the format `fmt` (`w:numFmt w:val`). `None` for formats that show no number
/// (`bullet`, `none`): the level's text is then left out.
pub fn format(n: u32, fmt: &str) -> Option<String> {
    Some(match fmt {
        "bullet" | "none" => return None,
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerLetter" => letters(n).to_lowercase(),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "koreanCounting" => chinese(n, &SIMPLE),
        "chineseLegalSimplified" | "japaneseLegal" => chinese(n, &LEGAL),
        "ideographDigital" | "japaneseDigitalTenThousand" | "taiwaneseDigital" => n
            .to_string()
            .chars()
            .map(|d| DIGITS_ZERO[d.to_digit(10).unwrap_or(0) as usize])
            .collect(),
        "ideographTraditional" => cycle(
            n,
            &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
        ),
        "ideographZodiac" => cycle(
            n,
            &[
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ],
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle"
            if (1..=20).contains(&n) =>
        {
            offset_char('\u{2460}', n)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => offset_char('\u{2488}', n),
        "decimalEnclosedParen" if (1..=20).contains(&n) => offset_char('\u{2474}', n),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d))
            .collect(),
        // decimal, and every format not worth its own rule (ordinal words, Hebrew, …).
        _ => n.to_string(),
    })
}

const DIGITS_ZERO: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The digits and units of a Chinese numeral system.
struct Numerals {
    digits: [&'static str; 10],
    units: [&'static str; 4],
}

const SIMPLE: Numerals = Numerals {
    digits: ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"],
    units: ["", "十", "百", "千"],
};

const LEGAL: Numerals = Numerals {
    digits: ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"],
    units: ["", "拾", "佰", "仟"],
};

/// A Chinese numeral as Word counts: 十, 十一, 二十一, 一百零一, 一百一十, 一万零一. Below 20 the
/// leading 一 of 一十 is dropped (simple numerals only, as Word does).
fn chinese(n: u32, numerals: &Numerals) -> String {
    if n == 0 {
        return numerals.digits[0].to_owned();
    }
    let mut out = String::new();
    let mut rest = n;
    // Groups of four digits: 万, 亿.
    let groups = [(100_000_000, "亿"), (10_000, "万"), (1, "")];
    let mut pending_zero = false;
    let mut started = false;
    for (size, name) in groups {
        let group = rest / size;
        rest %= size;
        if group == 0 {
            pending_zero |= started;
            continue;
        }
        if started && (pending_zero || group < 1000) {
            out.push_str(numerals.digits[0]);
        }
        out.push_str(&below_10000(group, numerals));
        out.push_str(name);
        started = true;
        pending_zero = false;
    }
    if std::ptr::eq(numerals, &SIMPLE) && (10..20).contains(&n) {
        out = out.replacen(numerals.digits[1], "", 1);
    }
    out
}

/// 1 ≤ n < 10000: 一千零一, 三百一十, 二十.
fn below_10000(n: u32, numerals: &Numerals) -> String {
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        let unit = numerals.units[3 - i];
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push_str(numerals.digits[0]);
            zero = false;
        }
        out.push_str(numerals.digits[d as usize]);
        out.push_str(unit);
    }
    out
}

fn cycle(n: u32, items: &[&str]) -> String {
    let len = items.len() as u32;
    items[(n.max(1) - 1).rem_euclid(len) as usize].to_owned()
}

fn offset_char(first: char, n: u32) -> String {
    char::from_u32(first as u32 + n - 1)
        .map(String::from)
        .unwrap_or_else(|| n.to_string())
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while n >= value {
            out.push_str(symbol);
            n -= value;
        }
    }
    out
}

/// Word's letters: A … Z, then AA … ZZ, AAA … (the letter repeated, not base 26).
fn letters(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let letter = char::from(b'A' + ((n - 1) % 26) as u8);
    let times = ((n - 1) / 26 + 1).min(100) as usize;
    std::iter::repeat_n(letter, times).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: u32, fmt: &str) -> String {
        format(n, fmt).unwrap_or_else(|| "∅".into())
    }

    #[test]
    fn chinese_counting_as_word_writes_it() {
        let got: Vec<String> = [
            1, 6, 10, 11, 19, 20, 21, 99, 100, 101, 110, 111, 1000, 1001, 1010, 10_000, 10_001,
            20_000,
        ]
        .iter()
        .map(|&n| f(n, "chineseCounting"))
        .collect();
        assert_eq!(
            got,
            [
                "一",
                "六",
                "十",
                "十一",
                "十九",
                "二十",
                "二十一",
                "九十九",
                "一百",
                "一百零一",
                "一百一十",
                "一百一十一",
                "一千",
                "一千零一",
                "一千零一十",
                "一万",
                "一万零一",
                "二万"
            ]
        );
        assert_eq!(f(0, "chineseCounting"), "零");
    }

    #[test]
    fn legal_and_other_formats() {
        assert_eq!(f(1, "chineseLegalSimplified"), "壹");
        assert_eq!(f(12, "chineseLegalSimplified"), "壹拾贰");
        assert_eq!(f(3, "ideographTraditional"), "丙");
        assert_eq!(f(11, "ideographTraditional"), "甲");
        assert_eq!(f(2, "decimalEnclosedCircle"), "②");
        assert_eq!(f(21, "decimalEnclosedCircle"), "21");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(105, "ideographDigital"), "一〇五");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(1994, "upperRoman"), "MCMXCIV");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(3, "lowerLetter"), "c");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(7, "decimal"), "7");
        assert_eq!(f(7, "ordinalText"), "7");
        assert_eq!(f(1, "bullet"), "∅");
        assert_eq!(f(1, "none"), "∅");
    }
}
