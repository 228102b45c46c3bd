// Reads a CSL-JSON file with citation-js (the citeproc-js processor Zotero also uses)
// and prints its bibliography in APA style, one entry per line, then one line per
// entry id. Exits 1 if the file cannot be read as CSL-JSON.
//
// Usage: node tests/browser/csl.mjs bibliography.json

import { readFileSync } from "node:fs";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-csl";

const items = JSON.parse(readFileSync(process.argv[2], "utf8"));
try {
  const cite = new Cite(items, { forceType: "@csl/list+object" });
  const text = cite.format("bibliography", { format: "text", template: "apa", lang: "en-US" });
  console.log(text.trim());
  for (const item of cite.data) console.log("id: " + item.id);
} catch (e) {
  console.error("not readable as CSL-JSON: " + e);
  process.exit(1);
}
