//! Node kinds of the grammar (`grammar/grammar.js`), named once so the model never spells a
//! string twice.

pub const DOCUMENT: &str = "document";
pub const TITLE: &str = "title";
pub const SECTION: &str = "section";
pub const HEADING: &str = "heading";
pub const SUBHEADING: &str = "subheading";
pub const PARAGRAPH: &str = "paragraph";
pub const PAGE_NUMBER: &str = "page_number";
pub const TABLE: &str = "table";
pub const TABLE_ROW: &str = "table_row";
pub const CELL_LINE: &str = "cell_line";
pub const CONTINUATION: &str = "continuation";
pub const CELL: &str = "cell";
pub const SECTION_NUMBER: &str = "section_number";
pub const ITEM_NUMBER: &str = "item_number";
pub const ENUMERATOR: &str = "enumerator";
pub const NUMBER: &str = "number";
pub const STATUTE_REF: &str = "statute_ref";
pub const DATE: &str = "date";
pub const EMPHASIS: &str = "emphasis";
pub const AUTOLINK: &str = "autolink";
pub const DELIMITER: &str = "delimiter";
