// The first script of the page: starts the engine at once — fetching and compiling its
// WebAssembly while the browser is still busy with the editor's script (app.js) — and publishes
// it as `window.nianbao` (and the promise `window.nianbaoReady`). The single-file page carries the
// module inline (gzip, then base64, in <script id="nianbao-wasm">); the served page fetches it
// from beside itself.

import { load } from "./engine.js";

function base64Bytes(base64) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function source() {
  const inline = document.getElementById("nianbao-wasm");
  if (!inline) return new URL("nianbao_web_bg.wasm", import.meta.url);
  const gzipped = new Blob([base64Bytes(inline.textContent.trim())]);
  const stream = gzipped.stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

window.nianbaoReady = source()
  .then(load)
  .then((api) => {
    window.nianbao = api;
    performance.mark("nianbao-engine-ready");
    return api;
  });
