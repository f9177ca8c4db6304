// Drives VS Code (code-server in Debian's chromium, through puppeteer-core) with the param-lsp
// extension installed: an error squiggle appears (time from opening the file: first_diagnostics_ms),
// the status bar shows the server's version, hover on a param shows its input, completion after
// `{{ globals.` lists `artifacts_path`, and the squiggle clears once the value is fixed.
// Prints JSON lines.
// Env: CS_URL, CHROMIUM, SHOT (screenshot path), PUPPETEER (puppeteer-core module path).
const puppeteer = require(process.env.PUPPETEER || "puppeteer-core");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();
const log = (step, extra = {}) => console.log(JSON.stringify({ step, ms: Date.now() - t0, at: new Date().toISOString().slice(11, 23), ...extra }));

async function waitFor(fn, ms, what) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const value = await fn();
    if (value) return value;
    await sleep(200);
  }
  throw new Error(`timeout waiting for ${what}`);
}

async function chord(page, modifiers, key) {
  for (const m of modifiers) await page.keyboard.down(m);
  await page.keyboard.press(key);
  for (const m of [...modifiers].reverse()) await page.keyboard.up(m);
}

async function openFile(page, name) {
  const row = await page.waitForSelector(`.explorer-folders-view .monaco-list-row[aria-label*="${name}"]`, { timeout: 30000 });
  await row.click({ count: 2 });
  await page.waitForSelector(`.tabs-container .tab[aria-label*="${name}"]`, { timeout: 20000 });
}

const toasts = (page) => page.$$eval(".notifications-toasts .notification-list-item", (items) => items.map((i) => i.textContent || ""));

// paramLsp.server.command is a program that is not polyaxon-param-lsp: no notice for a plain YAML
// file; on the polyaxonfile one notice saying a different program answered, with its actions.
async function otherProgram(page) {
  await openFile(page, "ci.yaml");
  await sleep(3000);
  const early = (await toasts(page)).filter((t) => /param-lsp/.test(t));
  if (early.length) throw new Error(`notice on a plain YAML file: ${early}`);
  log("plain-yaml-quiet");
  await openFile(page, "polyaxonfile.yaml");
  const notice = await waitFor(
    async () => (await toasts(page)).find((t) => /is a different program/.test(t)),
    30000,
    "the notice that a different program answers",
  );
  for (const expected of ['printed "param-lsp 0.0.1b23"', "HoloViz", "How to install", "Don't show again"]) {
    if (!notice.includes(expected)) throw new Error(`notice lacks ${expected}: ${notice}`);
  }
  log("notice", { text: notice.slice(0, 240) });
  const statusText = await waitFor(
    () => page.$$eval(".statusbar-item", (items) => items.map((i) => i.textContent || "").find((t) => /param-lsp: failed/.test(t))),
    10000,
    "`param-lsp: failed` in the status bar",
  );
  log("status", { text: statusText.trim() });
  // "How to install" opens the help as a read-only page (a Markdown preview of a virtual document).
  const [button] = await page.$$("xpath/.//a[contains(@class,'monaco-button') and normalize-space(.)='How to install']");
  if (!button) throw new Error("no `How to install` button on the notice");
  await button.click();
  const tab = await waitFor(
    () => page.$$eval(".tabs-container .tab", (tabs) => tabs.map((t) => t.getAttribute("aria-label") || "").find((l) => /How to install param-lsp/.test(l))),
    20000,
    "the install help tab",
  );
  const frameText = await waitFor(
    async () => {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText || "").catch(() => "");
        if (/Starting the param-lsp server/.test(text)) return text;
      }
      return null;
    },
    20000,
    "the rendered install help",
  );
  log("install-help", { tab, text: frameText.slice(0, 60) });
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
}

(async () => {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    defaultViewport: { width: 1280, height: 720 },
  });
  const page = await browser.newPage();
  let ok = false;
  try {
    await page.goto(process.env.CS_URL, { waitUntil: "domcontentloaded", timeout: 60000 });
    await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
    log("workbench");
    if (process.env.SCENARIO === "other-program") await otherProgram(page);
    else await bundled(page);
    ok = true;
  } catch (error) {
    console.log(JSON.stringify({ ok: false, error: String(error) }));
    if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT.replace(/\.png$/, "-failure.png") });
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ ok, ms: Date.now() - t0 }));
  process.exit(ok ? 0 : 1);
})();

// Only the .vsix: diagnostics, status bar, hover, completion, fix.
async function bundled(page) {
  const name = "polyaxonfile.yaml";
  await openFile(page, name);
  const opened = Date.now();
  log("opened");
  // The file name pattern gives it the extension's language.
  await waitFor(
    () => page.$$eval(".statusbar-item", (items) => items.some((i) => /Polyaxonfile/.test(i.textContent || ""))),
    20000,
    "Polyaxonfile language mode in the status bar",
  );
  await waitFor(() => page.$(".monaco-editor .squiggly-error"), 60000, "error squiggle on `2.5`");
  log("diagnostic", { first_diagnostics_ms: Date.now() - opened });
  const statusText = await waitFor(
    () =>
      page.$$eval(".statusbar-item", (items) =>
        items.map((i) => i.textContent || "").find((t) => /param-lsp \d+\.\d+/.test(t)),
      ),
    20000,
    "`param-lsp <version>` in the status bar",
  );
  log("status", { text: statusText.trim() });

  // Hover on the param `epochs` (line 6): the server describes the component's input.
  await page.click(".editor-group-container .monaco-editor .view-lines");
  await chord(page, ["Control"], "KeyG");
  await sleep(300);
  await page.keyboard.type("6:4");
  await page.keyboard.press("Enter");
  await sleep(300);
  await chord(page, ["Control"], "KeyK");
  await chord(page, ["Control"], "KeyI");
  const hoverText = await waitFor(
    async () => {
      const texts = await page.$$eval(".monaco-hover", (hs) => hs.map((h) => h.textContent || ""));
      return texts.find((t) => /epochs \(input\)/.test(t) && /type: int/.test(t));
    },
    20000,
    "hover `epochs (input)` with `type: int`",
  );
  log("hover", { text: hoverText.slice(0, 80) });
  await page.keyboard.press("Escape");

  // Completion: type a template at the end of the file, cursor right after `globals.`.
  await page.click(".editor-group-container .monaco-editor .view-lines");
  await chord(page, ["Control"], "End");
  await page.keyboard.type('      args: ["{{ globals. }}"]');
  for (let i = 0; i < ' }}"]'.length; i++) await page.keyboard.press("ArrowLeft");
  await chord(page, ["Control"], "Space");
  await waitFor(() => page.$(".suggest-widget .monaco-list-row"), 20000, "the suggest widget");
  // The list is virtualised: narrow it so that the expected item is rendered.
  await page.keyboard.type("art");
  const labels = await waitFor(
    async () => {
      const rows = await page.$$eval(".suggest-widget .monaco-list-row", (rs) =>
        rs.map((r) => r.getAttribute("aria-label") || r.textContent || ""),
      );
      return rows.some((r) => /artifacts_path/.test(r)) ? rows : null;
    },
    20000,
    "`artifacts_path` in the suggest widget",
  );
  log("completion", { labels: labels.slice(0, 5) });
  if (process.env.SHOT) await page.screenshot({ path: process.env.SHOT });
  await page.keyboard.press("Escape");
  await page.keyboard.type("ifacts_path");

  // Fix: replace 2.5 by 3 (Ctrl+H, replace all); the error squiggle must go away.
  await chord(page, ["Control"], "KeyH");
  await sleep(500);
  await page.keyboard.type("2.5");
  await page.keyboard.press("Tab");
  await page.keyboard.type("3");
  await chord(page, ["Control", "Alt"], "Enter");
  await page.keyboard.press("Escape");
  await waitFor(async () => (await page.$(".monaco-editor .squiggly-error")) === null, 30000, "error squiggle to clear");
  log("cleared");
}
