// The command line as the extension runs it for Word documents: reading what `check --fix` said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { fixOutcome, runCli } = require('../out/cli.js');
const here = path.dirname(fileURLToPath(import.meta.url));

test('fixes written, refused, none, and an unreadable file', () => {
  assert.deepEqual(
    fixOutcome({ code: 1, stdout: '{}', stderr: 'nianbao: /w/报告.docx: 已改正 2 处：Word 表格 5 第 4 行 第 5 格：0 → 11；Word 表格 5 第 4 行 第 15 格：0 → 5\n' }),
    { kind: 'fixed', message: '已改正 2 处：Word 表格 5 第 4 行 第 5 格：0 → 11；Word 表格 5 第 4 行 第 15 格：0 → 5' },
  );
  assert.deepEqual(
    fixOutcome({ code: 1, stdout: '', stderr: 'nianbao: a: b.docx: 文档含修订标记：按接受全部修订后的文本检查\nnianbao: a: b.docx: 未改正：Word 第 3 段（自动编号）：…\n' }),
    { kind: 'refused', message: '未改正：Word 第 3 段（自动编号）：…' },
  );
  assert.equal(fixOutcome({ code: 0, stdout: '', stderr: '' }).kind, 'unchanged');
  const error = fixOutcome({ code: 2, stdout: '', stderr: 'nianbao: x.docx: 是 RTF 文档\n' });
  assert.equal(error.kind, 'error');
  assert.match(error.message, /RTF/);
});

test('a server that cannot start gives code null, not an exception', async () => {
  const r = await runCli('/nonexistent/nianbao', ['convert', 'x.docx']);
  assert.equal(r.code, null);
  assert.ok(r.stderr.length > 0);
});

// With a built server beside the repository: convert a generated Word fixture.
const built = ['release', 'debug'].map((p) => path.resolve(here, '../../../target', p, 'nianbao')).find((p) => fs.existsSync(p));
test('convert prints the text of a Word document', { skip: built ? false : 'no built server' }, async () => {
  const fixture = path.resolve(here, '../../../tests/fixtures/docx/generated-real-001.docx');
  const r = await runCli(built, ['convert', fixture]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^一、总体情况$/m);
});
