// Lays the pipeline graph out with dagre (a layered graph layout library bundled from npm) and
// says how each node and edge is drawn: no DOM here, so it is unit-tested in node.

import type * as Dagre from "@dagrejs/dagre" with { "resolution-mode": "import" };

// dagre ships CommonJS too; esbuild bundles it from here for the webview and the tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dagre: typeof Dagre = require("@dagrejs/dagre");

import { GraphEdge, GraphFinding, GraphNode, LspRange, PipelineGraph, Port } from "./model";

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode {
  id: string;
  lines: string[];
  x: number; // centre
  y: number;
  width: number;
  height: number;
  kind: GraphNode["kind"];
  broken: boolean;
  tooltip: string;
  range: LspRange | null;
  /** The file the node is written in when it is not the graphed document. */
  uri?: string;
  /** An op whose nested DAG is collapsed: a toggle expands it. */
  collapsed?: boolean;
  /** The op whose nested DAG this node is drawn in. */
  parent?: string;
}

/** An op whose component is a DAG, expanded: a box around that DAG's nodes. */
export interface PlacedCluster {
  id: string;
  lines: string[];
  x: number; // centre of the box
  y: number;
  /** Where the box's label (the op's lines) is drawn: room dagre kept inside the box. */
  labelAt: Point;
  width: number;
  height: number;
  /** How deep the box is nested (0: an op of the document's DAG): outer boxes are drawn first. */
  depth: number;
  broken: boolean;
  tooltip: string;
  range: LspRange | null;
  uri?: string;
  parent?: string;
}

export interface PlacedEdge {
  points: Point[];
  label: string;
  /** The label drawn on two lines for a param edge: what the upstream gives, what it feeds. */
  labelLines: string[];
  labelAt: Point | null;
  kind: GraphEdge["kind"];
  broken: boolean;
  tooltip: string;
  range: LspRange | null;
  uri?: string;
}

export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  clusters: PlacedCluster[];
  errors: number;
}

/** Nested DAGs with more nodes than this are collapsed until the user expands them. */
export const COLLAPSE_ABOVE = 15;

/** Width of a text in pixels (the webview measures with a canvas; tests use a fixed ratio). */
export type Measure = (text: string) => number;

const LINE_HEIGHT = 16;
const PADDING_X = 14;
const PADDING_Y = 10;

export function nodeLines(node: GraphNode): string[] {
  if (node.kind === "input") return [`input ${node.name}`, node.type ?? "untyped"];
  if (node.kind === "missing") return [node.name, "not defined"];
  const details = [node.component, node.runKind].filter(Boolean).join(" · ");
  const flags = [node.matrix ? "matrix" : "", node.join ? "join" : ""].filter(Boolean).join(" · ");
  const omitted =
    node.graphOmitted === "cycle"
      ? "nested DAG contains itself: not drawn again"
      : node.graphOmitted === "depth"
        ? "nested DAG not drawn (nested too deep)"
        : "";
  return [node.name, details, flags, omitted].filter(Boolean);
}

/** How many nodes a nested DAG has, its own nested DAGs included. */
export function nestedSize(node: GraphNode): number {
  return (node.graph?.nodes ?? []).reduce((n, inner) => n + 1 + nestedSize(inner), 0);
}

/** Whether an op's nested DAG is drawn expanded: the user's choice, else small ones are. */
export function isExpanded(node: GraphNode, choices: ReadonlyMap<string, boolean> = new Map()): boolean {
  if (!node.graph || node.graph.nodes.length === 0) return false;
  return choices.get(node.id) ?? nestedSize(node) <= COLLAPSE_ABOVE;
}

const STATUS_TEXT = { missing: "not found", unknown: "unknown", context: "context only" };

function portText(port: Port): string {
  return `${port.name} (${port.status === "ok" ? (port.type ?? "untyped") : STATUS_TEXT[port.status]})`;
}

export function edgeLabelLines(edge: GraphEdge): string[] {
  if (edge.kind === "param" && edge.output && edge.input) return [portText(edge.output), `→ ${portText(edge.input)}`];
  return [edge.kind];
}

function isError(findings: { severity: string }[]): boolean {
  return findings.some((f) => f.severity === "error");
}

function tooltipOf(findings: { code: string; message: string }[], fallback: string): string {
  if (!findings.length) return fallback;
  return findings.map((f) => `${f.code}: ${f.message}`).join("\n");
}

/** Every finding of the graph and of its nested DAGs, with the file it is in (when another). */
export function allFindings(graph: { nodes: GraphNode[]; edges: GraphEdge[]; findings: GraphFinding[]; uri?: string }): { finding: GraphFinding; uri?: string }[] {
  const found: { finding: GraphFinding; uri?: string }[] = [];
  for (const node of graph.nodes) {
    found.push(...node.findings.map((finding) => ({ finding, uri: node.uri })));
    if (node.graph) found.push(...allFindings(node.graph));
  }
  for (const edge of graph.edges) found.push(...edge.findings.map((finding) => ({ finding, uri: edge.uri })));
  found.push(...graph.findings.map((finding) => ({ finding, uri: graph.uri })));
  return found;
}

const CLUSTER_LINE = 16;

/**
 * Lays the graph out; an op whose component is a DAG and is expanded (`choices`: the user's
 * expand/collapse per op id, else `isExpanded`'s default) is a dagre compound node holding that
 * DAG's nodes. dagre routes no edge to a compound node: an edge into the op ends at the nested DAG
 * input it feeds (a param edge), else at its first node; an edge out of it leaves from its last op.
 */
export function layoutGraph(graph: PipelineGraph, measure: Measure, choices: ReadonlyMap<string, boolean> = new Map()): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true, compound: true });
  g.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 60, edgesep: 20, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const leaves: { node: GraphNode; parent?: string }[] = [];
  const boxes: { node: GraphNode; parent?: string; depth: number }[] = [];
  const edgeList: GraphEdge[] = [...graph.edges];
  const visit = (nodes: GraphNode[], parent: string | undefined, depth: number): void => {
    for (const node of nodes) {
      if (node.graph && isExpanded(node, choices)) {
        g.setNode(node.id, {});
        if (parent) g.setParent(node.id, parent);
        boxes.push({ node, parent, depth });
        visit(node.graph.nodes, node.id, depth + 1);
        edgeList.push(...node.graph.edges);
        continue;
      }
      const lines = nodeLines(node);
      const width = Math.max(...lines.map(measure)) + 2 * PADDING_X + (node.graph ? 16 : 0);
      g.setNode(node.id, { width, height: lines.length * LINE_HEIGHT + 2 * PADDING_Y });
      if (parent) g.setParent(node.id, parent);
      leaves.push({ node, parent });
    }
  };
  visit(graph.nodes, undefined, 0);
  // The label of a box: an invisible node of the box reserves its room (dagre sizes compound
  // nodes from their children only), in the box's first column (unrouted edges to the nested
  // DAG's first nodes put it there).
  const boxIds = new Set(boxes.map((b) => b.node.id));
  for (const { node } of boxes) {
    const lines = nodeLines(node);
    g.setNode(`${node.id}#label`, { width: Math.max(...lines.map(measure)) + 16, height: lines.length * CLUSTER_LINE });
    g.setParent(`${node.id}#label`, node.id);
  }
  for (const { node } of boxes) {
    const label = `${node.id}#label`;
    const inner = node.graph!;
    const fed = new Set(inner.edges.map((e) => e.target));
    for (const first of inner.nodes.filter((n) => !fed.has(n.id))) {
      // (dagre takes no edge to a box: to a nested box's label instead)
      const target = boxIds.has(first.id) ? `${first.id}#label` : first.id;
      g.setEdge(label, target, { width: 0, height: 0, weight: 1 }, `${label}>${target}`);
    }
  }
  const byId = new Map<string, GraphNode>();
  const collect = (nodes: GraphNode[]): void => {
    for (const node of nodes) {
      byId.set(node.id, node);
      if (node.graph) collect(node.graph.nodes);
    }
  };
  collect(graph.nodes);
  const expanded = new Set(boxes.map((b) => b.node.id));
  const into = (id: string, edge: GraphEdge): string => {
    while (expanded.has(id)) {
      const inner = byId.get(id)!.graph!;
      const fed = edge.kind === "param" && edge.input ? inner.nodes.find((n) => n.kind === "input" && n.name === edge.input!.name) : undefined;
      id = (fed ?? inner.nodes[0]).id;
    }
    return id;
  };
  const outOf = (id: string): string => {
    while (expanded.has(id)) {
      const inner = byId.get(id)!.graph!;
      id = ([...inner.nodes].reverse().find((n) => n.kind === "op") ?? inner.nodes[inner.nodes.length - 1]).id;
    }
    return id;
  };
  const routed: { edge: GraphEdge; name: string }[] = [];
  edgeList.forEach((edge, index) => {
    if (!g.hasNode(edge.source) || !g.hasNode(edge.target)) return; // inside a collapsed DAG
    const source = outOf(edge.source);
    const target = into(edge.target, edge);
    if (source === target) return;
    const lines = edgeLabelLines(edge);
    const name = `e${index}`;
    g.setEdge(source, target, { width: Math.max(...lines.map(measure)) + 8, height: lines.length * LINE_HEIGHT, labelpos: "c" }, name);
    routed.push({ edge, name: `${source}\u0000${target}\u0000${name}` });
  });
  dagre.layout(g);
  const nodes: PlacedNode[] = leaves.map(({ node, parent }) => {
    const placed = g.node(node.id);
    const broken = node.kind === "missing" || isError(node.findings);
    return {
      id: node.id,
      lines: nodeLines(node),
      x: placed.x,
      y: placed.y,
      width: placed.width,
      height: placed.height,
      kind: node.kind,
      broken,
      tooltip: tooltipOf(node.findings, node.kind === "missing" ? `${node.name} is not defined` : node.name),
      range: node.range,
      ...(node.uri ? { uri: node.uri } : {}),
      ...(node.graph && node.graph.nodes.length ? { collapsed: true } : {}),
      ...(parent ? { parent } : {}),
    };
  });
  const clusters: PlacedCluster[] = boxes.map(({ node, parent, depth }) => {
    const placed = g.node(node.id);
    const label = g.node(`${node.id}#label`);
    return {
      id: node.id,
      lines: nodeLines(node),
      x: placed.x,
      y: placed.y,
      width: placed.width,
      height: placed.height,
      labelAt: { x: label.x, y: label.y },
      depth,
      broken: isError(node.findings),
      tooltip: tooltipOf(node.findings, node.name),
      range: node.range,
      ...(node.uri ? { uri: node.uri } : {}),
      ...(parent ? { parent } : {}),
    };
  });
  const edges: PlacedEdge[] = [];
  for (const { edge, name } of routed) {
    const [v, w, id] = name.split("\u0000");
    const placed = g.edge({ v, w, name: id });
    if (!placed) continue;
    const source = byId.get(edge.source);
    const broken = isError(edge.findings) || source?.kind === "missing";
    edges.push({
      points: (placed.points ?? []).map((p: Point) => ({ x: p.x, y: p.y })),
      label: edge.kind === "param" ? edge.label : edge.kind,
      labelLines: edgeLabelLines(edge),
      labelAt: placed.x !== undefined && placed.y !== undefined ? { x: placed.x, y: placed.y } : null,
      kind: edge.kind,
      broken,
      tooltip: tooltipOf(edge.findings, edge.label),
      range: edge.range,
      ...(edge.uri ? { uri: edge.uri } : {}),
    });
  }
  const size = g.graph();
  const errors = allFindings(graph).filter(({ finding }) => finding.severity === "error").length;
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges, clusters, errors };
}
