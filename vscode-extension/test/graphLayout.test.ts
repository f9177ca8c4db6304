import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { layoutGraph, nodeLines } from "../src/graph/layout";
import { PipelineGraph } from "../src/graph/model";

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
