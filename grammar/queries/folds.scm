; Fold a section (heading to the next heading) and a table (a run of table lines).
(section) @fold

(table) @fold
