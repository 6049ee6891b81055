// The executions of a project and domain, newest first: filtered by launch plan and phase,
// paged by the server's tokens, refreshed while the page is open (live phase changes).
import {call} from "./api.js";
import {duration, el, phase, rerender, table, time, tokenPager} from "./dom.js";

const PHASES = ["QUEUED", "RUNNING", "SUCCEEDING", "SUCCEEDED", "FAILING", "FAILED", "ABORTING",
  "ABORTED", "TIMED_OUT"];
const PAGE = 50;

/** The tokens of the pages before the one shown, so that "newer" goes back. */
const pages = {filter: "", tokens: [], token: ""};

export async function executionsView(view, scope, query) {
  const filter = JSON.stringify([scope, query.get("plan"), query.get("phase")]);
  if (filter !== pages.filter) {
    Object.assign(pages, {filter, tokens: [], token: ""});
  }
  const request = {...scope, limit: PAGE, token: pages.token};
  if (query.get("plan")) request.launchPlanName = query.get("plan");
  if (query.get("phase")) request.phases = [query.get("phase")];
  const list = await call("ListExecutions", request);
  const rows = (list.executions || []).map(execution => {
    const id = execution.id;
    const closure = execution.closure || {};
    const plan = (execution.spec && execution.spec.launchPlan) || {};
    return el("tr", {"data-execution": id.name},
        el("td", {}, el("a", {href: `#/executions/${id.project}/${id.domain}/${id.name}`}, id.name)),
        el("td", {}, phase(closure.phase)),
        el("td", {}, plan.name ? el("a", {href: "#/executions?plan=" + encodeURIComponent(plan.name)},
            plan.name) : "", plan.version ? el("span", {class: "muted"}, " " + plan.version) : ""),
        el("td", {}, ((execution.spec && execution.spec.mode) || "MANUAL").toLowerCase()),
        el("td", {}, time(closure.createdAt)),
        el("td", {class: "number"}, duration(closure.duration)));
  });
  view.replaceChildren(el("h1", {}, "Executions"), filters(query),
      rows.length === 0
          ? el("p", {id: "no-executions"}, pages.token || query.get("plan") || query.get("phase")
              ? "No executions match." : "No executions in this project and domain yet.")
          : table("executions", ["name", "phase", "launch plan", "mode", "created", "duration"], rows),
      tokenPager(pages, list.nextToken || "", rerender, "← newer", "older →"));
}

function filters(query) {
  const plan = el("input", {id: "filter-plan", size: 24, placeholder: "any",
    value: query.get("plan") || ""});
  const select = el("select", {id: "filter-phase"}, el("option", {value: ""}, "any"),
      PHASES.map(name => el("option", {value: name, selected: query.get("phase") === name}, name)));
  const apply = () => {
    const next = new URLSearchParams();
    if (plan.value.trim()) next.set("plan", plan.value.trim());
    if (select.value) next.set("phase", select.value);
    location.hash = "#/executions" + (next.toString() ? "?" + next : "");
  };
  plan.addEventListener("change", apply);
  select.addEventListener("change", apply);
  return el("form", {class: "filters", onsubmit: event => { event.preventDefault(); apply(); }},
      el("label", {}, "launch plan ", plan), el("label", {}, "phase ", select));
}
