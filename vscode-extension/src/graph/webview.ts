/// <reference lib="dom" />
// Runs inside the graph webview (bundled for the browser with dagre): draws the layout as SVG,
// marks broken nodes and edges in red, and asks the extension to reveal the YAML on a click.

import { layoutGraph, Layout, PlacedEdge, PlacedNode } from "./layout";
import { FromWebview, GraphFinding, LspRange, PipelineGraph, ToWebview } from "./model";

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

function reveal(range: LspRange | null): void {
  if (range) vscode.postMessage({ type: "reveal", range });
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
  group.addEventListener("click", () => reveal(edge.range));
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
  group.addEventListener("click", () => reveal(node.range));
  root.appendChild(group);
}

function render(graph: PipelineGraph, title: string): void {
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
  const layout: Layout = layoutGraph(graph, measure);
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
  const edges = el("g");
  const nodes = el("g");
  layout.edges.forEach((edge, i) => drawEdge(edges, edge, i));
  layout.nodes.forEach((node) => drawNode(nodes, node));
  svg.append(edges, nodes);
  stage.appendChild(svg);
  const errors: GraphFinding[] = [
    ...graph.nodes.flatMap((n) => n.findings),
    ...graph.edges.flatMap((e) => e.findings),
    ...graph.findings,
  ].filter((f) => f.severity === "error");
  if (errors.length) {
    const head = document.createElement("div");
    head.className = "legend-head";
    head.innerHTML = '<span class="swatch"></span> red = error (click to go to it)';
    legend.appendChild(head);
  }
  for (const finding of errors) {
    const row = document.createElement("div");
    row.className = "legend-row";
    row.textContent = `${finding.code} line ${finding.range.start.line + 1}: ${finding.message}`;
    row.addEventListener("click", () => reveal(finding.range));
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
