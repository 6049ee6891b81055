// The nodes of an execution page: its node executions a page at a time (ListNodeExecutions,
// refreshed while it runs), and the nodes of one group of its graph, a page at a time from
// the watch's state with a filter by phase.
import {call} from "./api.js";
import {duration, el, errorText, number, phase, REFRESH_MS, showProblem, table, tokenPager} from "./dom.js";

const NODES_PAGE = 100;
const GROUP_PAGE = 100;
const GROUP_PHASES = ["RUNNING", "QUEUED", "RETRYABLE_FAILURE", "SUCCEEDED", "RECOVERED", "FAILED",
  "TIMED_OUT", "ABORTED", "SKIPPED", "UNDEFINED"];

/** Shows the page of node executions at page.token; an answer overtaken by another is dropped. */
export async function nodeTable(page) {
  const asked = page.nodesAsked = (page.nodesAsked || 0) + 1;
  const list = await call("ListNodeExecutions", {executionId: page.id, limit: NODES_PAGE,
    token: page.token});
  if (asked !== page.nodesAsked) return;
  const rows = (list.nodeExecutions || []).map(record => {
    const items = record.subtasks;
    const bar = el("span", {});
    if (items) bar.style.width = `${items.total ? 100 * (items.succeeded || 0) / items.total : 100}%`;
    return el("tr", {"data-node": record.id.nodeId},
        el("td", {}, el("button", {class: "link", onclick: () => page.show(record.id.nodeId)},
            record.id.nodeId)),
        el("td", {}, phase(record.phase)),
        el("td", {}, items ? [el("span", {class: "bar"}, bar),
          ` ${number(items.succeeded)}/${number(items.total)}`] : ""),
        el("td", {class: "number"}, number(record.attempts)),
        el("td", {class: "number"}, duration(record.duration)),
        el("td", {}, (record.cacheStatus || "").replace("CACHE_", "").toLowerCase()),
        el("td", {class: "error"}, errorText(record.error)));
  });
  page.nodes.replaceChildren(rows.length === 0 ? el("p", {class: "muted"}, "No node has started.")
      : table("nodes", ["node", "phase", "items", "attempts", "duration", "cache", "error"], rows),
  tokenPager(page, list.nextToken || "", () => nodeTable(page).catch(showProblem),
      "← previous nodes", "next nodes →"));
}

/** Reads the page of nodes again every REFRESH_MS until the execution ends or the page goes. */
export async function pollNodes(page) {
  while (!page.signal.aborted && !page.ended) {
    await new Promise(resume => setTimeout(resume, REFRESH_MS));
    if (page.signal.aborted || page.ended) return;
    await nodeTable(page).catch(() => {});
  }
}

/** Shows the nodes of a group of the graph in the page's panel. */
export function groupList(page, ids) {
  const select = el("select", {id: "group-phase"}, el("option", {value: ""}, "any phase"),
      GROUP_PHASES.map(name => el("option", {value: name},
          name === "UNDEFINED" ? "not started" : name.toLowerCase())));
  const holder = el("div", {});
  let from = 0;
  const draw = () => {
    const chosen = ids.filter(nodeId => !select.value
        || ((page.states.get(nodeId) || {}).phase || "UNDEFINED") === select.value);
    from = Math.min(from, Math.max(0, chosen.length - GROUP_PAGE));
    holder.replaceChildren(table("group-nodes", ["node", "phase", "attempts", "error"],
        chosen.slice(from, from + GROUP_PAGE).map(nodeId => {
          const state = page.states.get(nodeId) || {};
          return el("tr", {"data-group-node": nodeId},
              el("td", {}, el("button", {class: "link", onclick: () => page.show(nodeId)}, nodeId)),
              el("td", {}, phase(state.phase)), el("td", {class: "number"}, number(state.attempts)),
              el("td", {class: "error"}, errorText(state.error)));
        })),
    el("p", {class: "pager"}, `${number(chosen.length ? from + 1 : 0)}–`
        + `${number(Math.min(from + GROUP_PAGE, chosen.length))} of ${number(chosen.length)} `,
    el("button", {disabled: from === 0, onclick: () => {
      from = Math.max(0, from - GROUP_PAGE);
      draw();
    }}, "←"),
    el("button", {disabled: from + GROUP_PAGE >= chosen.length, onclick: () => {
      from += GROUP_PAGE;
      draw();
    }}, "→")));
  };
  select.addEventListener("change", () => {
    from = 0;
    draw();
  });
  page.groupShown = draw;
  page.panel.hidden = false;
  page.panel.replaceChildren(el("h2", {}, `${number(ids.length)} nodes`,
      el("button", {class: "close", "aria-label": "close", onclick: () => {
        page.panel.hidden = true;
      }}, "×")),
  el("label", {}, "show ", select), holder);
  draw();
}
