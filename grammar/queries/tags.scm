; Outline: one entry per section, named by its heading line (`一、总体情况`).
(section
  (heading) @name) @definition.section
