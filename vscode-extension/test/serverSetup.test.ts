import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  Candidate,
  declaresPolyaxonKind,
  parseIdentity,
  probeProblem,
  serverCandidates,
  serverInfoProblem,
  versionArgs,
} from "../src/serverSetup";

const onPath = (known: Record<string, string>) => (name: string) => known[name];
const SCRIPT = "/ext/bundled/tool/server.py";

describe("server candidates", () => {
  it("uses a configured command alone, never falling through to another program", () => {
    const which = onPath({ "/v/bin/param-lsp": "/v/bin/param-lsp", python3: "/usr/bin/python3", "param-lsp": "/usr/bin/param-lsp" });
    const found = serverCandidates({ command: ["/v/bin/param-lsp", "serve"], pythonPath: "", bundledScript: SCRIPT }, which);
    assert.deepEqual(found.candidates, [{ command: "/v/bin/param-lsp", args: ["serve"], origin: "paramLsp.server.command", bundled: false }]);
    const missing = serverCandidates({ command: ["/missing/param-lsp", "serve"], pythonPath: "", bundledScript: SCRIPT }, which);
    assert.deepEqual(missing.candidates, []);
    assert.deepEqual(missing.missing, ["`/missing/param-lsp` (paramLsp.server.command) was not found"]);
  });

  it("runs the bundled server with the Python extension's interpreter first, then python3/python, then param-lsp", () => {
    const which = onPath({ "/venv/bin/python": "/venv/bin/python", python3: "/usr/bin/python3", python: "/usr/bin/python3", "param-lsp": "/usr/local/bin/param-lsp" });
    const found = serverCandidates({ command: [], pythonPath: "", selectedInterpreter: "/venv/bin/python", bundledScript: SCRIPT }, which);
    assert.deepEqual(
      found.candidates.map((c) => [c.command, c.args, c.bundled]),
      [
        ["/venv/bin/python", ["-I", SCRIPT, "serve"], true],
        ["/usr/bin/python3", ["-I", SCRIPT, "serve"], true], // `python` is the same file: tried once
        ["/usr/local/bin/param-lsp", ["serve"], false],
      ],
    );
    assert.match(found.candidates[0].origin, /the Python extension's interpreter/);
  });

  it("uses the configured interpreter alone for the bundled server", () => {
    const which = onPath({ "/opt/py/bin/python3.12": "/opt/py/bin/python3.12", python3: "/usr/bin/python3" });
    const found = serverCandidates({ command: [], pythonPath: "/opt/py/bin/python3.12", selectedInterpreter: "/venv/bin/python", bundledScript: SCRIPT }, which);
    assert.deepEqual(found.candidates.map((c) => c.command), ["/opt/py/bin/python3.12"]);
    const missing = serverCandidates({ command: [], pythonPath: "/nope/python", bundledScript: SCRIPT }, which);
    assert.deepEqual(missing.missing, ["the interpreter `/nope/python` (paramLsp.server.pythonPath) was not found"]);
  });

  it("without a bundled server: the interpreter's installed module, else param-lsp on PATH", () => {
    const which = onPath({ "/v/bin/python": "/v/bin/python", "param-lsp": "/usr/bin/param-lsp" });
    assert.deepEqual(serverCandidates({ command: [], pythonPath: "/v/bin/python" }, which).candidates[0].args, ["-m", "param_lsp", "serve"]);
    assert.deepEqual(serverCandidates({ command: [], pythonPath: "" }, which).candidates, [
      { command: "/usr/bin/param-lsp", args: ["serve"], origin: "PATH", bundled: false },
    ]);
    assert.deepEqual(serverCandidates({ command: [], pythonPath: "" }, onPath({})).missing, ["`param-lsp` was not found on PATH"]);
  });
});

describe("server identity", () => {
  const path: Candidate = { command: "/usr/bin/param-lsp", args: ["serve"], origin: "PATH", bundled: false };
  const bundled: Candidate = { command: "/usr/bin/python3", args: ["-I", SCRIPT, "serve"], origin: "the bundled server run by /usr/bin/python3 (PATH)", bundled: true };

  it("asks for --version instead of serve", () => {
    assert.deepEqual(versionArgs(path), ["--version"]);
    assert.deepEqual(versionArgs(bundled), ["-I", SCRIPT, "--version"]);
  });

  it("accepts only polyaxon-param-lsp's own version line", () => {
    assert.equal(parseIdentity("polyaxon-param-lsp 0.1.0\n"), "0.1.0");
    assert.equal(parseIdentity("param-lsp 0.0.1b23\n"), undefined);
    assert.equal(parseIdentity("polyaxon-param-lsp\n"), undefined);
    assert.equal(probeProblem(path, { exitCode: 0, stdout: "polyaxon-param-lsp 0.1.0\n", stderr: "" }), undefined);
  });

  it("says exactly that another program answers to the command", () => {
    const problem = probeProblem(path, { exitCode: 0, stdout: "param-lsp 0.0.1b23\n", stderr: "" });
    assert.equal(
      problem,
      '`/usr/bin/param-lsp --version` (PATH) is a different program: it printed "param-lsp 0.0.1b23", where polyaxon-param-lsp prints "polyaxon-param-lsp <version>" — probably the package index\'s other `param-lsp` (HoloViz Param\'s language server), which installs a command of the same name',
    );
    assert.match(probeProblem(path, { exitCode: 0, stdout: "something 1.0", stderr: "" }) ?? "", /is a different program: it printed "something 1.0"/);
  });

  it("explains failures: exit codes, old interpreters, programs that cannot run", () => {
    assert.equal(
      probeProblem(path, { exitCode: 2, stdout: "", stderr: "usage: x\nx: error: unrecognized arguments: --version\n" }),
      "`/usr/bin/param-lsp --version` (PATH) failed with exit code 2: x: error: unrecognized arguments: --version; it is not a working polyaxon-param-lsp",
    );
    assert.equal(
      probeProblem(bundled, { exitCode: 3, stdout: "", stderr: "polyaxon-param-lsp needs Python 3.11 or newer; /usr/bin/python3 is Python 3.9\n" }),
      "polyaxon-param-lsp needs Python 3.11 or newer; /usr/bin/python3 is Python 3.9 (the bundled server run by /usr/bin/python3 (PATH))",
    );
    assert.match(probeProblem(path, { error: "spawn EACCES", stdout: "", stderr: "" }) ?? "", /could not be run: spawn EACCES/);
  });

  it("checks serverInfo after initialize", () => {
    assert.equal(serverInfoProblem(path, { name: "polyaxon-param-lsp", version: "0.1.0" }), undefined);
    assert.equal(
      serverInfoProblem(path, { name: "param-lsp", version: "0.0.1b23" }),
      '`/usr/bin/param-lsp serve` (PATH) started "param-lsp 0.0.1b23", not polyaxon-param-lsp; stopped it',
    );
    assert.match(serverInfoProblem(path, undefined) ?? "", /started a server without serverInfo/);
  });
});

describe("polyaxonfile by declaration", () => {
  it("needs a top-level kind: operation or component", () => {
    assert.ok(declaresPolyaxonKind("version: 1.1\nkind: operation\n"));
    assert.ok(declaresPolyaxonKind("kind: 'component'  # a template\n"));
    assert.ok(!declaresPolyaxonKind("kind: Deployment\n"));
    assert.ok(!declaresPolyaxonKind("run:\n  kind: job\n"));
    assert.ok(!declaresPolyaxonKind("params:\n  lr: 0.1\n"));
    assert.ok(!declaresPolyaxonKind("kind: operational\n"));
    assert.ok(!declaresPolyaxonKind("x".repeat(100) + "\nkind: operation\n", 50));
  });
});
