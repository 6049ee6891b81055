// The Starling console: pages chosen by the URL's hash, each reading the admin API (api.js)
// with the API key kept in this tab's session storage. A page that lists things refreshes
// itself; an execution follows its watch. An error shows in the banner with what to do, and a
// page that could not load says so in place of its content.
import {apiKey, forPage, setApiKey} from "./api.js";
import {clusterView} from "./cluster.js";
import {el, REFRESH_MS, showProblem} from "./dom.js";
import {executionView} from "./execution.js";
import {executionsView} from "./executions.js";
import {registryView} from "./registry.js";
import {schedulesView} from "./schedules.js";

let current = null;
let timer = null;

function scope() {
  return {project: document.getElementById("project").value.trim(),
    domain: document.getElementById("domain").value.trim()};
}

/** The page for the hash, with whether it refreshes itself by rendering again. */
function route(view, signal) {
  const [path, queryText] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryText || "");
  const page = parts[0] || "executions";
  document.querySelectorAll("nav a").forEach(link => {
    const here = link.getAttribute("href") === "#/" + page;
    link.classList.toggle("here", here);
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  });
  if (page === "executions" && parts.length === 4) {
    return {refreshes: false, load: () => executionView(view,
        {project: parts[1], domain: parts[2], name: parts[3]}, signal)};
  }
  if (["tasks", "workflows", "launch-plans"].includes(page)) {
    return {refreshes: false, load: () => registryView(view, page, scope(), query)};
  }
  if (page === "schedules") return {refreshes: true, load: () => schedulesView(view, scope())};
  if (page === "cluster") return {refreshes: true, load: () => clusterView(view)};
  return {refreshes: true, load: () => executionsView(view, scope(), query)};
}

async function render(again = false) {
  clearTimeout(timer);
  if (current && !again) current.abort();
  current = again ? current : new AbortController();
  const signal = current.signal;
  forPage(signal);
  const view = document.getElementById("view");
  let retry = false;
  try {
    const page = route(view, signal);
    retry = page.refreshes;
    await page.load();
    if (signal.aborted) return;
    showProblem(null);
  } catch (error) {
    if (signal.aborted || error.name === "AbortError") return;
    showProblem(error);
    if (!again) {
      view.replaceChildren(el("h1", {}, error.status === 5 ? "Not found" : "This page could not load"),
          el("p", {id: "view-problem"}, error.message), el("p", {}, el("a", {href: "#/executions"},
              "back to the executions")));
    }
    retry = retry || error.status === 14;
  }
  if (retry && !signal.aborted) {
    timer = setTimeout(function tick() {
      // Not while the user types into a form of the page: its refresh would replace the form.
      const typing = document.activeElement && document.activeElement.closest("main form");
      if (typing) {
        timer = setTimeout(tick, REFRESH_MS);
      } else {
        render(true);
      }
    }, REFRESH_MS);
  }
}

const keyField = document.getElementById("api-key");
keyField.value = apiKey();
keyField.addEventListener("change", () => {
  setApiKey(keyField.value.trim());
  render();
});
for (const field of ["project", "domain"]) {
  document.getElementById(field).addEventListener("change", () => render());
}
window.addEventListener("hashchange", () => render());
render();
