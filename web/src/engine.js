// The engine's functions as the page, its tests and power users call them (`window.nianbao`):
// the wasm module built from web/engine (wasm-bindgen glue in build/pkg/), with the JSON results
// that are structures parsed. `check` and `checkFile` return the document of
// `nianbao check --format json` as a string, byte for byte what the command line prints.

import init, * as wasm from "../build/pkg/nianbao_web.js";

const bytesOf = (data) => (data instanceof Uint8Array ? data : new Uint8Array(data));

export const api = Object.freeze({
  /** The version of nianbao. */
  version: () => wasm.version(),
  /** The official formats a report can be checked against: `[{id, name}]`, oldest first. */
  templates: () => JSON.parse(wasm.templates()),
  /** `nianbao check --format json -` fed `text`: the JSON document (string). */
  check: (text, template) => wasm.check(text, template),
  /** What the editor shows: `{file, suggestions}` — the file entry of `check`, and per diagnostic the fixes offered that are not safe (the user picks one). */
  lint: (text, template) => JSON.parse(wasm.lint(text, template)),
  /** `nianbao check --format json FILE` for a file's bytes, shown as `name` (string). Throws the reason. */
  checkFile: (bytes, name, template) => wasm.checkFile(bytesOf(bytes), name, template),
  /** A file's report text, read by content: `{text, kind}`. Throws the reason (Chinese). */
  readFile: (bytes) => JSON.parse(wasm.readFile(bytesOf(bytes))),
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
 * page) or its bytes (the single-file page, which carries them inline).
 */
export async function load(source) {
  await init({ module_or_path: source });
  return api;
}
