//! Bodies' names: what makes a plausible name, the key two names are compared by, and the two
//! ways one body is written differently that the series pass accepts with evidence — the name
//! qualified by its region (`淮安市洪泽区人民政府` / `洪泽区人民政府`) and an abbreviation
//! (`沭阳县发改局` / `沭阳县发展和改革局`).

use crate::normalize;

/// How a body's name ends: a government, an office, a department, a region.
const ORGAN_ENDINGS: &[&str] = &[
    "政府",
    "办公室",
    "办公厅",
    "局",
    "委员会",
    "委",
    "厅",
    "办",
    "院",
    "署",
    "中心",
    "所",
    "处",
    "站",
    "馆",
    "会",
    "区",
    "县",
    "市",
    "镇",
    "乡",
    "街道",
    "部",
    "室",
    "队",
    "司",
    "社",
    "盟",
    "旗",
    "州",
    "省",
    "公司",
    "集团",
    "行",
    "校",
    "学",
    "园",
    "场",
    "团",
    "台",
];

/// Endings of a region's name (a region's report is its people's government's).
const REGION_ENDINGS: &[char] = &['省', '市', '州', '盟', '县', '区', '旗'];

/// Whether `name` (spaces removed) can be a body's name: 2–40 characters ending like one, not a
/// pronoun (`本机关`, `我局`) and not a document (`…报告`).
pub fn plausible(name: &str) -> bool {
    let n = name.chars().count();
    (2..=40).contains(&n)
        && ORGAN_ENDINGS.iter().any(|e| name.ends_with(e))
        && !["本", "我", "该", "全", "各"]
            .iter()
            .any(|p| name.starts_with(p))
        && !name.contains("报告")
}

/// The key two names are compared by: [`normalize::key`] (no spaces, full/half width alike),
/// with the standard short forms of a government's name written out — `××县政府` is
/// `××县人民政府`, `××县政府办` and `××县政府办公室` are `××县人民政府办公室`, `管委会` is
/// `管理委员会` — and a bare region (`××县`, the title of a county's own report) read as its
/// people's government.
pub fn key(name: &str) -> String {
    let mut key = normalize::key(name).replace("管委会", "管理委员会");
    key = with_renmin(&key);
    if key.ends_with("人民政府办") {
        key.push_str("公室");
    }
    if key.ends_with(REGION_ENDINGS) {
        key.push_str("人民政府");
    }
    key
}

/// `政府` not preceded by `人民` becomes `人民政府`.
fn with_renmin(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 6);
    let mut rest = key;
    while let Some(i) = rest.find("政府") {
        out.push_str(&rest[..i]);
        if !out.ends_with("人民") {
            out.push_str("人民");
        }
        out.push_str("政府");
        rest = &rest[i + "政府".len()..];
    }
    out.push_str(rest);
    out
}

/// How a shorter key may stand for a longer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortening {
    /// The longer is the shorter with its region in front: `淮安市` + `洪泽区人民政府`.
    Qualified,
    /// The shorter keeps the first and last characters of the longer and some of those between,
    /// in order: `沭阳县发改局` of `沭阳县发展和改革局`.
    Abbreviated,
}

/// Whether `short` may be a shortening of `long` (both keys). Only a possibility: the series
/// pass also wants a report that writes the other form ([`super::group`]).
pub fn shortening(short: &str, long: &str) -> Option<Shortening> {
    if short.len() >= long.len() || short.is_empty() {
        return None;
    }
    if let Some(region) = long.strip_suffix(short) {
        let n = region.chars().count();
        return ((2..=12).contains(&n) && region.ends_with(REGION_ENDINGS))
            .then_some(Shortening::Qualified);
    }
    let mut s = short.chars();
    if s.next() != long.chars().next() || short.chars().last() != long.chars().last() {
        return None;
    }
    // Every character of `short`, in order, in `long`; the characters left out must not end a
    // region's name: `淮安市人民政府` is not short for `淮安市洪泽区人民政府` but its parent.
    let mut l = long.chars().skip(1);
    let mut dropped_region = false;
    let subsequence = s.all(|c| {
        for d in l.by_ref() {
            if d == c {
                return true;
            }
            dropped_region |= REGION_ENDINGS.contains(&d);
        }
        false
    });
    (subsequence && !dropped_region).then_some(Shortening::Abbreviated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plausible_names() {
        for name in [
            "淮安市洪泽区人民政府",
            "沭阳县发展和改革局",
            "平潭综合实验区",
            "上海市科委",
            "北京市密云区卫生健康委员会",
            "审计局",
        ] {
            assert!(plausible(name), "{name}");
        }
        for name in ["本机关", "我局", "首页政务公开", "年度报告", "局", ""] {
            assert!(!plausible(name), "{name}");
        }
    }

    #[test]
    fn keys_write_out_the_short_forms_of_a_government() {
        assert_eq!(key("××县政府办"), key("××县人民政府办公室"));
        assert_eq!(key("××县政府办公室"), key("××县人民政府办公室"));
        assert_eq!(key("××县政府"), key("××县人民政府"));
        assert_eq!(key("××县"), key("××县人民政府"));
        assert_eq!(key("平潭综合实验区管委会"), key("平潭综合实验区管理委员会"));
        assert_eq!(key("淮安市 洪泽区人民政府"), key("淮安市洪泽区人民政府"));
        assert_ne!(key("××县人民政府"), key("××县人民政府办公室"));
        assert_ne!(key("××县财政局"), key("××县人民政府"));
    }

    #[test]
    fn shortenings() {
        let k = key;
        assert_eq!(
            shortening(&k("洪泽区人民政府"), &k("淮安市洪泽区人民政府")),
            Some(Shortening::Qualified)
        );
        assert_eq!(
            shortening(&k("沭阳县发改局"), &k("沭阳县发展和改革局")),
            Some(Shortening::Abbreviated)
        );
        // Another body: a department of the government, a different ending.
        assert_eq!(
            shortening(&k("沭阳县人民政府"), &k("沭阳县人民政府办公室")),
            None
        );
        // Not a region in front.
        assert_eq!(
            shortening(&k("卫生健康局"), &k("沙河市卫生健康局")),
            Some(Shortening::Qualified)
        );
        assert_eq!(shortening(&k("健康局"), &k("沙河市卫生健康局")), None);
        assert_eq!(
            shortening(&k("沭阳县财政局"), &k("沭阳县发展和改革局")),
            None
        );
        // A parent body is not an abbreviation of its child.
        assert_eq!(
            shortening(&k("淮安市人民政府"), &k("淮安市洪泽区人民政府")),
            None
        );
        assert_eq!(
            shortening(&k("上海市科委"), &k("上海市科学技术委员会")),
            None,
            "委 does not end 委员会"
        );
        assert_eq!(shortening(&k("a"), &k("a")), None);
    }
}
