/**
 * Tree-sitter grammar for 政府信息公开工作年度报告 (government information-disclosure annual reports)
 * as they reach an editor: plain text or light Markdown, with the three fixed tables written as
 * TAB-separated rows, `|` rows, or one cell per line (see ../shared/spec/layouts.md).
 *
 * This is the block grammar: it classifies lines and groups them, nothing finer. Every line is
 * one token of the external scanner (src/scanner.c), which reads the whole line once and says
 * what it is; which row is which template row is the model's job (server/src/model). The inline
 * tokens (numbers, statute references, dates, markers, cells) are a second grammar,
 * `nianbao_inline` (inline/), injected into each line for highlighting — the split of
 * tree-sitter-markdown. Parsing a line as one token costs about a fifth of parsing its inline
 * tokens, and the language server needs only the line kinds.
 *
 * The grammar is total: every line of any input is one of the line kinds below, in every state,
 * so no text makes an ERROR node.
 *
 * Line kinds (leaves, from the line's first character that is not space through its newline):
 *   title         `〈机关〉2020年政府信息公开工作年度报告` on a line of its own, before the first heading
 *   heading       `一、总体情况`, with a converter's Markdown mark (`## 一、`, `**一、`)
 *   subheading    `（一）主动公开情况`, `### （二）…`
 *   paragraph     any other line of text
 *   page_number   `- 3 -`, `— 1 —`, `P. 9`, `Page 9 - 2020年报_审计局`, `第 3 页`
 *   table_row     cells separated by TAB or `|`: `规章⇥⇥0⇥0⇥0`, `| 规章 | 0 |`, `|---|---|`
 *   cell_line     one TAB-prefixed cell (layout 1b); `⇥` alone is an empty cell
 *   continuation  a line of text directly after a cell_line or continuation: a header cell
 *                 broken over two lines (`⇥本年新` / `制作数量`)
 * Grouping: a `section` runs from one heading to the next; a `table` is a run of table lines
 * (blank lines and page numbers between them included).
 *
 * @file nianbao grammar
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

// Horizontal space: every Unicode White_Space character but TAB and LF, and the BOM (the set of
// Rust's `char::is_whitespace` less TAB and LF, plus U+FEFF). The scanner skips it before a line;
// it is an extra only so that spaces before the end of the input (where no line starts) parse.
const SPACE =
  '\\r \\f\\v\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

export default grammar({
  name: 'nianbao',

  extras: (_) => [new RegExp(`[${SPACE}]+`)],

  // Every line token comes from the scanner, which sees the parser's state through the valid
  // symbols: a title only before the first heading, a continuation only after a cell line.
  externals: ($) => [
    $.title,
    $.heading,
    $.subheading,
    $.paragraph,
    $.page_number,
    $.table_row,
    $.cell_line,
    $.continuation,
    $._blank_line,
    $._error_sentinel,
  ],

  rules: {
    // After a section, a block would join it (prec.right): the document allows blocks there only
    // so that the state after a section expects the same tokens as the state inside one. The
    // external scanner's tokens are reused on reparse only in a state with the same valid tokens
    // as the one they were read in — and a heading is read inside the section before it, then
    // shifted after that section is reduced; with the same tokens valid in both, an edit reparses
    // its own section instead of every heading after it.
    document: ($) =>
      seq(
        repeat(choice($.title, $._block)),
        optional(seq($.section, repeat(choice($.section, $._block)))),
      ),

    section: ($) => prec.right(seq($.heading, repeat($._block))),

    _block: ($) => choice($.subheading, $.paragraph, $.page_number, $.table, $._blank_line),

    // A run of table lines; blank lines and page numbers between them stay inside (greedy, so a
    // table's trailing blank lines are its own).
    table: ($) =>
      prec.right(seq($._table_line, repeat(choice($._table_line, $.page_number, $._blank_line)))),

    _table_line: ($) => prec.right(choice($.table_row, seq($.cell_line, repeat($.continuation)))),
  },
});
