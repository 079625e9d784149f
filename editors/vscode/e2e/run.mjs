// End-to-end test of the VS Code extension in a real VS Code: code-server with the .vsix installed,
// driven by playwright-core in headless Chromium.
//
//   node editors/vscode/e2e/run.mjs --code-server PATH --node24 DIR --chromium PATH --vsix FILE
//        [--work DIR] [--screenshot FILE]
//
// The workspace holds a real report (../shared/corpus/real/004.txt) with a planted wrong total
// (table 3, （一）予以公开 · 自然人 1288 → 1287) and its first table-2 block rewritten as a ragged `|` table.
// The test: the file opens as language 年报 (its name contains 年度报告), the error squiggle and
// the Problems entry appear, hovering a statute item shows the statute's text, the quick-fix
// sets the figure to 1288, saving formats (the `|` table comes out aligned), and the command
// “将当前文件作为年报检查” switches a plain .txt file to the language; a Word document (the
// generated fixture of real report 004 with a typo planted in a table-3 total) opens as report
// text with its errors, and “改正 Word 文档中的合计” writes the fix into the .docx. Screenshots and the
// code-server log go to the work directory (default .e2e/vscode); --screenshot copies the
// diagnostics screenshot somewhere else too (docs/vscode-diagnostics.png).

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { plant, REPORT_NAME, checkAligned } from './fixture.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

function args() {
  const a = process.argv.slice(2);
  const o = {};
  for (let i = 0; i < a.length; i += 2) {
    if (!a[i].startsWith('--') || a[i + 1] === undefined) throw new Error(`bad argument ${a[i]}`);
    o[a[i].slice(2)] = a[i + 1];
  }
  for (const k of ['code-server', 'node24', 'chromium', 'vsix']) {
    if (!o[k]) throw new Error(`--${k} is required`);
  }
  o.work ??= path.join(root, '.e2e/vscode');
  return o;
}

const opts = args();
const work = path.resolve(opts.work);
const started = Date.now();
const log = (m) => console.log(`[vscode-e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${m}`);

let failures = 0;
async function step(name, f) {
  log(`${name} …`);
  try {
    await f();
    log(`ok: ${name}`);
  } catch (e) {
    failures++;
    log(`FAILED: ${name}: ${e && e.message ? e.message : e}`);
    await shot(`failed-${failures}`).catch(() => {});
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, f, timeout = 30000, every = 200) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// ---------------------------------------------------------------- setup

fs.rmSync(work, { recursive: true, force: true });
const dirs = {
  data: path.join(work, 'data'),
  ext: path.join(work, 'extensions'),
  ws: path.join(work, 'workspace'),
  xdg: path.join(work, 'xdg'),
  art: path.join(work, 'artifacts'),
};
for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });

const corpus = fs.readFileSync(path.join(root, '../shared/corpus/real/004.txt'), 'utf8');
const report = plant(corpus);
const reportPath = path.join(dirs.ws, REPORT_NAME);
fs.writeFileSync(reportPath, report.text);
// The same report under a name that says nothing: plain text until the command switches it.
const plainPath = path.join(dirs.ws, 'draft.txt');
fs.writeFileSync(plainPath, report.text);
// A Word document: real report 004 built into a .docx (tests/fixtures/docx) with a typo planted
// in table 3 (（一）予以公开's 总计 1362 written 1326, line 82 of its text).
const WORD_NAME = 'word-淮安市.docx';
const WORD_ERROR_LINE = 82;
const wordPath = path.join(dirs.ws, WORD_NAME);
fs.copyFileSync(path.join(root, 'tests/fixtures/docx/generated-planted-004.docx'), wordPath);

const userSettings = path.join(dirs.data, 'User/settings.json');
const baseSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  // CJK glyphs exactly twice as wide as Latin ones, so aligned tables look aligned.
  'editor.fontFamily': "'WenQuanYi Zen Hei Mono', monospace",
  'window.zoomLevel': 0,
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
  // The LSP traffic goes to the nianbao log, kept with the artefacts.
  'nianbao.trace.server': 'messages',
};
fs.mkdirSync(path.dirname(userSettings), { recursive: true });
fs.writeFileSync(userSettings, JSON.stringify(baseSettings, null, 2));

const env = {
  ...process.env,
  PATH: `${path.resolve(opts.node24)}:${process.env.PATH}`,
  XDG_CONFIG_HOME: dirs.xdg,
  XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
  XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
};
const codeServer = path.resolve(opts['code-server']);
const baseArgs = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.ext];

log(`installing ${opts.vsix}`);
execFileSync(codeServer, [...baseArgs, '--install-extension', path.resolve(opts.vsix), '--force'], {
  env,
  stdio: ['ignore', 'inherit', 'inherit'],
});

const port = await freePort();
const serverLog = fs.openSync(path.join(dirs.art, 'code-server.log'), 'w');
const cs = spawn(
  codeServer,
  [
    ...baseArgs,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    dirs.ws,
  ],
  { env, detached: true, stdio: ['ignore', serverLog, serverLog] },
);
const stopCodeServer = () => {
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {}
};
process.on('exit', stopCodeServer);

let browser;
let page;
async function shot(name) {
  if (!page) return;
  const file = path.join(dirs.art, `${name}.png`);
  await page.screenshot({ path: file });
  log(`screenshot ${path.relative(root, file)}`);
  return file;
}

// ---------------------------------------------------------------- editor helpers

const editor = '.monaco-editor[data-uri]';

async function quickOpen(text) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(text);
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10000 });
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: 10000 });
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
}

/** Moves the cursor to a 1-based line (and column) with “Go to Line”. */
async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(column ? `:${line}:${column}` : `:${line}`);
  await page.waitForTimeout(150);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/**
 * Rewrites the user settings as a user would: Preferences: Open User Settings (JSON), replace
 * the text, save, close. (Writing settings.json behind VS Code's back was not noticed.)
 */
async function editUserSettings(extra) {
  await runCommand('Preferences: Open User Settings (JSON)');
  await page.waitForSelector('.monaco-editor[data-uri$="settings.json"] .view-lines', { timeout: 15000 });
  await page.waitForTimeout(300);
  await page.keyboard.press('Control+A');
  // One line (no auto-indent); then drop whatever the editor auto-closed after the cursor.
  await page.keyboard.insertText(JSON.stringify({ ...baseSettings, ...extra }));
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Control+S');
  await waitFor('settings.json to be saved', async () => {
    const saved = JSON.parse(fs.readFileSync(userSettings, 'utf8'));
    return JSON.stringify(saved['nianbao.severity'] ?? null) === JSON.stringify(extra['nianbao.severity'] ?? null);
  }, 10000);
  await page.keyboard.press('Control+W');
  await page.waitForSelector(`.monaco-editor[data-uri$="${encodeURIComponent(REPORT_NAME)}"]`, { timeout: 10000 }).catch(() => {});
}

async function languageMode() {
  return (await page.locator('#status\\.editor\\.mode').innerText()).trim();
}

/**
 * Moves the mouse over an element, at `fraction` of its width. Not `locator.hover()`: its
 * scroll-into-view scrolls Monaco's DOM behind the editor's back and shifts the view.
 */
async function hoverOver(locator, fraction) {
  await locator.waitFor({ state: 'visible', timeout: 10000 });
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  await page.mouse.move(5, 5);
  await page.mouse.move(box.x + box.width * fraction, box.y + box.height / 2, { steps: 4 });
}

// ---------------------------------------------------------------- the test

try {
  await step('code-server answers', async () => {
    await waitFor(
      `http://127.0.0.1:${port}/healthz`,
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok,
      60000,
      250,
    );
  });

  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    // Chromium's own files (crash reports, caches) stay in the work directory too.
    env,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));

  await step('workbench loads', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.ws)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.explorer-folders-view, .explorer-viewlet', { timeout: 60000 }).catch(() => {});
  });

  await step(`${REPORT_NAME} opens as language 年报`, async () => {
    await quickOpen('年度报告');
    await page.waitForSelector(`${editor} .view-lines`, { timeout: 30000 });
    await waitFor('the status bar to show 年报', async () => (await languageMode()) === '年报', 20000);
  });

  await step('TextMate highlighting colours the report', async () => {
    // The title line: more than one token colour on the visible lines.
    const classes = await page.$$eval(`${editor} .view-line span span`, (spans) =>
      [...new Set(spans.map((s) => s.className))],
    );
    if (classes.length < 3) throw new Error(`only token classes ${JSON.stringify(classes)}`);
  });

  await step(`error squiggle on line ${report.errorLine}`, async () => {
    await goTo(report.errorLine);
    await page.waitForSelector(`${editor} .squiggly-error`, { timeout: 60000 });
  });

  await step('Problems panel lists the wrong total', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: report.message });
    await row.first().waitFor({ state: 'visible', timeout: 20000 });
    const text = await row.first().innerText();
    if (!text.includes(`[Ln ${report.errorLine}`) && !text.includes(`${report.errorLine},`)) {
      log(`(problems row: ${JSON.stringify(text)})`);
    }
    // The editor with the squiggle, the inlay hint and the Problems entry: the screenshot.
    await goTo(report.errorLine, report.errorColumn + 1);
    await page.mouse.move(5, 5);
    await page.waitForTimeout(500);
    const file = await shot('diagnostics');
    if (opts.screenshot) {
      fs.mkdirSync(path.dirname(path.resolve(opts.screenshot)), { recursive: true });
      fs.copyFileSync(file, path.resolve(opts.screenshot));
      log(`copied to ${opts.screenshot}`);
    }
  });

  await step('hovering the squiggle shows the message', async () => {
    await hoverOver(page.locator(`${editor} .squiggly-error`).first(), 0.5);
    await page.locator('.monaco-hover', { hasText: report.message }).first().waitFor({ state: 'visible', timeout: 10000 });
    await shot('diagnostic-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('the setting nianbao.severity turns the error into a warning', async () => {
    await editUserSettings({ 'nianbao.severity': { 'sum-mismatch': 'warning' } });
    await goTo(report.errorLine);
    await page.waitForSelector(`${editor} .squiggly-warning`, { timeout: 20000 });
    if ((await page.locator(`${editor} .squiggly-error`).count()) !== 0) throw new Error('the error squiggle is still there');
    await editUserSettings({});
    await goTo(report.errorLine);
    await page.waitForSelector(`${editor} .squiggly-error`, { timeout: 20000 });
  });

  await step('hover a statute item shows the statute text', async () => {
    await goTo(report.statuteLine);
    // The line by its number in the gutter; the mouse a little into its text.
    const number = page.locator(`${editor} .margin-view-overlays .line-numbers`, {
      hasText: new RegExp(`^${report.statuteLine}$`),
    });
    await number.first().waitFor({ state: 'visible', timeout: 10000 });
    const nb = await number.first().boundingBox();
    const content = await page.locator(`${editor} .view-lines`).first().boundingBox();
    await page.mouse.move(5, 5);
    await page.mouse.move(content.x + 40, nb.y + nb.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover', { hasText: report.statuteTitle });
    await hover.first().waitFor({ state: 'visible', timeout: 15000 });
    const text = await hover.first().innerText();
    if (!text.includes(report.statuteText)) throw new Error(`hover text: ${text.slice(0, 300)}`);
    await shot('hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  await step('the quick-fix sets the figure to 1288', async () => {
    await goTo(report.errorLine, report.errorColumn + 1);
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: report.fixTitle });
    await action.first().waitFor({ state: 'visible', timeout: 15000 });
    await action.first().click();
    await waitFor(
      'the squiggle to go',
      async () => (await page.locator(`${editor} .squiggly-error`).count()) === 0,
      20000,
    );
  });

  await step('save formats the document: the | table is aligned', async () => {
    await page.keyboard.press('Control+S');
    const saved = await waitFor(
      'the saved file to hold the fix and an aligned table',
      async () => {
        const text = fs.readFileSync(reportPath, 'utf8');
        if (!text.includes(report.fixedRow)) return false;
        return checkAligned(text) === null ? text : false;
      },
      20000,
      300,
    ).catch((e) => {
      const text = fs.readFileSync(reportPath, 'utf8');
      throw new Error(`${e.message}; ${checkAligned(text) ?? 'fix missing'}`);
    });
    fs.writeFileSync(path.join(dirs.art, 'formatted.txt'), saved);
    await goTo(report.tableLine + 2);
    await shot('formatted');
  });

  await step('“将当前文件作为年报检查” switches a plain .txt file', async () => {
    await quickOpen('draft.txt');
    await waitFor('draft.txt to open as plain text', async () => (await languageMode()) !== '年报', 20000);
    await runCommand('将当前文件作为年报检查');
    await waitFor('the status bar to show 年报', async () => (await languageMode()) === '年报', 20000);
    await goTo(report.errorLine);
    await page.waitForSelector(`${editor} .squiggly-error`, { timeout: 30000 });
  });

  /** The text of the nianbao log (the extension's output channel, written under the user data dir). */
  function nianbaoLog() {
    const logs = path.join(dirs.data, 'logs');
    return fs
      .readdirSync(logs, { recursive: true })
      .filter((f) => String(f).endsWith('nianbao.log'))
      .map((f) => fs.readFileSync(path.join(logs, String(f)), 'utf8'))
      .join('\n');
  }

  await step('Show Server Log opens the nianbao log, which names the bundled server', async () => {
    await runCommand('显示服务器日志');
    await page.locator('.panel .output-view, .panel .output').first().waitFor({ state: 'visible', timeout: 15000 });
    await waitFor('the nianbao log to name the bundled server', async () => nianbaoLog().includes('/server/nianbao (bundled)'), 15000);
  });

  await step('Restart Server starts a new server, which checks the report again', async () => {
    const starts = () => nianbaoLog().split('已启动 / started').length - 1;
    const before = starts();
    await runCommand('重启语言服务器');
    await waitFor('a second start in the log', async () => starts() > before, 20000);
    await goTo(report.errorLine);
    await page.waitForSelector(`${editor} .squiggly-error`, { timeout: 20000 });
  });

  await step('a Word document opens as report text, with its errors', async () => {
    await quickOpen(WORD_NAME);
    // VS Code shows the .docx as a binary file; the command works on the active tab.
    const tab = page.locator('.tabs-container .tab.active', { hasText: WORD_NAME });
    await tab.waitFor({ state: 'visible', timeout: 15000 });
    await page.waitForTimeout(500);
    const titleAction = page.locator('.editor-actions [aria-label^="以年报文本打开 Word 文档"]');
    if (await titleAction.first().isVisible().catch(() => false)) {
      log('(the editor title action of the binary view)');
      await titleAction.first().click();
    } else {
      log('(no editor title action on the binary view: the command palette)');
      // The binary view's button holds the focus: give it to the tab, where F1 opens the palette.
      await tab.click();
      await runCommand('以年报文本打开 Word 文档');
    }
    await page.waitForSelector('.monaco-editor[data-uri^="nianbao-word"] .view-lines', { timeout: 30000 });
    await waitFor('the status bar to show 年报', async () => (await languageMode()) === '年报', 20000);
    await goTo(WORD_ERROR_LINE);
    await page.waitForSelector(`${editor} .squiggly-error`, { timeout: 30000 });
    await shot('word-diagnostics');
  });

  await step('“改正 Word 文档中的合计” writes the totals into the .docx and the view follows', async () => {
    const before = fs.readFileSync(wordPath);
    // The action in the text view's title bar.
    await page.locator('.editor-actions [aria-label^="改正 Word 文档中的合计"]').first().click({ timeout: 10000 });
    await waitFor('the .docx to change on disk', async () => !fs.readFileSync(wordPath).equals(before), 20000, 300);
    await page
      .locator('.notifications-toasts', { hasText: '已改正 1 处' })
      .first()
      .waitFor({ state: 'visible', timeout: 15000 });
    await goTo(WORD_ERROR_LINE);
    await waitFor(
      'the squiggles to go',
      async () => (await page.locator(`${editor} .squiggly-error`).count()) === 0,
      20000,
    );
    await shot('word-fixed');
  });
} catch (e) {
  failures++;
  log(`FAILED: ${e && e.stack ? e.stack : e}`);
  await shot('failed').catch(() => {});
} finally {
  if (browser) await browser.close().catch(() => {});
  stopCodeServer();
  try {
    fs.cpSync(path.join(dirs.data, 'logs'), path.join(dirs.art, 'logs'), { recursive: true });
  } catch {}
}

log(failures === 0 ? 'PASS' : `FAIL (${failures} failed)`);
log(`artefacts in ${path.relative(root, dirs.art)}`);
process.exit(failures === 0 ? 0 : 1);
