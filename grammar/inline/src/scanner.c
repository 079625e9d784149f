// External scanner of the nianbao_inline grammar (the block grammar's scanner less its whole-line
// tokens, page numbers and titles, which only the block grammar has). It makes the decisions the
// generated lexer cannot:
//
// - ROW_START (zero width) at the start of a line that holds a TAB or a `|` anywhere: the line is
//   a table line. Knowing this before the first cell is read keeps the grammar deterministic
//   (a line `四、结转下年度继续办理⇥…` is a table row, not a heading).
// - END_OF_FILE: the end of the input ends a last line that has no newline.
// - NUL: a run of NUL characters is text. The generated lexer takes a NUL for the end of the
//   input (its lookahead is 0 in both cases), so only `lexer->eof` tells them apart.
// - ROW_NUL: the NULs opening a table line, which start its first cell (see below).
//
// Injected, the text is one line of the document, from its first character that is not space:
// tree-sitter's lexer counts the column of an included range's start as 0 (it backs up to the
// start of the line, which lies outside the range, and lands on the range's start), so such a
// line starts at column 0 here as it does in a text of its own.
#include "tree_sitter/parser.h"
#include "../../common/space.h"

enum TokenType { ROW_START, END_OF_FILE, NUL, ROW_NUL, ERROR_SENTINEL };

void *tree_sitter_nianbao_inline_external_scanner_create(void) { return NULL; }
void tree_sitter_nianbao_inline_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_nianbao_inline_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_nianbao_inline_external_scanner_deserialize(void *payload, const char *buffer,
                                                             unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

// Looks ahead to the end of the line (its newline not consumed): does it hold a TAB or a `|`?
static bool line_has_separator(TSLexer *lexer) {
  bool found = false;
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    if (lexer->lookahead == '\t' || lexer->lookahead == '|') found = true;
    lexer->advance(lexer, false);
  }
  return found;
}

bool tree_sitter_nianbao_inline_external_scanner_scan(void *payload, TSLexer *lexer,
                                                      const bool *valid_symbols) {
  (void)payload;
  // During error recovery every symbol is valid; let the generated lexer handle it.
  if (valid_symbols[ERROR_SENTINEL]) return false;

  bool at_line_start =
      (valid_symbols[ROW_START] || valid_symbols[ROW_NUL]) && lexer->get_column(lexer) == 0;
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
  if (at_line_start && line_has_separator(lexer) &&
      (nul ? valid_symbols[ROW_NUL] : valid_symbols[ROW_START])) {
    lexer->result_symbol = nul ? ROW_NUL : ROW_START;
    return true;
  }
  if (nul && valid_symbols[NUL]) {
    lexer->result_symbol = NUL;
    return true;
  }
  return false;
}
