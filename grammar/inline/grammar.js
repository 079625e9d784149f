/**
 * Tree-sitter grammar of the inline content of 政府信息公开工作年度报告 lines: the second half of the
 * split the block grammar `nianbao` (../grammar.js) makes, as tree-sitter-markdown splits
 * `markdown` and `markdown_inline`. The block grammar's line nodes are leaves; its
 * queries/injections.scm injects this grammar into each of them (heading, subheading, paragraph,
 * table_row, cell_line, continuation), one line at a time, so the text parsed here is one line with
 * its newline, or without one at the end of the input. Several lines parse as well (the corpus
 * tests use that).
 *
 * The rules are the line rules and inline tokens of the former one-piece grammar, unchanged; only
 * the block layer is gone. The grammar is total, like the block grammar: every line of any input
 * is one of the line kinds below, never an ERROR.
 *
 * Line kinds:  heading (一、…) · subheading ((一)…) · paragraph · table_row (cells separated by
 *              TAB or `|`) · cell_line (one TAB-prefixed cell) · blank lines (hidden). The block
 *              grammar's title, page_number and continuation are whole-line decisions it makes
 *              alone: a continuation line parsed here is a paragraph (title and page number lines
 *              are not injected).
 * Markdown:    converters put `## ` or `**` before headings (`## 一、总体情况`, `### （二）…`,
 *              `**一、总体情况**`): the number token of a heading or subheading takes the mark
 *              along (one token: `## 一、` opens a heading while `## 表三` opens a paragraph,
 *              which one token of lookahead could not tell apart otherwise); a paragraph line
 *              opens with a `markdown_marker` (`#### 一是…`, `## 表三：…`).
 *
 * @file nianbao_inline grammar
 * @license MIT
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const CN_DIGITS = '一二三四五六七八九十';
// The content of `**…**` emphasis that does not open with a heading's number (`一、`, `（一）`):
// a line `**一、总体情况**` is a bold heading (a `markdown_marker`, then the heading), not emphasis.
const EMPHASIS_CHAR = '[^*\\t|\\r\\n]';
const EMPHASIS_BODY = [
  `[^*\\t|\\r\\n（(${CN_DIGITS}]${EMPHASIS_CHAR}*`,
  `[${CN_DIGITS}]+([^*\\t|\\r\\n、${CN_DIGITS}]${EMPHASIS_CHAR}*)?`,
  `[（(]([^*\\t|\\r\\n${CN_DIGITS}]${EMPHASIS_CHAR}*)?`,
  `[（(][${CN_DIGITS}]+([^*\\t|\\r\\n)）${CN_DIGITS}]${EMPHASIS_CHAR}*)?`,
].join('|');
// Horizontal space: every Unicode White_Space character but TAB, CR and LF (with CR, an extra of
// its own below, the set of Rust's `char::is_whitespace`), and the BOM. The model reads them all
// as space (`model::lines::is_space`); the formatter trims all but the BOM, which it must keep as
// a character yet count as space wherever it decides what a line becomes. Being extras, they
// start no token: no token's text begins with space.
const SPACE =
  ' \\f\\v\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
// Characters that may start an inline token; plain text stops before them.
const SPECIAL = '0-9０-９第减增+\\-－*<|';
const TEXT_RUN = `[^\\t\\r\\n${SPACE}${SPECIAL}]+`;
// A special character that starts no token here is plain text on its own.
const TEXT_SINGLE = '[第减增+\\-－*<]';

// `## ` (ATX: one to six `#` and a space) or `**` (a bold line) before the text of a line.
const MARKDOWN_MARK = choice(/#{1,6}[ \u3000]+/, '**');

// Lexical precedence beats length in tree-sitter: tokens that start alike get one precedence, so
// the longest wins — `**三是…。**` is emphasis, `**一、` a heading's number, `**` alone a mark;
// and all of them win over plain text.
const PREC = {
  marker: 1,
};

export default grammar({
  name: 'nianbao_inline',

  // Horizontal space only: TAB separates cells and newline ends lines, so neither is an extra.
  // A CR is space too, wherever it is (a formatter trims it like any space): `\r\n` is a space
  // and a newline.
  extras: (_) => [new RegExp(`[\\r${SPACE}]+`)],

  // `_row_start` (zero width) opens every line that holds a TAB or `|`: the external scanner looks
  // ahead to the end of the line, so a table line is known before its first cell is read and the
  // grammar stays deterministic. `_eof` ends a last line that has no newline.
  // `_nul` is text made of NUL characters: the generated lexer reads a NUL as the end of the input,
  // so without it a NUL (PDF converters leave them) would be an ERROR.
  // `_row_nul` is the NULs opening a table line: the scanner has to consume them to look ahead
  // for a separator, so they start the row (as its first cell) instead of a zero-width `_row_start`.
  externals: ($) => [$._row_start, $._eof, $._nul, $._row_nul, $._error_sentinel],

  inline: ($) => [$._sep, $._line_marker, $._eol],

  conflicts: (_) => [],

  rules: {
    // A sequence of lines: one when injected, any number in the corpus tests.
    inline: ($) =>
      repeat(
        choice($.heading, $.subheading, $.paragraph, $.table_row, $.cell_line, $._blank_line),
      ),

    heading: ($) => prec.right(seq($.section_number, optional($._inlines), $._eol)),

    subheading: ($) => prec.right(seq($.item_number, optional($._inlines), $._eol)),

    paragraph: ($) =>
      prec.right(
        choice(
          seq($.markdown_marker, optional($._paragraph_body), $._eol),
          seq($._paragraph_body, $._eol),
        ),
      ),

    _paragraph_body: ($) => choice(seq($._enumerator, optional($._inlines)), $._inlines),

    // An ATX heading mark (`#` … `######` and the space after it: `##abc` stays text), or the
    // `**` opening a bold line, at the start of a paragraph line (`#### 一是…`).
    markdown_marker: (_) => token(prec(PREC.marker, MARKDOWN_MARK)),

    // Cells separated by TAB or `|`: `规章⇥⇥0⇥0⇥0`, `| 规章 | 0 |`, `|---|---|`, `0 |`, `|||`.
    table_row: ($) =>
      prec.right(
        seq(
          choice(
            seq(
              $._row_start,
              choice(
                seq($.cell, repeat1(seq($._sep, optional($.cell)))),
                seq($._sep, optional($.cell), repeat1(seq($._sep, optional($.cell)))),
                seq('|', optional($.cell)),
              ),
            ),
            seq(alias($._nul_cell, $.cell), repeat1(seq($._sep, optional($.cell)))),
          ),
          $._eol,
        ),
      ),

    // A first cell that opens with NULs (`␀⇥1`: a row of two cells, as `a⇥1` is).
    _nul_cell: ($) => seq($._row_nul, optional($._inlines)),

    // One cell on a TAB-prefixed line (layout 1b, seed 000); `⇥` alone is an empty cell.
    cell_line: ($) => seq($._row_start, '\t', optional($.cell), $._eol),

    cell: ($) => choice(seq($._line_marker, optional($._inlines)), $._inlines),

    _sep: (_) => choice('\t', '|'),

    _line_marker: ($) => choice($.section_number, $.item_number, $._enumerator),

    _blank_line: ($) => $._newline,

    _newline: (_) => /\n/,

    // A line ends with a newline, or with the end of the input (a file without a final newline).
    _eol: ($) => choice($._newline, $._eof),

    _inlines: ($) => repeat1($._inline),

    _inline: ($) =>
      choice($.number, $.statute_ref, $.date, $.emphasis, $.autolink, $.delimiter, $._text),

    // `一、`: the number of a top-level section (or of a table-3 level-1 row label), with the
    // Markdown mark a converter put before it (`## 一、`, `**一、`).
    section_number: (_) =>
      token(prec(PREC.marker, seq(optional(MARKDOWN_MARK), new RegExp(`[${CN_DIGITS}]+、`)))),

    // `（一）` / `(一)`, with a Markdown mark before it (`### （二）`).
    item_number: (_) =>
      token(
        prec(PREC.marker, seq(optional(MARKDOWN_MARK), new RegExp(`[（(][${CN_DIGITS}]+[)）]`))),
      ),

    // `1.`, `1、`, `1．`, `(1)`, `一是`: one node kind from two tokens. `一是` and `(1)` need
    // precedence over plain text; `1.` must not have it, or the lexer would stop at `10682.` and
    // split the value `10682.4701` of a cell (longest match keeps it one number, while
    // `1.属于国家秘密` still starts with `1.`).
    _enumerator: ($) =>
      choice(alias($._enumerator_digits, $.enumerator), alias($._enumerator_marked, $.enumerator)),

    _enumerator_digits: (_) => token(/[0-9]+[.．、]/),

    _enumerator_marked: (_) =>
      token(prec(PREC.marker, choice(/[（(][0-9]+[)）]/, new RegExp(`[${CN_DIGITS}]+是`)))),

    // Counts, amounts and signed changes: `0`, `2416`, `10682.4701`, `1,234`, `-2`, `+81`, `减47`,
    // `增5`, full-width `１２`.
    number: (_) =>
      token(
        seq(
          optional(choice(/[+\-－]/, '减', '增')),
          /[0-9０-９]+/,
          repeat(/,[0-9]{3}/),
          optional(/[.．][0-9０-９]+/),
        ),
      ),

    // `第二十条第（一）项`, `第二十条 第（一）项`, `第二十条第(五)项`, `第十六条`, `第十六条第二款`.
    statute_ref: (_) =>
      token(
        seq(
          /第[零〇一二三四五六七八九十百]+条/,
          optional(
            choice(
              /[ \u3000]*第[ \u3000]*[（(][一二三四五六七八九十]+[)）][ \u3000]*项/,
              /[ \u3000]*第[一二三四五六七八九十]+项/,
              /[ \u3000]*第[一二三四五六七八九十]+款/,
            ),
          ),
        ),
      ),

    // `2021 年 1 月 4 日`, `2021年1月4日`, `二〇二一年一月四日`, `2020-01-31` (web page dates).
    date: (_) =>
      token(
        choice(
          /[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
          /[0-9]{4}\/[0-9]{1,2}\/[0-9]{1,2}/,
          /[0-9]{4}[ \u3000]*年[ \u3000]*[0-9]{1,2}[ \u3000]*月[ \u3000]*[0-9]{1,2}[ \u3000]*日/,
          /[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日/,
        ),
      ),

    emphasis: (_) => token(prec(PREC.marker, new RegExp(`\\*\\*(${EMPHASIS_BODY})\\*\\*`))),

    autolink: (_) => token(/<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>|]*>/),

    // The `---` / `:---:` cells of a Markdown delimiter row.
    delimiter: (_) => token(/:?-{3,}:?/),

    _text: ($) => choice($._plain_text, $._nul),

    _plain_text: (_) => token(choice(new RegExp(TEXT_RUN), new RegExp(TEXT_SINGLE))),
  },
});
