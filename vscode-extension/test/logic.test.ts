import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import {
  analysisSettings,
  Backoff,
  globToRegExp,
  isPolyaxonFileName,
  looksLikePolyaxonfile,
  matchesGlob,
  polyaxonKind,
  SNIFF_CHARS,
} from "../src/logic";

describe("file names", () => {
  it("recognises the built-in polyaxonfile patterns", () => {
    for (const file of [
      "/repo/polyaxonfile.yaml",
      "/repo/polyaxonfile.yml",
      "/repo/sub/polyaxonfile-train.yaml",
      "/repo/train.polyaxon.yml",
      "C:\\work\\jobs\\eval.polyaxon.yaml",
    ]) {
      assert.ok(isPolyaxonFileName(file), file);
    }
  });

  it("leaves other YAML files to content detection", () => {
    for (const file of ["/repo/train.yaml", "/repo/polyaxon.yaml", "/repo/polyaxonfile.json", "/x/.github/ci.yml"]) {
      assert.ok(!isPolyaxonFileName(file), file);
    }
  });

  it("adds the user's globs: bare names match anywhere, paths match below any folder", () => {
    assert.ok(isPolyaxonFileName("/repo/jobs/train.yaml", ["**/jobs/*.yaml"]));
    assert.ok(isPolyaxonFileName("/repo/jobs/train.yaml", ["jobs/*.yaml"]));
    assert.ok(isPolyaxonFileName("/repo/a/b/op-1.yml", ["op-*.{yaml,yml}"]));
    assert.ok(!isPolyaxonFileName("/repo/other/train.yaml", ["jobs/*.yaml"]));
    assert.ok(!isPolyaxonFileName("/repo/jobs/deep/train.yaml", ["jobs/*.yaml"]));
  });

  it("converts globs with **, *, ?, braces and classes", () => {
    assert.ok(globToRegExp("**/a?.y*ml").test("x/y/ab.yaml"));
    assert.ok(globToRegExp("**/a?.y*ml").test("ab.yml"));
    assert.ok(!globToRegExp("*.yaml").test("dir/x.yaml"));
    assert.ok(globToRegExp("[!x]*.yaml").test("a.yaml"));
    assert.ok(!globToRegExp("[!x]*.yaml").test("x.yaml"));
    assert.ok(globToRegExp("a+b(c).yaml").test("a+b(c).yaml"));
    assert.ok(!matchesGlob("/r/a.yaml", "  "));
  });
});

describe("content detection (the rule of param_lsp/core/detect.py)", () => {
  const cases = JSON.parse(readFileSync(join(__dirname, "..", "..", "tests", "data", "detect", "cases.json"), "utf8")) as {
    polyaxon: Record<string, [string, string]>;
    not_polyaxon: Record<string, string>;
  };

  for (const [name, [expected, text]] of Object.entries(cases.polyaxon)) {
    it(`finds ${name}`, () => assert.equal(polyaxonKind(text), expected));
  }
  for (const [name, text] of Object.entries(cases.not_polyaxon)) {
    it(`leaves ${name} alone`, () => assert.equal(polyaxonKind(text), undefined));
  }

  it("rejects other YAML, including indented look-alikes", () => {
    assert.ok(!looksLikePolyaxonfile("kind: Deployment\napiVersion: apps/v1\n"));
    assert.ok(!looksLikePolyaxonfile("jobs:\n  build:\n    run: make\n"));
    assert.ok(!looksLikePolyaxonfile("on: push\n  kind: operation\n"));
    assert.ok(!looksLikePolyaxonfile("kind: operations\n"));
    assert.ok(!looksLikePolyaxonfile("inputs:\n- name: lr\n"));
  });

  it("reads hostile lines in linear time", () => {
    for (const text of ["a" + " ".repeat(200_000) + "b\n", "run:\n  x" + " \t".repeat(100_000) + "\n", "component: {" + "run: {".repeat(40_000)]) {
      const started = Date.now();
      polyaxonKind(text);
      assert.ok(Date.now() - started < 500);
    }
  });

  it("sniffs only the head of big files", () => {
    const padding = "# filler\n".repeat(SNIFF_CHARS / 9 + 10);
    assert.ok(!looksLikePolyaxonfile(padding + "kind: operation\n"));
    assert.ok(looksLikePolyaxonfile("kind: operation\n" + padding));
  });
});

describe("restart back-off", () => {
  it("doubles the delay up to the cap, then gives up after too many crashes", () => {
    const backoff = new Backoff(500, 3000, 60_000, 5);
    const delays = [0, 1, 2, 3, 4].map((i) => backoff.nextDelay(i * 1000));
    assert.deepEqual(delays, [500, 1000, 2000, 3000, 3000]);
    assert.equal(backoff.nextDelay(5000), undefined);
  });

  it("forgets crashes outside the window and after a manual reset", () => {
    const backoff = new Backoff(500, 30_000, 60_000, 3);
    assert.equal(backoff.nextDelay(0), 500);
    assert.equal(backoff.nextDelay(1000), 1000);
    assert.equal(backoff.nextDelay(60_500), 1000); // the crash at 0 is forgotten, not the one at 1000
    assert.equal(backoff.recentCrashes, 2);
    backoff.reset();
    assert.equal(backoff.nextDelay(61_000), 500);
  });
});

describe("settings sent to the server", () => {
  it("drops unset values so the project configuration file keeps precedence", () => {
    assert.deepEqual(analysisSettings({ targetVersion: null, strictParams: null, severity: {}, hubMap: {}, debounceMs: 150 }), {
      debounceMs: 150,
    });
    assert.deepEqual(
      analysisSettings({ targetVersion: "2.16", strictParams: false, severity: { PLX303: "off" }, debounceMs: -1 }),
      { targetVersion: "2.16", strictParams: false, severity: { PLX303: "off" } },
    );
    assert.deepEqual(analysisSettings({ severity: { PLX303: 3 } }), {});
  });
});
