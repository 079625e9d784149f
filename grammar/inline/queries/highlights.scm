; Highlights of the inline content of 政府信息公开工作年度报告 lines: the grammar nianbao_inline, which
; ../../queries/injections.scm injects into each line of the block grammar nianbao. The block
; grammar's highlights.scm captures the lines themselves (title, heading, page_number); these
; captures are its inline tokens, layered over the line's capture.
;
; Capture names follow the common editor conventions (nvim-treesitter, Helix, Zed). In
; tree-sitter-highlight a node takes the capture of the first pattern that matches it, and a child
; capture wins over its parent's inside the child's range, so general patterns come after the
; specific ones.

; ---------------------------------------------------------------- structure

; `(一)组织领导情况。为贯彻落实…`: a subheading is often a whole paragraph, so only its number.
(subheading
  (item_number) @markup.heading.3)

; `1.` / `一是` starting a paragraph, and the row-label markers of table cells
; (`四、结转下年度继续办理`, `（三）不予公开`, `1.属于国家秘密`).
(paragraph
  (enumerator) @markup.list)

(cell
  [
    (section_number)
    (item_number)
    (enumerator)
  ] @markup.list)

; A converter's Markdown mark opening a paragraph line (`## 表三：…`, `#### 一是…`); before a
; heading or subheading the mark is part of its number token.
(markdown_marker) @punctuation.special

; ---------------------------------------------------------------- tables

; Totals: `总计`, `（七）总计`, `总 计` (justified) in any table encoding.
((cell) @keyword
  (#match? @keyword "总\\s*计"))

(table_row
  "|" @punctuation.delimiter)

(delimiter) @punctuation.delimiter

; ---------------------------------------------------------------- inline

(number) @number

; `第二十条第（一）项`, `第十六条第二款`
(statute_ref) @constant

(date) @string.special

(emphasis) @markup.strong

(autolink) @markup.link.url
