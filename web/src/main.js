// The page: a CodeMirror 6 editor over the nianbao engine (WebAssembly, started by boot.js as
// `window.nianbao`). Bundled as app.js, this runs when boot.js calls `window.nianbaoStartApp()`
// (see scripts/bundle.mjs). Everything runs in this
// browser tab; the page makes no request after its own files (its Content-Security-Policy forbids
// it, and the end-to-end test asserts it).
//
// Positions from the engine are the LSP's (0-based line, UTF-16 character): with "\n" as the
// editor's only line separator they index CodeMirror's lines and JavaScript strings directly.

import { EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightSpecialChars,
  hoverTooltip,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { history, historyKeymap } from "@codemirror/commands";

import { renderMarkdown } from "./markdown.js";
import sample from "../../examples/001.txt";

const SAMPLE_NAME = "示例-淮安市洪泽区2023年报.txt";
const SEVERITY = {
  error: { cm: "error", label: "错误" },
  warning: { cm: "warning", label: "警告" },
  information: { cm: "info", label: "信息" },
  hint: { cm: "hint", label: "提示" },
};
const templateName = (id) => (id === "unknown" ? "未能识别" : `${id} 年版格式`);

const $ = (id) => document.getElementById(id);
let engine = null;
let view = null;
let fileName = null;
let wordBytes = null; // the open Word document's bytes (what 下载 Word 文档 writes the editor's text into)
let current = null; // the last check: {file, bom}
let pending = false;
let slow = false;

/** Timings of the checks, for the status line, the tests and the curious (`window.nianbaoPage.stats`). */
const stats = { checks: [], engineReadyMs: null };

function template() {
  const value = $("template").value;
  return value === "auto" ? undefined : value;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function setStatus(text, kind = "info") {
  const status = $("status");
  status.textContent = text;
  status.dataset.kind = kind;
}

/** The editor offset of an engine position; `bom` shifts line 0 when the text starts with U+FEFF (which `check`, like the CLI, does not count). */
function offsetOf(doc, pos, bom = 0) {
  if (pos.line + 1 > doc.lines) return doc.length;
  const line = doc.line(pos.line + 1);
  return Math.min(line.from + pos.character + (pos.line === 0 ? bom : 0), line.to);
}

function changesOf(doc, edits, bom) {
  return edits.map((e) => ({
    from: offsetOf(doc, e.range.start, bom),
    to: offsetOf(doc, e.range.end, bom),
    insert: e.newText,
  }));
}

/** The fixes offered for a diagnostic: its safe fix, then the suggestions (the user judges those). */
function fixesOf(d, suggestions = []) {
  return [...(d.fix ? [{ ...d.fix, safe: true }] : []), ...suggestions.map((f) => ({ ...f, safe: false }))];
}

function applyFix(fix, bom) {
  view.dispatch({ changes: changesOf(view.state.doc, fix.edits, bom), userEvent: "input.fix" });
  view.focus();
}

/** Replaces the document by `text`, as one undoable change of the part that differs. */
function replaceText(text, userEvent) {
  const old = view.state.doc.toString();
  if (old === text) return false;
  let start = 0;
  while (start < old.length && start < text.length && old[start] === text[start]) start++;
  let end = 0;
  while (
    end < old.length - start &&
    end < text.length - start &&
    old[old.length - 1 - end] === text[text.length - 1 - end]
  ) {
    end++;
  }
  view.dispatch({
    changes: { from: start, to: old.length - end, insert: text.slice(start, text.length - end) },
    userEvent,
  });
  return true;
}

const EMPTY = { file: { path: "<stdin>", template: "unknown", diagnostics: [] }, suggestions: [] };

/** An engine call; if the engine fails (it should not), the page says so instead of going silent. */
function guarded(what, f, fallback) {
  try {
    return f();
  } catch (e) {
    setStatus(`${what}出错：${e.message}。请刷新页面后重试，并报告此问题。`, "error");
    console.error(e);
    return fallback;
  }
}

function runCheck() {
  const started = performance.now();
  const text = view.state.doc.toString();
  // Nothing to check in an empty editor (which is how the page starts).
  const { file, suggestions } = text === "" ? EMPTY : guarded("检查", () => engine.lint(text, template()), EMPTY);
  const engineMs = performance.now() - started;
  const bom = text.startsWith("\uFEFF") ? 1 : 0;
  const doc = view.state.doc;
  current = { file, bom };
  const diagnostics = file.diagnostics.map((d, i) => ({
    from: offsetOf(doc, d.range.start, bom),
    to: offsetOf(doc, d.range.end, bom),
    severity: SEVERITY[d.severity]?.cm ?? "info",
    source: d.code,
    message: d.message,
    actions: fixesOf(d, suggestions[i]).map((f) => ({ name: f.title, apply: () => applyFix(f, bom) })),
  }));
  view.dispatch(setDiagnostics(view.state, diagnostics));
  renderProblems(file, suggestions, bom);
  const totalMs = performance.now() - started;
  if (text !== "") stats.checks.push({ length: text.length, engineMs, totalMs, at: started });
  if (stats.checks.length > 500) stats.checks.shift();
  slow = totalMs > 30;
  $("timing").textContent = `检查用时 ${totalMs < 10 ? totalMs.toFixed(1) : Math.round(totalMs)} 毫秒`;
}

/** After an edit: at once, or after a pause in typing when a check takes long (a very large text). */
function scheduleCheck() {
  if (pending) return;
  pending = true;
  const run = () => {
    pending = false;
    runCheck();
  };
  if (slow) setTimeout(run, 250);
  else queueMicrotask(run);
}

function goTo(range, bom) {
  const doc = view.state.doc;
  const from = offsetOf(doc, range.start, bom);
  const to = offsetOf(doc, range.end, bom);
  view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: "center" }) });
  view.focus();
}

function renderProblems(file, suggestions, bom) {
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of file.diagnostics) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  $("template-detected").textContent = templateName(file.template);
  $("template-detected").dataset.template = file.template;
  const summary = $("summary");
  summary.textContent = "";
  if (file.diagnostics.length === 0) {
    summary.append(el("span", "ok", view.state.doc.length === 0 ? "尚无内容" : "未发现问题"));
  } else {
    for (const [severity, n] of Object.entries(counts)) {
      if (n > 0) summary.append(el("span", `count sev-${severity}`, `${SEVERITY[severity].label} ${n}`));
    }
  }

  const list = $("problems");
  list.textContent = "";
  if (view.state.doc.length === 0) {
    list.append(el("li", "empty", "把年报全文粘贴到左侧，或把文件拖到本页、点击「打开文件」。也可以点击「载入示例」看看效果。"));
    return;
  }
  if (file.diagnostics.length === 0) {
    list.append(el("li", "empty", "没有发现问题。"));
    return;
  }
  for (const [i, d] of file.diagnostics.entries()) {
    const item = el("li", `problem sev-${d.severity}`);
    const go = el("button", "goto");
    go.type = "button";
    go.title = "跳转到此处";
    go.append(
      el("span", "sev", SEVERITY[d.severity]?.label ?? d.severity),
      el("span", "loc", `第 ${d.range.start.line + 1} 行`),
      el("span", "msg", d.message),
    );
    go.addEventListener("click", () => goTo(d.range, bom));
    item.append(go);
    const meta = el("div", "meta");
    const code = el("button", "code", d.code);
    code.type = "button";
    code.title = "这个问题是什么意思？";
    code.addEventListener("click", () => showExplain(d.code));
    meta.append(code);
    for (const f of fixesOf(d, suggestions[i])) {
      const fix = el("button", f.safe ? "fix" : "fix suggestion", `${f.safe ? "修正" : "建议"}：${f.title}`);
      fix.type = "button";
      fix.title = f.safe ? "自动修正（「全部修正」也会应用）" : "可能的修正：请先核对原始数据";
      fix.addEventListener("click", () => applyFix(f, bom));
      meta.append(fix);
    }
    item.append(meta);
    if (d.related.length > 0) {
      const related = el("ul", "related");
      for (const r of d.related) {
        const li = el("li");
        const link = el("button", "goto-related", `第 ${r.range.start.line + 1} 行：${r.message}`);
        link.type = "button";
        link.addEventListener("click", () => goTo(r.range, bom));
        li.append(link);
        related.append(li);
      }
      item.append(related);
    }
    list.append(item);
  }
}

function showExplain(topic) {
  let markdown;
  try {
    markdown = engine.explain(topic);
  } catch (e) {
    markdown = e.message;
  }
  $("explain-body").innerHTML = renderMarkdown(markdown);
  $("explain").showModal();
}

const hover = hoverTooltip(
  (v, pos) => {
    const doc = v.state.doc;
    const line = doc.lineAt(pos);
    const found = guarded("悬停说明", () => engine.hover(doc.toString(), line.number - 1, pos - line.from, template()), null);
    if (!found) return null;
    return {
      pos: offsetOf(doc, found.range.start),
      end: offsetOf(doc, found.range.end),
      above: true,
      create() {
        const dom = el("div", "nb-hover markdown");
        dom.innerHTML = renderMarkdown(found.markdown);
        return { dom };
      },
    };
  },
  { hoverTime: 250 },
);

/** A key command that types `text` over the selection. */
const typing = (text) => (v) => {
  v.dispatch(v.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input" });
  return true;
};

function extensions() {
  return [
    // Lines end at LF only, as for the engine: a CR stays a character of its line.
    EditorState.lineSeparator.of("\n"),
    lineNumbers(),
    highlightSpecialChars(),
    drawSelection(),
    history(),
    keymap.of([
      { key: "Enter", run: typing("\n") },
      // Cells of table rows are separated by TABs: Tab types one (Esc, then Tab, leaves the editor).
      { key: "Tab", run: typing("\t") },
      {
        key: "Mod-a",
        run: (v) => {
          v.dispatch({ selection: { anchor: 0, head: v.state.doc.length }, userEvent: "select" });
          return true;
        },
      },
      ...historyKeymap,
    ]),
    EditorView.lineWrapping,
    placeholder("把年报全文粘贴到这里，或把文件拖到本页……"),
    lintGutter(),
    hover,
    EditorView.updateListener.of((update) => {
      if (update.docChanged) scheduleCheck();
    }),
    EditorView.domEventHandlers({
      drop(event) {
        if (event.dataTransfer?.files?.length) {
          event.preventDefault();
          openFile(event.dataTransfer.files[0]);
          return true;
        }
        return false;
      },
    }),
    EditorView.contentAttributes.of({ "aria-label": "年报全文", lang: "zh-CN" }),
  ];
}

/** Starts over with `text` (a new undo history). */
function setText(text, name) {
  fileName = name;
  view.setState(EditorState.create({ doc: text, extensions: extensions() }));
  runCheck();
}

/** Larger files are refused: the editor would crawl (the command line reads up to 256 MB). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

async function openFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    setStatus(`无法打开「${file.name}」：文件过大（超过 32 MB），请用命令行工具 nianbao check 检查`, "error");
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let read;
  try {
    // A Word document or a page starts the full engine (its readers) the first time.
    if (!engine.readersStarted()) setStatus(`正在读取「${file.name}」……`);
    read = await engine.readFile(bytes, file.name);
  } catch (e) {
    setStatus(`无法打开「${file.name}」：${e.message}`, "error");
    return;
  }
  wordBytes = read.kind === "Word 文档" ? bytes : null;
  $("download-word").hidden = wordBytes === null;
  setText(read.text, file.name);
  const note = wordBytes ? "；改动可用「下载 Word 文档」写回文档" : "";
  setStatus(`已打开「${file.name}」（${read.kind}，${bytes.length.toLocaleString("zh-CN")} 字节${note}）`);
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The name of the text download: the file's own, or for a Word document or a page its name as .txt. */
function textName() {
  if (!fileName) return "年报.txt";
  return /\.(docx?|wps|s?html?)$/i.test(fileName) ? fileName.replace(/\.[^.]+$/, ".txt") : fileName;
}

function download() {
  const text = view.state.doc.toString();
  const name = textName();
  save(new Blob([text], { type: "text/plain;charset=utf-8" }), name);
  setStatus(`已下载「${name}」`);
}

/** The Word document with the editor's text written in (as `nianbao check --fix` writes its fixes). */
async function downloadWord() {
  if (!wordBytes) return;
  let written;
  try {
    written = await engine.writeWord(wordBytes, view.state.doc.toString());
  } catch (e) {
    setStatus(`未写回 Word 文档：${e.message}`, "error");
    return;
  }
  const name = fileName ?? "年报.docx";
  save(new Blob([written.bytes], { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }), name);
  setStatus(
    written.changes.length
      ? `已下载「${name}」，改正 ${written.changes.length} 处：${written.changes.join("；")}`
      : `已下载「${name}」（文档没有改动）`,
  );
}

function wire() {
  $("open").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", () => {
    const file = $("file").files?.[0];
    if (file) openFile(file);
    $("file").value = "";
  });
  $("sample").addEventListener("click", () => {
    wordBytes = null;
    $("download-word").hidden = true;
    setText(sample, SAMPLE_NAME);
    setStatus("已载入示例：淮安市洪泽区人民政府 2023 年报告（表四有两处合计错误，来自已发布的原文）");
  });
  $("format").addEventListener("click", () => {
    const formatted = guarded("格式化", () => engine.format(view.state.doc.toString(), template()), null);
    if (formatted === null) return;
    const changed = replaceText(formatted, "input.format");
    setStatus(changed ? "已格式化（只改动空白，可撤销）" : "版式已规范，无需改动");
  });
  $("fix-all").addEventListener("click", () => {
    const before = current?.file.diagnostics.length ?? 0;
    const fixed = guarded("全部修正", () => engine.fixAll(view.state.doc.toString(), template()), null);
    if (fixed === null) return;
    const changed = replaceText(fixed, "input.fix");
    if (changed) runCheck();
    const after = current?.file.diagnostics.length ?? 0;
    setStatus(
      changed
        ? `已应用全部安全修正（可撤销）：问题 ${before} → ${after} 个`
        : "没有可以自动修正的问题",
    );
  });
  $("download").addEventListener("click", download);
  $("download-word").addEventListener("click", downloadWord);
  $("template").addEventListener("change", runCheck);
  $("explain-close").addEventListener("click", () => $("explain").close());

  // Drag and drop anywhere on the page.
  let depth = 0;
  window.addEventListener("dragenter", (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes("Files")) return;
    depth++;
    document.body.classList.add("dragging");
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) document.body.classList.remove("dragging");
  });
  window.addEventListener("dragover", (e) => e.preventDefault());
  window.addEventListener("drop", (e) => {
    e.preventDefault();
    depth = 0;
    document.body.classList.remove("dragging");
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file);
  });
}

async function main() {
  try {
    // Started by boot.js, the page's first script.
    engine = await window.nianbaoReady;
  } catch (e) {
    setStatus(`无法启动检查引擎：${e.message}。请使用新版 Chrome、Edge 或 Firefox 打开本页。`, "error");
    throw e;
  }
  stats.engineReadyMs = performance.getEntriesByName("nianbao-engine-ready")[0]?.startTime ?? null;
  view = new EditorView({ parent: $("editor"), state: EditorState.create({ doc: "", extensions: extensions() }) });
  // For tests and the curious: the editor, the timings, and a few of the page's own operations.
  window.nianbaoPage = {
    stats,
    get view() {
      return view;
    },
    get fileName() {
      return fileName;
    },
    setText,
    scrollTo: (pos) => EditorView.scrollIntoView(pos, { y: "center" }),
  };
  $("version").textContent = `nianbao ${engine.version()}`;
  for (const format of engine.templates()) {
    const option = el("option", undefined, `${format.id} 年版`);
    option.value = format.id;
    option.title = format.name;
    $("template").append(option);
  }
  wire();
  runCheck();
  document.body.classList.add("ready");
  setStatus("就绪：全部在本机浏览器中检查，报告不会上传");
}

main();
