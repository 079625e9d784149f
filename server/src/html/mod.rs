//! Saved web pages: the report text read out of a page as published (a portal's article, an
//! HTML file Word saved as `.doc`), with the place in the page of every line and field.
//!
//! Pure: bytes in (and the HTTP charset of a fetched page), text and a source map out
//! ([`read`]). The steps:
//!
//! - [`decode`]: the encoding (byte-order mark, HTTP charset, `<meta charset>`, then a
//!   detector: GBK and GB2312 pages are common);
//! - parsing with a real HTML5 parser (html5ever, through `scraper`);
//! - [`article`]: the element that holds the report, found by its headings and tables, not by
//!   class names; navigation, metadata tables and footers are left out;
//! - [`render`]: that element as layout 1a (`layouts.md`), tables on their full grid, with an
//!   [`crate::extract::SourceMap`] of kind `Html` (`网页表格 3 第 12 行 第 8 格`).

mod article;
mod decode;
mod render;

use std::fmt;

use crate::extract::Extracted;

/// The largest page read (a portal page is 50–500 KB).
pub const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// Why a page could not be read. Displayed in Chinese.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HtmlError {
    TooLarge,
    /// No heading or table of a report anywhere in the page.
    NotReport,
}

impl fmt::Display for HtmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HtmlError::TooLarge => write!(
                f,
                "网页超过 {} MB，不像年报，未读取",
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
            HtmlError::NotReport => write!(
                f,
                "网页中没有找到年报（没有“一、总体情况”等章节标题，也没有年报的表格）：是否存成了目录页或附件下载页？"
            ),
        }
    }
}

impl std::error::Error for HtmlError {}

/// A page as read.
#[derive(Clone, Debug)]
pub struct Page {
    pub extracted: Extracted,
    /// The page's character encoding (`UTF-8`, `GBK`, …).
    pub encoding: &'static str,
    /// The encoding was guessed from the bytes: neither a byte-order mark, the server nor the
    /// page declared it.
    pub encoding_guessed: bool,
}

impl Page {
    /// The text the checks read (what `nianbao convert` prints).
    pub fn text(&self) -> &str {
        &self.extracted.text
    }

    /// What the user should know about how the page was read.
    pub fn notes(&self) -> Vec<String> {
        if self.encoding_guessed && self.encoding != "UTF-8" {
            vec![format!(
                "网页没有声明字符编码，按检测结果 {} 读取",
                self.encoding
            )]
        } else {
            Vec::new()
        }
    }
}

/// Reads a page's bytes; `http_charset` is the charset its server declared, if it was fetched.
pub fn read(bytes: &[u8], http_charset: Option<&str>) -> Result<Page, HtmlError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(HtmlError::TooLarge);
    }
    let decoded = decode::decode(bytes, http_charset);
    let document = scraper::Html::parse_document(&decoded.text);
    let root = document.tree.root();
    let extracted = match article::find(root).and_then(|id| document.tree.get(id)) {
        Some(article) => {
            let mut renderer = render::Renderer::new();
            renderer.walk(article, 0);
            renderer.finish()
        }
        None => {
            // No element holds a heading or a table of its own: a page whose paragraphs are
            // lines of one block (`<br>` after `<br>`). The whole page, then, if its lines read as
            // a report's headings.
            let mut renderer = render::Renderer::new();
            renderer.walk(root, 0);
            let extracted = renderer.finish();
            let headings = extracted
                .text
                .lines()
                .filter(|l| article::is_section_heading(l))
                .count();
            if headings < 2 {
                return Err(HtmlError::NotReport);
            }
            extracted
        }
    };
    Ok(Page {
        extracted,
        encoding: decoded.encoding.name(),
        encoding_guessed: decoded.source == decode::Source::Detected,
    })
}

#[cfg(test)]
mod tests;
