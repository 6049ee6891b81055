// The active schedules of a project and domain, each with its next slots as the scheduler
// computes them (ListSchedules) and the slot it last fired.
import {call} from "./api.js";
import {el, table, time} from "./dom.js";
import {scheduleText} from "./registry.js";

const SLOTS = 3;
const PAGE = 200;

export async function schedulesView(view, scope) {
  const page = await call("ListSchedules", {...scope, slots: SLOTS, limit: PAGE});
  const rows = (page.schedules || []).map(entry => {
    const plan = entry.launchPlan;
    const schedule = plan.spec.schedule;
    return el("tr", {"data-schedule": plan.id.name},
        el("td", {}, el("a", {href: `#/launch-plans?name=${encodeURIComponent(plan.id.name)}`},
            plan.id.name), el("span", {class: "muted"}, " " + plan.id.version)),
        el("td", {}, scheduleText(schedule)),
        el("td", {}, (schedule.catchUp || "ALL").toLowerCase()),
        el("td", {class: "slots"}, (entry.nextSlots || []).map(slot => el("div", {}, time(slot)))),
        el("td", {}, entry.lastScheduledAt ? el("a", {href: "#/executions?plan="
            + encodeURIComponent(plan.id.name)}, time(entry.lastScheduledAt)) : "never"));
  });
  view.replaceChildren(el("h1", {}, "Schedules"), rows.length === 0
      ? el("p", {id: "no-schedules"}, "No active launch plan of this project and domain has a schedule.")
      : table("schedules", ["launch plan", "schedule", "catch-up", "next slots", "last fired"], rows),
  page.nextToken ? el("p", {class: "muted"}, `The first ${PAGE} by name; \`starling schedule list\``
      + " lists them all.") : "");
}
