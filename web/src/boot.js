// The first script of the page (a classic script, inline: it runs while the page is parsed). It
// starts the engine at once and publishes it as
// `window.nianbao` (and the promise `window.nianbaoReady`), and only then starts the editor
// (app.js, which defines `window.nianbaoStartApp` without running it): evaluating the editor's
// script takes the main thread for tens of milliseconds, and the engine comes first. The
// single-file page carries the engine inline (gzip, then base64, in <script id="nianbao-wasm">);
// the served page fetches it from beside itself. The same for the full engine (Word documents
// and pages: <script id="nianbao-full-wasm">, nianbao_full_bg.wasm), only when it is needed.

import { load } from "./engine.js";

performance.mark("nianbao-boot");

function base64Bytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The bytes of an engine: inline in the single-file page (`<script id>`), else beside the page. */
async function source(id, file) {
  const inline = document.getElementById(id);
  if (!inline) return new URL(file, document.baseURI);
  const gzipped = new Blob([base64Bytes(inline.textContent.trim())]);
  const stream = gzipped.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

window.nianbaoReady = source("nianbao-wasm", "nianbao_web_bg.wasm")
  .then((bytes) => load(bytes, () => source("nianbao-full-wasm", "nianbao_full_bg.wasm")))
  .then((api) => {
    window.nianbao = api;
    performance.mark("nianbao-engine-ready");
    return api;
  });

// The editor starts once the engine is ready (or has failed: the editor then says why).
const appLoaded = new Promise((resolve) => {
  if (window.nianbaoStartApp) resolve();
  else window.addEventListener("nianbao-app-loaded", resolve, { once: true });
});
Promise.allSettled([window.nianbaoReady, appLoaded]).then(() => window.nianbaoStartApp());
