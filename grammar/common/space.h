// What both scanners (src/scanner.c, inline/src/scanner.c) count as space and as NUL text, in
// one place: "space" must be one set for the two grammars, as it is for the model
// (`model::lines::is_space`) and the formatter.
#ifndef TREE_SITTER_NIANBAO_SPACE_H_
#define TREE_SITTER_NIANBAO_SPACE_H_

#include "tree_sitter/parser.h"

// The grammars' extras: Unicode White_Space but TAB and LF, and the BOM. Most characters of a
// report are Chinese (above U+3000), so those are settled first.
static inline bool is_horizontal_space(int32_t c) {
  if (c > 0x3000) return c == 0xfeff;
  return c == ' ' || c == '\r' || c == '\f' || c == '\v' || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
         c == 0x205f || c == 0x3000;
}

// A NUL character of the text: the generated lexer reads a NUL lookahead as the end of the
// input, so only `lexer->eof` tells the two apart.
static inline bool is_nul(TSLexer *lexer) { return lexer->lookahead == 0 && !lexer->eof(lexer); }

#endif // TREE_SITTER_NIANBAO_SPACE_H_
