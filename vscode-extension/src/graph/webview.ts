/// <reference lib="dom" />
// Runs inside the graph webview (bundled for the browser with dagre): draws the layout as SVG,
// marks broken nodes and edges in red, and asks the extension to reveal the YAML on a click. An op
// whose component is a DAG is a box around that DAG's graph, collapsed and expanded with its
// toggle (the choice is kept while the panel is open).

import { allFindings, layoutGraph, Layout, PlacedCluster, PlacedEdge, PlacedNode } from "./layout";
import { FromWebview, LspRange, PipelineGraph, ToWebview } from "./model";

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

const vscode = acquireVsCodeApi();
const SVG = "http://www.w3.org/2000/svg";

const canvas = document.createElement("canvas").getContext("2d");
function measure(text: string): number {
  if (!canvas) return text.length * 7;
  canvas.font = "12px " + getComputedStyle(document.body).fontFamily;
  return Math.ceil(canvas.measureText(text).width);
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

function reveal(range: LspRange | null, uri?: string): void {
  if (range) vscode.postMessage(uri ? { type: "reveal", range, uri } : { type: "reveal", range });
}

/** The user's expand (true) / collapse (false) choice per op whose component is a DAG. */
const choices = new Map<string, boolean>();
let shown: { graph: PipelineGraph; title: string } | null = null;

function toggle(root: SVGGElement, x: number, y: number, expand: boolean, id: string): void {
  const button = titled(el("g", { class: "toggle", "data-toggle": id }), expand ? "Expand the nested DAG" : "Collapse the nested DAG");
  button.appendChild(el("rect", { x: x - 7, y: y - 7, width: 14, height: 14, rx: 3 }));
  const mark = el("text", { x, y: y + 4, "text-anchor": "middle" });
  mark.textContent = expand ? "+" : "−";
  button.appendChild(mark);
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    choices.set(id, expand);
    if (shown) render(shown.graph, shown.title);
  });
  root.appendChild(button);
}

function drawCluster(root: SVGGElement, cluster: PlacedCluster): void {
  const group = titled(el("g", { class: `cluster${cluster.broken ? " broken" : ""}`, "data-id": cluster.id }), cluster.tooltip);
  const left = cluster.x - cluster.width / 2;
  const top = cluster.y - cluster.height / 2;
  group.appendChild(el("rect", { x: left, y: top, width: cluster.width, height: cluster.height, rx: 8 }));
  const label = el("g", { class: "cluster-label" });
  cluster.lines.forEach((line, i) => {
    const text = el("text", {
      x: cluster.labelAt.x,
      y: cluster.labelAt.y - ((cluster.lines.length - 1) * 16) / 2 + i * 16 + 4,
      "text-anchor": "middle",
      class: i === 0 ? "name" : "detail",
    });
    text.textContent = line;
    label.appendChild(text);
  });
  label.addEventListener("click", () => reveal(cluster.range, cluster.uri));
  group.appendChild(label);
  toggle(group, left + 10, top + 10, false, cluster.id);
  root.appendChild(group);
}

function titled<T extends SVGElement>(node: T, text: string): T {
  const title = el("title");
  title.textContent = text;
  node.appendChild(title);
  return node;
}

function pathOf(edge: PlacedEdge): string {
  const [first, ...rest] = edge.points;
  if (!first) return "";
  if (rest.length < 2) return `M${first.x},${first.y} ` + rest.map((p) => `L${p.x},${p.y}`).join(" ");
  // A smooth curve through dagre's points (each middle point as the control of a quadratic).
  let d = `M${first.x},${first.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const control = rest[i];
    const next = rest[i + 1];
    const end = i === rest.length - 2 ? next : { x: (control.x + next.x) / 2, y: (control.y + next.y) / 2 };
    d += ` Q${control.x},${control.y} ${end.x},${end.y}`;
  }
  return d;
}

function drawEdge(root: SVGGElement, edge: PlacedEdge, index: number): void {
  const group = titled(el("g", { class: `edge ${edge.kind}${edge.broken ? " broken" : ""}`, "data-index": index }), edge.tooltip);
  group.appendChild(el("path", { d: pathOf(edge), class: "line", "marker-end": edge.broken ? "url(#arrow-broken)" : "url(#arrow)" }));
  group.appendChild(el("path", { d: pathOf(edge), class: "hit" }));
  if (edge.labelAt) {
    const at = edge.labelAt;
    const lines = edge.labelLines;
    const width = Math.max(...lines.map(measure)) + 8;
    const height = lines.length * 16 + 2;
    group.appendChild(el("rect", { x: at.x - width / 2, y: at.y - height / 2, width, height, rx: 3, class: "label-bg" }));
    lines.forEach((line, i) => {
      const text = el("text", { x: at.x, y: at.y - ((lines.length - 1) * 16) / 2 + i * 16 + 4, "text-anchor": "middle", class: "label" });
      text.textContent = line;
      group.appendChild(text);
    });
  }
  group.addEventListener("click", () => reveal(edge.range, edge.uri));
  root.appendChild(group);
}

function drawNode(root: SVGGElement, node: PlacedNode): void {
  const group = titled(el("g", { class: `node ${node.kind}${node.broken ? " broken" : ""}`, "data-id": node.id }), node.tooltip);
  group.appendChild(el("rect", { x: node.x - node.width / 2, y: node.y - node.height / 2, width: node.width, height: node.height, rx: 6 }));
  node.lines.forEach((line, i) => {
    const text = el("text", {
      x: node.x,
      y: node.y - ((node.lines.length - 1) * 16) / 2 + i * 16 + 4,
      "text-anchor": "middle",
      class: i === 0 ? "name" : "detail",
    });
    text.textContent = line;
    group.appendChild(text);
  });
  group.addEventListener("click", () => reveal(node.range, node.uri));
  if (node.collapsed) toggle(group, node.x + node.width / 2 - 10, node.y - node.height / 2 + 10, true, node.id);
  root.appendChild(group);
}

function render(graph: PipelineGraph, title: string): void {
  shown = { graph, title };
  const header = document.getElementById("header")!;
  const stage = document.getElementById("stage")!;
  const legend = document.getElementById("legend")!;
  stage.textContent = "";
  legend.textContent = "";
  if (!graph.isDag) {
    header.textContent = graph.dagFile
      ? `${title} runs the DAG of ${graph.dagFile.split(/[\\/]/).pop()}: open that file for its graph`
      : `${title}: no DAG in this file`;
    document.body.dataset.errors = "0";
    return;
  }
  const layout: Layout = layoutGraph(graph, measure, choices);
  header.textContent = `${title}: ${graph.nodes.filter((n) => n.kind === "op").length} ops · ${layout.errors} error${layout.errors === 1 ? "" : "s"}`;
  document.body.dataset.errors = String(layout.errors);
  // Scaled down to the panel's width (never up): the viewBox keeps the proportions.
  const svg = el("svg", { viewBox: `0 0 ${layout.width} ${layout.height}`, preserveAspectRatio: "xMinYMin meet" });
  svg.style.maxWidth = `${layout.width}px`;
  const defs = el("defs");
  for (const [id, cls] of [["arrow", "arrow"], ["arrow-broken", "arrow broken"]]) {
    const marker = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
    defs.appendChild(marker);
  }
  svg.appendChild(defs);
  const clusters = el("g");
  const edges = el("g");
  const nodes = el("g");
  [...layout.clusters].sort((a, b) => a.depth - b.depth).forEach((cluster) => drawCluster(clusters, cluster));
  layout.edges.forEach((edge, i) => drawEdge(edges, edge, i));
  layout.nodes.forEach((node) => drawNode(nodes, node));
  svg.append(clusters, edges, nodes);
  stage.appendChild(svg);
  const errors = allFindings(graph).filter(({ finding }) => finding.severity === "error");
  if (errors.length) {
    const head = document.createElement("div");
    head.className = "legend-head";
    head.innerHTML = '<span class="swatch"></span> red = error (click to go to it)';
    legend.appendChild(head);
  }
  for (const { finding, uri } of errors) {
    const row = document.createElement("div");
    row.className = "legend-row";
    const where = uri ? `${decodeURIComponent(uri.split("/").pop() ?? "")} ` : "";
    row.textContent = `${finding.code} ${where}line ${finding.range.start.line + 1}: ${finding.message}`;
    row.addEventListener("click", () => reveal(finding.range, uri));
    legend.appendChild(row);
  }
}

window.addEventListener("message", (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === "graph") render(message.graph, message.title);
  else {
    document.getElementById("header")!.textContent = message.reason;
    document.getElementById("stage")!.textContent = "";
    document.getElementById("legend")!.textContent = "";
  }
});
vscode.postMessage({ type: "ready" });
