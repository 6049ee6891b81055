// The Starling console: executions and their nodes, read from the admin API over gRPC-Web with
// JSON bodies (application/grpc-web+json) on the gRPC port that serves this page, so no
// generated code and no other origin. The API key, when given, goes as `authorization: Bearer`
// on every call and stays in this tab's session storage.
"use strict";

const ADMIN = "/starling.admin.AdminService/";
const REFRESH_MS = 1000;
let timer = null;

/** Calls a unary admin method with a JSON request; resolves with the JSON response. */
async function call(method, request) {
  const body = new TextEncoder().encode(JSON.stringify(request));
  const frame = new Uint8Array(5 + body.length);
  new DataView(frame.buffer).setUint32(1, body.length);
  frame.set(body, 5);
  const headers = {"content-type": "application/grpc-web+json", "x-grpc-web": "1"};
  const key = sessionStorage.getItem("starling-api-key");
  if (key) {
    headers.authorization = "Bearer " + key;
  }
  const response = await fetch(ADMIN + method, {method: "POST", headers, body: frame});
  const bytes = new Uint8Array(await response.arrayBuffer());
  let message = null;
  let status = response.headers.get("grpc-status");
  let detail = response.headers.get("grpc-message");
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = new DataView(bytes.buffer, at + 1, 4).getUint32(0);
    const payload = new TextDecoder().decode(bytes.subarray(at + 5, at + 5 + length));
    if (bytes[at] & 0x80) {
      for (const line of payload.split("\r\n")) {
        const colon = line.indexOf(":");
        if (line.slice(0, colon) === "grpc-status") status = line.slice(colon + 1).trim();
        if (line.slice(0, colon) === "grpc-message") detail = line.slice(colon + 1).trim();
      }
    } else {
      message = JSON.parse(payload);
    }
    at += 5 + length;
  }
  if (status !== null && status !== "0") {
    const error = new Error(decodeURIComponent(detail || "") || "status " + status);
    error.status = Number(status);
    throw error;
  }
  return message || {};
}

const STATUS_NAMES = {3: "INVALID_ARGUMENT", 5: "NOT_FOUND", 7: "PERMISSION_DENIED",
  14: "UNAVAILABLE", 16: "UNAUTHENTICATED"};

function showProblem(error) {
  const problem = document.getElementById("problem");
  if (!error) {
    problem.hidden = true;
    return;
  }
  const name = STATUS_NAMES[error.status] || "";
  problem.textContent = (name ? name + ": " : "") + error.message
      + (error.status === 16 ? " (enter an API key above)" : "");
  problem.hidden = false;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  children.flat().forEach(child => node.append(child instanceof Node ? child : String(child)));
  return node;
}

function phase(value) {
  return el("span", {class: "phase " + value}, value || "UNDEFINED");
}

function time(stamp) {
  return stamp ? new Date(stamp).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function scope() {
  return {project: document.getElementById("project").value,
    domain: document.getElementById("domain").value};
}

async function executionsView(view) {
  const list = await call("ListExecutions", {...scope(), limit: 100});
  const rows = (list.executions || []).map(execution => {
    const id = execution.id;
    const link = el("a", {href: `#/executions/${id.project}/${id.domain}/${id.name}`}, id.name);
    return el("tr", {"data-execution": id.name}, el("td", {}, link),
        el("td", {}, phase(execution.closure && execution.closure.phase)),
        el("td", {}, execution.spec && execution.spec.launchPlan
            ? execution.spec.launchPlan.name + "@" + execution.spec.launchPlan.version : ""),
        el("td", {}, time(execution.closure && execution.closure.createdAt)));
  });
  view.replaceChildren(el("h1", {}, "Executions"), rows.length === 0
      ? el("p", {}, "No executions in this project and domain.")
      : el("table", {id: "executions"},
          el("tr", {}, el("th", {}, "name"), el("th", {}, "phase"), el("th", {}, "launch plan"),
              el("th", {}, "created")), rows));
}

async function executionView(view, project, domain, name) {
  const id = {project, domain, name};
  const execution = await call("GetExecution", {id});
  const nodes = await call("ListNodeExecutions", {executionId: id, limit: 1000});
  const closure = execution.closure || {};
  const rows = (nodes.nodeExecutions || []).map(node => {
    const items = node.subtasks;
    let map = "";
    if (items) {
      const done = el("span", {});
      // A property, not a style attribute: the page's CSP allows no inline styles.
      done.style.width = `${items.total ? 100 * (items.succeeded || 0) / items.total : 100}%`;
      map = [el("span", {class: "bar"}, done), ` ${items.succeeded || 0}/${items.total || 0}`];
    }
    return el("tr", {"data-node": node.id.nodeId}, el("td", {}, node.id.nodeId),
        el("td", {}, phase(node.phase)), el("td", {}, map),
        el("td", {}, node.duration || ""),
        el("td", {class: "error"}, node.error ? node.error.code + ": " + node.error.message : ""));
  });
  view.replaceChildren(
      el("p", {}, el("a", {href: "#/"}, "executions"), " / " + name),
      el("h1", {}, name, " ", phase(closure.phase)),
      closure.error ? el("p", {class: "error", id: "execution-error"},
          closure.error.code + ": " + closure.error.message) : "",
      el("table", {id: "nodes"}, el("tr", {}, el("th", {}, "node"), el("th", {}, "phase"),
          el("th", {}, "items"), el("th", {}, "duration"), el("th", {}, "error")), rows));
  return ["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"].includes(closure.phase);
}

async function render() {
  clearTimeout(timer);
  const view = document.getElementById("view");
  const route = location.hash.replace(/^#\/?/, "").split("/");
  let finished = false;
  try {
    if (route[0] === "executions" && route.length === 4) {
      finished = await executionView(view, route[1], route[2], route[3]);
    } else {
      await executionsView(view);
    }
    showProblem(null);
  } catch (error) {
    showProblem(error);
  }
  if (!finished) {
    timer = setTimeout(render, REFRESH_MS);
  }
}

document.getElementById("api-key").value = sessionStorage.getItem("starling-api-key") || "";
document.getElementById("api-key").addEventListener("change", event => {
  sessionStorage.setItem("starling-api-key", event.target.value.trim());
  render();
});
for (const field of ["project", "domain"]) {
  document.getElementById(field).addEventListener("change", render);
}
window.addEventListener("hashchange", render);
render();
