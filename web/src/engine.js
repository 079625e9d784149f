// The engine's functions as the page, its tests and power users call them (`window.nianbao`):
// the wasm module built from web/engine (wasm-bindgen glue in build/pkg/), with the JSON results
// that are structures parsed. `check` and `checkFile` give the document of
// `nianbao check --format json` as a string, byte for byte what the command line prints.
//
// Two engines, from the same crate: the page's (build/pkg: report text — UTF-8, GB18030/GBK
// through the browser's TextDecoder, UTF-16), started with the page; and the full engine
// (build/pkg-full: the same, plus the command line's Word and page readers), started only when a
// Word document or a saved page is opened — its readers would more than double what the page
// loads. Its bytes come from `fullSource` (a URL beside the page, or the single file's inline
// copy), asked for the first time one is needed.

import init, * as wasm from "../build/pkg/nianbao_web.js";
import initFull, * as full from "../build/pkg-full/nianbao_full.js";

const bytesOf = (data) => (data instanceof Uint8Array ? data : new Uint8Array(data));

let fullSource = null;
let fullEngine = null;

/** The full engine, started on first use. */
function readers() {
  fullEngine ??= (async () => {
    if (!fullSource) throw new Error("本页缺少 Word 文档与网页读取模块");
    await initFull({ module_or_path: await fullSource() });
    performance.mark("nianbao-readers-ready");
    return full;
  })().catch((e) => {
    fullEngine = null;
    throw e;
  });
  return fullEngine;
}

/** The engine that reads a file of this kind. */
const engineFor = async (bytes) => (wasm.needsReaders(bytes) ? readers() : wasm);

/** A Word document with text written in, from the engine: `{bytes, changes}`. */
function wordFile(written) {
  try {
    return { bytes: written.bytes, changes: JSON.parse(written.changes) };
  } finally {
    written.free();
  }
}

export const api = Object.freeze({
  /** The version of nianbao. */
  version: () => wasm.version(),
  /** The official formats a report can be checked against: `[{id, name}]`, oldest first. */
  templates: () => JSON.parse(wasm.templates()),
  /** `nianbao check --format json -` fed `text`: the JSON document (string). */
  check: (text, template) => wasm.check(text, template),
  /** What the editor shows: `{file, suggestions}` — the file entry of `check`, and per diagnostic the fixes offered that are not safe (the user picks one). */
  lint: (text, template) => JSON.parse(wasm.lint(text, template)),
  /** Promise: `nianbao check --format json FILE` for a file's bytes, shown as `name` (string). Rejects with the reason. */
  checkFile: async (bytes, name, template) => {
    const b = bytesOf(bytes);
    return (await engineFor(b)).checkFile(b, name, template);
  },
  /** Promise: a file's report text, read by content: `{text, kind}` (a Word document or a page: what `nianbao convert` prints). Rejects with the reason (Chinese). */
  readFile: async (bytes, name) => {
    const b = bytesOf(bytes);
    return JSON.parse((await engineFor(b)).readFile(b, name));
  },
  /** Promise: the Word document (.docx bytes) with every safe fix written in, as `nianbao check --fix` writes it: `{bytes, changes}`. */
  fixWord: async (bytes, template) => wordFile((await readers()).fixWord(bytesOf(bytes), template)),
  /** Promise: the Word document with `text` (its text as `readFile` gives it, edited) written in: `{bytes, changes}`. Rejects with the reason when a change cannot be written. */
  writeWord: async (bytes, text) => wordFile((await readers()).writeWord(bytesOf(bytes), text)),
  /** Whether the full engine (Word documents, pages) has been started. */
  readersStarted: () => fullEngine !== null,
  /** The text in the canonical layout (`nianbao fmt`). */
  format: (text, template) => wasm.format(text, template),
  /** The text with every safe fix applied. */
  fixAll: (text, template) => wasm.fixAll(text, template),
  /** `{markdown, range}` at a 0-based line and UTF-16 character, or `null`. */
  hover: (text, line, character, template) => {
    const json = wasm.hover(text, line, character, template);
    return json === undefined ? null : JSON.parse(json);
  },
  /** Markdown for a code (`sum-mismatch`) or a statute reference (`第二十条第（五）项`). Throws for an unknown topic. */
  explain: (topic) => wasm.explain(topic),
});

/**
 * Loads the engine. `source` is what wasm-bindgen's init takes: the URL of the .wasm (the served
 * page) or its bytes (the single-file page, which carries them inline); `readersSource`, a
 * function giving the same for the full engine, called when it is first needed.
 */
export async function load(source, readersSource) {
  fullSource = readersSource;
  await init({ module_or_path: source });
  return api;
}
