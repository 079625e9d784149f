// External scanner of the nianbao grammar. It makes two decisions the generated lexer cannot:
//
// - ROW_START (zero width) at the start of a line that holds a TAB or a `|` anywhere: the line is
//   a table line. Knowing this before the first cell is read keeps the grammar deterministic
//   (a line `四、结转下年度继续办理⇥…` is a table row, not a heading).
// - END_OF_FILE: the end of the input ends a last line that has no newline.
#include "tree_sitter/parser.h"

enum TokenType { ROW_START, END_OF_FILE, ERROR_SENTINEL };

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

static bool is_horizontal_space(int32_t c) {
  return c == ' ' || c == 0x3000 || c == 0x00a0 || c == '\f' || c == '\v' || c == 0xfeff;
}

// Looks ahead to the end of the current line without consuming anything.
static bool line_has_separator(TSLexer *lexer) {
  lexer->mark_end(lexer);
  while (!lexer->eof(lexer) && lexer->lookahead != '\n') {
    if (lexer->lookahead == '\t' || lexer->lookahead == '|') return true;
    lexer->advance(lexer, false);
  }
  return false;
}

bool tree_sitter_nianbao_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  // During error recovery every symbol is valid; let the generated lexer handle it.
  if (valid_symbols[ERROR_SENTINEL]) return false;

  bool at_line_start = valid_symbols[ROW_START] && lexer->get_column(lexer) == 0;
  while (is_horizontal_space(lexer->lookahead)) lexer->advance(lexer, true);

  if (valid_symbols[END_OF_FILE] && lexer->eof(lexer)) {
    lexer->result_symbol = END_OF_FILE;
    lexer->mark_end(lexer);
    return true;
  }
  if (at_line_start && line_has_separator(lexer)) {
    lexer->result_symbol = ROW_START;
    return true;
  }
  return false;
}
