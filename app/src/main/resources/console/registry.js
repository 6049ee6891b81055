// Tasks, workflows and launch plans of a project and domain, each version newest first, with
// the active launch-plan version marked; one workflow version shows its interface and graph.
import {call} from "./api.js";
import {el, number, rerender, showProblem, table, time} from "./dom.js";
import {graph} from "./graph.js";

const KINDS = {
  tasks: {title: "Tasks", method: "ListTasks", field: "tasks", page: 100,
    headings: ["name", "version", "type", "inputs → outputs", "registered"],
    cells: task => [task.spec.type, signature(task.spec.interface), time(task.createdAt)]},
  // A workflow version comes with its spec and compiled closure: a large graph is megabytes.
  workflows: {title: "Workflows", method: "ListWorkflows", field: "workflows", page: 20,
    headings: ["name", "version", "nodes", "inputs → outputs", "registered"],
    cells: workflow => [number(((workflow.spec && workflow.spec.nodes) || []).length),
      signature(workflow.spec && workflow.spec.interface), time(workflow.createdAt)]},
  "launch-plans": {title: "Launch plans", method: "ListLaunchPlans", field: "launchPlans", page: 100,
    headings: ["name", "version", "state", "workflow", "schedule", "registered", ""],
    cells: plan => [plan.state === "ACTIVE" ? el("span", {class: "active"}, "active") : "inactive",
      el("a", {href: `#/workflows?name=${encodeURIComponent(plan.spec.workflowId.name)}`
          + `&version=${encodeURIComponent(plan.spec.workflowId.version)}`},
      plan.spec.workflowId.name + " " + plan.spec.workflowId.version),
      scheduleText(plan.spec.schedule), time(plan.createdAt),
      [el("a", {href: `#/executions?plan=${encodeURIComponent(plan.id.name)}`}, "executions"), " ",
        el("button", {class: "link", onclick: () => activate(plan)},
            plan.state === "ACTIVE" ? "deactivate" : "activate")]]},
};

/** "list<integer>" for a LiteralType's JSON. */
function typeText(type) {
  if (!type) return "?";
  if (type.collectionType) return `list<${typeText(type.collectionType)}>`;
  if (type.mapValueType) return `map<string, ${typeText(type.mapValueType)}>`;
  if (type.blob) return "blob";
  return (type.simple || "none").toLowerCase();
}

function signature(face) {
  const side = variables => Object.entries(variables || {})
      .map(([name, variable]) => `${name}: ${typeText(variable.type)}`).join(", ");
  return `(${side(face && face.inputs)}) → (${side(face && face.outputs)})`;
}

/** "0 3 * * * UTC" or "every 5 minute" for a Schedule's JSON; "" without one. */
export function scheduleText(schedule) {
  if (!schedule) return "";
  if (schedule.rate) return `every ${schedule.rate.value || 0} ${(schedule.rate.unit || "MINUTE").toLowerCase()}`;
  return schedule.cronExpression + (schedule.timeZone ? " " + schedule.timeZone : " UTC");
}

/** Activates a launch-plan version (the one active before it is deactivated) or deactivates it. */
async function activate(plan) {
  try {
    await call("UpdateLaunchPlan", {id: plan.id, state: plan.state === "ACTIVE" ? "INACTIVE" : "ACTIVE"});
    rerender();
  } catch (error) {
    showProblem(error);
  }
}

export async function registryView(view, kind, scope, query) {
  const spec = KINDS[kind];
  if (query.get("name") && query.get("version") && kind === "workflows") {
    return workflowVersion(view, {resourceType: "WORKFLOW", ...scope, name: query.get("name"),
      version: query.get("version")});
  }
  const body = el("tbody", {});
  const more = el("p", {class: "pager"});
  view.replaceChildren(el("h1", {}, spec.title, query.get("name") ? " · " + query.get("name") : ""),
      query.get("name") ? el("p", {}, el("a", {href: "#/" + kind}, "all " + spec.title.toLowerCase())) : "",
      el("table", {id: kind}, el("thead", {}, el("tr", {}, spec.headings.map(h => el("th", {}, h)))), body),
      more);
  const load = async token => {
    const list = await call(spec.method, {...scope, name: query.get("name") || "", limit: spec.page, token});
    for (const entity of list[spec.field] || []) {
      const id = entity.id;
      const version = kind === "workflows" ? el("a", {href: `#/workflows?name=${encodeURIComponent(id.name)}`
          + `&version=${encodeURIComponent(id.version)}`}, id.version) : id.version;
      body.append(el("tr", {"data-name": id.name, "data-version": id.version},
          el("td", {}, el("a", {href: `#/${kind}?name=${encodeURIComponent(id.name)}`}, id.name)),
          el("td", {}, version), spec.cells(entity).map(cell => el("td", {}, cell))));
    }
    if (body.children.length === 0) {
      body.append(el("tr", {}, el("td", {colspan: spec.headings.length}, "None registered.")));
    }
    more.replaceChildren(list.nextToken
        ? el("button", {onclick: () => load(list.nextToken).catch(showProblem)}, "more versions") : "");
  };
  await load("");
}

async function workflowVersion(view, id) {
  const workflow = await call("GetWorkflow", {id});
  const closure = workflow.closure || {};
  const face = (closure.template && closure.template.interface) || {};
  const variables = (variables, name) => table(name, ["name", "type"],
      Object.entries(variables || {}).map(([variable, spec]) =>
          el("tr", {}, el("td", {}, variable), el("td", {}, typeText(spec.type)))));
  const tasks = (closure.tasks || []).map(task => el("tr", {}, el("td", {}, task.id.name),
      el("td", {}, task.id.version), el("td", {}, task.template.type),
      el("td", {class: "value"}, task.template.container
          ? (task.template.container.command || []).join(" ")
          : task.template.config ? JSON.stringify(task.template.config) : "")));
  view.replaceChildren(
      el("p", {class: "crumbs"}, el("a", {href: "#/workflows"}, "workflows"), " / ",
          el("a", {href: `#/workflows?name=${encodeURIComponent(id.name)}`}, id.name), " / " + id.version),
      el("h1", {}, id.name, el("span", {class: "muted"}, " " + id.version)),
      el("p", {}, `registered ${time(workflow.createdAt)}`),
      el("h2", {}, "Inputs"), variables(face.inputs, "workflow-inputs"),
      el("h2", {}, "Outputs"), variables(face.outputs, "workflow-outputs"),
      el("h2", {}, "Graph"),
      el("div", {class: "graph-frame"}, graph(closure.template || {}, closure.upstream || {},
          null, null).element),
      el("h2", {}, "Tasks"), table("workflow-tasks", ["task", "version", "type", "command or config"], tasks));
}
