import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { COLLAPSE_ABOVE, isExpanded, layoutGraph, nodeLines } from "../src/graph/layout";
import { GraphNode, PipelineGraph } from "../src/graph/model";

const range = (line: number) => ({ start: { line, character: 8 }, end: { line, character: 20 } });
const measure = (text: string) => text.length * 7;

// The shape the server's `param-lsp.graph` command returns for examples/mistakes/bad-refs.yaml
// (an orphan op `tune` and an output the upstream op lacks).
const graph: PipelineGraph = {
  version: 1,
  isDag: true,
  nodes: [
    { id: "ops.train", name: "train", kind: "op", component: "train.yaml", runKind: "job", matrix: false, join: false, range: range(7), findings: [] },
    { id: "ops.evaluate", name: "evaluate", kind: "op", component: "evaluate.yaml", runKind: "job", matrix: true, join: false, range: range(11), findings: [] },
    { id: "ops.tune", name: "tune", kind: "missing", range: null, findings: [] },
  ],
  edges: [
    {
      source: "ops.train", target: "ops.evaluate", kind: "param", label: "outputs.model (path) → model (path)",
      output: { name: "outputs.model", type: "path", status: "ok" }, input: { name: "model", type: "path", status: "ok" },
      range: range(14), findings: [],
    },
    {
      source: "ops.tune", target: "ops.evaluate", kind: "param", label: "outputs.t (not found) → t (float)",
      output: { name: "outputs.t", type: null, status: "missing" }, input: { name: "t", type: "float", status: "ok" },
      range: range(15),
      findings: [{ code: "PLX509", severity: "error", message: "orphan op `tune`", range: range(15) }],
    },
    { source: "ops.train", target: "ops.evaluate", kind: "dependency", label: "dependency", output: null, input: null, range: range(12), findings: [] },
  ],
  findings: [],
};

describe("graph layout", () => {
  const layout = layoutGraph(graph, measure);

  it("places every node, upstream ops left of their downstream ops", () => {
    assert.equal(layout.nodes.length, 3);
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    assert.ok(x("ops.train") < x("ops.evaluate"));
    assert.ok(x("ops.tune") < x("ops.evaluate"));
    for (const node of layout.nodes) {
      assert.ok(node.x - node.width / 2 >= 0 && node.x + node.width / 2 <= layout.width, node.id);
    }
  });

  it("routes every edge, including two edges between the same ops", () => {
    assert.equal(layout.edges.length, 3);
    for (const edge of layout.edges) assert.ok(edge.points.length >= 2);
    assert.deepEqual(layout.edges.map((e) => e.kind), ["param", "param", "dependency"]);
  });

  it("marks the orphan edge and the missing op as broken, and counts the error", () => {
    assert.deepEqual(layout.edges.map((e) => e.broken), [false, true, false]);
    assert.deepEqual(layout.nodes.map((n) => n.broken), [false, false, true]);
    assert.equal(layout.errors, 1);
    assert.match(layout.edges[1].tooltip, /PLX509/);
    assert.deepEqual(layout.edges[1].labelLines, ["outputs.t (not found)", "→ t (float)"]);
  });

  it("keeps the YAML range of each node and edge for click-to-reveal", () => {
    assert.deepEqual(layout.nodes[0].range, range(7));
    assert.deepEqual(layout.edges[0].range, range(14));
  });

  it("labels ops with component, run kind and flags", () => {
    assert.deepEqual(nodeLines(graph.nodes[1]), ["evaluate", "evaluate.yaml · job", "matrix"]);
    assert.deepEqual(nodeLines(graph.nodes[2]), ["tune", "not defined"]);
  });
});

// The shape the server returns for tests/data/graph/nested/parent.yaml: op `child` runs the DAG
// of child_dag.yaml (a pathRef), whose second edge is broken.
const CHILD = "file:///w/child_dag.yaml";
const op = (id: string, name: string, line: number, extra: Partial<GraphNode> = {}): GraphNode => ({
  id, name, kind: "op", component: "inline component", runKind: "job", matrix: false, join: false, range: range(line), findings: [], ...extra,
});
const nested: PipelineGraph = {
  version: 1,
  isDag: true,
  nodes: [
    op("ops.prepare", "prepare", 5),
    op("ops.child", "child", 9, {
      component: "./child_dag.yaml",
      runKind: "dag",
      graph: {
        path: "/w/child_dag.yaml", file: "/w/child_dag.yaml", uri: CHILD,
        nodes: [
          { id: "ops.child/dag.inputs.source", name: "source", kind: "input", type: "str", range: range(2), findings: [], file: "/w/child_dag.yaml", uri: CHILD },
          op("ops.child/ops.read", "read", 6, { file: "/w/child_dag.yaml", uri: CHILD }),
          op("ops.child/ops.report", "report", 13, { file: "/w/child_dag.yaml", uri: CHILD }),
        ],
        edges: [
          {
            source: "ops.child/dag.inputs.source", target: "ops.child/ops.read", kind: "param", label: "inputs.source (str) → path (str)",
            output: { name: "inputs.source", type: "str", status: "ok" }, input: { name: "path", type: "str", status: "ok" }, range: range(8), findings: [], uri: CHILD,
          },
          {
            source: "ops.child/ops.read", target: "ops.child/ops.report", kind: "param", label: "outputs.lines (not found) → count (int)",
            output: { name: "outputs.lines", type: null, status: "missing" }, input: { name: "count", type: "int", status: "ok" }, range: range(15), uri: CHILD,
            findings: [{ code: "PLX511", severity: "error", message: "no output `lines`", range: range(15) }],
          },
        ],
        findings: [],
      },
    }),
  ],
  edges: [
    {
      source: "ops.prepare", target: "ops.child", kind: "param", label: "outputs.data (str) → source (str)",
      output: { name: "outputs.data", type: "str", status: "ok" }, input: { name: "source", type: "str", status: "ok" }, range: range(12), findings: [],
    },
  ],
  findings: [],
};

describe("nested DAG layout", () => {
  const layout = layoutGraph(nested, measure);
  const inside = (id: string) => {
    const node = layout.nodes.find((n) => n.id === id)!;
    const box = layout.clusters[0];
    return (
      node.x - node.width / 2 >= box.x - box.width / 2 && node.x + node.width / 2 <= box.x + box.width / 2 &&
      node.y - node.height / 2 >= box.y - box.height / 2 && node.y + node.height / 2 <= box.y + box.height / 2
    );
  };

  it("draws an op whose component is a DAG as a box around that DAG's nodes", () => {
    assert.deepEqual(layout.clusters.map((c) => [c.id, c.depth, c.uri]), [["ops.child", 0, undefined]]);
    assert.deepEqual(layout.nodes.map((n) => n.id), ["ops.prepare", "ops.child/dag.inputs.source", "ops.child/ops.read", "ops.child/ops.report"]);
    for (const id of ["ops.child/dag.inputs.source", "ops.child/ops.read", "ops.child/ops.report"]) assert.ok(inside(id), id);
    assert.ok(!inside("ops.prepare"));
    assert.deepEqual(layout.nodes.map((n) => n.parent), [undefined, "ops.child", "ops.child", "ops.child"]);
    // The box's label has room of its own inside the box.
    const box = layout.clusters[0];
    assert.ok(Math.abs(box.labelAt.x - box.x) <= box.width / 2 && Math.abs(box.labelAt.y - box.y) <= box.height / 2);
    assert.deepEqual(box.lines, ["child", "./child_dag.yaml · dag"]);
    // ... in its first column, left of the nested DAG's nodes.
    const input = layout.nodes.find((n) => n.id === "ops.child/dag.inputs.source")!;
    assert.ok(box.labelAt.x < input.x - input.width / 2, JSON.stringify([box.labelAt, input.x]));
  });

  it("routes an edge into the box to the nested DAG input it feeds", () => {
    assert.equal(layout.edges.length, 3);
    const first = layout.edges[0];
    const input = layout.nodes.find((n) => n.id === "ops.child/dag.inputs.source")!;
    const end = first.points[first.points.length - 1];
    assert.ok(Math.abs(end.x - (input.x - input.width / 2)) <= 1, JSON.stringify(end));
  });

  it("keeps the other file of nested nodes and edges for click-to-reveal, and counts nested errors", () => {
    assert.equal(layout.nodes[2].uri, CHILD);
    assert.deepEqual(layout.nodes[2].range, range(6));
    assert.equal(layout.edges[2].uri, CHILD);
    assert.equal(layout.edges[2].broken, true);
    assert.equal(layout.nodes[0].uri, undefined);
    assert.equal(layout.errors, 1);
  });

  it("collapses on request: a single node with a toggle, its inner nodes and edges left out", () => {
    const collapsed = layoutGraph(nested, measure, new Map([["ops.child", false]]));
    assert.deepEqual(collapsed.clusters, []);
    assert.deepEqual(collapsed.nodes.map((n) => [n.id, n.collapsed]), [["ops.prepare", undefined], ["ops.child", true]]);
    assert.equal(collapsed.edges.length, 1);
    assert.equal(collapsed.errors, 1); // still counted
  });

  it("collapses large nested DAGs by default", () => {
    const many = (n: number): GraphNode =>
      op("ops.big", "big", 1, { graph: { path: null, nodes: Array.from({ length: n }, (_, i) => op(`ops.big/ops.o${i}`, `o${i}`, i)), edges: [], findings: [] } });
    assert.equal(isExpanded(many(COLLAPSE_ABOVE)), true);
    assert.equal(isExpanded(many(COLLAPSE_ABOVE + 1)), false);
    assert.equal(isExpanded(many(COLLAPSE_ABOVE + 1), new Map([["ops.big", true]])), true);
    assert.equal(isExpanded(op("ops.plain", "plain", 1)), false);
  });

  it("nests boxes two levels deep, and says why a DAG is not drawn", () => {
    const leaf = op("ops.a/ops.b/ops.c", "c", 3);
    const two: PipelineGraph = {
      version: 1, isDag: true, edges: [], findings: [],
      nodes: [op("ops.a", "a", 1, { runKind: "dag", graph: { path: null, edges: [], findings: [], nodes: [op("ops.a/ops.b", "b", 2, { runKind: "dag", graph: { path: null, edges: [], findings: [], nodes: [leaf] } })] } })],
    };
    const placed = layoutGraph(two, measure);
    assert.deepEqual(placed.clusters.map((c) => [c.id, c.depth, c.parent]), [["ops.a", 0, undefined], ["ops.a/ops.b", 1, "ops.a"]]);
    const [outer, inner] = placed.clusters;
    assert.ok(inner.width < outer.width && inner.height < outer.height);
    assert.deepEqual(nodeLines(op("ops.x", "x", 1, { runKind: "dag", graphOmitted: "cycle" })), ["x", "inline component · dag", "nested DAG contains itself: not drawn again"]);
  });
});
