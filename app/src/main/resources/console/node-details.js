// One node of an execution (GetNodeExecution): its phase, attempts with their durations and
// errors (ListTaskExecutions), cache status, branch taken, a map node's subtasks, its outputs.
import {call} from "./api.js";
import {duration, el, errorText, number, phase, showProblem, table, time, valueTable} from "./dom.js";

const ATTEMPTS_PAGE = 100;

/** Fills `panel` with node `nodeId` of execution `id`, whose last NodePhaseChange is `state`. */
export async function nodeDetails(panel, id, nodeId, state) {
  const record = await call("GetNodeExecution", {id: {executionId: id, nodeId}}).catch(error => {
    if (error.status === 5) return null; // not started
    throw error;
  });
  // The record, read just now, is at least as new as what the watch said last.
  const known = {...(state || {}), ...(record || {})};
  const items = known.subtasks;
  panel.hidden = false;
  panel.replaceChildren(...[
      el("h2", {}, "Node ", el("code", {}, nodeId), " ", phase(known.phase),
          el("button", {class: "close", "aria-label": "close", onclick: () => { panel.hidden = true; }}, "×")),
      el("dl", {},
          el("dt", {}, "attempts"), el("dd", {id: "node-attempts"}, number(known.attempts)),
          record ? [el("dt", {}, "started"), el("dd", {}, time(record.startedAt) || "—"),
            el("dt", {}, "duration"), el("dd", {}, duration(record.duration) || "—"),
            el("dt", {}, "cache"), el("dd", {id: "node-cache"},
                (record.cacheStatus || "CACHE_DISABLED").replace("CACHE_", "").toLowerCase()),
            record.branchTaken ? [el("dt", {}, "branch taken"), el("dd", {}, record.branchTaken)] : []]
            : [],
          items ? [el("dt", {}, "subtasks"), el("dd", {id: "node-subtasks"},
              `${number(items.succeeded)}/${number(items.total)} succeeded`
              + ["running", "queued", "retrying", "failed", "aborted"]
                  .filter(name => items[name]).map(name => `, ${number(items[name])} ${name}`).join(""))]
            : []),
      known.error ? el("p", {class: "error", id: "node-error"}, errorText(known.error)) : "",
      el("h3", {}, "Attempts"), el("div", {id: "node-attempt-list"}, "loading …"),
      record && record.outputs ? [el("h3", {}, "Outputs"), valueTable(record.outputs, "node-outputs")] : [],
  ].flat());
  await attempts(panel.querySelector("#node-attempt-list"), id, nodeId, "");
}

async function attempts(holder, id, nodeId, token) {
  const list = await call("ListTaskExecutions", {nodeExecutionId: {executionId: id, nodeId},
    limit: ATTEMPTS_PAGE, token});
  const rows = (list.taskExecutions || []).map(attempt => el("tr", {"data-attempt": attempt.id.attempt || 0},
      el("td", {class: "number"}, attempt.id.attempt || 0),
      el("td", {}, attempt.taskId ? attempt.taskId.name + " " : "",
          el("span", {class: "muted"}, attempt.taskId ? attempt.taskId.version : "")),
      el("td", {}, phase(attempt.phase)),
      el("td", {}, time(attempt.startedAt)),
      el("td", {class: "number"}, duration(attempt.duration)),
      el("td", {class: "error"}, errorText(attempt.error))));
  const shown = token ? [...holder.querySelectorAll("tr[data-attempt]")] : [];
  holder.replaceChildren(rows.length + shown.length === 0
      ? el("p", {class: "muted"}, "No task attempts (a node that runs no task, or not started).")
      : table("attempts", ["attempt", "task", "phase", "started", "duration", "error"], [...shown, ...rows]),
  list.nextToken ? el("button", {onclick: () => attempts(holder, id, nodeId, list.nextToken)
      .catch(showProblem)},
      "more attempts") : "");
}
