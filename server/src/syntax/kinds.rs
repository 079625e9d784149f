//! Node kinds of the block grammar (`grammar/grammar.js`), named once so the model never spells a
//! string twice. The inline kinds (numbers, statute references, cells…) belong to the injected
//! `nianbao_inline` grammar, which only editors' highlighting reads.

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
