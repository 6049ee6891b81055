// How fast the console is in Debian's chromium against a sandbox (benchmarks/run-console):
//   node console_timing.js URL RUNS MAP_EXECUTION FAN_OUT_EXECUTION LIVE_FAN_OUT_PLAN
// Prints, over RUNS loads each: the executions list (navigation to its rows drawn), a map's
// execution page (to its map node drawn as succeeded) and a finished 10,000-node fan-out's page
// (to its graph group drawn); then opens a fan-out as it starts and reports the longest task
// the page's main thread ran while the watch streamed it to its end (the page's
// responsiveness), and how many elements the page had.
"use strict";
const {chromium} = require(process.env.PLAYWRIGHT || "playwright-core");

function summary(name, millis) {
  const sorted = millis.slice().sort((a, b) => a - b);
  const at = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${name.padEnd(34)} p50 ${String(at(0.5)).padStart(5)} ms   p90 ${String(at(0.9)).padStart(5)} ms`
      + `   max ${String(sorted[sorted.length - 1]).padStart(5)} ms   (${sorted.length} loads)`;
}

async function timed(page, url, selector, runs) {
  const millis = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    await page.goto(url);
    await page.locator(selector).first().waitFor({timeout: 60000});
    millis.push(Date.now() - started);
    await page.goto("about:blank");
  }
  return millis;
}

async function main([url, runs, map, fanOut, livePlan]) {
  const browser = await chromium.launch({executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"]});
  const page = await browser.newPage({viewport: {width: 1280, height: 800}});
  const base = url.replace(/\/$/, "") + "/console/";
  const execution = name => base + "#/executions/default/development/" + name;
  const n = Number(runs);
  console.log(summary("executions list", await timed(page, base + "#/executions",
      "tr[data-execution]", n)));
  console.log(summary("1,000-item map execution", await timed(page, execution(map),
      '[data-graph-node="mapped_out"].SUCCEEDED', n)));
  console.log(summary("10,000-node fan-out, ended", await timed(page, execution(fanOut),
      "tr[data-group-node], [data-graph-group] .segment", n)));

  await page.goto(base + "#/launch-plans?name=" + livePlan);
  const name = await page.evaluate(async plan => {
    const body = new TextEncoder().encode(JSON.stringify({project: "default", domain: "development",
      launchPlan: {resourceType: "LAUNCH_PLAN", project: "default", domain: "development", name: plan,
        version: "v1"}}));
    const frame = new Uint8Array(5 + body.length);
    new DataView(frame.buffer).setUint32(1, body.length);
    frame.set(body, 5);
    const response = await fetch("/starling.admin.AdminService/CreateExecution", {method: "POST",
      headers: {"content-type": "application/grpc-web+json"}, body: frame});
    const bytes = new Uint8Array(await response.arrayBuffer());
    const length = new DataView(bytes.buffer, 1, 4).getUint32(0);
    return JSON.parse(new TextDecoder().decode(bytes.subarray(5, 5 + length))).id.name;
  }, livePlan);
  // Long tasks (over 50 ms) of the page from its first script on.
  await page.addInitScript(() => {
    window.longest = 0;
    new PerformanceObserver(list => list.getEntries().forEach(entry => {
      window.longest = Math.max(window.longest, entry.duration);
    })).observe({type: "longtask", buffered: true});
  });
  const started = Date.now();
  await page.goto(execution(name));
  await page.locator("h1 .phase.SUCCEEDED").waitFor({timeout: 120000});
  await page.locator("[data-graph-group] .segment.SUCCEEDED").waitFor();
  const shown = Date.now() - started;
  const longest = await page.evaluate(() => Math.round(window.longest));
  const elements = await page.evaluate(() => document.querySelectorAll("*").length);
  console.log(`live 10,000-node fan-out: open to SUCCEEDED drawn ${shown} ms, longest main-thread`
      + ` task ${longest ? longest + " ms" : "under 50 ms"}, ${elements} elements on the page`);
  await browser.close();
}

main(process.argv.slice(2)).catch(error => {
  console.error(error);
  process.exit(1);
});
