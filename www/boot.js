// Starts the renderer without an inline script, so that pages run under the
// Content Security Policy `script-src 'self' 'wasm-unsafe-eval'`. Trunk's
// preload links (hashed file names, with integrity) say which files to load.
const js = document.querySelector('link[rel="modulepreload"]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
if (js && wasm) {
  const bindings = await import(js.href);
  await bindings.default({ module_or_path: wasm.href });
  window.tulipWidgets = bindings;
  dispatchEvent(new CustomEvent("TulipWidgetsStarted", { detail: { bindings } }));
}
