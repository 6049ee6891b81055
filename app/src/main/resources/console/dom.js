// Small helpers to build the page: elements, phases, times, durations and values.

/** An element with attributes (a value of null leaves one out) and children. */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  children.flat(Infinity).forEach(child => {
    if (child !== null && child !== undefined && child !== "") {
      node.append(child instanceof Node ? child : String(child));
    }
  });
  return node;
}

/** How often a page that lists things, or follows them, reads them again. */
export const REFRESH_MS = 2000;

/** Renders the page shown again, as a change of the URL's hash does. */
export function rerender() {
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

/** Shows a CallError in the page's banner with what to do about it; null hides the banner. */
export function showProblem(error) {
  const problem = document.getElementById("problem");
  if (!error) {
    problem.hidden = true;
    return;
  }
  const hint = {16: " (enter an API key above)", 7: " (ask for a key with a role on this project)"};
  problem.textContent = (error.statusName ? error.statusName + ": " : "") + error.message
      + (hint[error.status] || "");
  problem.hidden = false;
}

/** The phases in which an execution has ended. */
export const EXECUTION_ENDED = ["SUCCEEDED", "FAILED", "ABORTED", "TIMED_OUT"];

export function phase(value) {
  const name = value || "UNDEFINED";
  return el("span", {class: "phase " + name}, name);
}

/** A Timestamp's JSON (RFC 3339) as "2026-12-03 05:40:01Z"; "" when absent. */
export function time(stamp) {
  return stamp ? new Date(stamp).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

/** A Duration's JSON ("12.5s") as "12.5 s", "2 min 3 s", "1 h 2 min". */
export function duration(text) {
  if (!text) return "";
  const seconds = parseFloat(text);
  if (seconds < 60) return (seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)) + " s";
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A Literal's JSON as a plain value: integers, lists and maps as JSON would write them. */
export function value(literal) {
  if (!literal) return null;
  if ("integer" in literal) {
    // int64 comes as a string: kept so when a JavaScript number would round it.
    const integer = Number(literal.integer);
    return Number.isSafeInteger(integer) ? integer : literal.integer;
  }
  if ("floatValue" in literal) return literal.floatValue;
  if ("stringValue" in literal) return literal.stringValue;
  if ("boolean" in literal) return literal.boolean;
  if ("datetime" in literal) return literal.datetime;
  if ("duration" in literal) return literal.duration;
  if ("binary" in literal) return "<" + Math.floor(literal.binary.length * 3 / 4) + " bytes>";
  if ("struct" in literal) return literal.struct;
  if ("blob" in literal) return literal.blob.uri;
  if ("collection" in literal) return (literal.collection.literals || []).map(value);
  if ("map" in literal) return values(literal.map);
  return null;
}

/** A LiteralMap's JSON as an object of plain values. */
export function values(map) {
  const result = {};
  for (const [name, literal] of Object.entries((map && map.literals) || {})) {
    result[name] = value(literal);
  }
  return result;
}

/** A table of a LiteralMap, each value cut to a line with a "show all" to see it whole. */
export function valueTable(map, id) {
  const entries = Object.entries(values(map));
  if (entries.length === 0) return el("p", {class: "muted", id}, "none");
  return el("table", {class: "values", id}, entries.map(([name, plain]) => {
    const text = JSON.stringify(plain);
    const cell = el("td", {class: "value"}, text.length > 200 ? text.slice(0, 200) + " …" : text);
    if (text.length > 200) {
      cell.append(" ", el("button", {class: "link", onclick: () => {
        cell.replaceChildren(el("pre", {}, JSON.stringify(plain, null, 2)));
      }}, `show all (${number(text.length)} characters)`));
    }
    return el("tr", {"data-value": name}, el("th", {}, name), cell);
  }));
}

/** An ExecutionError as one line: "code: message". */
export function errorText(error) {
  return error ? (error.code ? error.code + ": " : "") + (error.message || "") : "";
}

/**
 * The buttons to the pages before and after the one shown of a list paged by the server's
 * tokens: `at.token` is the shown page's, `at.tokens` those of the pages before it; `turn()`
 * shows the page of `at.token`. Nothing when there is one page.
 */
export function tokenPager(at, next, turn, back, forward) {
  if (at.tokens.length === 0 && !next) return "";
  return el("p", {class: "pager"},
      el("button", {disabled: at.tokens.length === 0, onclick: () => {
        at.token = at.tokens.pop();
        turn();
      }}, back),
      el("button", {disabled: !next, onclick: () => {
        at.tokens.push(at.token);
        at.token = next;
        turn();
      }}, forward));
}

export function table(id, headings, rows) {
  return el("table", {id}, el("tr", {}, headings.map(heading => el("th", {}, heading))), rows);
}

export function number(n) {
  return Number(n || 0).toLocaleString("en-US");
}
