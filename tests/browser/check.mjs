// Drives Chromium over the built example dossier, served by a plain static server, and
// checks what a reader meets: accessibility (axe-core), horizontal overflow, console
// errors, search as you type with the keyboard, and citation previews.
//
// Usage: node tests/browser/check.mjs BASE_URL [--axe-only [--pages=PATH,PATH…]]
// Prints one line per check and a summary; exits 1 if any check failed.
// CHROMIUM names the browser binary (default /usr/bin/chromium).

import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const base = process.argv[2];
if (!base) {
  console.error("usage: node check.mjs BASE_URL");
  process.exit(2);
}

// `--pages=a/,b/`: these pages (of another dossier) instead of the example's.
const listed = process.argv.find((a) => a.startsWith("--pages="));
const pages = listed
  ? Object.fromEntries(listed.slice("--pages=".length).split(",").map((p) => [p || "home", p]))
  : {
      home: "",
      claim: "claims/cverc-funding-campaign/",
      source: "sources/cverc-2024-report-1/",
      actor: "actors/china-mfa/",
      event: "events/kv-botnet-removal/",
      timeline: "timeline/",
      map: "map/",
      search: "search/",
      print: "print/",
    };
const widths = [390, 1280];
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.log("FAIL " + what);
};
const pass = (what) => console.log("ok   " + what);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});

// Opens a page, collecting console errors and uncaught exceptions.
async function open(context, path) {
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  // A request the browser itself abandons when the page navigates (the favicon, fetched
  // late) is not a failure; a missing file still shows as its 404 below.
  page.on("requestfailed", (r) => {
    const why = r.failure() && r.failure().errorText;
    if (why !== "net::ERR_ABORTED") errors.push("request failed: " + r.url() + " (" + why + ")");
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(r.status() + " " + r.url());
  });
  const response = await page.goto(base + path, { waitUntil: "load" });
  if (!response || response.status() !== 200) {
    errors.push("status " + (response && response.status()) + " for " + path);
  }
  return { page, errors };
}

for (const width of widths) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  for (const [name, path] of Object.entries(pages)) {
    const label = `${name} at ${width}px`;
    const { page, errors } = await open(context, path);
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`
      );
    });
    if (violations.length) fail(`${label}: axe: ${violations.join("; ")}`);
    else pass(`${label}: axe found no violation`);
    const overflow = await page.evaluate(() => {
      const doc = document.documentElement;
      return doc.scrollWidth - doc.clientWidth;
    });
    if (overflow > 0) fail(`${label}: the page is ${overflow}px wider than the window`);
    else pass(`${label}: no horizontal overflow`);
    // Hover every citation marker so that previews, too, are checked for errors.
    for (const marker of await page.locator("a.cite").all()) {
      await marker.hover();
    }
    if (errors.length) fail(`${label}: console errors: ${errors.join("; ")}`);
    else pass(`${label}: no console error`);
    await page.close();
  }
  await context.close();
}

// `--axe-only`: the pages above are all that is checked (a dossier in another language,
// whose interactive checks would need its words).
if (process.argv[3] === "--axe-only") {
  await browser.close();
  console.log(failures.length ? `${failures.length} check(s) failed` : "all browser checks passed");
  process.exit(failures.length ? 1 : 0);
}

// The same pages for readers whose system asks for a dark scheme.
for (const width of widths) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: "dark" });
  for (const name of ["home", "claim", "source", "map", "print"]) {
    const { page, errors } = await open(context, pages[name]);
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => `${v.id}: ${v.help}`)
    );
    if (violations.length) fail(`${name} at ${width}px, dark: axe: ${violations.join("; ")}`);
    else pass(`${name} at ${width}px, dark: axe found no violation`);
    if (errors.length) fail(`${name} at ${width}px, dark: console errors: ${errors.join("; ")}`);
    await page.close();
  }
  await context.close();
}

// Both sides on a phone: on every claim page in dispute with another, the first claim on
// the other side is linked within the first two screen heights, and the maps give way
// to lists that need no sideways scrolling.
{
  const height = 844;
  const context = await browser.newContext({ viewport: { width: 390, height } });
  const { page } = await open(context, "claims/");
  const claims = await page.locator("main a[href*='/claims/']").evaluateAll((links) =>
    [...new Set(links.map((a) => new URL(a.href).pathname))]
  );
  await page.close();
  let checked = 0;
  for (const path of claims) {
    const { page } = await open(context, path.replace(new URL(base).pathname, ""));
    const opposing = page.locator(".dispute-summary a[href*='/claims/']").first();
    if ((await opposing.count()) === 0) {
      await page.close();
      continue;
    }
    checked += 1;
    const top = await opposing.evaluate((a) => a.getBoundingClientRect().top + window.scrollY);
    if (top > 2 * height) fail(`${path} at 390px: the first opposing claim is ${Math.round(top)}px down`);
    const card = await page.locator("#dispute .card-list .claim-card").first().boundingBox();
    if (!card) fail(`${path} at 390px: no opposing claim card`);
    const mapShown = await page.locator(".map-frame").evaluateAll((m) => m.some((e) => e.offsetParent !== null));
    if (mapShown) fail(`${path} at 390px: the sideways-scrolling map is shown`);
    await page.close();
  }
  if (checked < 5) fail(`only ${checked} claim pages in dispute were checked at 390px`);
  else pass(`${checked} claim pages at 390px link the first opposing claim within two screen heights`);
  const { page: map } = await open(context, "map/");
  const listed = await map.locator(".map-text li").count();
  const mapShown = await map.locator(".map-frame").evaluate((e) => e.offsetParent !== null);
  if (mapShown || listed < 10) fail(`map at 390px: drawing shown ${mapShown}, ${listed} relations listed`);
  else pass(`map at 390px: the drawing gives way to its list of ${listed} relations`);
  await map.close();
  await context.close();
}

// Search: typing shows results with the matched text; arrow keys move through them.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await open(context, pages.claim);
  const before = await page.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.includes("/search-index/")));
  if (before) fail("search: the index was fetched before anyone searched");
  else pass("search: nothing of the index is fetched until the search box is used");
  await page.keyboard.press("/");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  if (focused !== "site-search") fail(`search: "/" focused ${focused}, not the search field`);
  else pass('search: "/" focuses the search field');
  await page.keyboard.type("Geneva");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/\?q=Geneva/);
  await page.waitForSelector("#search-results li", { timeout: 10000 }).catch(() => {});
  const found = await page.$$eval("#search-results li", (items) =>
    items.map((li) => ({
      title: li.querySelector("a").textContent,
      href: li.querySelector("a").getAttribute("href"),
      marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
    }))
  );
  const wsj = found.find((r) => r.title.includes("tacit acknowledgement"));
  if (!wsj) fail(`search: no result for the Geneva claim among ${JSON.stringify(found)}`);
  else if (!wsj.marks.some((m) => /geneva/i.test(m))) fail(`search: the matched text is not shown: ${JSON.stringify(wsj)}`);
  else pass(`search: ${found.length} results for "Geneva", the Geneva claim among them with "${wsj.marks[0]}" marked`);
  if (wsj && !new URL(wsj.href, page.url()).href.startsWith(base)) fail(`search: result link ${wsj.href} leaves the site's path`);
  // Typing more narrows the results as you type.
  await page.fill("#search-input", "");
  await page.focus("#search-input");
  await page.keyboard.type("ransomware");
  await page.waitForFunction(() => /ransomware/.test(document.getElementById("search-status").textContent), null, { timeout: 10000 }).catch(() => {});
  const status = await page.textContent("#search-status");
  if (!/\d+ results? for “ransomware”/.test(status)) fail(`search: typing shows "${status}"`);
  else pass(`search as you type: ${status}`);
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement.closest("#search-results") !== null);
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() => {
    const links = Array.from(document.querySelectorAll("#search-results a"));
    return links.indexOf(document.activeElement);
  });
  await page.keyboard.press("Escape");
  const back = await page.evaluate(() => document.activeElement.id);
  if (!first || second !== 1 || back !== "search-input") fail(`search: keyboard navigation (first ${first}, second ${second}, back ${back})`);
  else pass("search: arrow keys move through the results, Escape goes back to the field");
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/search/"), { timeout: 10000 }).catch(() => {}), page.keyboard.press("Enter")]);
  if (!page.url().startsWith(base) || page.url().includes("/search/")) fail(`search: Enter on a result went to ${page.url()}`);
  else pass(`search: Enter on a result opens it (${page.url().slice(base.length)})`);
  if (errors.length) fail(`search: console errors: ${errors.join("; ")}`);
  await context.close();
}

// Citation previews: focus and hover show the reference; Escape and leaving hide it.
{
  const context = await browser.newContext({ viewport: { width: 390, height: 900 } });
  const { page, errors } = await open(context, pages.claim);
  const marker = page.locator("a.cite").first();
  const href = await marker.getAttribute("href");
  const expected = (await page.textContent(`${href} .ref-source a`)).trim();
  await marker.focus();
  const tip = page.locator("#cite-preview");
  const shown = await tip.isVisible();
  const text = shown ? await tip.textContent() : "";
  const described = await marker.getAttribute("aria-describedby");
  if (!shown || !text.includes(expected) || described !== "cite-preview") fail(`preview on focus: visible ${shown}, text "${text.slice(0, 80)}", aria-describedby ${described}`);
  else pass(`preview on focus shows "${expected}" and is announced through aria-describedby`);
  const box = await tip.boundingBox();
  if (box && (box.x < 0 || box.x + box.width > 390)) fail(`preview leaves the 390px window: ${JSON.stringify(box)}`);
  else pass("preview stays inside a 390px window");
  await page.keyboard.press("Escape");
  if (await tip.isVisible()) fail("preview: Escape does not hide it");
  else pass("preview: Escape hides it");
  await page.locator("h1").hover();
  await marker.hover();
  if (!(await tip.isVisible())) fail("preview: hovering does not show it");
  else pass("preview: hovering shows it");
  await page.locator("h1").hover();
  await page.waitForTimeout(400);
  if (await tip.isVisible()) fail("preview: it stays after the pointer leaves");
  else pass("preview: it goes when the pointer leaves");
  await marker.click();
  const at = new URL(page.url()).hash;
  if (at !== href) fail(`preview: clicking the marker goes to ${at}, not ${href}`);
  else pass("preview: clicking the marker still jumps to the reference list");
  if (errors.length) fail(`preview: console errors: ${errors.join("; ")}`);
  await context.close();
}

// Printing: the print page drops the site's navigation and gives a multi-page PDF.
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, errors } = await open(context, pages.print);
  await page.emulateMedia({ media: "print" });
  const hidden = await page.evaluate(() =>
    ["#site-nav", ".site-search", ".site-footer"].map((s) => {
      const el = document.querySelector(s);
      return el ? getComputedStyle(el).display : "absent";
    })
  );
  if (hidden.some((d) => d !== "none")) fail(`print: navigation still shown when printing (${hidden})`);
  else pass("print: navigation, search and footer are hidden when printing");
  const pdf = (await page.pdf({ format: "A4" })).toString("latin1");
  const sheets = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  if (sheets < 10) fail(`print: the PDF has ${sheets} pages`);
  else pass(`print: "Save as PDF" gives ${sheets} A4 pages`);
  if (errors.length) fail(`print: console errors: ${errors.join("; ")}`);
  await context.close();
}

// Without JavaScript the marker is a plain link to the reference list.
{
  const context = await browser.newContext({ javaScriptEnabled: false });
  const { page } = await open(context, pages.claim);
  const href = await page.locator("a.cite").first().getAttribute("href");
  const target = await page.locator(href).count();
  if (!href.startsWith("#ref-") || target !== 1) fail(`without JavaScript the marker links to ${href} (${target} targets)`);
  else pass(`without JavaScript the marker links to the reference ${href}`);
  await context.close();
}

await browser.close();
console.log(failures.length ? `${failures.length} check(s) failed` : "all browser checks passed");
process.exit(failures.length ? 1 : 0);
