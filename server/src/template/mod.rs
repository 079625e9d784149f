//! The two official report formats as data: `data/templates/f2019.toml`, `data/templates/f2021.toml`.
//!
//! Checks, hovers, quick-fixes and the formatter all read the structure from here (sections, table
//! blocks, rows, columns, the arithmetic relations, the markers that tell the formats apart); nothing else
//! hard-codes a label. The legal meaning of each part (statute references, plain-language explanations) is
//! in [`crate::statute`], keyed by the stable ids used here; accessors such as [`Table3Row::annotation`]
//! join the two.
//!
//! Adding a format for a new year: write `data/templates/fYYYY.toml` after the existing ones, add a variant
//! to [`TemplateId`] and one line to `SOURCES`. Everything else (year selection, relations, markers) is
//! read from the file.
//!
//! All labels are kept in the official full-width form; compare them through their precomputed matching
//! keys ([`crate::normalize::key`]).

use std::sync::{Mutex, OnceLock};

use serde::Deserialize;

use crate::diagnostics::Code;
use crate::normalize::{self, key};
use crate::statute::{self, Annotation, StatuteRef, Subject};

#[cfg(test)]
mod tests;

/// One of the official formats: an index into the registry of formats (the embedded data files
/// in file-name order, then any [`register`]ed before first use). What a format *is* lives in its
/// data; the two constants name the embedded ones for tests and for the few places where the
/// difference between exactly these two is the point (format evidence of the 2019 table 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TemplateId(u16);

// The embedded data files (`data/templates/*.toml`, found by `build.rs`), in file-name order:
// `EMBEDDED: [(&str, &str); N]` of (path, text).
include!(concat!(env!("OUT_DIR"), "/templates.rs"));

impl TemplateId {
    /// 《中华人民共和国政府信息公开工作年度报告格式（试行）》, reports on 2019 and 2020 (`f2019.toml`).
    pub const F2019: TemplateId = TemplateId(0);
    /// 《中华人民共和国政府信息公开工作年度报告格式》, reports on 2021 and later (`f2021.toml`).
    pub const F2021: TemplateId = TemplateId(1);

    /// Every format, in registry order (oldest embedded first).
    pub fn all() -> impl Iterator<Item = TemplateId> + Clone {
        (0..templates().len()).filter_map(|i| u16::try_from(i).ok().map(TemplateId))
    }

    /// Every format, the newest first (by the first year it covers).
    pub fn newest_first() -> Vec<TemplateId> {
        let mut all: Vec<TemplateId> = TemplateId::all().collect();
        all.sort_by_key(|t| std::cmp::Reverse(template(*t).years.first));
        all
    }

    /// The format's id in its data file: `"2019"`, `"2021"` (the `template` field of the JSON output).
    pub fn as_str(self) -> &'static str {
        template(self).id.as_str()
    }

    /// Reads a data file's id (`"2019"` / `"2021"`).
    pub fn parse(s: &str) -> Option<TemplateId> {
        TemplateId::all().find(|id| id.as_str() == s)
    }

    /// The format prescribed for reports on `year` (the year the data covers, not the publication
    /// year); `None` before the first format. Of the formats whose years contain it, the one that
    /// starts last: a newer format takes over from an open-ended older one.
    pub fn for_year(year: u32) -> Option<TemplateId> {
        TemplateId::all()
            .filter(|t| template(*t).years.contains(year))
            .max_by_key(|t| template(*t).years.first)
    }

    /// The newest format (the one whose years start last): what a report is judged against
    /// when its year and tables do not tell.
    pub fn latest() -> TemplateId {
        TemplateId::newest_first()
            .first()
            .copied()
            .unwrap_or(TemplateId::F2021)
    }

    /// The format's data.
    pub fn template(self) -> &'static Template {
        template(self)
    }
}

impl std::fmt::Display for TemplateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats registered at run time, waiting for the registry to be built.
static PENDING: Mutex<Vec<Template>> = Mutex::new(Vec::new());

static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();

/// The registry: built on first use from the embedded files and the registered ones. An
/// embedded file that does not load is a build defect (a test loads each), hence the panic.
fn registry() -> &'static [Template] {
    TEMPLATES.get_or_init(|| {
        let mut all: Vec<Template> = EMBEDDED
            .iter()
            .map(|&(path, text)| {
                load(text).unwrap_or_else(|e| panic!("embedded template {path} is invalid: {e}"))
            })
            .collect();
        all.extend(
            PENDING
                .lock()
                .map(|mut p| std::mem::take(&mut *p))
                .unwrap_or_default(),
        );
        for (i, t) in all.iter_mut().enumerate() {
            t.index = i;
        }
        all
    })
}

/// Adds a format from the text of a template file — a new year is data, not code. Only before
/// the registry is first used (the first analysis): every cache of labels and rows is built from
/// the registry once. Errors: the file does not load, its id is taken, or it is too late.
pub fn register(text: &str) -> Result<(), String> {
    if TEMPLATES.get().is_some() {
        return Err("the templates are already in use: register before the first analysis".into());
    }
    let t = load(text)?;
    let mut pending = PENDING
        .lock()
        .map_err(|_| "template registry poisoned".to_string())?;
    let taken = pending.iter().any(|p| p.id == t.id)
        || EMBEDDED
            .iter()
            .any(|(_, text)| load(text).is_ok_and(|e| e.id == t.id));
    if taken {
        return Err(format!("a template with id `{}` exists already", t.id));
    }
    pending.push(t);
    Ok(())
}

/// The data of one format.
pub fn template(id: TemplateId) -> &'static Template {
    let all = registry();
    &all[usize::from(id.0).min(all.len().saturating_sub(1))]
}

/// All formats, in registry order.
pub fn templates() -> &'static [Template] {
    registry()
}

/// The formats a label marks (the formats whose markers list it, see [`Marker`]), given the
/// label's key: `None` when it is no format's marker.
pub fn marked_by(label_key: &str) -> Option<(Vec<TemplateId>, &'static Marker)> {
    let mut marker = None;
    let formats: Vec<TemplateId> = templates()
        .iter()
        .filter(|t| {
            let found = t.markers.iter().find(|m| m.key == label_key);
            marker = marker.or(found);
            found.is_some()
        })
        .map(Template::template_id)
        .collect();
    marker.map(|m| (formats, m))
}

// ---------------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------------

/// One official report format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The format's id (`"2019"`, `"2021"`): what `--template` and the JSON `template` say.
    pub id: String,
    /// Its place in the registry.
    #[serde(skip)]
    index: usize,
    /// The format's official name, e.g. `中华人民共和国政府信息公开工作年度报告格式`.
    pub name: String,
    /// The notice that issued it, e.g. `国办公开办函〔2021〕30号`.
    pub document: String,
    /// The report years it applies to.
    pub years: YearRange,
    /// The six top-level sections, in order.
    pub sections: Vec<SectionSpec>,
    pub table2: Table2Spec,
    pub table3: Table3Spec,
    pub table4: Table4Spec,
    /// The arithmetic relations of `rules.md`, for the checks to iterate over.
    pub relations: Vec<Relation>,
    /// Labels only this format has (template detection, `template-mismatch`).
    pub markers: Vec<Marker>,
    /// Each table-4 column's name with its group (`行政复议 · 结果维持`), made on first use: every
    /// table-4 relation of every report names its operands.
    #[serde(skip)]
    table4_names: OnceLock<Vec<String>>,
}

/// Report years `first..=last` (`last = None`: open-ended).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearRange {
    pub first: u32,
    #[serde(default)]
    pub last: Option<u32>,
}

impl YearRange {
    pub fn contains(&self, year: u32) -> bool {
        year >= self.first && self.last.is_none_or(|l| year <= l)
    }
}

/// Which of the three fixed tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableId {
    /// 主动公开政府信息情况 (section 二).
    Table2,
    /// 收到和处理政府信息公开申请情况 (section 三).
    Table3,
    /// 政府信息公开行政复议、行政诉讼情况 (section 四).
    Table4,
}

impl TableId {
    /// `表二` … `表四`.
    pub fn label(self) -> &'static str {
        match self {
            TableId::Table2 => "表二",
            TableId::Table3 => "表三",
            TableId::Table4 => "表四",
        }
    }
}

/// How well a text matched a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelMatch {
    /// The official label (after normalisation).
    Exact,
    /// A listed variant (other wording, known typo).
    Variant,
    /// Within the given number of character edits of the official label or a variant.
    Fuzzy(usize),
}

impl LabelMatch {
    /// Lower is better: Exact 0, Variant 1, Fuzzy(n) 1 + n.
    pub fn rank(self) -> usize {
        match self {
            LabelMatch::Exact => 0,
            LabelMatch::Variant => 1,
            LabelMatch::Fuzzy(n) => 1 + n,
        }
    }
}

/// Matches `k` against the keys of a label (`keys[0]` official, the rest variants).
fn match_keys(keys: &[String], k: &str, max_edits: usize) -> Option<LabelMatch> {
    let (official, variants) = keys.split_first()?;
    if official == k {
        return Some(LabelMatch::Exact);
    }
    if variants.iter().any(|v| v == k) {
        return Some(LabelMatch::Variant);
    }
    if max_edits == 0 {
        return None;
    }
    keys.iter()
        .filter_map(|v| normalize::edit_distance_within(v, k, max_edits))
        .min()
        .map(LabelMatch::Fuzzy)
}

fn label_keys(label: &str, variants: &[String]) -> Vec<String> {
    std::iter::once(label)
        .chain(variants.iter().map(String::as_str))
        .map(key)
        .collect()
}

// --- sections -----------------------------------------------------------------------------------------

/// One of the six top-level sections.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// 1 … 6.
    pub number: u8,
    /// `一` … `六`.
    pub numeral: String,
    /// The official title without the numeral: `总体情况`.
    pub title: String,
    /// The table the section holds (二 → Table 2, 三 → Table 3, 四 → Table 4); `None` for prose.
    #[serde(default)]
    pub table: Option<TableId>,
    /// Title wordings seen in real reports.
    #[serde(default)]
    pub variants: Vec<TitleVariant>,
    /// Words the section is expected to mention (a warning when absent), e.g. F2021 六 `信息处理费`.
    #[serde(default)]
    pub expect_mentions: Vec<String>,
    #[serde(skip)]
    heading: String,
    #[serde(skip)]
    title_key: String,
}

/// A title wording other than the official one.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleVariant {
    /// Without the numeral.
    pub title: String,
    pub status: VariantStatus,
    /// Where it was seen.
    pub source: String,
    #[serde(skip)]
    key: String,
}

/// How to treat a title variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantStatus {
    /// Seen in real reports; accept (a hint at most).
    Accepted,
    /// Plausible, not verified as a heading; accept with a warning.
    Unverified,
    /// The pre-2019 layout: the report follows an outdated format.
    Legacy,
}

/// How a section title matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleMatch<'a> {
    Official,
    Variant(&'a TitleVariant),
}

impl SectionSpec {
    /// The official heading line: `一、总体情况`.
    pub fn heading(&self) -> &str {
        &self.heading
    }

    /// The matching key of the official title (without the numeral).
    pub fn title_key(&self) -> &str {
        &self.title_key
    }

    /// Matches a title key (the heading without its numeral and `、`).
    pub fn match_title(&self, title_key: &str) -> Option<TitleMatch<'_>> {
        if self.title_key == title_key {
            return Some(TitleMatch::Official);
        }
        self.variants
            .iter()
            .find(|v| v.key == title_key)
            .map(TitleMatch::Variant)
    }

    /// The statute annotation: which item of 条例第五十条 requires the section, and what it covers.
    pub fn annotation(&self) -> Option<&'static Annotation> {
        statute::annotation(Subject::Section(self.number))
    }
}

impl TitleVariant {
    pub fn key(&self) -> &str {
        &self.key
    }
}

// --- columns ------------------------------------------------------------------------------------------

/// What a value cell holds (`rules.md` §2, §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A non-negative integer.
    Count,
    /// A signed integer change (F2019 `本年增/减`: `-2`, `+81`, `减47`).
    SignedChange,
    /// A non-negative amount, decimals allowed, unit from the header or the cell (F2019 `采购总金额`).
    Amount,
    /// A non-negative amount in 万元, decimals allowed (F2021 `本年收费金额（单位：万元）`).
    AmountWan,
}

impl ValueKind {
    pub fn allows_negative(self) -> bool {
        self == ValueKind::SignedChange
    }

    pub fn allows_decimal(self) -> bool {
        matches!(self, ValueKind::Amount | ValueKind::AmountWan)
    }

    /// Chinese name for messages: `件数`, `增减数`, `金额`, `金额（万元）`.
    pub fn describe(self) -> &'static str {
        match self {
            ValueKind::Count => "非负整数",
            ValueKind::SignedChange => "整数增减值",
            ValueKind::Amount => "金额",
            ValueKind::AmountWan => "金额（万元）",
        }
    }
}

/// A value column of Table 2 or Table 3.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Stable id (`made`, `decisions`, `natural`, `total`, …).
    pub id: String,
    /// The official header text.
    pub label: String,
    pub kind: ValueKind,
    /// The spanning header above it (Table 3: `法人或其他组织`).
    #[serde(default)]
    pub parent: Option<String>,
    /// Whether the column is the total of the others (Table 3 `总计`).
    #[serde(default)]
    pub total: bool,
    /// Other header wordings (e.g. with a unit).
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(skip)]
    keys: Vec<String>,
    #[serde(skip)]
    table: Option<TableId>,
}

impl ColumnSpec {
    /// Matching keys: the official header first, then the variants.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn match_label(&self, label_key: &str, max_edits: usize) -> Option<LabelMatch> {
        match_keys(&self.keys, label_key, max_edits)
    }

    /// Plain-language explanation (hovers).
    pub fn annotation(&self) -> Option<&'static Annotation> {
        match self.table? {
            TableId::Table2 => statute::annotation(Subject::Table2Column(&self.id)),
            TableId::Table3 => statute::annotation(Subject::Table3Column(&self.id)),
            TableId::Table4 => None,
        }
    }
}

// --- table 2 ------------------------------------------------------------------------------------------

/// Table 2: a stack of blocks, one per cited item of 条例第二十条.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2Spec {
    /// The first header cell of every block: `信息内容`.
    pub header_label: String,
    pub blocks: Vec<Table2Block>,
}

/// One block of Table 2: caption row, header row, data rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2Block {
    /// Stable id: `a20_1`, `a20_5`, `a20_6`, `a20_8`, `a20_9`.
    pub id: String,
    /// The caption, a statute reference: `第二十条第（一）项`.
    pub caption: String,
    pub columns: Vec<ColumnSpec>,
    pub rows: Vec<Table2Row>,
    #[serde(skip)]
    caption_key: String,
    #[serde(skip)]
    statute_ref: Option<StatuteRef>,
}

impl Table2Block {
    pub fn caption_key(&self) -> &str {
        &self.caption_key
    }

    /// The caption as a statute reference (validated at load).
    pub fn statute_ref(&self) -> Option<StatuteRef> {
        self.statute_ref
    }

    pub fn column(&self, id: &str) -> Option<&ColumnSpec> {
        self.columns.iter().find(|c| c.id == id)
    }

    pub fn row(&self, id: &str) -> Option<&Table2Row> {
        self.rows.iter().find(|r| r.id == id)
    }
}

/// A data row of a Table 2 block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table2Row {
    /// Stable id: `regulations`, `normative_documents`, `licensing`, …
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub variants: Vec<String>,
    /// Known local sub-rows in an extra label column (not official; tolerated).
    #[serde(default)]
    pub sub_labels: Vec<String>,
    #[serde(skip)]
    keys: Vec<String>,
}

impl Table2Row {
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn match_label(&self, label_key: &str, max_edits: usize) -> Option<LabelMatch> {
        match_keys(&self.keys, label_key, max_edits)
    }
}

// --- table 3 ------------------------------------------------------------------------------------------

/// Table 3: 7 value columns, one row per count.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3Spec {
    /// The top-left note stating the cross-check.
    pub note: String,
    /// The header spanning all value columns: `申请人情况`.
    pub applicant_header: String,
    /// The 7 value columns, in order.
    pub columns: Vec<ColumnSpec>,
    /// Non-official columns some software adds, with what they must equal.
    #[serde(default)]
    pub unofficial_columns: Vec<UnofficialColumn>,
    /// Every data row in order.
    pub rows: Vec<Table3Row>,
    /// Accepted deviations where one row stands for several official rows.
    #[serde(default)]
    pub collapses: Vec<Table3Collapse>,
    #[serde(skip)]
    note_key: String,
}

impl Table3Spec {
    pub fn note_key(&self) -> &str {
        &self.note_key
    }
}

/// A non-official column (e.g. `法人或其他组织小计`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnofficialColumn {
    pub label: String,
    /// Column ids it must be the sum of.
    pub sum_of: Vec<String>,
}

/// The group a Table 3 row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table3Group {
    /// 一、本年新收
    New,
    /// 二、上年结转
    Carried,
    /// （一）予以公开
    Open,
    /// （二）部分公开
    Partial,
    /// （三）不予公开 (items 1–8)
    Refused,
    /// （四）无法提供 (items 1–3)
    Unable,
    /// （五）不予处理 (items 1–5)
    NotHandled,
    /// （六）其他处理 (F2021: items 1–3)
    Other,
    /// （七）总计
    Total,
    /// 四、结转下年度继续办理
    CarryNext,
}

impl Table3Group {
    /// The id used in the data files and in [`Subject::Table3Group`].
    pub fn as_str(self) -> &'static str {
        match self {
            Table3Group::New => "new",
            Table3Group::Carried => "carried",
            Table3Group::Open => "open",
            Table3Group::Partial => "partial",
            Table3Group::Refused => "refused",
            Table3Group::Unable => "unable",
            Table3Group::NotHandled => "not_handled",
            Table3Group::Other => "other",
            Table3Group::Total => "total",
            Table3Group::CarryNext => "carry_next",
        }
    }

    /// Whether rows of this group are results counted into （七）总计.
    pub fn is_result(self) -> bool {
        matches!(
            self,
            Table3Group::Open
                | Table3Group::Partial
                | Table3Group::Refused
                | Table3Group::Unable
                | Table3Group::NotHandled
                | Table3Group::Other
        )
    }
}

/// One data row of Table 3.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3Row {
    /// Stable id: `new`, `carried`, `r1_open`, `r2_partial`, `r3_1`…`r3_8`, `r4_1`…`r4_3`, `r5_1`…`r5_5`,
    /// `r6` (F2019) or `r6_1`…`r6_3` (F2021), `total`, `carry_next`.
    pub id: String,
    pub group: Table3Group,
    /// The number of a numbered item (`1.属于国家秘密` → 1).
    #[serde(default)]
    pub item: Option<u8>,
    /// The level-1 label the row belongs under (`三、本年度办理结果`), also where the text omits it.
    pub level1: String,
    /// The level-2 label (`（三）不予公开`), if any.
    #[serde(default)]
    pub level2: Option<String>,
    /// The level-3 label (`1.属于国家秘密`), if any.
    #[serde(default)]
    pub level3: Option<String>,
    /// Variants of the row's own label ([`Table3Row::label`]), e.g. known typos.
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(skip)]
    keys: Vec<String>,
    #[serde(skip)]
    shows_level1: bool,
    #[serde(skip)]
    shows_level2: bool,
}

impl Table3Row {
    /// The most specific label: level 3, else level 2, else level 1.
    pub fn label(&self) -> &str {
        self.level3
            .as_deref()
            .or(self.level2.as_deref())
            .unwrap_or(&self.level1)
    }

    /// The labels in the order of the label columns, for display: `（三）不予公开 1.属于国家秘密`.
    pub fn display_label(&self) -> String {
        match (&self.level2, &self.level3) {
            (Some(l2), Some(l3)) => format!("{l2} {l3}"),
            (Some(l2), None) => l2.clone(),
            _ => self.level1.clone(),
        }
    }

    /// Matching keys of [`Table3Row::label`]: official first, then variants.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn match_label(&self, label_key: &str, max_edits: usize) -> Option<LabelMatch> {
        match_keys(&self.keys, label_key, max_edits)
    }

    /// Whether the row's text line carries the level-1 label (the first row under it).
    pub fn shows_level1(&self) -> bool {
        self.shows_level1
    }

    /// Whether the row's text line carries the level-2 label (the group's first item, or a single row).
    pub fn shows_level2(&self) -> bool {
        self.shows_level2
    }

    /// A result row counted into （七）总计.
    pub fn is_result(&self) -> bool {
        self.group.is_result()
    }

    /// Statute references and explanation (hovers, `nianbao explain`).
    pub fn annotation(&self) -> Option<&'static Annotation> {
        statute::annotation(Subject::Table3Row(&self.id))
    }
}

/// An accepted deviation: one row in place of several official rows (F2021 （六） without its items).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table3Collapse {
    /// The official row ids it stands for; relations naming them use this row instead.
    pub replaces: Vec<String>,
    /// What to tell the user (template deviation).
    pub note: String,
    pub row: Table3Row,
}

// --- table 4 ------------------------------------------------------------------------------------------

/// Table 4: 15 value columns in three groups, one data row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table4Spec {
    pub groups: Vec<Table4GroupSpec>,
    pub columns: Vec<Table4Column>,
}

/// The three column groups of Table 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table4Group {
    /// 行政复议
    Review,
    /// 行政诉讼 / 未经复议直接起诉
    Direct,
    /// 行政诉讼 / 复议后起诉
    AfterReview,
}

/// A column group's header.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table4GroupSpec {
    pub id: Table4Group,
    /// `行政复议`, `未经复议直接起诉`, `复议后起诉`.
    pub label: String,
    /// `行政诉讼` for the two litigation groups.
    #[serde(default)]
    pub parent: Option<String>,
}

impl Table4GroupSpec {
    /// The group with its parent: `行政复议`, `行政诉讼 · 复议后起诉`.
    pub fn name(&self) -> String {
        match &self.parent {
            Some(parent) => format!("{parent} · {}", self.label),
            None => self.label.clone(),
        }
    }
}

/// One of the 15 value columns of Table 4.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table4Column {
    /// Stable id: `review_upheld` … `after_total`.
    pub id: String,
    pub group: Table4Group,
    /// `结果维持`, `结果纠正`, `其他结果`, `尚未审结`, `总计`.
    pub label: String,
    /// Whether it is its group's total (columns 5, 10, 15).
    #[serde(default)]
    pub total: bool,
    #[serde(skip)]
    key: String,
}

impl Table4Column {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Values are counts.
    pub fn kind(&self) -> ValueKind {
        ValueKind::Count
    }

    pub fn annotation(&self) -> Option<&'static Annotation> {
        statute::annotation(Subject::Table4Column(&self.id))
    }
}

// --- relations and markers -----------------------------------------------------------------------------

/// What the terms of a relation name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TermAxis {
    /// Terms are row ids; the relation holds in every column (T3-BAL, T3-RES).
    Rows,
    /// Terms are column ids; the relation holds in every row (T3-COL, T4-SUM).
    Columns,
}

/// A rule of `rules.md` (its id is typed: an unknown id in a template file is a load error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum Rule {
    /// Table 3, every column: 一 + 二 = （七） + 四 (the stated 勾稽关系).
    #[serde(rename = "T3-BAL")]
    T3Bal,
    /// Table 3, every column: （七）总计 = Σ result rows.
    #[serde(rename = "T3-RES")]
    T3Res,
    /// Table 3, every row: 总计 = Σ six applicant columns.
    #[serde(rename = "T3-COL")]
    T3Col,
    /// Table 4, each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
    #[serde(rename = "T4-SUM")]
    T4Sum,
}

impl Rule {
    /// The id of `rules.md`: `T3-BAL`, `T3-RES`, `T3-COL`, `T4-SUM`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::T3Bal => "T3-BAL",
            Rule::T3Res => "T3-RES",
            Rule::T3Col => "T3-COL",
            Rule::T4Sum => "T4-SUM",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An arithmetic relation: `sum(lhs) = sum(rhs)`, exact (tolerance 0), blank parts read as 0.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relation {
    /// Unique id: `T3-BAL`, `T3-RES`, `T3-COL`, `T4-SUM-review`, `T4-SUM-direct`, `T4-SUM-after_review`.
    pub id: String,
    /// The rule of `rules.md` it instantiates.
    pub rule: Rule,
    /// The diagnostic code when violated (`balance-mismatch`, `sum-mismatch`): a code of the
    /// registry, checked at load.
    pub code: Code,
    pub table: TableId,
    pub terms: TermAxis,
    pub lhs: Vec<String>,
    pub rhs: Vec<String>,
    /// The cell the diagnostic points at and a quick-fix sets (one of `lhs`/`rhs`).
    pub target: String,
    /// Restricts the relation to these columns (for `Rows`) or rows (for `Columns`); empty = all.
    #[serde(default)]
    pub over: Vec<String>,
    /// Chinese statement of the relation.
    pub description: String,
    /// For a plain sum (the target alone on its side): what its parts are called in messages,
    /// `六类申请人` → “六类申请人之和”. Required for a plain sum.
    #[serde(default)]
    pub parts_name: Option<String>,
    /// For any other relation: its name and the statement messages quote, e.g. `勾稽关系` and
    /// `第一项加第二项之和应等于第三项加第四项之和`. Required when not a plain sum.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub statement: Option<String>,
}

impl Relation {
    /// The terms that add up to `target` when it is the only term on its side (a plain sum):
    /// T3-RES → the 19/21 result rows; T4-SUM → the four result columns.
    pub fn parts(&self) -> Option<&[String]> {
        match (self.lhs.as_slice(), self.rhs.as_slice()) {
            (parts, [t]) if *t == self.target => Some(parts),
            ([t], parts) if *t == self.target => Some(parts),
            _ => None,
        }
    }

    /// Whether the relation holds in the given column (for `Rows`) or row (for `Columns`).
    pub fn applies_to(&self, id: &str) -> bool {
        self.over.is_empty() || self.over.iter().any(|o| o == id)
    }
}

/// A label only one format has.
#[derive(Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub text: String,
    /// Where the label occurs.
    pub table: TableId,
    #[serde(skip)]
    key: String,
}

impl Marker {
    /// Compare with whole label keys, never as a substring.
    pub fn key(&self) -> &str {
        &self.key
    }
}

// ---------------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------------

impl Template {
    /// The format's place in the registry.
    pub fn template_id(&self) -> TemplateId {
        TemplateId(u16::try_from(self.index).unwrap_or(u16::MAX))
    }

    /// The section numbered 1 … 6.
    pub fn section_by_number(&self, n: u8) -> Option<&SectionSpec> {
        self.sections.iter().find(|s| s.number == n)
    }

    /// The section whose official title or a variant has this key (heading without numeral).
    pub fn section_by_title(&self, title_key: &str) -> Option<(&SectionSpec, TitleMatch<'_>)> {
        self.sections
            .iter()
            .find_map(|s| s.match_title(title_key).map(|m| (s, m)))
    }

    /// Table 2 blocks in order.
    pub fn table2_blocks(&self) -> &[Table2Block] {
        &self.table2.blocks
    }

    pub fn table2_block(&self, id: &str) -> Option<&Table2Block> {
        self.table2.blocks.iter().find(|b| b.id == id)
    }

    /// The block whose caption has this key (`第二十条第(五)项`).
    pub fn table2_block_by_caption(&self, caption_key: &str) -> Option<&Table2Block> {
        self.table2
            .blocks
            .iter()
            .find(|b| b.caption_key == caption_key)
    }

    /// The official Table 3 data rows, in order (F2019: 23, F2021: 25).
    pub fn table3_rows(&self) -> &[Table3Row] {
        &self.table3.rows
    }

    /// A Table 3 row by id: an official row, else the row of an accepted collapse (F2021 `r6`).
    pub fn table3_row(&self, id: &str) -> Option<&Table3Row> {
        self.table3
            .rows
            .iter()
            .chain(self.table3.collapses.iter().map(|c| &c.row))
            .find(|r| r.id == id)
    }

    /// The collapse whose row has this id, or which replaces this row id.
    pub fn table3_collapse(&self, id: &str) -> Option<&Table3Collapse> {
        self.table3
            .collapses
            .iter()
            .find(|c| c.row.id == id || c.replaces.iter().any(|r| r == id))
    }

    /// The best-matching Table 3 row for a label key (official rows and collapse rows); ties go to the
    /// earlier row.
    pub fn match_table3_row(
        &self,
        label_key: &str,
        max_edits: usize,
    ) -> Option<(&Table3Row, LabelMatch)> {
        let mut best: Option<(&Table3Row, LabelMatch)> = None;
        for r in self
            .table3
            .rows
            .iter()
            .chain(self.table3.collapses.iter().map(|c| &c.row))
        {
            if let Some(m) = r.match_label(label_key, max_edits)
                && best.is_none_or(|(_, b)| m.rank() < b.rank())
            {
                best = Some((r, m));
            }
        }
        best
    }

    /// The 7 value columns of Table 3.
    pub fn table3_columns(&self) -> &[ColumnSpec] {
        &self.table3.columns
    }

    pub fn table3_column(&self, id: &str) -> Option<&ColumnSpec> {
        self.table3.columns.iter().find(|c| c.id == id)
    }

    /// The 15 value columns of Table 4.
    pub fn table4_columns(&self) -> &[Table4Column] {
        &self.table4.columns
    }

    /// A table-4 column with its group: `行政复议 · 结果维持`, `行政诉讼 · 复议后起诉 · 总计`
    /// (empty for a column the format does not have).
    pub fn table4_column_name(&self, column: usize) -> &str {
        let names = self.table4_names.get_or_init(|| {
            self.table4
                .columns
                .iter()
                .map(
                    |c| match self.table4.groups.iter().find(|g| g.id == c.group) {
                        Some(g) => format!("{} · {}", g.name(), c.label),
                        None => c.label.clone(),
                    },
                )
                .collect()
        });
        names.get(column).map_or("", String::as_str)
    }

    pub fn table4_column(&self, id: &str) -> Option<&Table4Column> {
        self.table4.columns.iter().find(|c| c.id == id)
    }

    /// All relations (T3-BAL, T3-RES, T3-COL, three T4-SUM).
    pub fn relations(&self) -> &[Relation] {
        &self.relations
    }

    pub fn relation(&self, id: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.id == id)
    }

    /// Labels only this format has.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// Whether a label key is one of this format's markers.
    pub fn is_marker(&self, label_key: &str) -> bool {
        self.markers.iter().any(|m| m.key == label_key)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Loading and validation
// ---------------------------------------------------------------------------------------------------------

/// Parses and validates a template file, filling in the derived fields (keys, headings, statute refs).
pub fn load(text: &str) -> Result<Template, String> {
    let mut t: Template = crate::data::parse(text)?;
    for s in &mut t.sections {
        s.heading = format!("{}、{}", s.numeral, s.title);
        s.title_key = key(&s.title);
        for v in &mut s.variants {
            v.key = key(&v.title);
        }
    }
    for b in &mut t.table2.blocks {
        b.caption_key = key(&b.caption);
        b.statute_ref = statute::parse_reference(&b.caption);
        for c in &mut b.columns {
            c.keys = label_keys(&c.label, &c.variants);
            c.table = Some(TableId::Table2);
        }
        for r in &mut b.rows {
            r.keys = label_keys(&r.label, &r.variants);
        }
    }
    t.table3.note_key = key(&t.table3.note);
    for c in &mut t.table3.columns {
        c.keys = label_keys(&c.label, &c.variants);
        c.table = Some(TableId::Table3);
    }
    let mut prev: Option<(String, Option<String>)> = None;
    for r in &mut t.table3.rows {
        r.keys = label_keys(r.label(), &r.variants);
        r.shows_level1 = prev.as_ref().is_none_or(|(l1, _)| *l1 != r.level1);
        r.shows_level2 = r.level2.is_some()
            && (r.shows_level1 || prev.as_ref().is_none_or(|(_, l2)| *l2 != r.level2));
        prev = Some((r.level1.clone(), r.level2.clone()));
    }
    for c in &mut t.table3.collapses {
        let r = &mut c.row;
        r.keys = label_keys(r.label(), &r.variants);
        r.shows_level2 = r.level2.is_some();
        // It takes the place of the first replaced row: it shows level 1 when that row would.
        let first = c.replaces.first();
        r.shows_level1 = t
            .table3
            .rows
            .iter()
            .find(|o| Some(&o.id) == first)
            .is_some_and(|o| o.shows_level1);
    }
    for c in &mut t.table4.columns {
        c.key = key(&c.label);
    }
    for m in &mut t.markers {
        m.key = key(&m.text);
    }
    validate(&t)?;
    Ok(t)
}

fn unique<'a>(what: &str, ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(format!("duplicate {what} id `{id}`"));
        }
    }
    Ok(())
}

fn validate(t: &Template) -> Result<(), String> {
    // Sections 1..=6 in order, numerals consistent.
    if t.sections.len() != 6 {
        return Err(format!("expected 6 sections, found {}", t.sections.len()));
    }
    for (i, s) in t.sections.iter().enumerate() {
        if usize::from(s.number) != i + 1 {
            return Err(format!("section {} out of order", s.number));
        }
        if normalize::chinese_numeral(&s.numeral) != Some(u32::from(s.number)) {
            return Err(format!("section {}: numeral `{}`", s.number, s.numeral));
        }
    }
    for (table, n) in [
        (TableId::Table2, 2u8),
        (TableId::Table3, 3),
        (TableId::Table4, 4),
    ] {
        let holders: Vec<u8> = t
            .sections
            .iter()
            .filter(|s| s.table == Some(table))
            .map(|s| s.number)
            .collect();
        if holders != [n] {
            return Err(format!("{table:?} must be held by section {n} only"));
        }
    }
    // Table 2.
    unique(
        "table2 block",
        t.table2.blocks.iter().map(|b| b.id.as_str()),
    )?;
    for b in &t.table2.blocks {
        let r = b.statute_ref.ok_or_else(|| {
            format!(
                "block {}: caption `{}` is no statute reference",
                b.id, b.caption
            )
        })?;
        if statute::lookup(&r).is_none() {
            return Err(format!(
                "block {}: `{}` is not in data/statute.toml",
                b.id, b.caption
            ));
        }
        if b.columns.is_empty() || b.rows.is_empty() {
            return Err(format!("block {} needs columns and rows", b.id));
        }
        unique("table2 column", b.columns.iter().map(|c| c.id.as_str()))?;
        unique("table2 row", b.rows.iter().map(|r| r.id.as_str()))?;
    }
    // Table 3.
    let t3 = &t.table3;
    unique("table3 column", t3.columns.iter().map(|c| c.id.as_str()))?;
    unique(
        "table3 row",
        t3.rows
            .iter()
            .chain(t3.collapses.iter().map(|c| &c.row))
            .map(|r| r.id.as_str()),
    )?;
    if t3.columns.iter().filter(|c| c.total).count() != 1 {
        return Err("table3 needs exactly one total column".into());
    }
    for r in t3.rows.iter().chain(t3.collapses.iter().map(|c| &c.row)) {
        if r.item.is_some() != r.level3.is_some() {
            return Err(format!(
                "table3 row {}: `item` and `level3` go together",
                r.id
            ));
        }
        if r.level3.is_some() && r.level2.is_none() {
            return Err(format!("table3 row {}: level3 without level2", r.id));
        }
    }
    for c in &t3.collapses {
        if c.replaces.is_empty() {
            return Err(format!("collapse {} replaces nothing", c.row.id));
        }
        for id in &c.replaces {
            if !t3.rows.iter().any(|r| &r.id == id) {
                return Err(format!("collapse {} replaces unknown row {id}", c.row.id));
            }
        }
    }
    for u in &t3.unofficial_columns {
        for id in &u.sum_of {
            if t.table3_column(id).is_none() {
                return Err(format!(
                    "unofficial column {}: unknown column {id}",
                    u.label
                ));
            }
        }
    }
    // Table 4.
    unique(
        "table4 column",
        t.table4.columns.iter().map(|c| c.id.as_str()),
    )?;
    for c in &t.table4.columns {
        if !t.table4.groups.iter().any(|g| g.id == c.group) {
            return Err(format!("table4 column {}: group without header", c.id));
        }
    }
    // Relations.
    unique("relation", t.relations.iter().map(|r| r.id.as_str()))?;
    for rel in &t.relations {
        let term_exists = |id: &str| match (rel.table, rel.terms) {
            (TableId::Table3, TermAxis::Rows) => t3.rows.iter().any(|r| r.id == id),
            (TableId::Table3, TermAxis::Columns) => t.table3_column(id).is_some(),
            (TableId::Table4, TermAxis::Columns) => t.table4_column(id).is_some(),
            _ => false,
        };
        let over_exists = |id: &str| match (rel.table, rel.terms) {
            (TableId::Table3, TermAxis::Rows) => t.table3_column(id).is_some(),
            (TableId::Table3, TermAxis::Columns) => t3.rows.iter().any(|r| r.id == id),
            _ => false,
        };
        for id in rel.lhs.iter().chain(&rel.rhs) {
            if !term_exists(id) {
                return Err(format!("relation {}: unknown term {id}", rel.id));
            }
        }
        for id in &rel.over {
            if !over_exists(id) {
                return Err(format!("relation {}: unknown `over` id {id}", rel.id));
            }
        }
        if !rel.lhs.contains(&rel.target) && !rel.rhs.contains(&rel.target) {
            return Err(format!("relation {}: target is not a term", rel.id));
        }
        if !matches!(rel.code, Code::SumMismatch | Code::BalanceMismatch) {
            return Err(format!(
                "relation {}: code {} is not an arithmetic code",
                rel.id, rel.code
            ));
        }
        match (
            rel.parts().is_some(),
            &rel.parts_name,
            &rel.name,
            &rel.statement,
        ) {
            (true, Some(_), None, None) | (false, None, Some(_), Some(_)) => {}
            (true, ..) => {
                return Err(format!(
                    "relation {}: a plain sum needs `parts_name` (and no `name`/`statement`)",
                    rel.id
                ));
            }
            (false, ..) => {
                return Err(format!(
                    "relation {}: needs `name` and `statement` (and no `parts_name`)",
                    rel.id
                ));
            }
        }
    }
    // Markers.
    if t.markers.iter().any(|m| m.key.is_empty()) {
        return Err("empty marker".into());
    }
    Ok(())
}
