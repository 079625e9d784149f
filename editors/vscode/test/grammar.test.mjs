// The TextMate grammar, tokenized with the same engine VS Code uses (vscode-textmate +
// vscode-oniguruma), on lines of a real report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

const require = createRequire(import.meta.url);
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
const registry = new vsctm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (s) => new oniguruma.OnigScanner(s),
    createOnigString: (s) => new oniguruma.OnigString(s),
  }),
  loadGrammar: async () =>
    vsctm.parseRawGrammar(readFileSync(here('../syntaxes/nianbao.tmLanguage.json'), 'utf8'), 'nianbao.tmLanguage.json'),
});
const grammar = await registry.loadGrammar('text.nianbao');

/** [text, innermost nianbao scope] pairs of the tokens of each line. */
function tokenize(text) {
  let state = vsctm.INITIAL;
  const out = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    out.push(r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]]));
  }
  return out;
}

function scopeOf(line, text) {
  const [tokens] = tokenize(line);
  const hit = tokens.find(([t]) => t === text);
  assert.ok(hit, `no token "${text}" in ${JSON.stringify(tokens)}`);
  return hit[1];
}

test('title, headings, page numbers', () => {
  assert.equal(scopeOf('2024 年政府信息公开工作年度报告', '2024 年政府信息公开工作年度报告'), 'markup.heading.1.nianbao');
  assert.equal(scopeOf('一、总体情况', '一、'), 'punctuation.definition.heading.nianbao');
  assert.match(tokenize('三、收到和处理政府信息公开申请情况')[0][1][1], /^markup\.heading\.2/);
  assert.equal(scopeOf('（一）主动公开情况。2024 年，市政府网站', '（一）'), 'markup.heading.3.nianbao');
  assert.equal(scopeOf('- 3 -', '- 3 -'), 'comment.line.page-number.nianbao');
  // A converter's Markdown marks before headings (`## 一、…`, `**一、…**`, `### （二）…`).
  assert.equal(scopeOf('## 一、总体情况', '## 一、'), 'punctuation.definition.heading.nianbao');
  assert.equal(scopeOf('**五、存在的主要问题及改进情况**', '**五、'), 'punctuation.definition.heading.nianbao');
  assert.equal(scopeOf('### （二）依申请公开', '### （二）'), 'markup.heading.3.nianbao');
});

test('table rows: cells, labels, totals, numbers', () => {
  const row = '\t（七）总计\t\t2932\t53\t0\t0\t61\t4\t3050';
  assert.equal(scopeOf(row, '（七）'), 'markup.list.label.nianbao');
  assert.equal(scopeOf(row, '总计'), 'keyword.other.total.nianbao');
  assert.equal(scopeOf(row, '3050'), 'constant.numeric.nianbao');
  assert.equal(scopeOf(row, '\t'), 'punctuation.separator.cell.nianbao');
  // A table-3 level-1 label is a cell, not a heading.
  const first = '一、本年新收政府信息公开申请数量\t\t\t3001\t53';
  assert.equal(scopeOf(first, '一、'), 'markup.list.label.nianbao');
  assert.equal(scopeOf('| 规章 | 1 | 0 | 11 |', '11'), 'constant.numeric.nianbao');
  assert.equal(scopeOf('行政事业性收费 96171.6', '96171.6'), 'constant.numeric.nianbao');
});

test('inline: statute references, dates, suppressions', () => {
  assert.equal(scopeOf('第二十条 第（一）项', '第二十条 第（一）项'), 'entity.name.function.statute.nianbao');
  assert.equal(scopeOf('自 2024 年 1 月 1 日至', '2024 年 1 月 1 日'), 'string.other.date.nianbao');
  assert.equal(
    scopeOf('<!-- nianbao-disable-next-line sum-mismatch: 原件如此 -->', 'nianbao-disable-next-line'),
    'keyword.control.suppression.nianbao',
  );
});

test('every line of the corpus tokenizes', () => {
  const text = readFileSync(here('../../../../shared/corpus/real/004.txt'), 'utf8');
  const lines = tokenize(text);
  assert.ok(lines.length > 100);
  const scopes = new Set(lines.flat().map(([, s]) => s));
  for (const s of ['markup.heading.1.nianbao', 'keyword.other.total.nianbao', 'entity.name.function.statute.nianbao']) {
    assert.ok(scopes.has(s), `${s} not found in 004.txt`);
  }
});
