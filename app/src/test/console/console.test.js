// Drives the console as a user would, in Debian's chromium, and prints what it saw as JSON:
//   node console.test.js URL KEY EXECUTION FAILED_EXECUTION
// It opens URL, reads the problem shown before any key is given, enters KEY, reads the list of
// executions, opens EXECUTION (waiting for it to end) and FAILED_EXECUTION, and reads their
// phases, nodes and errors.
"use strict";
const {chromium} = require("playwright-core");

async function main([url, key, execution, failed]) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update",
      "--disable-sync"],
  });
  const seen = {consoleErrors: []};
  try {
    const page = await browser.newPage();
    page.on("console", message => {
      if (message.type() === "error") seen.consoleErrors.push(message.text());
    });
    page.on("pageerror", error => seen.consoleErrors.push(String(error)));
    await page.goto(url);
    seen.url = page.url();
    await page.locator("#problem").waitFor({state: "visible", timeout: 15000});
    seen.problemWithoutKey = await page.locator("#problem").textContent();
    await page.fill("#api-key", key);
    await page.dispatchEvent("#api-key", "change");
    await page.locator(`tr[data-execution="${execution}"]`).waitFor({timeout: 15000});
    seen.problemHidden = await page.locator("#problem").isHidden();
    seen.executions = await page.locator("tr[data-execution]").evaluateAll(
        rows => rows.map(row => row.getAttribute("data-execution")));
    await page.click(`a:text("${execution}")`);
    await page.locator("h1 .phase.SUCCEEDED").waitFor({timeout: 30000});
    seen.phase = await page.locator("h1 .phase").textContent();
    seen.nodes = await page.locator("tr[data-node]").evaluateAll(rows => rows.map(row => ({
      id: row.getAttribute("data-node"),
      phase: row.querySelector(".phase").textContent,
      items: row.children[2].textContent.trim(),
    })));
    await page.goto(url.replace(/\/$/, "") + `/console/#/executions/default/development/${failed}`);
    await page.locator("#execution-error").waitFor({timeout: 30000});
    seen.failedPhase = await page.locator("h1 .phase").textContent();
    seen.failedError = await page.locator("#execution-error").textContent();
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(seen));
}

main(process.argv.slice(2)).catch(error => {
  console.error(error);
  process.exit(1);
});
