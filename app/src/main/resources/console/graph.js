// An execution's graph: its workflow's nodes in layers (a node's layer is one past its deepest
// upstream), coloured by phase and updated in place as the watch reports. A layer of more than
// LAYER_NODES nodes is drawn as one group with a bar of its phases, and at most DRAWN_NODES
// nodes are drawn one by one (the layers past that are one group), so that a 10,000-node
// fan-out is a few hundred SVG elements, never 10,000. A map node is one node with a bar of its
// subtasks.

import {number} from "./dom.js";

const LAYER_NODES = 24;
const DRAWN_NODES = 400;
const BUNDLED = 48;
const WIDTH = 170;
const HEIGHT = 38;
const GAP_X = 60;
const GAP_Y = 12;
const GROUP_HEIGHT = 74;
const BAR_PHASES = ["SUCCEEDED", "RECOVERED", "RUNNING", "QUEUED", "RETRYABLE_FAILURE", "FAILED",
  "TIMED_OUT", "ABORTED", "SKIPPED"];

function svg(tag, attributes, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    node.setAttribute(name, value);
  }
  children.forEach(child => node.append(child));
  return node;
}

function kind(node) {
  if (node.mapNode) return "map";
  if (node.branchNode) return "branch";
  if (node.workflowNode) return node.workflowNode.launchPlanRef ? "launch plan" : "sub-workflow";
  return "task";
}

/** The layers of a workflow's nodes, by Kahn's order (no recursion: chains may be long). */
function layers(template, upstream) {
  const nodes = template.nodes || [];
  const depth = new Map();
  const waiting = new Map();
  const downstream = new Map();
  for (const node of nodes) {
    const ups = (upstream[node.id] && upstream[node.id].ids) || [];
    waiting.set(node.id, ups.length);
    for (const up of ups) {
      if (!downstream.has(up)) downstream.set(up, []);
      downstream.get(up).push(node.id);
    }
  }
  const ready = nodes.filter(node => waiting.get(node.id) === 0).map(node => node.id);
  ready.forEach(id => depth.set(id, 0));
  while (ready.length > 0) {
    const id = ready.pop();
    for (const next of downstream.get(id) || []) {
      depth.set(next, Math.max(depth.get(next) || 0, depth.get(id) + 1));
      waiting.set(next, waiting.get(next) - 1);
      if (waiting.get(next) === 0) ready.push(next);
    }
  }
  const result = [];
  for (const node of nodes) {
    const at = depth.get(node.id) || 0;
    (result[at] = result[at] || []).push(node);
  }
  return result.filter(Boolean).map(layer => layer.sort((a, b) => a.id.localeCompare(b.id)));
}

/**
 * Draws the graph into an SVG; returns {element, update(states)} where states maps a node id
 * to its last NodePhaseChange (absent: not started). onNode(id) and onGroup(ids), when given,
 * are called when a node or a group is pressed.
 */
export function graph(template, upstream, onNode, onGroup) {
  const root = svg("svg", {id: "graph", "aria-label": "the workflow's graph"});
  const updaters = [];
  const drawnAt = new Map();
  let x = 10;
  let drawn = 0;
  let tallest = 0;
  const all = layers(template, upstream);
  for (let index = 0; index < all.length; index++) {
    const layer = all[index];
    if (layer.length > LAYER_NODES || drawn + layer.length > DRAWN_NODES) {
      // A wide layer is one group; once the budget is spent, so are all the layers left.
      const rest = layer.length > LAYER_NODES ? layer : all.slice(index).flat();
      root.append(group(rest, x, 10, onGroup, updaters, `${number(rest.length)} nodes`
          + (rest !== layer && index < all.length - 1 ? ` in ${all.length - index} layers` : "")));
      rest.forEach(node => drawnAt.set(node.id, {x, y: 10 + GROUP_HEIGHT / 2}));
      tallest = Math.max(tallest, GROUP_HEIGHT);
      x += WIDTH + GAP_X;
      if (rest !== layer) break;
      continue;
    }
    layer.forEach((node, row) => {
      const y = 10 + row * (HEIGHT + GAP_Y);
      root.append(box(node, x, y, onNode, updaters));
      drawnAt.set(node.id, {x, y: y + HEIGHT / 2});
    });
    drawn += layer.length;
    tallest = Math.max(tallest, layer.length * (HEIGHT + GAP_Y));
    x += WIDTH + GAP_X;
  }
  root.prepend(edges(template, upstream, drawnAt));
  root.setAttribute("width", x);
  root.setAttribute("height", tallest + 20);
  root.setAttribute("viewBox", `0 0 ${x} ${tallest + 20}`);
  return {element: root, update: states => updaters.forEach(update => update(states))};
}

/**
 * The edges between what is drawn; between two columns with more than BUNDLED edges, one
 * bundle from the middle of the one to the middle of the other instead.
 */
function edges(template, upstream, drawnAt) {
  const lines = svg("g", {class: "edges"});
  const columns = new Map();
  for (const node of template.nodes || []) {
    const to = drawnAt.get(node.id);
    for (const up of (upstream[node.id] && upstream[node.id].ids) || []) {
      const from = drawnAt.get(up);
      if (!from || !to || from.x === to.x) continue;
      const pair = `${from.x}>${to.x}`;
      if (!columns.has(pair)) columns.set(pair, new Map());
      columns.get(pair).set(`${from.y}>${to.y}`, [from, to]);
    }
  }
  for (const pairs of columns.values()) {
    const all = [...pairs.values()];
    const drawn = all.length <= BUNDLED ? all : [[
      {x: all[0][0].x, y: all.reduce((sum, [from]) => sum + from.y, 0) / all.length},
      {x: all[0][1].x, y: all.reduce((sum, [, to]) => sum + to.y, 0) / all.length}]];
    for (const [from, to] of drawn) {
      const middle = (from.x + WIDTH + to.x) / 2;
      lines.append(svg("path", {class: all.length > BUNDLED ? "bundle" : "edge",
        d: `M${from.x + WIDTH},${from.y} C${middle},${from.y} ${middle},${to.y} ${to.x},${to.y}`}));
    }
  }
  return lines;
}

/** Calls `action` on a click, Enter or Space: a drawn node or group is a button. */
function pressable(shape, label, action) {
  shape.setAttribute("role", "button");
  shape.setAttribute("tabindex", 0);
  shape.setAttribute("aria-label", label);
  shape.addEventListener("click", action);
  shape.addEventListener("keydown", event => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      action();
    }
  });
}

function box(node, x, y, onNode, updaters) {
  const phaseText = svg("tspan", {class: "node-phase"});
  const label = svg("text", {x: x + 8, y: y + 15}, node.id.length > 22 ? node.id.slice(0, 21) + "…" : node.id);
  const detail = svg("text", {x: x + 8, y: y + 31, class: "node-detail"}, kind(node), phaseText);
  const shape = svg("g", {class: "node UNDEFINED", "data-graph-node": node.id},
      svg("title", {}, node.id), svg("rect", {x, y, width: WIDTH, height: HEIGHT, rx: 4}), label, detail);
  let bar = null;
  let count = null;
  if (node.mapNode) {
    bar = svg("rect", {x: x + WIDTH - 62, y: y + 24, width: 0, height: 7, class: "done"});
    count = svg("text", {x: x + WIDTH - 8, y: y + 15, class: "items", "text-anchor": "end"});
    shape.append(svg("rect", {x: x + WIDTH - 62, y: y + 24, width: 54, height: 7, class: "track"}),
        bar, count);
  }
  if (onNode) pressable(shape, `node ${node.id}`, () => onNode(node.id));
  updaters.push(states => {
    const state = states.get(node.id) || {};
    const name = state.phase || "UNDEFINED";
    shape.setAttribute("class", "node " + name);
    phaseText.textContent = " · " + (name === "UNDEFINED" ? "not started" : name.toLowerCase());
    if (bar) {
      const items = state.subtasks || {};
      const total = items.total || 0;
      bar.setAttribute("width", total ? 54 * (items.succeeded || 0) / total : 0);
      count.textContent = total ? `${number(items.succeeded)}/${number(total)}` : "";
    }
  });
  return shape;
}

function group(nodes, x, y, onGroup, updaters, title) {
  const segments = svg("g", {});
  const counts = svg("text", {x: x + 8, y: y + 64, class: "node-detail"});
  const shape = svg("g", {class: "group", "data-graph-group": nodes.length},
      svg("rect", {x, y, width: WIDTH, height: GROUP_HEIGHT, rx: 4}),
      svg("text", {x: x + 8, y: y + 17}, title),
      svg("rect", {x: x + 8, y: y + 28, width: WIDTH - 16, height: 14, class: "track"}),
      segments, counts);
  const ids = nodes.map(node => node.id);
  if (onGroup) pressable(shape, `group of ${title}`, () => onGroup(ids));
  updaters.push(states => {
    const tally = {};
    for (const id of ids) {
      const name = (states.get(id) || {}).phase || "UNDEFINED";
      tally[name] = (tally[name] || 0) + 1;
    }
    let at = x + 8;
    segments.replaceChildren();
    for (const name of BAR_PHASES) {
      if (!tally[name]) continue;
      const width = (WIDTH - 16) * tally[name] / ids.length;
      segments.append(svg("rect", {x: at, y: y + 28, width, height: 14, class: "segment " + name}));
      at += width;
    }
    const ended = (tally.SUCCEEDED || 0) + (tally.RECOVERED || 0);
    counts.textContent = `${number(ended)} succeeded`
        + (tally.RUNNING ? `, ${number(tally.RUNNING)} running` : "")
        + (tally.FAILED ? `, ${number(tally.FAILED)} failed` : "");
  });
  return shape;
}
