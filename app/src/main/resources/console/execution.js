// One execution: its phase, times, inputs and outputs, error and failing node, the actions a
// user takes on it (terminate, relaunch, recover), its graph updated live from WatchExecution,
// its nodes page by page, and one node's details.
import {call, watch} from "./api.js";
import {duration, el, ENDED, errorText, number, phase, showProblem, table, time, valueTable} from "./dom.js";
import {graph} from "./graph.js";
import {nodeDetails} from "./node.js";

const NODES_PAGE = 100;
const REFRESH_MS = 2000;

function path(id) {
  return `#/executions/${id.project}/${id.domain}/${id.name}`;
}

/** Workflow versions never change: each is fetched once per page load. */
const workflows = new Map();

function workflowOf(id) {
  const key = JSON.stringify(id);
  if (!workflows.has(key)) {
    workflows.set(key, call("GetWorkflow", {id}).catch(error => {
      workflows.delete(key);
      throw error;
    }));
  }
  return workflows.get(key);
}

/**
 * Renders execution `id` into `view` and follows it until `signal` aborts (leaving the page).
 * The watch starts as soon as the execution is known, while its workflow and data load.
 */
export async function executionView(view, id, signal) {
  const execution = await call("GetExecution", {id});
  const states = new Map();
  const page = {
    header: el("h1", {}), summary: el("dl", {class: "summary"}), actions: el("div", {class: "actions"}),
    error: el("div", {}), progress: el("p", {id: "progress", class: "muted"}),
    graph: el("div", {class: "graph-frame"}, el("p", {class: "muted"}, "loading the graph …")),
    nodes: el("div", {id: "node-list"}), panel: el("section", {id: "node-details", hidden: true}),
    inputs: el("div", {}), outputs: el("div", {}), records: new Map(), token: "", tokens: [],
    drawing: null,
  };
  const show = nodeId => {
    page.groupShown = null;
    page.panel.scrollIntoView({block: "nearest"});
    nodeDetails(page.panel, id, nodeId, states.get(nodeId), page.records.get(nodeId))
        .catch(showProblem);
  };
  page.show = show;
  describe(page, execution, states);
  view.replaceChildren(
      el("p", {class: "crumbs"}, el("a", {href: "#/executions"}, "executions"), " / " + id.name),
      page.header, page.actions, page.error, page.summary,
      el("h2", {}, "Graph"), page.progress, page.graph, page.panel,
      el("h2", {}, "Nodes"), page.nodes,
      el("h2", {}, "Inputs"), page.inputs,
      el("h2", {}, "Outputs"), page.outputs);
  const refresh = async () => {
    const [latest, data] = await Promise.all([call("GetExecution", {id}),
      call("GetExecutionData", {id}), nodeTable(page, id, show)]);
    describe(page, latest, states);
    page.inputs.replaceChildren(valueTable(data.inputs, "inputs"));
    page.outputs.replaceChildren(ENDED.includes(latest.closure.phase)
        ? valueTable(data.outputs, "outputs") : el("p", {class: "muted"}, "not yet"));
  };
  follow(id, states, page, signal, refresh);
  const [workflow] = await Promise.all([workflowOf(execution.spec.workflow), refresh()]);
  const closure = workflow.closure || {};
  page.drawing = graph(closure.template || {}, closure.upstream || {}, show,
      ids => groupList(page, ids, states, show));
  page.drawing.update(states);
  page.graph.replaceChildren(page.drawing.element);
  pollNodes(page, id, show, signal);
}

/** Follows the watch until the execution ends, and again after a break, while the page stays. */
async function follow(id, states, page, signal, refresh) {
  let painting = false;
  let inSnapshot = false;
  const paint = () => {
    if (painting) return;
    painting = true;
    requestAnimationFrame(() => {
      painting = false;
      if (page.drawing) page.drawing.update(states);
      if (page.groupShown && !page.panel.hidden) page.groupShown();
    });
  };
  while (!signal.aborted) {
    try {
      await watch(id, event => {
        if (event.snapshot && !inSnapshot) states.clear();
        inSnapshot = Boolean(event.snapshot);
        if (event.node) states.set(event.node.nodeId, event.node);
        if (event.execution) page.header.replaceChildren(id.name, " ", phase(event.execution.phase));
        if (event.progress) {
          const p = event.progress;
          page.progress.textContent = `${number(p.nodesEnded)} of ${number(p.nodes)} nodes ended, `
              + `${number(p.tasksEnded)} of ${number(p.tasks)} tasks (map subtasks counted one by one)`;
        }
        paint();
      }, signal);
      if (!signal.aborted) await refresh();
      showProblem(null);
      return;
    } catch (error) {
      if (signal.aborted) return;
      showProblem(error);
      await new Promise(resume => setTimeout(resume, REFRESH_MS));
    }
  }
}

function describe(page, execution, states) {
  const id = execution.id;
  const spec = execution.spec || {};
  const closure = execution.closure || {};
  const ended = ENDED.includes(closure.phase);
  page.header.replaceChildren(id.name, " ", phase(closure.phase));
  const entry = (term, ...detail) => [el("dt", {}, term), el("dd", {}, ...detail)];
  const plan = spec.launchPlan || {};
  const workflow = spec.workflow || {};
  page.summary.replaceChildren(...[
      entry("launch plan", el("a", {href: `#/launch-plans?name=${encodeURIComponent(plan.name)}`}, plan.name),
          el("span", {class: "muted"}, " " + plan.version)),
      entry("workflow", el("a", {href: `#/workflows?name=${encodeURIComponent(workflow.name)}`},
          workflow.name), el("span", {class: "muted", id: "workflow-version"}, " " + workflow.version)),
      entry("mode", (spec.mode || "MANUAL").toLowerCase(), spec.referenceExecution
          ? [" of ", el("a", {href: path(spec.referenceExecution)}, spec.referenceExecution.name)] : "",
      spec.parentNodeExecution ? [" of ", el("a", {href: path(spec.parentNodeExecution.executionId)},
          spec.parentNodeExecution.executionId.name), " node " + spec.parentNodeExecution.nodeId] : ""),
      spec.scheduledAt ? entry("scheduled for", time(spec.scheduledAt)) : [],
      entry("created", time(closure.createdAt)),
      entry("started", time(closure.startedAt) || "—"),
      entry(ended ? "ended" : "updated", time(closure.updatedAt)),
      entry("duration", duration(closure.duration) || "—"),
      entry("max parallelism", spec.maxParallelism ? number(spec.maxParallelism) : "unbounded"),
  ].flat());
  const failed = [...states.entries()].filter(([, state]) => state.phase === "FAILED"
      || state.phase === "TIMED_OUT").map(([nodeId]) => nodeId);
  page.error.replaceChildren(closure.error ? el("div", {class: "error-box"},
      el("p", {class: "error", id: "execution-error"}, errorText(closure.error)),
      failed.length ? el("p", {id: "failing-node"}, "failing node: ", failed.map(nodeId =>
          el("button", {class: "link", onclick: () => page.show(nodeId)}, nodeId))) : "") : "",
  closure.abortCause ? el("p", {id: "abort-cause"}, "terminated: " + closure.abortCause) : "");
  page.actions.replaceChildren(
      ended ? "" : el("button", {id: "terminate", onclick: () => confirmTerminate(page, id)},
          "Terminate"),
      el("button", {id: "relaunch", title: "a new execution with the same inputs",
        onclick: () => launch("RelaunchExecution", id)}, "Relaunch"),
      ended && closure.phase !== "SUCCEEDED" ? el("button", {id: "recover",
        title: "a new execution that reuses the outputs of the nodes that succeeded",
        onclick: () => launch("RecoverExecution", id)}, "Recover") : "");
}

function confirmTerminate(page, id) {
  const cause = el("input", {id: "terminate-cause", size: 40, value: "terminated from the console"});
  page.actions.replaceChildren(el("form", {class: "confirm", onsubmit: async event => {
    event.preventDefault();
    try {
      await call("TerminateExecution", {id, cause: cause.value});
      page.actions.replaceChildren(el("span", {class: "muted"}, "terminating …"));
    } catch (error) {
      showProblem(error);
    }
  }}, el("label", {}, "cause ", cause), el("button", {id: "terminate-confirm", type: "submit"},
      "Terminate the execution"), el("button", {type: "button", onclick: () =>
      window.dispatchEvent(new HashChangeEvent("hashchange"))}, "Cancel")));
  cause.focus();
}

async function launch(method, id) {
  try {
    const created = await call(method, {id});
    location.hash = path(created.id);
  } catch (error) {
    showProblem(error);
  }
}

async function nodeTable(page, id, show) {
  const list = await call("ListNodeExecutions", {executionId: id, limit: NODES_PAGE, token: page.token});
  page.records = new Map((list.nodeExecutions || []).map(record => [record.id.nodeId, record]));
  const rows = (list.nodeExecutions || []).map(record => {
    const items = record.subtasks;
    const bar = el("span", {});
    if (items) bar.style.width = `${items.total ? 100 * (items.succeeded || 0) / items.total : 100}%`;
    return el("tr", {"data-node": record.id.nodeId},
        el("td", {}, el("button", {class: "link", onclick: () => show(record.id.nodeId)}, record.id.nodeId)),
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
  page.tokens.length || list.nextToken ? el("p", {class: "pager"},
      el("button", {disabled: page.tokens.length === 0, onclick: () => {
        page.token = page.tokens.pop();
        nodeTable(page, id, show).catch(showProblem);
      }}, "← previous nodes"),
      el("button", {id: "next-nodes", disabled: !list.nextToken, onclick: () => {
        page.tokens.push(page.token);
        page.token = list.nextToken;
        nodeTable(page, id, show).catch(showProblem);
      }}, "next nodes →")) : "");
}

async function pollNodes(page, id, show, signal) {
  while (!signal.aborted) {
    await new Promise(resume => setTimeout(resume, REFRESH_MS));
    const header = page.header.querySelector(".phase");
    if (signal.aborted || (header && ENDED.includes(header.textContent))) return;
    await nodeTable(page, id, show).catch(() => {});
  }
}

/** The nodes of a group of the graph, a page of them at a time, with a filter by phase. */
function groupList(page, ids, states, show) {
  const PAGE = 100;
  const select = el("select", {id: "group-phase"}, el("option", {value: ""}, "any phase"),
      ["RUNNING", "QUEUED", "SUCCEEDED", "FAILED", "RETRYABLE_FAILURE", "ABORTED", "SKIPPED",
        "UNDEFINED"].map(name => el("option", {value: name}, name.toLowerCase())));
  const holder = el("div", {});
  let from = 0;
  const draw = () => {
    const chosen = ids.filter(nodeId => !select.value
        || ((states.get(nodeId) || {}).phase || "UNDEFINED") === select.value);
    from = Math.min(from, Math.max(0, chosen.length - PAGE));
    holder.replaceChildren(table("group-nodes", ["node", "phase", "attempts", "error"],
        chosen.slice(from, from + PAGE).map(nodeId => {
          const state = states.get(nodeId) || {};
          return el("tr", {"data-group-node": nodeId},
              el("td", {}, el("button", {class: "link", onclick: () => show(nodeId)}, nodeId)),
              el("td", {}, phase(state.phase)), el("td", {class: "number"}, number(state.attempts)),
              el("td", {class: "error"}, errorText(state.error)));
        })),
    el("p", {class: "pager"}, `${number(chosen.length ? from + 1 : 0)}–`
        + `${number(Math.min(from + PAGE, chosen.length))} of ${number(chosen.length)} `,
    el("button", {disabled: from === 0, onclick: () => { from = Math.max(0, from - PAGE); draw(); }}, "←"),
    el("button", {disabled: from + PAGE >= chosen.length, onclick: () => { from += PAGE; draw(); }}, "→")));
  };
  select.addEventListener("change", () => { from = 0; draw(); });
  page.groupShown = draw;
  page.panel.hidden = false;
  page.panel.replaceChildren(el("h2", {}, `${number(ids.length)} nodes`,
      el("button", {class: "close", title: "close", onclick: () => { page.panel.hidden = true; }}, "×")),
  el("label", {}, "show ", select), holder);
  draw();
}
