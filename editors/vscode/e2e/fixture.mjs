// The report the end-to-end test opens: ../shared/corpus/real/004.txt (a sound report) with
//  - a planted wrong figure: table 3, （一）予以公开 · 自然人 1288 → 1287 — it breaks its row's 总计
//    and （七）总计, and is the one error (sum-mismatch on that figure, quick-fix “改为 1288”);
//  - its first table-2 block (第二十条第（一）项) rewritten as a ragged `|` table, which the
//    formatter aligns.
// The same plant is made by the Neovim test (editors/nvim/test/e2e.lua).

export const REPORT_NAME = '淮安市2024年政府信息公开工作年度报告.txt';

const TABLE3_ROW = '三、本年度办理结果\t（一）予以公开\t\t1288\t21\t0\t0\t50\t3\t1362';
const TABLE3_PREFIX = '三、本年度办理结果\t（一）予以公开\t\t';
const TABLE2_TAB =
  '信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n行政规范性文件\t8\t26\t66\n';
const TABLE2_PIPE =
  '| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n|规章|1|0|11|\n| 行政规范性文件 |   8 | 26 | 66 |\n';

function replaceOnce(text, from, to) {
  const i = text.indexOf(from);
  if (i < 0 || text.indexOf(from, i + 1) >= 0) throw new Error(`fixture: expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** 1-based number of the first line that starts with `prefix`. */
function lineOf(text, prefix) {
  const i = text.split('\n').findIndex((l) => l.startsWith(prefix));
  if (i < 0) throw new Error(`fixture: no line starts with ${JSON.stringify(prefix)}`);
  return i + 1;
}

export function plant(corpus) {
  let text = replaceOnce(corpus, TABLE3_ROW, TABLE3_ROW.replace('\t1288\t', '\t1287\t'));
  text = replaceOnce(text, TABLE2_TAB, TABLE2_PIPE);
  const errorLine = lineOf(text, TABLE3_PREFIX + '1287');
  return {
    text,
    errorLine,
    // 1-based column (UTF-16: a JS string's length) of the planted figure `1287`.
    errorColumn: TABLE3_PREFIX.length + 1,
    message: '“（一）予以公开”的“自然人”应为 1288',
    fixTitle: '改为 1288',
    fixedRow: TABLE3_PREFIX + '1288\t',
    statuteLine: lineOf(text, '第二十条 第（一）项'),
    // The hover of that line: the item's own title, and its text.
    statuteTitle: '第二十条第（一）项',
    statuteText: '（一）行政法规、规章和规范性文件',
    tableLine: lineOf(text, '| 信息内容'),
  };
}

/** Display width: East Asian wide and full-width characters count 2. */
export function displayWidth(s) {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0x303e) ||
      (c >= 0x3041 && c <= 0x33ff) ||
      (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xa000 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/**
 * Checks that the `|` table the fixture planted is aligned: every row has its pipes at the same
 * display columns. Returns null when it is, else what is wrong.
 */
export function checkAligned(text) {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('| 信息内容'));
  if (start < 0) return 'the | table is gone';
  const rows = [];
  for (let i = start; i < lines.length && lines[i].startsWith('|'); i++) rows.push(lines[i]);
  if (rows.length !== 4) return `expected 4 | rows, found ${rows.length}: ${JSON.stringify(rows)}`;
  const pipes = (row) => {
    const cols = [];
    let w = 0;
    for (const ch of row) {
      if (ch === '|') cols.push(w);
      w += displayWidth(ch);
    }
    return cols.join(',');
  };
  const first = pipes(rows[0]);
  const bad = rows.filter((r) => pipes(r) !== first);
  return bad.length === 0 ? null : `not aligned: ${JSON.stringify(rows)}`;
}
