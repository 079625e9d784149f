; Highlights of the block grammar: the line kinds. The inline tokens (numbers, statute
; references, dates, markers, cells) are highlighted by the `nianbao_inline` grammar, injected into
; each line (queries/injections.scm, inline/queries/highlights.scm).
;
; Capture names follow the common editor conventions (nvim-treesitter, Helix, Zed).

(title) @markup.heading.1

; `一、总体情况`: the whole line; it is short. (A subheading is often a whole paragraph: only
; its number is highlighted, by the inline grammar.)
(heading) @markup.heading.2

(page_number) @comment
