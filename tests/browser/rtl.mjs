// Opens pages of a right-to-left dossier in Chromium at a phone's and a desktop's width
// and prints, as JSON, what a reader would see: the page's direction, whether anything
// overflows sideways, where the navigation's first and second links are, where the
// words of given texts fall on their line, and how far down the first opposing claim is.
// Screenshots of each page at each width go to OUT_DIR.
//
// Usage: node tests/browser/rtl.mjs BASE_URL OUT_DIR PATH… [--words=TEXT]…
// CHROMIUM names the browser binary (default /usr/bin/chromium).

import { chromium } from "playwright-core";

const [base, outDir, ...rest] = process.argv.slice(2);
const paths = rest.filter((a) => !a.startsWith("--"));
const texts = rest.filter((a) => a.startsWith("--words=")).map((a) => a.slice("--words=".length));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const out = { errors: [], pages: [] };
for (const width of [390, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  for (const path of paths) {
    const page = await context.newPage();
    page.on("pageerror", (e) => out.errors.push(String(e)));
    await page.goto(base + path, { waitUntil: "load", timeout: 120000 });
    const seen = await page.evaluate((texts) => {
      const html = document.documentElement;
      const nav = Array.from(document.querySelectorAll("#site-nav a")).map((a) => a.getBoundingClientRect());
      // Each word's left edge, for each element whose text is one of `texts`.
      const words = {};
      for (const t of texts) {
        const el = Array.from(document.querySelectorAll("h1, a, p, li")).find((e) => e.textContent.trim() === t);
        if (!el) continue;
        const node = Array.from(el.childNodes).find((n) => n.nodeType === 3 && n.textContent.trim());
        const lefts = [];
        const re = /\S+/g;
        let m;
        while (node && (m = re.exec(node.textContent))) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const r = range.getClientRects()[0];
          lefts.push({ word: m[0], left: r ? r.left : null, top: r ? r.top : null });
        }
        words[t] = lefts;
      }
      const opposing = document.querySelector("#dispute a, .dispute a");
      return {
        dir: getComputedStyle(html).direction,
        overflow: html.scrollWidth - html.clientWidth,
        nav: nav.slice(0, 2).map((r) => ({ left: r.left, right: r.right, top: r.top })),
        words,
        opposingTop: opposing ? opposing.getBoundingClientRect().top + window.scrollY : null,
        viewport: window.innerHeight,
      };
    }, texts);
    const shot = `${outDir}/${path.replace(/\//g, "_") || "home"}-${width}.png`;
    await page.screenshot({ path: shot, fullPage: false });
    out.pages.push({ path, width, shot, ...seen });
    await page.close();
  }
  await context.close();
}
console.log(JSON.stringify(out));
await browser.close();
