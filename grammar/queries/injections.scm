; The inline content of each line (numbers, statute references, dates, emphasis, markers, cells,
; `|`) is parsed by the second grammar, nianbao_inline (inline/grammar.js), as tree-sitter-markdown
; injects markdown_inline. Each line is an injection of its own — not combined — so a line's parse
; never depends on another line, and an edit reparses only the lines it touches. Title and page
; number lines hold nothing to highlight inside and are left out.
([
  (heading)
  (subheading)
  (paragraph)
  (table_row)
  (cell_line)
  (continuation)
] @injection.content
  (#set! injection.language "nianbao_inline"))
