// Drives the console as a user would, in Debian's chromium, and prints what it saw as JSON on
// its last line:   node console.test.js URL KEY SCREENSHOTS_DIR
// The sandbox at URL holds the executions ConsoleIT made: seed-run (the seed workflow over
// 1,000 items), fan-run (a 10,000-node fan-out), broken-run (failed), slow-run (running). Near
// the end the script prints "stop-the-server" and waits for a line on stdin saying it stopped,
// then reads what the page says of a server gone.
"use strict";
const {chromium} = require("playwright-core");
const readline = require("readline");
const path = require("path");

const TIMEOUT = 30000;

async function main([url, key, screenshots]) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync"],
  });
  const seen = {consoleErrors: []};
  const console_ = url.replace(/\/$/, "") + "/console/";
  const executionPage = name => console_ + `#/executions/default/development/${name}`;
  try {
    const page = await browser.newPage({viewport: {width: 1280, height: 800}});
    page.setDefaultTimeout(TIMEOUT);
    page.on("console", message => {
      // The browser logs each failed request too; the page shows those failures itself.
      if (message.type() === "error" && !/Failed to load resource|ERR_CONNECTION_REFUSED/
          .test(message.text())) seen.consoleErrors.push(message.text());
    });
    page.on("pageerror", error => seen.consoleErrors.push(String(error)));
    const shot = name => page.screenshot({path: path.join(screenshots, name + ".png")});
    const executions = () => page.locator("tr[data-execution]").evaluateAll(
        found => found.map(row => row.getAttribute("data-execution")));

    await page.goto(url);
    seen.url = page.url();
    await page.locator("#problem").waitFor({state: "visible"});
    seen.problemWithoutKey = await page.locator("#problem").textContent();
    await page.fill("#api-key", key);
    await page.dispatchEvent("#api-key", "change");
    await page.locator('tr[data-execution="seed-run"]').waitFor();
    seen.problemHidden = await page.locator("#problem").isHidden();
    seen.executions = await executions();
    await shot("executions");

    // The first page, from navigation to the list drawn, the key already in the tab.
    const started = Date.now();
    await page.reload();
    await page.locator('tr[data-execution="seed-run"]').waitFor();
    seen.firstPageMillis = Date.now() - started;

    await page.selectOption("#filter-phase", "FAILED");
    await page.waitForURL(/phase=FAILED/);
    await page.locator('tr[data-execution="seed-run"]').waitFor({state: "detached"});
    seen.failedOnly = await executions();

    await page.goto(executionPage("seed-run"));
    await page.locator("h1 .phase.SUCCEEDED").waitFor();
    await page.locator('[data-graph-node="mapped_out"].SUCCEEDED').waitFor();
    seen.seedMapItems = await page.locator('[data-graph-node="mapped_out"] .items').textContent();
    seen.seedWorkflowVersion = (await page.locator("#workflow-version").textContent()).trim();
    seen.seedOutput = await page.locator('#outputs tr[data-value="o0"] td').textContent();
    await shot("execution");
    await page.click('[data-graph-node="mapped_out"]');
    await page.locator("#node-attempt-list tr[data-attempt]").first().waitFor();
    seen.seedNodeSubtasks = await page.locator("#node-subtasks").textContent();
    seen.seedNodeAttempts = await page.locator("#node-attempt-list tr[data-attempt]").count();
    seen.seedNodeCache = await page.locator("#node-cache").textContent();
    await page.locator("#node-details").scrollIntoViewIfNeeded();
    await shot("node");

    await page.goto(executionPage("fan-run"));
    await page.locator("h1 .phase.SUCCEEDED").waitFor();
    await page.locator("[data-graph-group]").waitFor();
    seen.fanGroup = await page.locator("[data-graph-group] text").first().textContent();
    await page.locator('[data-graph-group] text:text-is("10,000 succeeded")').waitFor();
    await page.click("[data-graph-group]");
    await page.locator("tr[data-group-node] .phase.SUCCEEDED").first().waitFor();
    seen.fanGroupRows = await page.locator("tr[data-group-node]").count();
    seen.fanElements = await page.evaluate(() => document.querySelectorAll("*").length);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot("fan-out");
    // A node past the first page of both lists: its details come from GetNodeExecution.
    await page.click('#node-details .pager button:text-is("→")');
    await page.click('tr[data-group-node="n00150"] button');
    await page.locator("#node-details h2 code:text-is('n00150')").waitFor();
    await page.locator("#node-cache").waitFor();
    seen.fanNodeDetails = await page.locator("#node-details h2").textContent();

    await page.goto(executionPage("broken-run"));
    await page.locator("#failing-node").waitFor();
    seen.failedPhase = await page.locator("h1 .phase").textContent();
    seen.failedError = await page.locator("#execution-error").textContent();
    seen.failingNode = await page.locator("#failing-node button").allTextContents();
    seen.recoverOffered = await page.locator("#recover").isVisible();

    await page.goto(executionPage("slow-run"));
    await page.locator('[data-graph-node="wait"].RUNNING').waitFor();
    await page.click("#terminate");
    await page.fill("#terminate-cause", "no longer needed");
    await page.click("#terminate-confirm");
    await page.locator("h1 .phase.ABORTED").waitFor();
    seen.terminatedPhase = await page.locator("h1 .phase").textContent();
    seen.abortCause = await page.locator("#abort-cause").textContent();
    seen.terminatedNode = await page.locator('[data-graph-node="wait"]').getAttribute("class");

    await page.goto(executionPage("no-such-run"));
    await page.locator("#problem").waitFor({state: "visible"});
    seen.unknownProblem = await page.locator("#problem").textContent();
    seen.unknownView = await page.locator("main h1").textContent();

    await page.goto(console_ + "#/workflows");
    await page.locator('tr[data-name="my_map_workflow"]').waitFor();
    seen.workflowVersions = await page.locator('tr[data-name="my_map_workflow"]')
        .evaluateAll(found => found.map(row => row.getAttribute("data-version")));
    await page.goto(console_ + "#/launch-plans?name=nightly");
    await page.locator('tr[data-name="nightly"] .active').waitFor();
    seen.activePlanVersions = await page.locator('tr[data-name="nightly"]:has(.active)')
        .evaluateAll(found => found.map(row => row.getAttribute("data-version")));
    await shot("launch-plans");

    await page.goto(console_ + "#/schedules");
    await page.locator('tr[data-schedule="nightly"]').waitFor();
    seen.nightlySlots = await page.locator('tr[data-schedule="nightly"] .slots div').allTextContents();
    await shot("schedules");

    await page.goto(console_ + "#/cluster");
    await page.locator("tr[data-replica]").first().waitFor();
    seen.replicas = await page.locator("tr[data-replica]").count();
    seen.clusterSummary = await page.locator("#cluster-summary").textContent();
    await shot("cluster");

    await page.goto(console_ + "#/executions");
    await page.locator('tr[data-execution="seed-run"]').waitFor();
    console.log("stop-the-server");
    await new Promise(resume => readline.createInterface({input: process.stdin})
        .once("line", resume));
    await page.locator("#problem").waitFor({state: "visible"});
    seen.goneProblem = await page.locator("#problem").textContent();
    seen.goneKeepsList = await page.locator('tr[data-execution="seed-run"]').count();
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
}

main(process.argv.slice(2)).then(() => process.exit(0), error => {
  console.error(error);
  process.exit(1);
});
