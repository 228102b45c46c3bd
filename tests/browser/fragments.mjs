// Checks the links that take a reader to a quote on its source's page. For every quote a
// built claim page says is verified, it takes the text directive (`#:~:text=…`) of the
// quote's link and applies the matching algorithm of the URL Fragment Text Directive
// (written here from the specification: visible text nodes grouped by their nearest
// block ancestor, comparison without case or diacritics, word boundaries by
// Intl.Segmenter, prefix and suffix touching the match across whitespace) to the
// source's snapshot opened in Chromium, and says whether it finds exactly one passage
// and that passage is the quote. Then it opens one long snapshot at a fragment and says
// whether Chromium itself scrolled the quote into view.
//
// Usage: node tests/browser/fragments.mjs SITE_URL SNAPSHOT_URL CASES.json
// CASES.json: {"pages": ["claims/x/", …], "snapshots": {"source-id": "path", …},
//              "scroll": {"source": "source-id", "words": "text on the quoted element"}}
// Prints one line per quote and exits 1 if any check failed.

import { chromium } from "playwright-core";
import fs from "node:fs";

const [site, snapshots, casesFile] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, "utf8"));
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.log("FAIL " + what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const context = await browser.newContext();
// CI runs the browser tests side by side on two cores: a page may take a while.
context.setDefaultTimeout(120000);

// Every quote of the claim pages: its source, its words, whether the page says it is
// verified, and its link to the live page.
async function quotesOf(path) {
  const page = await context.newPage();
  await page.goto(site + path);
  const found = await page.evaluate(() =>
    [...document.querySelectorAll(".reference-list > li")].flatMap((li) => {
      const source = li.querySelector(".ref-source a").getAttribute("href").split("/").filter(Boolean).pop();
      return [...li.querySelectorAll(".citation-detail")]
        .filter((d) => d.querySelector("blockquote"))
        .map((d) => ({
          source,
          quote: d.querySelector("blockquote").textContent.trim(),
          verified: !!d.querySelector(".quote-check.verified"),
          link: d.querySelector("a.quote-link")?.getAttribute("href") ?? null,
          robust: ["originalurl", "versionurl", "versiondate"].filter((a) => d.querySelector("a.quote-link")?.dataset[a]),
        }));
    }),
  );
  await page.close();
  return found;
}

// The specification's search, run in the snapshot's page: every passage the directive
// matches, in document order (at most five).
function applyDirective(directive) {
  const norm = (c) => c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const blocks = [];
  const walker = document.createTreeWalker(document.body ?? document.documentElement, NodeFilter.SHOW_TEXT);
  const blockOf = (el) => {
    while (el.parentElement && /^(inline|contents)/.test(getComputedStyle(el).display)) el = el.parentElement;
    return el;
  };
  let current = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || !parent.checkVisibility() || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(parent.tagName)) continue;
    const block = blockOf(parent);
    if (!current || current.el !== block) blocks.push((current = { el: block, text: "" }));
    current.text += n.data;
  }
  for (const b of blocks) {
    b.raw = b.text.replace(/\s+/g, " ");
    b.norm = "";
    b.at = []; // index in norm -> index in raw
    let start = 0;
    for (const c of b.raw) {
      for (const d of norm(c)) {
        b.norm += d;
        b.at.push(start);
      }
      start += c.length;
    }
    b.at.push(b.raw.length);
    b.bounds = new Set([0, b.raw.length]);
    for (const s of new Intl.Segmenter(undefined, { granularity: "word" }).segment(b.raw)) {
      b.bounds.add(s.index);
      b.bounds.add(s.index + s.segment.length);
    }
  }
  const collapse = (q) => [...q.replace(/\s+/g, " ")].map(norm).join("");
  const find = (query, from, startsWord, endsWord) => {
    const q = collapse(query);
    for (let b = from.b; b < blocks.length; b++) {
      const k = blocks[b];
      for (let i = k.norm.indexOf(q, b === from.b ? from.i : 0); i >= 0; i = k.norm.indexOf(q, i + 1)) {
        const okStart = !startsWord || k.bounds.has(k.at[i]);
        const okEnd = !endsWord || k.bounds.has(k.at[i + q.length]);
        if (okStart && okEnd) return { b, s: i, e: i + q.length };
      }
    }
    return null;
  };
  const advance = (p) => {
    for (let { b, i } = p; b < blocks.length; b++, i = 0) {
      while (i < blocks[b].norm.length && blocks[b].norm[i] === " ") i++;
      if (i < blocks[b].norm.length) return { b, i };
    }
    return null;
  };
  const parts = directive.split(",");
  const dec = decodeURIComponent;
  const prefix = parts[0].endsWith("-") ? dec(parts.shift().slice(0, -1)) : null;
  const suffix = parts.length > 1 && parts.at(-1).startsWith("-") ? dec(parts.pop().slice(1)) : null;
  const start = dec(parts[0]);
  const end = parts.length > 1 ? dec(parts[1]) : null;
  const firstFrom = (from) => {
    let search = from;
    for (;;) {
      let m;
      const endsWord = end !== null || suffix === null;
      if (prefix !== null) {
        const p = find(prefix, search, true, false);
        if (!p) return null;
        search = { b: p.b, i: p.s + 1 };
        const at = advance({ b: p.b, i: p.e });
        if (!at) return null;
        const s = find(start, at, false, endsWord);
        if (!s) return null;
        if (s.b !== at.b || s.s !== at.i) continue;
        m = { b: s.b, s: s.s, eb: s.b, e: s.e };
      } else {
        const s = find(start, search, true, endsWord);
        if (!s) return null;
        search = { b: s.b, i: s.s + 1 };
        m = { b: s.b, s: s.s, eb: s.b, e: s.e };
      }
      for (let endFrom = { b: m.eb, i: m.e }; ; endFrom = { b: m.eb, i: m.e }) {
        if (end !== null) {
          const e = find(end, endFrom, true, suffix === null);
          if (!e) return null;
          [m.eb, m.e] = [e.b, e.e];
        }
        if (suffix === null) return m;
        const at = advance({ b: m.eb, i: m.e });
        if (!at) return null;
        const x = find(suffix, at, false, true);
        if (!x) return null;
        if (x.b === at.b && x.s === at.i) return m;
        if (end === null) break;
      }
    }
  };
  const text = (m) => {
    const out = [];
    for (let b = m.b; b <= m.eb; b++) {
      const k = blocks[b];
      out.push(k.raw.slice(b === m.b ? k.at[m.s] : 0, b === m.eb ? k.at[m.e] : k.raw.length));
    }
    return out.join(" ").trim();
  };
  const found = [];
  for (let from = { b: 0, i: 0 }, m; found.length < 5 && (m = firstFrom(from)); from = { b: m.b, i: m.s + 1 }) {
    found.push(text(m));
  }
  return found;
}

// Folded as dossier compares quotes, so that the found passage can be told from the quote.
const fold = (s) =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s*[\u2010-\u2015-]+\s*/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/\s+/g, " ")
    .trim();

// Whether `passage` is the quote: each part of the quote in order, the passage starting
// in the quote's first word and ending in its last.
function isQuote(passage, quote) {
  const p = fold(passage);
  const pieces = fold(quote).split("...").map((x) => x.trim().replace(/^\[|\]$/g, "").trim()).filter(Boolean);
  let at = p.indexOf(pieces[0]);
  if (at < 0 || p.slice(0, at).includes(" ")) return false;
  for (const piece of pieces) {
    const i = p.indexOf(piece, at);
    if (i < 0) return false;
    at = i + piece.length;
  }
  return !p.slice(at).includes(" ");
}

let checked = 0;
const all = [];
const snapshotPage = await context.newPage();
for (const path of cases.pages) {
  const quotes = await quotesOf(path);
  all.push(...quotes);
  for (const q of quotes) {
    const what = `${path} quote from ${q.source} "${q.quote.slice(0, 40)}"`;
    if (!q.verified) continue;
    if (!q.link) {
      fail(`${what}: verified, but not linked to its page`);
      continue;
    }
    const fragment = q.link.slice(q.link.indexOf("#") + 1);
    if (fragment.startsWith("page=")) {
      console.log(`ok   ${what}: ${fragment}`);
      checked++;
      continue;
    }
    if (!fragment.startsWith(":~:text=")) {
      fail(`${what}: link ${q.link} has no text directive`);
      continue;
    }
    if (q.robust.length !== 3) fail(`${what}: Robust Links attributes ${q.robust.join(",")}`);
    await snapshotPage.goto(snapshots + cases.snapshots[q.source]);
    const directive = fragment.slice(":~:text=".length);
    const found = await snapshotPage.evaluate(applyDirective, directive);
    if (found.length !== 1 || !isQuote(found[0], q.quote)) {
      fail(`${what}: ${directive} finds ${JSON.stringify(found)}`);
    } else {
      console.log(`ok   ${what}: ${directive} finds the quote alone`);
    }
    checked++;
  }
}

if (cases.scroll) {
  const q = all.find((x) => x.source === cases.scroll.source && x.link?.includes(":~:text="));
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(snapshots + cases.snapshots[q.source] + q.link.slice(q.link.indexOf("#")));
  await page.waitForTimeout(1000);
  const seen = await page.evaluate((words) => {
    const el = [...document.querySelectorAll("p")].find((p) => p.textContent.includes(words));
    const top = el.getBoundingClientRect().top;
    return { scrolled: window.scrollY, top, height: innerHeight };
  }, cases.scroll.words);
  if (seen.scrolled > 0 && seen.top >= 0 && seen.top < seen.height) {
    console.log(`ok   Chromium scrolled the quote into view (${seen.scrolled}px down)`);
  } else {
    fail(`Chromium did not scroll the quote into view: ${JSON.stringify(seen)}`);
  }
}

await browser.close();
console.log(`${checked} linked quotes checked, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
