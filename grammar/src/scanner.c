// External scanner of the nianbao grammar. It makes two decisions the generated lexer cannot:
//
// - ROW_START (zero width) at the start of a line that holds a TAB or a `|` anywhere: the line is
//   a table line. Knowing this before the first cell is read keeps the grammar deterministic
//   (a line `四、结转下年度继续办理⇥…` is a table row, not a heading).
// - END_OF_FILE: the end of the input ends a last line that has no newline.
// - NUL: a run of NUL characters is text. The generated lexer takes a NUL for the end of the
//   input (its lookahead is 0 in both cases), so only `lexer->eof` tells them apart.
// - ROW_NUL: the NULs opening a table line, which start its first cell (see below).
// - PAGE_NUMBER: a whole line `- 3 -`, `— 1 —`, `P. 9`, `Page 9 - 2020年报_审计局` or `第 3 页`,
//   with its line end. Only a scanner sees that the line ends there, whether with a newline or
//   with the end of the input (a regular token can only end with the newline, so `P. 9` as the
//   last line without one would be text, and adding the final newline would change it).
// - TITLE: a whole line ending in `年度报告` (before the first heading), for the same reason.
#include "tree_sitter/parser.h"

enum TokenType { ROW_START, END_OF_FILE, NUL, ROW_NUL, PAGE_NUMBER, TITLE, ERROR_SENTINEL };

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

// The grammar's extras: Unicode White_Space but TAB and LF, and the BOM.
static bool is_horizontal_space(int32_t c) {
  return c == ' ' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
         c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static bool is_nul(TSLexer *lexer) { return lexer->lookahead == 0 && !lexer->eof(lexer); }

// What one pass over a line (up to its newline, not consumed) found.
#define PAGE_MAX 128
typedef struct {
  bool has_separator;     // a TAB or `|`: a table line
  int32_t head[PAGE_MAX]; // its first characters, trailing CRs and spaces dropped
  unsigned length;        // how many of `head` are set (a page number fits in PAGE_MAX...
  bool long_line;         // ...but for `Page N <anything>`, whose rest only needs:
  bool inner_cr;          // a CR before a character that is not a CR or a space
  bool has_nul;
  bool has_clause_mark;   // `。，,；;：:`: a sentence, not a title
  int32_t last[4];        // the last four characters up to the last that is not a CR or space
  unsigned count;         // how many characters up to there
} Line;

static bool is_clause_mark(int32_t c) {
  return c == 0x3002 || c == 0xff0c || c == ',' || c == 0xff1b || c == ';' || c == 0xff1a ||
         c == ':';
}

static void scan_line(TSLexer *lexer, Line *line) {
  line->has_separator = line->long_line = line->inner_cr = line->has_nul = false;
  line->has_clause_mark = false;
  line->count = 0;
  int32_t window[4] = {0, 0, 0, 0};
  unsigned seen = 0;
  for (unsigned k = 0; k < 4; k++) line->last[k] = 0;
  line->length = 0;
  unsigned kept = 0; // `length` up to the last character that is not a CR or a space
  bool pending_cr = false;
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    int32_t c = lexer->lookahead;
    if (c == '\t' || c == '|') line->has_separator = true;
    if (c == 0) line->has_nul = true;
    if (is_clause_mark(c)) line->has_clause_mark = true;
    bool blank = is_horizontal_space(c); // CRs included
    if (c == '\r') pending_cr = true;
    if (!blank && pending_cr) line->inner_cr = true;
    for (unsigned k = 0; k < 3; k++) window[k] = window[k + 1];
    window[3] = c;
    seen++;
    if (!blank) {
      for (unsigned k = 0; k < 4; k++) line->last[k] = window[k];
      line->count = seen;
    }
    if (line->length < PAGE_MAX) {
      line->head[line->length++] = c;
      if (!blank) kept = line->length;
    } else if (!blank) {
      line->long_line = true;
    }
    lexer->advance(lexer, false);
  }
  if (!line->long_line) line->length = kept;
}

static bool is_dash(int32_t c) { return c == '-' || c == 0x2014 || c == 0x2013 || c == 0xff0d; }
static bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }
static bool is_page_space(int32_t c) { return c == ' ' || c == 0x3000; }

// The index past the run of characters from `i` on that `f` accepts.
static unsigned skip_while(const Line *l, unsigned i, bool (*f)(int32_t)) {
  while (i < l->length && f(l->head[i])) i++;
  return i;
}

// `[-—–－]+[ 　]*[0-9]+[ 　]*[-—–－]+`, `P.[ ]*[0-9]+`, `第[ 　]*[0-9]+[ 　]*页`,
// `Page[ ]+[0-9]+[^\t\r\n]*` — the whole line, less its trailing CRs and spaces.
static bool is_page_number(const Line *l) {
  if (l->has_nul || l->has_separator || l->inner_cr || l->length == 0) return false;
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
  return !l->has_nul && !l->has_separator && !l->inner_cr && !l->has_clause_mark && l->count > 4 &&
         l->last[0] == 0x5e74 && l->last[1] == 0x5ea6 && l->last[2] == 0x62a5 &&
         l->last[3] == 0x544a; // 年度报告
}

bool tree_sitter_nianbao_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  // During error recovery every symbol is valid; let the generated lexer handle it.
  if (valid_symbols[ERROR_SENTINEL]) return false;

  bool at_line_start =
      (valid_symbols[ROW_START] || valid_symbols[PAGE_NUMBER] || valid_symbols[TITLE]) &&
      lexer->get_column(lexer) == 0;
  while (is_horizontal_space(lexer->lookahead)) lexer->advance(lexer, true);

  if (valid_symbols[END_OF_FILE] && lexer->eof(lexer)) {
    lexer->result_symbol = END_OF_FILE;
    lexer->mark_end(lexer);
    return true;
  }
  // NULs opening a table line must be consumed to look ahead for a separator, so such a line
  // starts with ROW_NUL (the NULs, its first cell's start) instead of the zero-width ROW_START.
  bool nul = is_nul(lexer) && (valid_symbols[NUL] || (at_line_start && valid_symbols[ROW_NUL]));
  if (nul) {
    while (is_nul(lexer)) lexer->advance(lexer, false);
  }
  lexer->mark_end(lexer);
  if (at_line_start) {
    Line line;
    scan_line(lexer, &line);
    if (line.has_separator && (nul ? valid_symbols[ROW_NUL] : valid_symbols[ROW_START])) {
      lexer->result_symbol = nul ? ROW_NUL : ROW_START;
      return true;
    }
    // A page header `Page 8 - 威海市…年度报告` is a page number, not a title.
    enum TokenType whole_line = ERROR_SENTINEL;
    if (!nul && valid_symbols[PAGE_NUMBER] && is_page_number(&line)) {
      whole_line = PAGE_NUMBER;
    } else if (!nul && valid_symbols[TITLE] && is_title(&line)) {
      whole_line = TITLE;
    }
    if (whole_line != ERROR_SENTINEL) {
      if (lexer->lookahead == '\n') lexer->advance(lexer, false);
      lexer->mark_end(lexer);
      lexer->result_symbol = whole_line;
      return true;
    }
  }
  if (nul && valid_symbols[NUL]) {
    lexer->result_symbol = NUL;
    return true;
  }
  return false;
}
