#!/usr/bin/env python3
"""Build `mutants.json`: one- and two-edit mutants of valid real polyaxonfiles, judged by Polyaxon.

Run with the oracle's interpreter (Polyaxon 2.18.0 installed):

    /work/oracle-venv/bin/python tests/data/mutants/make_mutants.py ../shared/corpus/real \
        ../shared/tools/polyaxon_verdict.py ../shared/hub [PYTHON_WITH_POLYAXON_2_16_4]

With the optional fourth argument (an interpreter where `polyaxon==2.16.4` and
`kubernetes<37` are installed), each mutant also gets Polyaxon 2.16.4's verdict.

Each mutant applies exact text replacements (each `old` occurs once in the base file) to a file
of the real corpus (Apache-2.0, sources in the corpus' SOURCES.md; the corpus is read, never
copied: only the edits are stored). The oracle judges the mutant, and every edit of a two-edit
mutant alone, with the public hub snapshot (`--hub-dir`) and the polyaxon-examples URLs mapped to
the corpus' `examples/` (`--url-map`), as `oracle-verdicts-hub.jsonl` was made. `expect` is the
rule code that names Polyaxon's cause for each edit, chosen by reading the oracle's message;
the test also requires each finding on the edited line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

EXAMPLES_URL = "https://raw.githubusercontent.com/polyaxon/polyaxon-examples/master"
DAG = "cli-fixtures/pipelines/simple_dag_pipeline.yml"
CRON = "cli-fixtures/pipelines/simple_cron_pipeline.yml"
INTERVAL = "cli-fixtures/pipelines/simple_recurrent_pipeline.yml"
PATCH = "cli-fixtures/plain/simple_job_run_patch.yml"
INIT = "cli-fixtures/plain/job_file_with_init.yml"
MATRIX = "cli-fixtures/typing/matrix_job_required_inputs_file.yml"
KANIKO = "docs/integrations/containers/kaniko/block003-L84.yaml"
TFJOB = "examples/in_cluster/kubeflow/tfjob/operation.yaml"

#: (id, family, base, [(old, new, expected code)], note)
# fmt: off
SPEC: list[tuple[str, str, str, list[tuple[str, str, str]], str]] = [
    # ---- no false "has no run"
    ("dag-op-name", "no-run", DAG, [("- name: job2\n", "- name: run x\n", "PLX115")],
     "a DAG op name with a space: PLX115, and no PLX905 beside it"),
    ("dag-component-io-default", "no-run", DAG,
     [("value: 0.1\n", "value: abc\n", "PLX202")], "a broken DAG component: no PLX905"),
    ("dag-op-matrix-range-order", "no-run", "cli-fixtures/pipelines/matrix_file.yml",
     [("kind: linspace\n            value: 0.01:0.1:5",
       "kind: range\n            value: [10, 1, 1]", "PLX712")],
     "a matrix range in the wrong order in a DAG op: PLX712 and no PLX905"),
    ("inline-run-bad-key", "no-run", PATCH, [("    kind: job\n", "    kind: job\n    foo: 1\n",
                                              "PLX110")], "unknown key in the inline run"),
    ("empty-hub-ref", "no-run", KANIKO, [("hubRef: kaniko", 'hubRef: ""', "PLX905")],
     'hubRef: "" is no reference: the file has no run'),
    ("empty-url-ref", "no-run", TFJOB,
     [("urlRef: https://raw.githubusercontent.com/polyaxon/polyaxon-examples/master/in_cluster/"
       "kubeflow/tfjob/component.yaml", "urlRef: ''", "PLX905")],
     "an empty urlRef is no reference: the file has no run"),
    # ---- runPatch against the run kind
    ("run-patch-kind", "run-patch", PATCH, [("runPatch:\n", "runPatch:\n  kind: service\n",
                                             "PLX131")], "a job patched as a service"),
    ("run-patch-unknown-key", "run-patch", PATCH,
     [("runPatch:\n", "runPatch:\n  replicas: 2\n", "PLX110")], "replicas is not a V1Job field"),
    ("run-patch-container-key", "run-patch", PATCH,
     [("runPatch:\n", "runPatch:\n  container:\n    imagee: foo\n", "PLX110")],
     "a misspelt container key"),
    ("run-patch-git-no-url", "run-patch", PATCH,
     [("runPatch:\n", "runPatch:\n  init:\n  - git: {revision: main}\n", "PLX119")],
     "a git init without url or connection"),
    ("run-patch-node-selector", "run-patch", PATCH,
     [("  environment:\n    annotations:",
       "  environment:\n    nodeSelector: [a]\n    annotations:", "PLX111")],
     "nodeSelector must be a mapping"),
    ("run-patch-dag-container", "run-patch", CRON,
     [("schedule:\n", "runPatch:\n  container: [{image: x}]\nschedule:\n", "PLX110")],
     "a DAG has no container"),
    ("run-patch-hub-environment", "run-patch", KANIKO,
     [("hubRef: kaniko", "hubRef: kaniko\nrunPatch:\n  environment: abc", "PLX111")],
     "the public hub's kaniko is a job: its environment must be a mapping"),
    ("dag-op-run-patch", "run-patch", DAG,
     [("- name: job1\n", "- name: job1\n      runPatch: {kind: service}\n", "PLX131")],
     "a DAG op's runPatch is checked against its component's run kind"),
    # ---- schedules
    ("interval-frequency-abc", "schedule", INTERVAL,
     [("frequency: 120", "frequency: abc", "PLX130")], "not a duration"),
    ("interval-frequency-1h", "schedule", INTERVAL,
     [("frequency: 120", "frequency: 1h", "PLX130")], "`1h` is not a pydantic duration"),
    ("interval-frequency-hms", "schedule", INTERVAL,
     [("frequency: 120", 'frequency: "01:00:00"', "")], "HH:MM:SS is a duration"),
    ("interval-start-at-bad", "schedule", INTERVAL,
     [('startAt: "2019-06-24T21:20:07+00:00"', 'startAt: "2019-06-24 25:00"', "PLX130")],
     "hour out of range"),
    ("interval-start-at-date", "schedule", INTERVAL,
     [('startAt: "2019-06-24T21:20:07+00:00"', "startAt: 2019-06-24", "")],
     "a bare date is a date-time"),
    ("cron-end-at-word", "schedule", CRON,
     [("cron: 0 0 * * *", "cron: 0 0 * * *\n  endAt: tomorrow", "PLX130")], "not a date-time"),
    ("cron-not-string", "schedule", CRON, [("cron: 0 0 * * *", "cron: 5", "PLX111")],
     "cron is a string"),
    ("cron-any-text", "schedule", CRON, [("cron: 0 0 * * *", "cron: every day", "")],
     "Polyaxon does not parse cron expressions"),
    # ---- docker images
    ("dockerfile-image-space", "image", INIT,
     [("      image: test\n", "      image: bad image\n", "PLX130")], "a space in the image"),
    ("dockerfile-image-colons", "image", INIT,
     [("      image: test\n", "      image: a:b:c:d\n", "PLX130")], "too many colons"),
    ("dockerfile-image-port", "image", INIT,
     [("      image: test\n", "      image: host:5000/org/img:1\n", "")], "a registry port"),
    # ---- public hub
    ("hub-kaniko-missing-tag", "hub", KANIKO, [("hubRef: kaniko", "hubRef: kaniko:9.9", "PLX904")],
     "a tag the snapshot lacks: note only"),
    ("hub-kaniko-bool", "hub", KANIKO,
     [("  context:\n", "  cache:\n    value: maybe\n  context:\n", "PLX302")],
     "kaniko's cache is a bool"),
    ("hub-kaniko-unknown-param", "hub", KANIKO,
     [("  context:\n", "  cach:\n    value: true\n  context:\n", "PLX303")],
     "close to kaniko's cache: warning with did-you-mean, Polyaxon accepts"),
    ("hub-misspelt-name", "hub", KANIKO, [("hubRef: kaniko", "hubRef: kanik", "PLX907")],
     "not a hub name: did-you-mean (Polyaxon offline cannot tell)"),
    # ---- url-map
    ("url-map-param-type", "url-map", TFJOB, [("epochs: {value: 1}", "epochs: {value: one}",
                                               "PLX302")], "checked through the url-map"),
    # ---- two independent edits: both reported
    ("two-dag-component-and-op", "independent", DAG,
     [("value: 0.1\n", "value: abc\n", "PLX202"),
      ('bucket: {value: "s3://bar"}', "bucket: {value: 5}", "PLX302")],
     "a broken component does not hide a wrong s3 param of an op using another one"),
    ("two-op-name-and-param", "independent", DAG,
     [("- name: job2\n", "- name: run x\n", "PLX115"),
      ("lr : {value: 0.001}", "lr : {value: abc}", "PLX302")],
     "a bad op name does not hide another op's params"),
    ("two-matrix-and-param", "independent", MATRIX,
     [("concurrency: 2", "concurrency: -2", "PLX704"),
      ("component:\n", "params:\n  lr: {value: abc}\ncomponent:\n", "PLX302")],
     "a matrix error does not hide a wrong param value"),
    ("two-schedule-and-run-patch", "independent", CRON,
     [("cron: 0 0 * * *", "cron: 0 0 * * *\n  startAt: soon", "PLX130"),
      ("schedule:\n", "runPatch:\n  container: {image: x}\nschedule:\n", "PLX110")],
     "a schedule error and a runPatch error"),
    ("two-hub-param-and-schedule", "independent", KANIKO,
     [("  context:\n", "  cache:\n    value: maybe\n  context:\n", "PLX302"),
      ("hubRef: kaniko", "hubRef: kaniko\nschedule:\n  kind: interval\n  frequency: 1h", "PLX130")],
     "a hub param error and a schedule error"),
    ("two-url-map-and-run-patch", "independent", TFJOB,
     [("epochs: {value: 1}", "epochs: {value: one}", "PLX302"),
      ("urlRef:", "runPatch:\n  kind: job\nurlRef:", "PLX131")],
     "a param through the url-map and a runPatch of the tfjob"),
    ("two-no-run-op-name-and-component", "no-run", DAG,
     [("- name: job2\n", "- name: run x\n", "PLX115"),
      ("value: 0.1\n", "value: abc\n", "PLX202")],
     "two schema errors in the run: both, and no PLX905"),
    ("two-empty-hub-ref-and-schedule", "no-run", KANIKO,
     [("hubRef: kaniko", 'hubRef: ""', "PLX905"),
      ("params:\n", "schedule: {kind: interval, frequency: 1h}\nparams:\n", "PLX130")],
     "an empty hubRef (no run) and a schedule error"),
    ("two-run-patch-and-op-run-patch", "run-patch", DAG,
     [("- name: job1\n", "- name: job1\n      runPatch: {replicas: 2}\n", "PLX110"),
      ("run:\n  kind: dag\n", "run:\n  kind: dag\n  foo: 1\n", "PLX110")],
     "an op's runPatch and an unknown key of the DAG"),
    ("two-images", "image", INIT,
     [("      image: test\n", "      image: bad image\n", "PLX130"),
      ("labels: {key: value}", "labels: [a]", "PLX111")],
     "a bad dockerfile image and environment labels that are not a mapping"),
    ("two-hub-param-and-run-patch", "hub", KANIKO,
     [("  context:\n", "  cache:\n    value: maybe\n  context:\n", "PLX302"),
      ("hubRef: kaniko", "hubRef: kaniko\nrunPatch:\n  environment: abc", "PLX111")],
     "kaniko's params and its runPatch (a job)"),
    ("two-url-map-params", "url-map", TFJOB,
     [("epochs: {value: 1}", "epochs: {value: one}", "PLX302"),
      ("optimizer: {value: sgd}", "optimizer: {value: sgd}\n  dropout: {value: high}",
       "PLX302")],
     "two params of the mapped component"),
    ("two-schedule-values", "schedule", INTERVAL,
     [("frequency: 120", "frequency: 1h", "PLX130"),
      ('startAt: "2019-06-24T21:20:07+00:00"', "startAt: soon", "PLX130")],
     "frequency and startAt"),
]
# fmt: on


def apply(text: str, edits: list[tuple[str, str, str]]) -> str:
    for old, new, _code in edits:
        if text.count(old) != 1:
            raise SystemExit(f"edit {old!r} does not occur exactly once")
        text = text.replace(old, new)
    return text


def verdict(
    oracle: str, hub: str, corpus: Path, text: str, name: str, python: str = sys.executable
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        out = subprocess.run(
            [python, oracle, str(path), "--hub-dir", hub,
             "--url-map", f"{EXAMPLES_URL}={corpus / 'examples'}"],
            check=False, capture_output=True, text=True,
        ).stdout  # fmt: skip
    row = json.loads(out.strip().splitlines()[-1])
    keep = ("ok", "stage", "error_type", "complete", "polyaxon")
    result = {key: row.get(key) for key in keep}
    lines = (row.get("message") or "").splitlines()
    result["message"] = "\n".join(x for x in lines if "For further information" not in x)[:1000]
    return result


def main(argv: list[str]) -> int:
    corpus, oracle, hub = Path(argv[0]), argv[1], argv[2]
    python_216 = argv[3] if len(argv) > 3 else None  # an interpreter with polyaxon==2.16.4
    out = []
    for ident, family, base, edits, note in SPEC:
        text = (corpus / base).read_text(encoding="utf-8")
        name = Path(base).name
        entry: dict[str, object] = {
            "id": ident,
            "family": family,
            "base": base,
            "note": note,
            "edits": [{"old": old, "new": new, "expect": code} for old, new, code in edits],
            "oracle": verdict(oracle, hub, corpus, apply(text, edits), name),
        }
        if python_216 is not None:
            entry["oracle_216"] = verdict(
                oracle, hub, corpus, apply(text, edits), name, python=python_216
            )
        if len(edits) > 1:
            entry["oracle_each"] = [
                verdict(oracle, hub, corpus, apply(text, [edit]), name) for edit in edits
            ]
        out.append(entry)
        message = str(entry["oracle"]["message"])[:150].replace("\n", " ")
        print(ident, entry["oracle"]["ok"], message)
    target = Path(__file__).with_name("mutants.json")
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
