#!/usr/bin/env python3
"""Build `pairs.json`: two-edit mutants of valid real polyaxonfiles, each edit rejected alone.

Run with the oracle's interpreter (Polyaxon 2.18.0 installed), from the repository root:

    /work/oracle-venv/bin/python tests/data/pairs/make_pairs.py ../shared/corpus/real \
        ../shared/tools/polyaxon_verdict.py ../shared/hub

Every file Polyaxon accepts completely (`oracle-verdicts.jsonl`, and `oracle-verdicts-hub.jsonl`
with the public hub snapshot) is a base. Each edit family below proposes one-line edits of a base
(found by the key path of the line, so an edit lands where it means something); the oracle judges
every single edit, and pairs of edits that Polyaxon rejects each alone are drawn with a fixed
seed (several families per file, at most a few pairs per file). The oracle then judges each
pair. Each edit keeps the dotted key path of the line it edits (`run.operations.name`), which
tells what it belongs to. Only the edits (exact `old` → `new` replacements) and the verdicts are
stored: the corpus is read, never copied (a scratch copy in a temporary folder keeps relative
`pathRef`s working).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

EXAMPLES_URL = "https://raw.githubusercontent.com/polyaxon/polyaxon-examples/master"
SEED = 17
PAIRS_PER_FILE = 6
CANDIDATES_PER_FAMILY = 3
#: Families whose edit leaves nothing else checkable (or nearly): drawn last.
WHOLE_FILE = frozenset({"kind", "top-level", "yaml-syntax"})

_KEY = re.compile(r"^(\s*)(- )?([A-Za-z_][\w.-]*)\s*:(.*)$")

Line = tuple[int, list[str], str, str]  # index, ancestor keys, key, rest after the colon


def walk(lines: list[str]) -> Iterator[Line]:
    """Each `key: rest` line with the keys above it (by indentation; list items count)."""
    stack: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        match = _KEY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        indent = len(match.group(1)) + (2 if match.group(2) else 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = match.group(3)
        yield index, [k for _, k in stack], key, match.group(4).strip()
        stack.append((indent, key))


def key_paths(lines: list[str]) -> list[str]:
    """For each line, the dotted key path of the last `key:` line at or above it."""
    found = {index: ".".join([*path, key]) for index, path, key, _rest in walk(lines)}
    paths, last = [], ""
    for index in range(len(lines)):
        last = found.get(index, last)
        paths.append(last)
    return paths


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _set_value(line: str, value: str) -> str:
    head = line[: line.index(":") + 1]
    return f"{head} {value}"


Edit = tuple[int, str]  # line index, new text for that line (may hold several lines)
Family = Callable[[list[str]], Iterator[Edit]]


def param_value(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if "params" not in path or any(k in path for k in ("inputs", "outputs", "joins")):
            continue
        if key == "value" and rest and not rest.startswith(("{{", "'{{", '"{{')):
            yield index, _set_value(lines[index], "{zz: [1]}")
            yield index, _set_value(lines[index], "not_a_number")
        elif path[-1] == "params" and rest.startswith("{value:") and "ref:" not in rest:
            yield index, _set_value(lines[index], "{value: {zz: [1]}}")


def unknown_param(lines: list[str]) -> Iterator[Edit]:
    for index, _path, key, rest in walk(lines):
        if key == "params" and not rest and index + 1 < len(lines):
            child = _indent(lines[index + 1]) or "  "
            yield index, f"{lines[index]}\n{child}zz_undeclared: {{value: 1}}"


def ref_target(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if key == "ref" and rest.startswith("ops."):
            yield index, _set_value(lines[index], "ops.zz_no_such_op")
        if key == "value" and "params" in path and re.match(r"^(outputs|inputs)\.\w", rest):
            yield index, _set_value(lines[index], f"{rest.split('.')[0]}.zz_missing")
        if "{{" in rest and "ops." in rest:
            yield index, re.sub(r"ops\.[\w-]+", "ops.zz_no_such_op", lines[index], count=1)


def matrix_fields(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if "matrix" not in path and key != "matrix":
            continue
        if key == "concurrency":
            yield index, _set_value(lines[index], "-2")
        elif key in ("numRuns", "maxIterations", "numInitialRuns", "eta", "resource"):
            yield index, _set_value(lines[index], "abc")
        elif key == "kind" and path[-1] == "matrix":
            yield index, _set_value(lines[index], "gridx")
        elif key == "kind" and rest in ("choice", "range", "linspace", "uniform", "logspace"):
            yield index, _set_value(lines[index], "zzkind")
        elif key == "value" and path[-1] != "matrix" and rest.startswith("["):
            yield index, _set_value(lines[index], "zz")
        elif key == "metric" and not rest:
            yield index, f"{lines[index]}\n{_indent(lines[index])}  zz: 1"


def joins_fields(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if "joins" not in path:
            continue
        if key in ("limit", "offset"):
            yield index, _set_value(lines[index], "abc")
        elif key == "query":
            yield index, _set_value(lines[index], "[a]")
        elif key == "sort":
            yield index, _set_value(lines[index], "{a: 1}")
        elif key == "value" and rest:
            yield index, _set_value(lines[index], "zz.no.such")


def run_patch(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, _rest in walk(lines):
        if path:
            continue
        if key in ("hubRef", "pathRef", "urlRef", "dagRef", "component"):
            yield index, f"runPatch:\n  zz_unknown: 1\n{lines[index]}"
        if key == "runPatch":
            yield index, f"{lines[index]}\n  kind: service"


def schedule(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, _rest in walk(lines):
        if path[-1:] != ["schedule"]:
            continue
        if key == "frequency":
            yield index, _set_value(lines[index], "1h")
        elif key == "cron":
            yield index, _set_value(lines[index], "5")
        elif key in ("startAt", "endAt"):
            yield index, _set_value(lines[index], "soon")
        elif key == "maxRuns":
            yield index, _set_value(lines[index], "abc")


def io_defaults(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if path[-1:] not in (["inputs"], ["outputs"]):
            continue
        if key == "value" and rest and "{{" not in rest:
            yield index, _set_value(lines[index], "{zz: [1]}")
        elif key == "type":
            yield index, _set_value(lines[index], "zz_type")
        elif key in ("isOptional", "isList", "isFlag"):
            yield index, _set_value(lines[index], "maybe")
        elif key == "name" and rest.startswith("{") is False and rest:
            yield index, f"{lines[index]}\n{_indent(lines[index])}  zz_field: 1"


def dag_ops(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if path[-1:] != ["operations"]:
            continue
        if key == "name" and rest and lines[index].lstrip().startswith("- "):
            yield index, lines[index].rstrip() + " x"
            yield index, _set_value(lines[index], "run x")
        elif key == "dependencies":
            yield index, _set_value(lines[index], "[zz_no_such_op]")
        elif key == "dagRef":
            yield index, _set_value(lines[index], "zz_missing")
        elif key in ("hubRef", "pathRef"):
            yield index, f"{lines[index]}\n{_indent(lines[index])}zz_field: 1"


def templates(lines: list[str]) -> Iterator[Edit]:
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        match = re.search(r"\{\{\s*([\w.]+)\s*\}\}", line)
        if match:
            name = match.group(1)
            yield index, line.replace(match.group(0), "{{ zz_unknown }}", 1)
            if "." in name:
                yield index, line.replace(match.group(0), "{{ " + name, 1)


def hub_ref(lines: list[str]) -> Iterator[Edit]:
    for index, _path, key, rest in walk(lines):
        if key == "hubRef" and rest:
            yield index, _set_value(lines[index], rest.split(":")[0] + "zz")


def kinds(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if key == "kind" and not path and rest in ("operation", "component"):
            yield index, _set_value(lines[index], "operaton")
        elif key == "kind" and path == ["run"]:
            yield index, _set_value(lines[index], "jobx")


def run_fields(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if not path or path[0] != "run" or "operations" in path:
            continue
        if key == "image" and rest:
            yield index, _set_value(lines[index], "[a]")
        elif key in ("command", "args") and rest:
            yield index, _set_value(lines[index], "{a: 1}")
        elif key == "environment" and not rest:
            yield index, f"{lines[index]}\n{_indent(lines[index])}  nodeSelector: [a]"
        elif key == "resources" and not rest:
            yield index, f"{lines[index]}\n{_indent(lines[index])}  zz_field: 1"
        elif key in ("replicas", "maxRetries", "timeout"):
            yield index, _set_value(lines[index], "abc")


def top_level(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if path:
            continue
        if key == "version":
            yield index, f"{lines[index]}\nzz_section: 1"
        elif key == "termination" and not rest:
            yield index, f"{lines[index]}\n  maxRetries: abc"
        elif key in ("isPreset", "isApproved", "cost"):
            yield index, _set_value(lines[index], "maybe")
        elif key == "tags" and rest:
            yield index, _set_value(lines[index], "{a: 1}")


def yaml_syntax(lines: list[str]) -> Iterator[Edit]:
    for index, path, key, rest in walk(lines):
        if key == "name" and rest and not path:
            yield index, _set_value(lines[index], "[unclosed")


FAMILIES: dict[str, Family] = {
    "param-value": param_value,
    "unknown-param": unknown_param,
    "ref-target": ref_target,
    "matrix": matrix_fields,
    "joins": joins_fields,
    "run-patch": run_patch,
    "schedule": schedule,
    "io-default": io_defaults,
    "dag-op": dag_ops,
    "template": templates,
    "hub-ref": hub_ref,
    "kind": kinds,
    "run-field": run_fields,
    "top-level": top_level,
    "yaml-syntax": yaml_syntax,
}


def as_replacement(lines: list[str], index: int, new: str) -> tuple[str, str] | None:
    """The edit as an exact `old` → `new` text replacement whose `old` occurs once."""
    text = "\n".join(lines) + "\n"
    for before in range(0, 4):
        start = index - before
        if start < 0:
            return None
        old = "\n".join(lines[start : index + 1]) + "\n"
        if text.count(old) == 1:
            prefix = "\n".join(lines[start:index])
            return old, (prefix + "\n" if prefix else "") + new + "\n"
    return None


def apply(text: str, edits: list[dict[str, str]]) -> str | None:
    for edit in edits:
        if text.count(edit["old"]) != 1:
            return None
        text = text.replace(edit["old"], edit["new"])
    return text


def judge(oracle: str, hub: str, scratch: Path, texts: dict[str, tuple[str, str]]) -> dict:
    """Polyaxon's verdict on each text, written beside its base in the scratch copy."""
    paths = []
    for key, (base, text) in texts.items():
        base_path = scratch / base
        path = base_path.with_name(f"zzmut-{key}{base_path.suffix}")
        path.write_text(text, encoding="utf-8")
        paths.append((key, path))
    verdicts: dict[str, dict] = {}
    for chunk in range(0, len(paths), 60):
        part = paths[chunk : chunk + 60]
        out = subprocess.run(
            [sys.executable, oracle, *(str(p) for _, p in part), "--hub-dir", hub,
             "--url-map", f"{EXAMPLES_URL}={scratch / 'examples'}"],
            check=False, capture_output=True, text=True,
        ).stdout  # fmt: skip
        rows = {json.loads(line)["file"]: json.loads(line) for line in out.splitlines() if line}
        for key, path in part:
            row = rows[str(path)]
            message = "\n".join(
                x for x in (row.get("message") or "").splitlines() if "further information" not in x
            ).replace(str(path), "FILE")
            verdicts[key] = {"ok": row["ok"], "stage": row.get("stage"), "message": message[:300]}
    for _, path in paths:
        path.unlink()
    return verdicts


def bases(corpus: Path) -> list[str]:
    found = []
    for name in ("oracle-verdicts.jsonl", "oracle-verdicts-hub.jsonl"):
        for line in (corpus / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["ok"] and row.get("complete", True):
                found.append(row["file"])
    return sorted(set(found))


def main(argv: list[str]) -> int:
    corpus, oracle, hub = Path(argv[0]).resolve(), argv[1], str(Path(argv[2]).resolve())
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "corpus"
        shutil.copytree(corpus, scratch)
        for path in scratch.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        singles: dict[str, dict] = {}
        for base in bases(corpus):
            lines = (corpus / base).read_text(encoding="utf-8").splitlines()
            paths = key_paths(lines)
            for family, propose in FAMILIES.items():
                found = []
                for index, new in propose(lines):
                    replacement = as_replacement(lines, index, new)
                    if replacement and (*replacement, paths[index]) not in found:
                        found.append((*replacement, paths[index]))
                rng.shuffle(found)
                for old, new, path in found[:CANDIDATES_PER_FAMILY]:
                    key = f"{len(singles):05d}"
                    singles[key] = {
                        "base": base,
                        "family": family,
                        "old": old,
                        "new": new,
                        "path": path,
                    }
        texts = {}
        for key, edit in singles.items():
            text = apply((corpus / edit["base"]).read_text(encoding="utf-8"), [edit])
            if text is not None:
                texts[key] = (edit["base"], text)
        print(f"{len(texts)} single edits", file=sys.stderr)
        single_verdicts = judge(oracle, hub, scratch, texts)
        rejected: dict[str, list[str]] = {}
        for key, verdict in single_verdicts.items():
            singles[key]["oracle"] = verdict
            if not verdict["ok"]:
                rejected.setdefault(singles[key]["base"], []).append(key)
        pairs = []
        for base in sorted(rejected):
            keys = rejected[base]
            candidates = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]]
            rng.shuffle(candidates)
            # Pairs of different families first, then the same family; edits that break the
            # whole file (its YAML, its kind, an unknown section) last.
            candidates.sort(
                key=lambda ab: (
                    singles[ab[0]]["family"] == singles[ab[1]]["family"],
                    sum(singles[k]["family"] in WHOLE_FILE for k in ab),
                )
            )
            chosen = 0
            text = (corpus / base).read_text(encoding="utf-8")
            for a, b in candidates:
                if chosen == PAIRS_PER_FILE:
                    break
                ea, eb = singles[a], singles[b]
                if ea["old"] in eb["old"] or eb["old"] in ea["old"]:
                    continue
                if text.find(ea["old"]) < text.find(eb["old"]) + len(eb["old"]) and text.find(
                    eb["old"]
                ) < text.find(ea["old"]) + len(ea["old"]):
                    continue  # overlapping
                if apply(text, [ea, eb]) is None:
                    continue
                pairs.append((base, a, b))
                chosen += 1
        pair_texts = {}
        for n, (base, a, b) in enumerate(pairs):
            edits = [singles[a], singles[b]]
            text = apply((corpus / base).read_text(encoding="utf-8"), edits)
            assert text is not None
            pair_texts[f"p{n:04d}"] = (base, text)
        print(f"{len(pairs)} pairs", file=sys.stderr)
        pair_verdicts = judge(oracle, hub, scratch, pair_texts)
    out = []
    for n, (base, a, b) in enumerate(pairs):
        edits = [singles[a], singles[b]]
        out.append(
            {
                "id": f"p{n:04d}-{edits[0]['family']}+{edits[1]['family']}",
                "base": base,
                "edits": [
                    {
                        "family": e["family"],
                        "path": e["path"],
                        "old": e["old"],
                        "new": e["new"],
                        "oracle": e["oracle"],
                    }
                    for e in edits
                ],
                "oracle": pair_verdicts[f"p{n:04d}"],
            }
        )
    target = Path(__file__).with_name("pairs.json")
    target.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out)} pairs written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
