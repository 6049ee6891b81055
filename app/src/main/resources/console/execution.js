// One execution: its phase, times, inputs and outputs, error and failing nodes, the actions a
// user takes on it (terminate, relaunch, recover), and its graph updated live from
// WatchExecution; its nodes are listed by nodes.js, one node shown by node-details.js.
import {call, watch} from "./api.js";
import {duration, el, errorText, EXECUTION_ENDED, number, phase, REFRESH_MS, showProblem, time,
  valueTable} from "./dom.js";
import {graph} from "./graph.js";
import {nodeDetails} from "./node-details.js";
import {groupList, nodeTable, pollNodes} from "./nodes.js";

const FAILING_SHOWN = 20;
const GROUP_REDRAW_MS = 1000;

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
 * Renders execution `id` into `view` and follows it until `signal` aborts (leaving the page)
 * or the page fails to load. The watch starts as soon as the execution is known, while its
 * workflow and data load.
 */
export async function executionView(view, id, signal) {
  const execution = await call("GetExecution", {id});
  const own = new AbortController();
  signal.addEventListener("abort", () => own.abort());
  const page = {
    id, states: new Map(), execution, signal: own.signal, drawing: null, groupShown: null,
    header: el("h1", {}), summary: el("dl", {class: "summary"}), actions: el("div", {class: "actions"}),
    error: el("div", {}), progress: el("p", {id: "progress", class: "muted"}),
    graph: el("div", {class: "graph-frame"}, el("p", {class: "muted"}, "loading the graph …")),
    nodes: el("div", {id: "node-list"}), panel: el("section", {id: "node-details", hidden: true}),
    inputs: el("div", {}), outputs: el("div", {}), token: "", tokens: [],
  };
  page.show = nodeId => {
    page.groupShown = null;
    page.panel.scrollIntoView({block: "nearest"});
    nodeDetails(page.panel, id, nodeId, page.states.get(nodeId)).catch(showProblem);
  };
  describe(page, execution);
  view.replaceChildren(
      el("p", {class: "crumbs"}, el("a", {href: "#/executions"}, "executions"), " / " + id.name),
      page.header, page.actions, page.error, page.summary,
      el("h2", {}, "Graph"), page.progress, page.graph, page.panel,
      el("h2", {}, "Nodes"), page.nodes,
      el("h2", {}, "Inputs"), page.inputs,
      el("h2", {}, "Outputs"), page.outputs);
  const refresh = async () => {
    const [latest, data] = await Promise.all([call("GetExecution", {id}),
      call("GetExecutionData", {id}), nodeTable(page)]);
    describe(page, latest);
    page.inputs.replaceChildren(valueTable(data.inputs, "inputs"));
    page.outputs.replaceChildren(EXECUTION_ENDED.includes(latest.closure.phase)
        ? valueTable(data.outputs, "outputs") : el("p", {class: "muted"}, "not yet"));
  };
  // An execution that had ended when the page opened needs no second read once the watch's
  // snapshot is in: only its failing nodes, which come from the snapshot, are drawn again.
  const ended = EXECUTION_ENDED.includes(execution.closure.phase);
  follow(page, ended ? async () => describe(page, page.execution) : refresh);
  try {
    const [workflow] = await Promise.all([workflowOf(execution.spec.workflow), refresh()]);
    const closure = workflow.closure || {};
    page.drawing = graph(closure.template || {}, closure.upstream || {}, page.show,
        ids => groupList(page, ids));
    page.drawing.update(page.states);
    page.graph.replaceChildren(page.drawing.element);
  } catch (error) {
    own.abort();
    throw error;
  }
  pollNodes(page);
}

/**
 * Follows the watch until the execution ends, and again after a break, while the page stays;
 * then `settle()` draws what the end changed.
 */
async function follow(page, settle) {
  let painting = false;
  let inSnapshot = false;
  let groupDrawnAt = 0;
  const paint = () => {
    if (painting) return;
    painting = true;
    requestAnimationFrame(() => {
      painting = false;
      if (page.drawing) page.drawing.update(page.states);
      // The group's list at most once a second: rebuilt each frame, its buttons would not
      // take a click.
      if (page.groupShown && !page.panel.hidden && Date.now() - groupDrawnAt > GROUP_REDRAW_MS) {
        groupDrawnAt = Date.now();
        page.groupShown();
      }
    });
  };
  while (!page.signal.aborted) {
    try {
      await watch(page.id, event => {
        if (event.snapshot && !inSnapshot) page.states.clear();
        inSnapshot = Boolean(event.snapshot);
        if (event.node) page.states.set(event.node.nodeId, event.node);
        if (event.execution) {
          page.ended = EXECUTION_ENDED.includes(event.execution.phase);
          page.header.replaceChildren(page.id.name, " ", phase(event.execution.phase));
        }
        if (event.progress) {
          const p = event.progress;
          page.progress.textContent = `${number(p.nodesEnded)} of ${number(p.nodes)} nodes ended, `
              + `${number(p.tasksEnded)} of ${number(p.tasks)} tasks (map subtasks counted one by one)`;
        }
        paint();
      }, page.signal);
      if (!page.signal.aborted) {
        await settle();
        // The last state, which the once-a-second redraw may have skipped.
        if (page.groupShown) page.groupShown();
        showProblem(null);
      }
      return;
    } catch (error) {
      if (page.signal.aborted) return;
      showProblem(error);
      await new Promise(resume => setTimeout(resume, REFRESH_MS));
    }
  }
}

function describe(page, execution) {
  page.execution = execution;
  const id = execution.id;
  const spec = execution.spec || {};
  const closure = execution.closure || {};
  const ended = EXECUTION_ENDED.includes(closure.phase);
  page.ended = ended;
  page.header.replaceChildren(id.name, " ", phase(closure.phase));
  const entry = (term, ...detail) => [el("dt", {}, term), el("dd", {}, ...detail)];
  const plan = spec.launchPlan || {};
  const workflow = spec.workflow || {};
  page.summary.replaceChildren(...[
      entry("launch plan", el("a", {href: `#/launch-plans?name=${encodeURIComponent(plan.name)}`}, plan.name),
          el("span", {class: "muted"}, " " + plan.version)),
      entry("workflow", el("a", {href: `#/workflows?name=${encodeURIComponent(workflow.name)}`
          + `&version=${encodeURIComponent(workflow.version)}`}, workflow.name),
      el("span", {class: "muted", id: "workflow-version"}, " " + workflow.version)),
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
  page.error.replaceChildren(closure.error ? el("div", {class: "error-box"},
      el("p", {class: "error", id: "execution-error"}, errorText(closure.error)),
      failingNodes(page)) : "",
  closure.abortCause ? el("p", {id: "abort-cause"}, "terminated: " + closure.abortCause) : "");
  page.actions.replaceChildren(
      ended ? "" : el("button", {id: "terminate", onclick: () => confirmTerminate(page)},
          "Terminate"),
      el("button", {id: "relaunch", title: "a new execution with the same inputs",
        onclick: () => launch("RelaunchExecution", id)}, "Relaunch"),
      ended && closure.phase !== "SUCCEEDED" ? el("button", {id: "recover",
        title: "a new execution that reuses the outputs of the nodes that succeeded",
        onclick: () => launch("RecoverExecution", id)}, "Recover") : "");
}

/** The nodes that failed, the first few as buttons to their details. */
function failingNodes(page) {
  const failed = [...page.states.entries()].filter(([, state]) => state.phase === "FAILED"
      || state.phase === "TIMED_OUT").map(([nodeId]) => nodeId);
  if (failed.length === 0) return "";
  return el("p", {id: "failing-node"}, failed.length === 1 ? "failing node: " : "failing nodes: ",
      failed.slice(0, FAILING_SHOWN).map(nodeId =>
          [el("button", {class: "link", onclick: () => page.show(nodeId)}, nodeId), " "]),
      failed.length > FAILING_SHOWN ? `and ${number(failed.length - FAILING_SHOWN)} more` : "");
}

function confirmTerminate(page) {
  const cause = el("input", {id: "terminate-cause", size: 40, value: "terminated from the console"});
  page.actions.replaceChildren(el("form", {class: "confirm", onsubmit: async event => {
    event.preventDefault();
    try {
      await call("TerminateExecution", {id: page.id, cause: cause.value});
      page.actions.replaceChildren(el("span", {class: "muted"}, "terminating …"));
    } catch (error) {
      showProblem(error);
    }
  }}, el("label", {}, "cause ", cause), el("button", {id: "terminate-confirm", type: "submit"},
      "Terminate the execution"),
  el("button", {type: "button", onclick: () => describe(page, page.execution)}, "Cancel")));
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
