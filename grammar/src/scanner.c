// External scanner of the nianbao block grammar: every line is one token, and this scanner says
// which. It reads the line once (up to its newline) and decides from what it saw and from the
// parser's state (the valid symbols):
//
// - a blank line (spaces only): BLANK_LINE, the newline alone;
// - a TAB or `|` anywhere: a table line — CELL_LINE when the line is one TAB-prefixed cell (its
//   only separator is the TAB it opens with), TABLE_ROW otherwise (NULs opening the line are its
//   first cell's text);
// - PAGE_NUMBER: the whole line `- 3 -`, `— 1 —`, `P. 9`, `Page 9 - 2020年报_审计局`, `第 3 页`;
// - TITLE (before the first heading only): the whole line ends in `年度报告` and is no sentence;
// - HEADING: `一、`, after a converter's Markdown mark (`## 一、`, `**一、`);
// - SUBHEADING: `（一）` / `(一)`, likewise;
// - CONTINUATION (directly after a cell line or a continuation only): any other line, unless it
//   opens as a paragraph does — with a Markdown mark (`# `, `**` that closes no emphasis) or an
//   enumerator (`1.`, `1、`, `(1)`, `一是`): a header cell broken over two lines;
// - PARAGRAPH: any other line.
//
// These are the decisions of the grammar before it was split into block and inline grammars
// (where the first inline token of a line decided its kind), so the line kinds did not change;
// inline/ keeps those token rules for highlighting. Leading space is skipped, so a line token
// starts at the line's first character that is not space; it ends after the newline, or at the
// end of the input.
#include "tree_sitter/parser.h"
#include "../common/space.h"

enum TokenType {
  TITLE,
  HEADING,
  SUBHEADING,
  PARAGRAPH,
  PAGE_NUMBER,
  TABLE_ROW,
  CELL_LINE,
  CONTINUATION,
  BLANK_LINE,
  ERROR_SENTINEL,
};

void *tree_sitter_nianbao_external_scanner_create(void) { return NULL; }
void tree_sitter_nianbao_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_nianbao_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_nianbao_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}


// A page number fits in its first PAGE_MAX characters (but `Page N <anything>`); the markers that
// open a line are read from its first HEAD_MAX. A marker longer than that (a run of more than
// 250 Chinese numerals) is read as text.
#define PAGE_MAX 128
#define HEAD_MAX 256

// What one pass over a line (up to its newline, not consumed) found.
typedef struct {
  int32_t head[HEAD_MAX]; // its first characters
  unsigned filled;        // how many of `head` are set
  unsigned length;        // how many count for a page number: trailing CRs and spaces dropped...
  bool long_line;         // ...unless a character that is not space follows past PAGE_MAX
  unsigned separators;    // TABs and `|`s: a table line
  bool inner_cr;          // a CR before a character that is not a CR or a space
  bool has_nul;
  bool has_clause_mark;   // `。，,；;：:`: a sentence, not a title
  bool ends_in_report;    // the line, less trailing space, is something and then 年度报告
  // For `**…**`: the first `*`, CR or NUL from the third character on, and the character after it.
  unsigned stop;
  int32_t stop_char, after_stop;
} Line;

static bool is_clause_mark(int32_t c) {
  return c == 0x3002 || c == 0xff0c || c == ',' || c == 0xff1b || c == ';' || c == 0xff1a ||
         c == ':';
}

// One pass, one character at a time (the lexer has no other way): a line's characters are
// mostly Chinese text, so each test is ordered to settle those in a comparison or two.
static void scan_line(TSLexer *lexer, Line *line) {
  line->separators = 0;
  line->long_line = line->inner_cr = line->has_nul = line->has_clause_mark = false;
  line->ends_in_report = false;
  line->stop = 0;
  line->stop_char = line->after_stop = -1;
  int32_t ring[4] = {0, 0, 0, 0}; // the last four characters, by index mod 4
  unsigned seen = 0;
  unsigned kept = 0; // `length` up to the last character that is not a CR or a space
  bool pending_cr = false;
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    int32_t c = lexer->lookahead;
    bool blank;
    if (c < 0x80) {
      blank = is_horizontal_space(c); // CRs included
      if (c == '\t' || c == '|') line->separators++;
      else if (c == 0) line->has_nul = true;
      else if (c == '\r') pending_cr = true;
      else if (c == ',' || c == ';' || c == ':') line->has_clause_mark = true;
    } else {
      blank = is_horizontal_space(c);
      if (!blank && is_clause_mark(c)) line->has_clause_mark = true;
    }
    if (line->stop_char != -1) {
      if (line->after_stop == -1) line->after_stop = c;
    } else if (seen >= 2 && (c == '*' || c == '\r' || c == 0)) {
      line->stop = seen;
      line->stop_char = c;
    }
    if (!blank) {
      if (pending_cr) line->inner_cr = true;
      // 年度报告 after at least one character: checked at its last character.
      line->ends_in_report = c == 0x544a && seen >= 4 && ring[(seen - 1) & 3] == 0x62a5 &&
                             ring[(seen - 2) & 3] == 0x5ea6 && ring[(seen - 3) & 3] == 0x5e74;
      if (seen >= PAGE_MAX) line->long_line = true;
    }
    ring[seen & 3] = c;
    if (seen < HEAD_MAX) {
      line->head[seen] = c;
      if (!blank) kept = seen + 1;
    }
    seen++;
    lexer->advance(lexer, false);
  }
  line->filled = seen < HEAD_MAX ? seen : HEAD_MAX;
  line->length = line->long_line ? PAGE_MAX : kept;
}

static bool is_dash(int32_t c) { return c == '-' || c == 0x2014 || c == 0x2013 || c == 0xff0d; }
static bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }
static bool is_wide_digit(int32_t c) { return c >= 0xff10 && c <= 0xff19; }
static bool is_page_space(int32_t c) { return c == ' ' || c == 0x3000; }
static bool is_hash(int32_t c) { return c == '#'; }
static bool is_open_paren(int32_t c) { return c == '(' || c == 0xff08; }
static bool is_close_paren(int32_t c) { return c == ')' || c == 0xff09; }

// 一二三四五六七八九十: the numerals of section and item numbers.
static bool is_numeral(int32_t c) {
  return c == 0x4e00 || c == 0x4e8c || c == 0x4e09 || c == 0x56db || c == 0x4e94 || c == 0x516d ||
         c == 0x4e03 || c == 0x516b || c == 0x4e5d || c == 0x5341;
}

// The index past the run of characters from `i` on that `f` accepts, in the page-number part of
// the head (`skip_while`) or in all of it (`skip_in_head`: markers, whose trailing space counts).
static unsigned skip_while(const Line *l, unsigned i, bool (*f)(int32_t)) {
  while (i < l->length && f(l->head[i])) i++;
  return i;
}

static unsigned skip_in_head(const Line *l, unsigned i, bool (*f)(int32_t)) {
  while (i < l->filled && f(l->head[i])) i++;
  return i;
}

static bool at(const Line *l, unsigned i, int32_t c) { return i < l->filled && l->head[i] == c; }

// `[-—–－]+[ 　]*[0-9]+[ 　]*[-—–－]+`, `P.[ ]*[0-9]+`, `第[ 　]*[0-9]+[ 　]*页`,
// `Page[ ]+[0-9]+[^\t\r\n]*` — the whole line, less its trailing CRs and spaces.
static bool is_page_number(const Line *l) {
  if (l->has_nul || l->separators > 0 || l->inner_cr || l->length == 0) return false;
  const int32_t *h = l->head;
  unsigned n = l->length, i, j;
  if (n >= 5 && h[0] == 'P' && h[1] == 'a' && h[2] == 'g' && h[3] == 'e' && h[4] == ' ') {
    i = 5;
    while (i < n && h[i] == ' ') i++;
    return i < n && is_digit(h[i]);
  }
  if (l->long_line) return false;
  if (is_dash(h[0])) {
    i = skip_while(l, 0, is_dash);
    i = skip_while(l, i, is_page_space);
    j = skip_while(l, i, is_digit);
    if (j == i) return false;
    i = skip_while(l, j, is_page_space);
    j = skip_while(l, i, is_dash);
    return j > i && j == n;
  }
  if (n >= 3 && h[0] == 'P' && h[1] == '.') {
    i = 2;
    while (i < n && h[i] == ' ') i++;
    j = skip_while(l, i, is_digit);
    return j > i && j == n;
  }
  if (h[0] == 0x7b2c) { // 第
    i = skip_while(l, 1, is_page_space);
    j = skip_while(l, i, is_digit);
    if (j == i) return false;
    i = skip_while(l, j, is_page_space);
    return i + 1 == n && h[i] == 0x9875; // 页
  }
  return false;
}

// `[^|。，,；;：:]+年度报告`: the whole line (less trailing CRs and spaces, the leading spaces
// already skipped) ends in 年度报告 after at least one character, and holds no TAB, `|`, CR,
// NUL or clause mark.
static bool is_title(const Line *l) {
  return !l->has_nul && l->separators == 0 && !l->inner_cr && !l->has_clause_mark &&
         l->ends_in_report;
}

// The index past a Markdown mark opening the line — `#{1,6}[ 　]+` (ATX) or `**` (a bold line) —
// or 0.
static unsigned markdown_mark(const Line *l) {
  unsigned hashes = skip_in_head(l, 0, is_hash);
  if (hashes >= 1 && hashes <= 6) {
    unsigned past = skip_in_head(l, hashes, is_page_space);
    return past > hashes ? past : 0;
  }
  return at(l, 0, '*') && at(l, 1, '*') ? 2 : 0;
}

// `[一…十]+、` from `i` on.
static bool is_section_number(const Line *l, unsigned i) {
  unsigned j = skip_in_head(l, i, is_numeral);
  return j > i && at(l, j, 0x3001);
}

// `[（(][一…十]+[)）]` from `i` on.
static bool is_item_number(const Line *l, unsigned i) {
  if (!(i < l->filled && is_open_paren(l->head[i]))) return false;
  unsigned j = skip_in_head(l, i + 1, is_numeral);
  return j > i + 1 && j < l->filled && is_close_paren(l->head[j]);
}

// An enumerator opening the line: `1.`, `1．`, `1、` (unless a number goes on: `1.5`), `(1)`,
// `（1）`, `一是`.
static bool opens_with_enumerator(const Line *l) {
  unsigned j = skip_in_head(l, 0, is_digit);
  if (j > 0 && j < l->filled) {
    int32_t c = l->head[j];
    if (c == 0x3001) return true; // 、
    if (c == '.' || c == 0xff0e) {
      // A digit after the point makes the longer token a number (`10682.4701`).
      bool digit_after = j + 1 < l->filled && (is_digit(l->head[j + 1]) || is_wide_digit(l->head[j + 1]));
      return !digit_after;
    }
    return false;
  }
  if (l->filled > 0 && is_open_paren(l->head[0])) {
    j = skip_in_head(l, 1, is_digit);
    return j > 1 && j < l->filled && is_close_paren(l->head[j]);
  }
  j = skip_in_head(l, 0, is_numeral);
  return j > 0 && at(l, j, 0x662f); // 是
}

// A line that opens as only a paragraph can: with a Markdown mark (`**` that closes no emphasis:
// `**三是…。**` is emphasis, text a continuation may hold) or an enumerator.
static bool opens_as_paragraph(const Line *l) {
  unsigned mark = markdown_mark(l);
  if (mark > 0 && l->head[0] == '#') return true;
  if (mark > 0) {
    bool emphasis = l->stop_char == '*' && l->stop > 2 && l->after_stop == '*';
    return !emphasis;
  }
  return opens_with_enumerator(l);
}

static bool finish(TSLexer *lexer, enum TokenType kind) {
  if (lexer->lookahead == '\n') lexer->advance(lexer, false);
  lexer->mark_end(lexer);
  lexer->result_symbol = kind;
  return true;
}

// The kind of a line with no separator that opens with text (not a NUL).
static enum TokenType text_line_kind(const Line *line, const bool *valid_symbols) {
  if (valid_symbols[PAGE_NUMBER] && is_page_number(line)) return PAGE_NUMBER;
  if (valid_symbols[TITLE] && is_title(line)) return TITLE;
  unsigned mark = markdown_mark(line);
  if (is_section_number(line, mark)) return HEADING;
  if (is_item_number(line, mark)) return SUBHEADING;
  if (valid_symbols[CONTINUATION] && !opens_as_paragraph(line)) return CONTINUATION;
  return PARAGRAPH;
}

bool tree_sitter_nianbao_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  // Every line is a token in every state; during error recovery (every symbol valid, which this
  // total grammar never needs) the line is still one token, so recovery moves a line at a time.
  while (is_horizontal_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->eof(lexer)) return false;
  if (lexer->lookahead == '\n') {
    if (!valid_symbols[BLANK_LINE]) return false;
    return finish(lexer, BLANK_LINE);
  }
  bool opens_with_nul = is_nul(lexer);
  bool opens_with_tab = lexer->lookahead == '\t';
  Line line;
  scan_line(lexer, &line);
  enum TokenType kind;
  if (line.separators > 0) {
    kind = opens_with_tab && line.separators == 1 ? CELL_LINE : TABLE_ROW;
  } else if (opens_with_nul) {
    kind = valid_symbols[CONTINUATION] ? CONTINUATION : PARAGRAPH;
  } else {
    kind = text_line_kind(&line, valid_symbols);
  }
  if (!valid_symbols[kind]) return false;
  return finish(lexer, kind);
}
