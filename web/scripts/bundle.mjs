// Builds web/dist/ from web/src/ and the engine (web/build/pkg/, made by wasm-bindgen in build.sh):
//
//   dist/index.html, app.js, app.css, nianbao_web_bg.wasm   the page, to serve as static files
//                                                           (boot.js, inline: the engine; app.js: the editor)
//   dist/nianbao_full_bg.wasm                               the full engine (Word documents, pages),
//                                                           loaded only when such a file is opened
//   dist/nianbao.html                                       the same page as one file (script, styles
//                                                           and the engine inline), for file://
//   dist/sizes.json                                         bytes and gzipped bytes of each
//
// Both pages run the same app.js; only where the engine's bytes come from differs.

import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(web, "dist");
const wasmPath = join(web, "build", "pkg", "nianbao_web_bg.wasm");
const fullWasmPath = join(web, "build", "pkg-full", "nianbao_full_bg.wasm");

// The page may load its own files and nothing else; the single file not even those.
// The served page's one inline script (boot.js) is allowed by its hash.
const cspServed = (bootHash) =>
  `default-src 'none'; script-src 'self' '${bootHash}' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; ` +
  "connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'";
const CSP_SINGLE =
  "default-src 'none'; script-src 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'unsafe-inline'; " +
  "img-src data: blob:; base-uri 'none'; form-action 'none'";

const NOTICE = `<!--
  nianbao (年报) — 政府信息公开工作年度报告检查工具. MIT License.
  Bundled: CodeMirror 6 (@codemirror/state, view, lint, commands; style-mod, w3c-keyname, crelt),
  © Marijn Haverbeke and others, MIT License; tree-sitter, © Max Brunsfeld and others, MIT License;
  Rust crates of the engine (serde, serde_json, unicode-width, similar, rapidfuzz, wasm-bindgen), and of
  the full engine's readers (zip, zlib-rs, roxmltree, scraper, html5ever, encoding_rs, chardetng),
  MIT or Apache-2.0, except rapidfuzz (MIT), zlib-rs (Zlib) and encoding_rs ((Apache-2.0 OR MIT) AND BSD-3-Clause).
-->`;

// @codemirror/commands (for its undo history) imports @codemirror/language, whose @lezer/common
// has top-level statements esbuild must keep unless told they have no side effects: nothing of
// either is used, and without them the page is 4 KB (gzipped) smaller.
const unusedImports = {
  name: "side-effect-free",
  setup(b) {
    b.onResolve({ filter: /^(@lezer\/common|@codemirror\/language)$/ }, async (args) => {
      if (args.pluginData?.again) return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { again: true },
      });
      return { ...resolved, sideEffects: false };
    });
  },
};

async function bundle(entry, options = {}) {
  const result = await build({
    entryPoints: [join(web, "src", entry)],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    target: ["chrome90", "firefox100", "safari16"],
    loader: { ".txt": "text" },
    legalComments: "eof",
    charset: "utf8",
    logLevel: "warning",
    plugins: [unusedImports],
    ...options,
  });
  return result.outputFiles[0].text;
}

/** Text that may stand inside an HTML `<script>` or `<style>` element as it is. */
function inlinable(text, what) {
  if (/<\/(script|style)/i.test(text) || text.includes("<!--")) {
    throw new Error(`${what} contains </script, </style or <!--: it cannot be inlined as is`);
  }
  return text;
}

function page({ csp, style, head, wasm, body }) {
  const template = readFileSync(join(web, "src", "index.html"), "utf8");
  const replacements = { "@CSP@": csp, "@STYLE@": style, "@HEAD@": head, "@WASM@": wasm, "@BODY@": body };
  let html = template;
  for (const [key, value] of Object.entries(replacements)) {
    if (!html.includes(key)) throw new Error(`src/index.html lacks ${key}`);
    if (typeof value !== "string") throw new Error(`no value for ${key}`);
    html = html.replace(key, () => value);
  }
  return html.replace("<html lang=\"zh-CN\">", `<html lang="zh-CN">\n${NOTICE}`);
}

// boot.js runs inline in both pages, as a classic script: it starts the engine while the page is
// still being parsed.
// (wasm-bindgen's glue falls back to import.meta.url when given no module, which boot.js never does.)
const boot = inlinable(
  await bundle("boot.js", { format: "iife", define: { "import.meta.url": "undefined" } }),
  "boot.js",
);
const bootTag = `<script>${boot}</script>`;
const bootHash = `sha256-${createHash("sha256").update(boot, "utf8").digest("base64")}`;
// The editor's script only defines the function that starts it: boot.js calls it once the engine
// is ready, so the engine does not wait for the editor's script to be evaluated.
const app = await bundle("main.js", { format: "iife" });
const js =
  `window.nianbaoStartApp=function(){${app}};` +
  'window.dispatchEvent(new Event("nianbao-app-loaded"));\n';
const css = await bundle("style.css", { format: undefined, loader: {} });
const wasm = readFileSync(wasmPath);
const fullWasm = readFileSync(fullWasmPath);
const inlineWasm = (id, bytes) =>
  `<script type="application/octet-stream" id="${id}">${gzipSync(bytes, { level: 9 }).toString("base64")}</script>`;

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const files = {
  "index.html": page({
    csp: cspServed(bootHash),
    style: '<link rel="stylesheet" href="app.css">',
    head: bootTag,
    wasm: "",
    body: '<script defer src="app.js"></script>',
  }),
  "app.js": js,
  "app.css": css,
  "nianbao_web_bg.wasm": wasm,
  // The full engine (Word documents and pages), fetched only when such a file is opened.
  "nianbao_full_bg.wasm": fullWasm,
  "nianbao.html": page({
    csp: CSP_SINGLE,
    style: `<style>${inlinable(css, "app.css")}</style>`,
    head: "",
    wasm: inlineWasm("nianbao-wasm", wasm) + inlineWasm("nianbao-full-wasm", fullWasm),
    // After the engine's bytes, which boot.js reads.
    body: `${bootTag}\n<script>${inlinable(js, "app.js")}</script>`,
  }),
};

const sizes = {};
for (const [name, content] of Object.entries(files)) {
  writeFileSync(join(dist, name), content);
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  sizes[name] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
// What the served page loads (the full engine only when a Word document or a page is opened).
const served = ["index.html", "app.js", "app.css", "nianbao_web_bg.wasm"];
sizes.served = {
  bytes: served.reduce((n, f) => n + sizes[f].bytes, 0),
  gzip: served.reduce((n, f) => n + sizes[f].gzip, 0),
};
writeFileSync(join(dist, "sizes.json"), `${JSON.stringify(sizes, null, 2)}\n`);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const [name, s] of Object.entries(sizes)) {
  console.log(`${name.padEnd(22)} ${kb(s.bytes).padStart(10)}   gzip ${kb(s.gzip).padStart(9)}`);
}
