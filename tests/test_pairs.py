"""Two independent errors are both reported: two-edit mutants of the real corpus.

`tests/data/pairs/pairs.json` (made by `make_pairs.py` with Polyaxon 2.18.0) holds several
hundred pairs of one-line edits of valid real files; Polyaxon rejects each edit alone.
`pairs_2.json` (made by `edit_mutants/make_edit_mutants_2.py`) pairs the second round of edit
mutants: DAG and join edits and half-typed text, on the corpus and on hand-written bases.
`pairs_3.json` (`edit_mutants/make_edit_mutants_3.py`) pairs the third round's: other run and
matrix kinds, sections, IO and param types, YAML 1.1 retyping. In the
file with both edits, param-lsp must still report what it reports for each edit alone, unless the
other edit breaks something that edit's check truly depends on. Those dependent cases are named
below, each with the reason from Polyaxon's semantics; anything else is a miss.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from param_lsp.core.findings import Finding, Related, Severity
from param_lsp.core.workspace import Workspace
from param_lsp.engine.analyze import analyze
from param_lsp.rules.registry import RULES
from tests.corpus_support import corpus_dir, corpus_settings, edit_base_path, edit_base_root

CORPUS = corpus_dir()
#: `pairs.json` (one-line edits of `make_pairs.py`) and `pairs_2.json` (edits of the second
#: round of edit mutants, `edit_mutants/make_edit_mutants_2.py`, some on its hand-written bases).
PAIRS: list[dict[str, Any]] = [
    pair
    for name in ("pairs.json", "pairs_2.json", "pairs_3.json")
    for pair in json.loads(
        (Path(__file__).parent / "data" / "pairs" / name).read_text(encoding="utf-8")
    )
]
pytestmark = pytest.mark.skipif(
    not (CORPUS / "oracle-verdicts.jsonl").exists(), reason=f"corpus not found at {CORPUS}"
)

#: When one edit's error cannot be determined once the other edit's error exists.
DEPENDENT = {
    "yaml-syntax": "the other edit makes the YAML unreadable: Polyaxon stops at reading, and "
    "there is no document to check",
    "unsupported-kind": "the other edit makes the top-level `kind` unknown: `kind` says whether "
    "the operation or the component schema applies (Polyaxon's `get_specification`), so no "
    "section's contents can be judged; PLX101 carries a note saying so",
    "unknown-run-kind": "the other edit makes `run.kind` unknown and this edit is inside the run: "
    "the run's fields (containers, DAG ops and components, replicas...) are those of its kind "
    "(Polyaxon's discriminated run union); PLX114 carries a note saying so",
    "matrix-kind": "the other edit makes the matrix kind unknown and this edit is inside that "
    "matrix: each matrix kind has its own fields and allowed hyper-parameter kinds",
    "duplicate-key": "both edits write the same top-level key: YAML keeps the last one, so the "
    "first edit is no longer in the document Polyaxon reads",
    "same-hyper-parameter": "both edits are in the same matrix hyper-parameter: its `kind` says "
    "what its `value` must be",
    "no-run": "the other edit empties the file's component reference (`hubRef:` or `pathRef:` "
    "with no value yet) or makes it a number, a boolean or a list, so the file has no run: the "
    "params are checked against the referenced component's inputs and the `runPatch` against "
    "its run kind, and there is none",
    "same-item": "both edits are in the same param or the same input/output item: one broken "
    "field (a null `name`, a `ref` without `value`) hides the checks across its fields (Polyaxon "
    "validates the item's fields before the checks that combine them); or this edit's error is "
    "about a param (its value, an undeclared name) whose fields the other edit broke",
    "same-binding": "one edit is in a param and the other in the input it is passed to: one "
    "check reads both (the value against the input's type, list flag and validation) and "
    "reports once, on the param, with a note on the input",
    "same-edge": "the other edit broke the DAG edge this edit's check reads: the op its ref names "
    "or the output it reads is gone (renamed, misspelt), or the op's component is emptied, so "
    "there is no output or input type to compare; or the other edit removed the only use of "
    "the op this edit renamed, or the op this edit's param belongs to lost its component (an "
    "empty `dagRef`)",
    "other-kind": "the other edit changes the `kind` of the run, matrix, schedule or policy "
    "this edit is in (or of the run a `runPatch`, a root shortcut or `plugins.ssh`/`sandbox` is "
    "checked against) "
    "to another kind: that kind's model says which fields the section has and how they are "
    "read (Polyaxon validates the section as the new kind's model)",
    "preset": "the other edit makes the file a preset (`isPreset` set to a value Polyaxon "
    "takes as true): a preset is checked by its sections' schema only, as `polyaxon check "
    "--lint` checks it, never against a run",
    "explained": "the other edit broke the definition this edit's check reads (the same input, "
    "matrix hyper-parameter, component or reference): the error of the other edit carries a "
    "related-information note on this edit's line saying what waits for it (or naming the op "
    "this edit's error calls unknown: an op whose name is being typed may be that op)",
}


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    for edit in edits:
        assert text.count(edit["old"]) == 1, "base file changed"
        text = text.replace(edit["old"], edit["new"])
    return text


@cache
def _base_text(base: str) -> str:
    return edit_base_path(base).read_text(encoding="utf-8")


def _analyze(base: str, text: str) -> list[Finding]:
    path, root = edit_base_path(base), edit_base_root(base)
    return analyze(text, path, corpus_settings(CORPUS), Workspace(root=root)).findings


def _enforced(findings: list[Finding]) -> Counter[tuple[str, str]]:
    return Counter(
        (f.code, f.message)
        for f in findings
        if f.severity == Severity.ERROR and RULES[f.code].polyaxon_rejects
    )


def _edit_lines(text: str, edit: dict[str, Any]) -> range:
    start = text.index(edit["new"])
    first = text.count("\n", 0, start)
    return range(first, first + edit["new"].rstrip("\n").count("\n") + 1)


def _duplicate_top_key(text: str) -> bool:
    keys = re.findall(r"^([A-Za-z_]\w*)\s*:", text, flags=re.MULTILINE)
    return len(keys) != len(set(keys))


def _same_hyper_parameter(edit: dict[str, Any], other: dict[str, Any]) -> bool:
    path, other_path = edit["path"].split("."), other["path"].split(".")
    if "matrix" not in path or "params" not in path[path.index("matrix") :]:
        return False
    end = path.index("params", path.index("matrix")) + 2
    return len(path) >= end and path[:end] == other_path[:end]


_NO_RUN = r"has no run\.$|^runPatch requires a resolved runtime"
_EDGE_CODES = {"PLX406", "PLX407"}
_BROKEN_REFERENCE = {"PLX406", "PLX505", "PLX508", "PLX509"}


def _item_start(lines: list[str], index: int) -> int | None:
    """The first line of the list item (`- ...`) that holds line ``index``."""
    column = len(lines[index]) - len(lines[index].lstrip())
    for above in range(index, -1, -1):
        text = lines[above]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip())
        is_item = text.lstrip().startswith("- ") or text.strip() == "-"
        if is_item and (indent < column or above == index):
            return above
        if indent < column - 2:
            return None
    return None


def _same_item(
    text: str, lines: range, other_lines: range, edit: dict[str, Any], other: dict[str, Any]
) -> bool:
    path, other_path = edit["path"].split("."), other["path"].split(".")
    if "params" in path[:-1] and "params" in other_path[:-1]:
        at = path.index("params") + 2
        return path[:at] == other_path[: other_path.index("params") + 2]
    if not {"inputs", "outputs"} & set(path) or path[:-1] != other_path[:-1]:
        return False
    rows = text.split("\n")
    return _item_start(rows, lines.start) == _item_start(rows, other_lines.start) is not None


def _about_a_param_the_other_broke(alone: Counter[tuple[str, str]], other: dict[str, Any]) -> bool:
    """Every error of this edit is about a param (`Param `x` ...`) whose fields the other edit
    broke (a schema error in `params.x`): a broken param is not checked further."""
    names = {n for _code, message in alone for n in re.findall(r"^Param `([^`]+)`", message)}
    return len(names) == 1 and f"{other['path']}.".startswith(f"params.{next(iter(names))}.")


def _op_of_line(rows: list[str], index: int) -> str | None:
    """The name of the list item (`- name: X`) above line ``index`` with less indentation."""
    indent = len(rows[index]) - len(rows[index].lstrip())
    for above in range(index - 1, -1, -1):
        match = re.match(r"^(\s*)- name:\s*(\S+)", rows[above])
        if match and len(match.group(1)) < indent:
            return match.group(2)
    return None


def _same_edge(
    alone: Counter[tuple[str, str]],
    text: str,
    base: str,
    edit: dict[str, Any],
    other: dict[str, Any],
) -> bool:
    """This edit's errors are DAG edge checks (or an op renamed away) and the other edit broke
    the same edge: its own errors name the same param or op, or it removed the renamed op's
    only use."""
    codes = {code for code, _message in alone}
    if codes == {"PLX509"}:
        names = {
            m for _code, message in alone for m in re.findall(r"Unknown op `([^`]+)`", message)
        }
        return bool(names) and all(
            name in other["old"]
            and not re.search(
                rf"ops\.{re.escape(name)}\b|[\[ ,-] ?{re.escape(name)}\s*[\],\n]", text
            )
            for name in names
        )
    if not codes <= _EDGE_CODES:
        return False
    other_alone = _analyze(base, _apply(_base_text(base), [other]))
    other_errors = _enforced(other_alone)
    # The op whose params this edit's errors are on lost its component (an empty `dagRef`).
    this_text = _apply(_base_text(base), [edit])
    rows = this_text.split("\n")
    this_ops = {
        _op_of_line(rows, f.span.start.line)
        for f in _analyze(base, this_text)
        if (f.code, f.message) in alone
    }
    if any(
        f.code == "PLX508" and any(f"op `{op}`" in f.message for op in this_ops if op)
        for f in other_alone
    ):
        return True
    named = set()
    for _code, message in alone:
        named.update(re.findall(r"Param `([^`]+)`|`ops\.([^`.]+)`", message))
    names = {n for pair in named for n in pair if n}
    return any(
        code in _BROKEN_REFERENCE
        and any(f"`{name}`" in message or f"`ops.{name}`" in message for name in names)
        for code, message in other_errors
    )


def _kind_changed(edit: dict[str, Any], other: dict[str, Any]) -> bool:
    """The other edit changes a section's `kind` and this edit is in that section, or is a
    `runPatch` or plugin checked against the file's run kind."""
    path = other["path"].split(".")
    if len(path) < 2 or path[-1] != "kind" or not re.search(r"^\s*(- )?kind:", other["new"], re.M):
        return False
    owner = ".".join(path[:-1])
    if edit["path"].startswith(owner + "."):
        return True
    checked_against_run = re.match(r"(runPatch|plugins)\b", edit["path"]) or re.search(
        r"^(runPatch|plugins|ports|container|cmd|env|resources|init|sidecars):", edit["new"], re.M
    )
    return path[-2] == "run" and len(path) <= 3 and bool(checked_against_run)


def _same_binding(
    text: str, base: str, findings: list[Finding], lines: range, other_lines: range
) -> bool:
    """An error on the other edit's lines (a param) has a note in the input/output item this
    edit is in: the param and the input it is passed to are checked together."""
    rows = text.split("\n")
    item = _item_start(rows, lines.start)
    here = (None, str(edit_base_path(base)))
    return item is not None and any(
        related.path in here and _item_start(rows, related.span.start.line) == item
        for f in findings
        if f.severity == Severity.ERROR and f.span.start.line in other_lines
        for related in f.related
    )


def _explains(related: Related, lines: range, edit: dict[str, Any]) -> bool:
    """A note on another error covers the edited lines (or points at a name on the last edited
    line: what the edit added there), names the edited param or says that the params of its op
    wait."""
    if related.path is not None:
        return False
    if related.span.start.line <= lines.start and lines.stop - 1 <= related.span.end.line:
        return True
    if related.span.start.line == related.span.end.line == lines.stop - 1:
        return True
    path = edit["path"].split(".")
    name = path[path.index("params") + 1] if "params" in path[:-1] else None
    if name is not None and f"param `{name}` " in related.message:
        return True
    # a note on the `params` of the op the edited param belongs to: they all wait
    return (
        name is not None
        and related.message.startswith("the params of op ")
        and related.span.start.line <= lines.start
    )


def _waits_on_a_note(alone: Counter[tuple[str, str]], findings: list[Finding]) -> bool:
    """Each op name this edit's errors call unknown is named by a note of another error as
    waiting for it (an op whose name is being typed may be that op)."""
    names = {m for _code, message in alone for m in re.findall(r"Unknown op `([^`]+)`", message)}
    notes = [related.message for f in findings for related in f.related]
    return bool(names) and all(
        any(f"`{name}` is not checked until" in note for note in notes) for name in names
    )


def classify(pair: dict[str, Any]) -> list[str]:
    """For each edit: "reported", "not-rejected-alone" (param-lsp accepts the edit alone), a
    key of `DEPENDENT`, or "miss"."""
    base = pair["base"]
    base_errors = _enforced(_analyze(base, _base_text(base)))
    text = _apply(_base_text(base), pair["edits"])
    findings = _analyze(base, text)
    errors = _enforced(findings)
    new_errors = errors - base_errors
    result = []
    for index, edit in enumerate(pair["edits"]):
        other = pair["edits"][1 - index]
        alone = _enforced(_analyze(base, _apply(_base_text(base), [edit]))) - base_errors
        lines = _edit_lines(text, edit)
        if not alone:
            result.append("not-rejected-alone")
        elif any(key in errors for key in alone) or any(
            f.span.start.line in lines
            and (f.code, f.message) in new_errors
            and f.severity == Severity.ERROR
            for f in findings
        ):
            result.append("reported")
        elif other["oracle"]["stage"] == "read":
            result.append("yaml-syntax")
        elif "is not a supported value" in other["oracle"]["message"]:
            result.append("unsupported-kind")
        elif "Unsupported run.kind" in other["oracle"]["message"] and re.match(
            r"(component\.)?run\b", edit["path"]
        ):
            result.append("unknown-run-kind")
        elif (
            "found using 'kind'" in other["oracle"]["message"]
            and "matrix" in other["path"]
            and other["path"].split("matrix")[0] == edit["path"].split("matrix")[0]
            and "matrix" in edit["path"]
        ):
            result.append("matrix-kind")
        elif _duplicate_top_key(text):
            result.append("duplicate-key")
        elif _same_hyper_parameter(edit, other):
            result.append("same-hyper-parameter")
        elif any(_explains(related, lines, edit) for f in findings for related in f.related) or (
            _waits_on_a_note(alone, findings)
        ):
            result.append("explained")
        elif (
            re.search(_NO_RUN, other["oracle"]["message"])
            or other["path"] in ("hubRef", "pathRef", "urlRef")
        ) and re.match(r"(params|runPatch)\b", edit["path"]):
            result.append("no-run")
        elif _kind_changed(edit, other):
            result.append("other-kind")
        elif other["path"] == "kind" and re.search(r"^isPreset: ", other["new"], re.M):
            result.append("preset")
        elif _same_item(text, lines, _edit_lines(text, other), edit, other) or (
            _about_a_param_the_other_broke(alone, other)
        ):
            result.append("same-item")
        elif _same_binding(text, base, findings, lines, _edit_lines(text, other)):
            result.append("same-binding")
        elif _same_edge(alone, text, base, edit, other):
            result.append("same-edge")
        else:
            result.append("miss")
    return result


@cache
def _classified() -> list[tuple[str, list[str]]]:
    return [(pair["id"], classify(pair)) for pair in PAIRS]


def test_the_pairs_cover_many_files_and_edit_families() -> None:
    assert len(PAIRS) >= 500
    assert len({pair["base"] for pair in PAIRS}) >= 100
    families = Counter(edit["family"] for pair in PAIRS for edit in pair["edits"])
    assert len(families) >= 10
    # Polyaxon rejects each edit alone and the pair.
    assert all(not edit["oracle"]["ok"] for pair in PAIRS for edit in pair["edits"])
    assert all(not pair["oracle"]["ok"] for pair in PAIRS)


def test_every_edit_rejected_alone_is_reported_beside_an_independent_one() -> None:
    misses = [
        (ident, edit["family"], edit["new"].strip()[-60:])
        for (ident, verdicts), pair in zip(_classified(), PAIRS, strict=True)
        for verdict, edit in zip(verdicts, pair["edits"], strict=True)
        if verdict == "miss"
    ]
    assert not misses, f"{len(misses)} errors missed beside another: {misses[:10]}"


def test_dependent_categories_are_the_documented_ones() -> None:
    seen = Counter(verdict for _ident, verdicts in _classified() for verdict in verdicts)
    assert set(seen) <= {"reported", "not-rejected-alone", "miss", *DEPENDENT}
    # param-lsp rejects every edit alone, as Polyaxon does, and most edits are independent.
    assert seen["not-rejected-alone"] == 0
    assert seen["reported"] > 0.75 * sum(seen.values())


def test_unknown_kinds_say_what_they_leave_unchecked() -> None:
    for pair in PAIRS:
        messages = [edit["oracle"]["message"] for edit in pair["edits"]]
        if not any(
            "is not a supported value" in m or "Unsupported run.kind" in m for m in messages
        ) or any(edit["oracle"]["stage"] == "read" for edit in pair["edits"]):
            continue
        text = _apply(_base_text(pair["base"]), pair["edits"])
        findings = [f for f in _analyze(pair["base"], text) if f.code in ("PLX101", "PLX114")]
        assert findings, pair["id"]
        assert all("not checked until `kind` is fixed" in f.related[0].message for f in findings)


def test_the_third_round_pairs_come_from_its_operators() -> None:
    """`pairs_3.json`: pairs of the third round's edits (other run and matrix kinds, sections,
    IO and param types, YAML 1.1 retyping), each rejected alone, none unreadable YAML."""
    third = [pair for pair in PAIRS if pair["id"].startswith("r")]
    assert len(third) >= 1000
    families = Counter(edit["family"] for pair in third for edit in pair["edits"])
    assert {"run-kind", "field-insert", "run-fields", "yaml-retype", "io-typed"} <= set(families)
    assert all(edit["oracle"]["stage"] != "read" for pair in third for edit in pair["edits"])


def test_the_second_round_pairs_come_from_its_operators() -> None:
    """`pairs_2.json`: pairs of the second round's edits (DAG and join edits, half-typed text),
    each rejected alone, none that leaves the YAML unreadable."""
    second = [pair for pair in PAIRS if pair["id"].startswith("q")]
    assert len(second) >= 150
    families = Counter(edit["family"] for pair in second for edit in pair["edits"])
    assert {"half-typed", "join-edits", "dag-rename-op", "dag-dependencies"} <= set(families)
    assert all(edit["oracle"]["stage"] != "read" for pair in second for edit in pair["edits"])
