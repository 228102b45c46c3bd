// Searches a built dossier in Chromium for each query given and prints, as JSON, the
// results each shows: title, link and the marked words.
//
// Usage: node tests/browser/search.mjs BASE_URL QUERY...
// CHROMIUM names the browser binary (default /usr/bin/chromium).

import { chromium } from "playwright-core";

const [base, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const page = await browser.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
page.on("console", (m) => {
  if (m.type() === "error") errors.push(m.text());
});
const out = {};
for (const q of queries) {
  await page.goto(base + "search/?q=" + encodeURIComponent(q), { waitUntil: "load" });
  await page
    .waitForFunction(() => /result|Nothing found/.test(document.getElementById("search-status").textContent), null, { timeout: 10000 })
    .catch(() => {});
  out[q] = {
    status: await page.textContent("#search-status"),
    results: await page.$$eval("#search-results li", (items) =>
      items.map((li) => ({
        title: li.querySelector("a").textContent,
        href: li.querySelector("a").getAttribute("href"),
        marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
      }))
    ),
  };
}
out.errors = errors;
console.log(JSON.stringify(out));
await browser.close();
