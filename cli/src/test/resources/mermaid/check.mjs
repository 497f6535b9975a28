// Parses Mermaid files with the real mermaid package (under jsdom); exit 1 if any fails. Used by MermaidSyntaxTest.
import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser; globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8');
  try { const r = await mermaid.parse(text); console.log('OK', f, JSON.stringify(r)); }
  catch (e) { bad++; console.log('FAIL', f, String(e.message || e).slice(0, 400)); }
}
process.exit(bad ? 1 : 0);
