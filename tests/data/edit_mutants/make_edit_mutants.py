#!/usr/bin/env python3
"""Build `edit_mutants.json`: single edits of real polyaxonfiles, as users make them, judged by
Polyaxon.

Run with the oracle's interpreter (Polyaxon 2.18.0 installed), from the repository root:

    /work/oracle-venv/bin/python tests/data/edit_mutants/make_edit_mutants.py \
        ../shared/corpus/real ../shared/tools/polyaxon_verdict.py ../shared/hub

Every file Polyaxon accepts completely (as in `tests/data/pairs/make_pairs.py`) is a base. Each
operator below proposes edits of a base, found by the key path of the lines it edits: a value of
another type (params, defaults, schema fields, hyper-parameters), a dropped, added, misspelt,
renamed or repeated key, a broken ref, an input's type, default, fields, options or validation,
a deleted section, an indentation slip that still parses, a DAG edit, a template naming nothing,
and style-only rewrites (flow style, CRLF, comments, non-ASCII text, quoting) that must not
change the verdict. A fixed seed per operator and file draws a few edits of each.
The oracle judges every mutant in batches (`--hub-dir` with the hub snapshot and `--url-map`
with the polyaxon-examples URLs mapped to the corpus' `examples/`, as the corpus verdicts were
made). Only the edits are stored: an exact `old` -> `new` replacement whose `old` occurs once in
the base (or the whole-file `transform` `crlf`), the lines of the mutated text that hold the
edit (`at`, 0-based, inclusive; for a deletion, from the parent key to the deletion point), the
dotted key path of the edited line and Polyaxon's verdict; the corpus is read, never copied (a
scratch copy in a temporary folder keeps relative `pathRef`s working).
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
from dataclasses import dataclass
from pathlib import Path

import yaml

EXAMPLES_URL = "https://raw.githubusercontent.com/polyaxon/polyaxon-examples/master"
SEED = 2018
PER_OPERATOR = 2  # edits drawn per operator and base file (three times that for FEW_SITES)
BATCH = 150  # files per oracle run

_KEY = re.compile(r"^(\s*)(- )?([A-Za-z_$][\w.$-]*)\s*:(?:\s+(.*)|\s*)$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
_PLAIN = re.compile(r"^[A-Za-z][\w./-]*$")
_BOOLS = ("yes", "no", "on", "off", "true", "false", "null", "y", "n")


@dataclass
class Line:
    index: int
    path: list[str]  # the keys above (list items count through their key)
    key: str
    rest: str  # the text after the colon, stripped
    indent: int  # column of the key
    item: bool  # the key opens a list item (`- key: ...`)


@dataclass
class Edit:
    start: int
    end: int  # lines[start:end] are replaced by `new`
    new: list[str]
    at: tuple[int, int]  # lines of the mutated text holding the edit
    path: str
    #: The lines of the mutated text the edit belongs to: the edited input/output or param, or
    #: for an indentation slip the parent and the lines that moved with the slipped key.
    scope: tuple[int, int] | None = None


def scan(lines: list[str]) -> list[Line]:
    """Each `key: rest` line outside block scalars and comments, with the keys above it."""
    stack: list[tuple[int, str]] = []
    found: list[Line] = []
    scalar_indent: int | None = None
    for index, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if scalar_indent is not None:
            if not stripped or indent > scalar_indent:
                continue
            scalar_indent = None
        match = _KEY.match(line)
        if not match or stripped.startswith("#"):
            continue
        column = len(match.group(1)) + (2 if match.group(2) else 0)
        while stack and stack[-1][0] >= column:
            stack.pop()
        rest = (match.group(4) or "").strip()
        found.append(
            Line(index, [k for _, k in stack], match.group(3), rest, column, bool(match.group(2)))
        )
        stack.append((column, match.group(3)))
        if _BLOCK_SCALAR.match(rest):
            scalar_indent = column
    return found


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def flow_end(lines: list[str], entry: Line) -> int:
    """The end (exclusive) of a flow collection that starts on `entry`'s line."""
    depth, end = 0, entry.index
    while end < len(lines):
        for char in lines[end] if end > entry.index else entry.rest:
            depth += (char in "[{") - (char in "]}")
        end += 1
        if depth <= 0:
            break
    return end


def block_end(lines: list[str], entry: Line) -> int:
    """The end (exclusive) of the lines that belong to `entry`'s key (its value's lines)."""
    if entry.rest.startswith(("[", "{")):
        return flow_end(lines, entry)
    end = entry.index + 1
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#"):
            column = indent_of(text)
            item_deeper = text.lstrip().startswith("- ") and column >= entry.indent
            if column <= entry.indent and not (item_deeper and not entry.item):
                break
        end += 1
    while end > entry.index + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def item_end(lines: list[str], entry: Line) -> int:
    """The end (exclusive) of the list item `entry` opens."""
    dash = entry.indent - 2
    end = entry.index + 1
    while end < len(lines):
        text = lines[end]
        if text.strip() and not text.lstrip().startswith("#") and indent_of(text) <= dash:
            break
        end += 1
    while end > entry.index + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def set_value(line: str, value: str) -> str:
    match = _KEY.match(line)
    assert match
    head = line[: match.end(3)]
    return f"{head}: {value}"


def parent(entries: list[Line], entry: Line) -> int:
    for other in reversed(entries):
        if other.index < entry.index and other.indent < entry.indent:
            return other.index
    return 0


def replace(entry: Line, new: str) -> Edit:
    return Edit(entry.index, entry.index + 1, [new], (entry.index, entry.index), dotted(entry))


def insert_after(entry: Line, lines: list[str], new: list[str], end: int | None = None) -> Edit:
    """New lines after `entry`'s line (or after line `end - 1`)."""
    stop = entry.index + 1 if end is None else end
    return Edit(
        stop - 1,
        stop,
        [lines[stop - 1], *new],
        (stop, stop + len(new) - 1),
        dotted(entry),
    )


def delete(entries: list[Line], entry: Line, end: int) -> Edit:
    up = parent(entries, entry)
    return Edit(entry.index, end, [], (up, entry.index), dotted(entry))


def dotted(entry: Line) -> str:
    return ".".join([*entry.path, entry.key])


def child_indent(lines: list[str], entry: Line) -> str:
    """The indentation of the first line below `entry` (the key's children)."""
    nxt = lines[entry.index + 1] if entry.index + 1 < len(lines) else ""
    return " " * (indent_of(nxt) if nxt.strip() else entry.indent + 2)


def in_params(entry: Line) -> bool:
    """A param's own key (`name:` directly under `params`) or a field of one."""
    if "params" not in entry.path:
        return False
    at = len(entry.path) - 1 - entry.path[::-1].index("params")
    return not {"inputs", "outputs", "joins", "matrix"} & set(entry.path[:at])


def param_name(entry: Line) -> bool:
    return bool(entry.path) and entry.path[-1] == "params" and in_params_parent(entry)


def in_params_parent(entry: Line) -> bool:
    return not {"inputs", "outputs", "joins", "matrix"} & set(entry.path[:-1])


def io_field(entry: Line) -> bool:
    return bool(entry.path) and entry.path[-1] in ("inputs", "outputs")


def io_names(entries: list[Line], entry: Line) -> list[Line]:
    return [
        e
        for e in entries
        if e.key == "name" and e.path == entry.path and e.item and e.indent == entry.indent
    ]


# Values a user might type, many of them YAML 1.1 surprises.
VALUES = [
    '"3"', "3", "0.5", "true", "[1, 2]", "{a: 1}", "null", "yes", "no", "1e3", "0x1F", "1_000",
    ".5", "~", "abc", "'1.0'", '""', "[]", "{}", "2018-01-01", "on", "-1",
]  # fmt: skip
TYPES = ["int", "float", "str", "bool", "dict", "list", "path", "uri", "image", "git", "zz_type"]
BAD_REFS = [
    "ops.zz_missing", "runs.not-a-uuid", "dag.x", "inputs.", "ops", "dag",
    "runs.3c6d8b0e2a4f4e0c9f1b2a3c4d5e6f70", "ops.{{ zz }}",
]  # fmt: skip
Rng = random.Random
Operator = Callable[[list[str], list[Line], Rng], Iterator[Edit]]


def param_type(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not in_params(e) or "{{" in e.rest:
            continue
        if e.key == "value" and len(e.path) >= 2 and e.path[-2] == "params" and e.rest:
            for value in rng.sample(VALUES, 3):
                yield replace(e, set_value(lines[e.index], value))
        elif param_name(e) and e.rest.startswith("{value:") and "ref:" not in e.rest:
            for value in rng.sample(VALUES, 2):
                yield replace(e, set_value(lines[e.index], "{value: " + value + "}"))


def param_drop(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A param deleted; its scope is the operation that lost it (a DAG op from its first line:
    missing params are reported on the op)."""
    for e in entries:
        if param_name(e):
            edit = delete(entries, e, block_end(lines, e))
            params = next(x for x in entries if x.index == parent(entries, e))
            op = [
                x
                for x in entries
                if x.item and x.indent == params.indent and x.index <= params.index
            ]
            if params.path[-1:] == ["operations"] and op:
                edit.scope = (op[-1].index, e.index)
            yield edit


def param_add(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if e.key == "params" and not e.rest and in_params_parent(e) and "matrix" not in e.path:
            pad = child_indent(lines, e)
            extra = rng.choice(
                [
                    "zz_extra: {value: 1}",
                    "zz_extra: {value: 1, contextOnly: true}",
                    "zz_extra: {value: 1, contextOnly: false}",
                    "zz_extra: {ref: ops.zz_missing, value: outputs.x}",
                ]
            )
            yield insert_after(e, lines, [pad + extra])


def misspell(word: str, rng: Rng) -> str:
    if len(word) < 3:
        return word + "x"
    i = rng.randrange(1, len(word) - 1)
    choice = rng.randrange(3)
    if choice == 0:
        return word[:i] + word[i + 1 :]
    if choice == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i].upper() + word[i + 1 :]


def param_misspell(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if param_name(e):
            wrong = misspell(e.key, rng)
            if wrong != e.key:
                yield replace(e, lines[e.index].replace(e.key + ":", wrong + ":", 1))


def param_ref(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not in_params(e) or len(e.path) < 2 or e.path[-2] != "params":
            continue
        if e.key == "ref" and e.rest:
            yield replace(e, set_value(lines[e.index], rng.choice(BAD_REFS)))
            yield Edit(e.index, e.index + 1, [], (parent(entries, e), e.index), dotted(e))
        elif e.key == "value" and e.rest and "{{" not in e.rest:
            pad = " " * e.indent
            ref = rng.choice(["dag", "ops.zz_missing", "runs.3c6d8b0e2a4f4e0c9f1b2a3c4d5e6f70"])
            yield insert_after(e, lines, [f"{pad}ref: {ref}"])
            key_start = lines[e.index].index("value:")
            yield replace(e, lines[e.index][:key_start] + "ref:" + lines[e.index][key_start + 6 :])


def param_flags(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not in_params(e) or len(e.path) < 2 or e.path[-2] != "params":
            continue
        if e.key in ("value", "ref"):
            pad = " " * e.indent
            flag = rng.choice(
                [
                    "contextOnly: true",
                    "contextOnly: yes",
                    "connection: zz-connection",
                    "toInit: true",
                    "toInit: maybe",
                    "toEnv: 'BAD NAME'",
                    "toEnv: GOOD_NAME",
                    "toEnv: 3",
                    "zz_field: 1",
                ]
            )
            yield insert_after(e, lines, [pad + flag], block_end(lines, e))


def io_type(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if io_field(e) and e.key == "type" and e.rest:
            for kind in rng.sample([t for t in TYPES if t != e.rest], 2):
                yield replace(e, set_value(lines[e.index], kind))


def io_optional(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not io_field(e):
            continue
        if e.key == "isOptional":
            other = "false" if e.rest.lower() in ("true", "yes") else "true"
            yield replace(e, set_value(lines[e.index], other))
            yield Edit(e.index, e.index + 1, [], (parent(entries, e), e.index), dotted(e))
        elif e.key == "name" and e.item:
            siblings = lines[e.index : item_end(lines, e)]
            if not any("isOptional" in s for s in siblings):
                pad = " " * e.indent
                yield insert_after(
                    e, lines, [pad + rng.choice(["isOptional: true", "isOptional: false"])]
                )


def io_value(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if io_field(e) and e.key == "value" and e.rest and "{{" not in e.rest:
            for value in rng.sample(VALUES, 2):
                yield replace(e, set_value(lines[e.index], value))
            yield Edit(e.index, e.index + 1, [], (parent(entries, e), e.index), dotted(e))


def io_constraints(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not (io_field(e) and e.key == "name" and e.item):
            continue
        siblings = {
            x.key: x.rest
            for x in entries
            if e.index <= x.index < item_end(lines, e) and x.indent == e.indent
        }
        pad = " " * e.indent
        default = siblings.get("value", "")
        choices = [
            "options: [zz_a, zz_b]",
            "validation: {gt: 1000000}",
            "validation: {le: 1000000}",
            "validation: {minLength: 1}",
            "validation: {regex: '^[a-z]+$'}",
            "validation: {zz: 1}",
            "options: zz",
        ]
        if default and not default.startswith(("{", "[", "|", ">")):
            choices += [f"options: [{default}]", f"options: [{default}, zz_other]"]
        yield insert_after(e, lines, [pad + rng.choice(choices)])


def io_name(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if not (io_field(e) and e.key == "name" and e.item and e.rest):
            continue
        names = [x.rest for x in io_names(entries, e) if x.rest != e.rest]
        if names:
            yield replace(e, set_value(lines[e.index], rng.choice(names)))
        yield replace(e, set_value(lines[e.index], misspell(e.rest, rng)))


SCHEMA_PARENTS = {
    "",
    "run",
    "container",
    "environment",
    "termination",
    "plugins",
    "schedule",
    "matrix",
    "resources",
    "cache",
    "hooks",
    "init",
    "sidecars",
    "operations",
    "components",
    "joins",
    "events",
    "connections",
    "inputs",
    "outputs",
    "build",
}


def key_misspell(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        where = e.path[-1] if e.path else ""
        if where in SCHEMA_PARENTS and not param_name(e):
            wrong = misspell(e.key, rng)
            yield replace(e, lines[e.index].replace(e.key + ":", wrong + ":", 1))


def owner_block(lines: list[str], entries: list[Line], entry: Line) -> tuple[int, int]:
    """The lines of the mapping `entry` belongs to: its parent key and the parent's block."""
    up = parent(entries, entry)
    owner = next((e for e in entries if e.index == up), None)
    return (up, block_end(lines, owner) - 1) if owner else (up, len(lines) - 1)


RUN_KINDS = ["job", "service", "dag", "jobs", "tfjob", "Job"]
MATRIX_KINDS = ["grid", "random", "bayes", "hyperband", "mapping", "grids"]
HP_KINDS = ["choice", "range", "uniform", "quniform", "linspace", "choices"]
HP_SOURCES = (
    "choice",
    "range",
    "linspace",
    "uniform",
    "logspace",
    "pchoice",
    "geomspace",
    "normal",
)


def kinds(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A `kind` changed; below the top level, `kind` says which fields its mapping has, so the
    edit's scope is that mapping."""
    for e in entries:
        if e.key != "kind" or not e.rest:
            continue
        if not e.path:
            choices = ["component", "operation", "Operation", "op"]
        elif e.path[-1] == "run":
            choices = RUN_KINDS
        elif e.path[-1] == "matrix":
            choices = MATRIX_KINDS
        elif e.rest in HP_SOURCES:
            choices = HP_KINDS
        else:
            continue
        edit = replace(e, set_value(lines[e.index], rng.choice(choices)))
        if e.path:
            edit.scope = owner_block(lines, entries, e)
        yield edit


def section_delete(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if e.key in (
            "run",
            "container",
            "inputs",
            "outputs",
            "params",
            "operations",
            "components",
            "matrix",
            "environment",
            "hubRef",
            "pathRef",
            "urlRef",
            "dagRef",
            "image",
            "kind",
            "name",
            "version",
            "joins",
            "dependencies",
            "termination",
            "type",
            "init",
            "value",
            "ref",
            "command",
        ):
            if e.item:
                continue  # the item's first key carries its dash
            yield delete(entries, e, block_end(lines, e))


def section_shape(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if e.item or e.key not in (
            "inputs",
            "outputs",
            "params",
            "operations",
            "components",
            "container",
            "environment",
            "run",
            "matrix",
            "joins",
            "termination",
            "init",
            "resources",
            "connections",
            "tags",
            "dependencies",
            "command",
            "args",
        ):
            continue
        end = block_end(lines, e)
        shape = rng.choice(["[]", "{}", "zz", "[zz]", "{zz: 1}", "null"])
        yield Edit(e.index, end, [set_value(lines[e.index], shape)], (e.index, e.index), dotted(e))


def indent_slip(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        if e.index == 0 or not e.path:
            continue
        line = lines[e.index]
        slipped = " " * rng.choice([1, 2, 4]) + line if rng.random() < 0.6 else line[2:]
        if line.startswith("  ") or slipped.startswith(" " * 3):
            edit = replace(e, slipped)
            edit.scope = (parent(entries, e), block_end(lines, e) - 1)
            yield edit


def dag_edit(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    ops = [e for e in entries if e.key == "name" and e.item and e.path[-1:] == ["operations"]]
    names = [o.rest for o in ops if o.rest]
    for e in entries:
        if e.path[-1:] == ["operations"] and e.key == "dependencies" and e.rest.startswith("["):
            yield replace(
                e,
                set_value(
                    lines[e.index],
                    rng.choice(["[zz_no_such_op]", "[]", "zz", f"[{e.rest[1:-1]}, zz_op]"]),
                ),
            )
        if e.key == "ref" and e.rest.startswith("ops.") and len(names) > 1:
            yield replace(e, set_value(lines[e.index], "ops." + rng.choice(names)))
    for op in ops:
        pad = " " * op.indent
        siblings = lines[op.index : item_end(lines, op)]
        has_deps = any(s.strip().startswith("dependencies:") for s in siblings)
        others = [n for n in names if n != op.rest]
        if not has_deps and others:
            yield insert_after(op, lines, [f"{pad}dependencies: [{rng.choice(others)}]"])
        if not has_deps:
            yield insert_after(op, lines, [f"{pad}dependencies: [{op.rest}]"])
        if others:
            yield replace(op, set_value(lines[op.index], rng.choice(others)))


def templates(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    for e in entries:
        match = re.search(r"\{\{\s*([\w.]+)\s*\}\}", lines[e.index])
        if match:
            name = match.group(1)
            new = rng.choice(
                [
                    "zz_unknown",
                    "inputs.zz",
                    "globals.zz",
                    "params.zz.value",
                    "ops.zz.outputs.x",
                    name + "x",
                    "globals.uuid",
                    "connections.zz",
                ]
            )
            yield replace(e, lines[e.index].replace(match.group(0), "{{ " + new + " }}", 1))
        elif e.key in ("args", "command") and e.rest.startswith("["):
            yield replace(e, lines[e.index].replace("[", '["{{ zz_unknown }}", ', 1))


def style_flow(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A block list item or a param as one flow mapping on one line."""
    for e in entries:
        if e.item and io_field(e) and e.key == "name":
            end = item_end(lines, e)
            fields = [x for x in entries if e.index <= x.index < end]
            if end - e.index != len(fields) or any(
                x.indent != e.indent
                or not x.rest
                or x.rest.startswith(("|", ">", "#", "&", "*"))
                or " #" in x.rest
                for x in fields
            ):
                continue
            body = ", ".join(f"{x.key}: {x.rest}" for x in fields)
            pad = " " * (e.indent - 2)
            yield Edit(e.index, end, [f"{pad}- {{{body}}}"], (e.index, e.index), dotted(e))
        elif param_name(e) and not e.rest:
            end = block_end(lines, e)
            fields = [x for x in entries if e.index < x.index < end]
            if (
                end - e.index - 1 != len(fields)
                or not fields
                or any(
                    not x.rest or x.rest.startswith(("|", ">", "#", "&", "*")) or " #" in x.rest
                    for x in fields
                )
            ):
                continue
            body = ", ".join(f"{x.key}: {x.rest}" for x in fields)
            yield Edit(
                e.index,
                end,
                [f"{lines[e.index].rstrip()} {{{body}}}"],
                (e.index, e.index),
                dotted(e),
            )


def style_text(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """Comments, non-ASCII descriptions and quoting: nothing Polyaxon reads changes."""
    for e in entries:
        line = lines[e.index]
        if e.rest and not e.rest.startswith(("|", ">")) and "#" not in e.rest:
            yield replace(e, line + rng.choice(["  # tuned by hand", "  # ß → ü, 学習率", " #"]))
        if e.key == "description" and e.rest and not e.rest.startswith(("|", ">")):
            yield replace(
                e,
                set_value(
                    line,
                    rng.choice(['"Entraînement — modèle ✓"', "学習を開始する", "'Ünïcödé text'"]),
                ),
            )
        plain = _PLAIN.match(e.rest) and e.rest.lower() not in _BOOLS
        if e.key in ("name", "image", "description", "hubRef", "dagRef") and plain:
            yield replace(e, set_value(line, rng.choice([f'"{e.rest}"', f"'{e.rest}'"])))
        if not e.path and e.key == "kind":
            yield insert_after(e, lines, ["# Ünïcödé comment: 学習 ✓"])


def field_value(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A scalar field of a Polyaxon section given a value of another type."""
    for e in entries:
        where = e.path[-1] if e.path else ""
        if where not in SCHEMA_PARENTS or param_name(e) or io_field(e) or e.key == "kind":
            continue
        if e.rest and not e.rest.startswith(("|", ">", "&", "*", "[", "{")) and "{{" not in e.rest:
            yield replace(e, set_value(lines[e.index], rng.choice(VALUES)))


HP_VALUES = [
    "0.1:0.01:5", "0:1:0", "[]", "[0.5, 0.6]", "{start: 1, stop: 0, num: 3}", "abc", "1:10",
    "[[0.9, a], [0.2, b]]", "{low: 0, high: 1}", "[1, 2, 3, 4]", "0.1:1:5:7", "{{ values }}",
]  # fmt: skip


def matrix_value(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A hyper-parameter's `value`, or a numeric field of the matrix, changed."""
    for e in entries:
        if "matrix" not in e.path or not e.rest:
            continue
        if e.key == "value" and "params" in e.path:
            value = rng.choice(HP_VALUES)
            yield replace(e, set_value(lines[e.index], f'"{value}"' if "{{" in value else value))
        elif e.path[-1] == "matrix" and e.key not in ("kind", "params"):
            yield replace(e, set_value(lines[e.index], rng.choice(VALUES)))


def io_flags(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field added to an input/output: list, flag, delayed validation, init, description."""
    for e in entries:
        if io_field(e) and e.key == "name" and e.item:
            flag = rng.choice(
                [
                    "isList: true",
                    "isList: false",
                    "isFlag: true",
                    "delayValidation: true",
                    "delayValidation: maybe",
                    "argFormat: '--x={{ x }}'",
                    "connection: zz",
                    "toInit: true",
                    "description: 3",
                    "zz_field: 1",
                ]
            )
            yield insert_after(e, lines, [" " * e.indent + flag])


def duplicate_key(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A one-line `key: value` written again below with another value (YAML keeps the last)."""
    for e in entries:
        one_line = block_end(lines, e) == e.index + 1
        if e.rest and not e.item and one_line and not e.rest.startswith(("|", ">", "&", "*")):
            head = lines[e.index][: lines[e.index].index(":")]
            yield insert_after(e, lines, [f"{head}: {rng.choice(VALUES)}"])


JOIN_EDITS = [
    (r'\{value: ("[^"]*")\}', r"\1"),  # the short form
    (r'\{value: ("[^"]*")\}', r"{value: \1, ref: ops.x}"),
    (r'\{value: ("[^"]*")\}', r"{value: \1, contextOnly: true}"),
    (r'\{value: ("[^"]*")\}', r"{value: 3}"),
    (r'\{value: ("[^"]*")\}', r'{value: "io.loss"}'),
    (r'\{value: ("[^"]*")\}', r'{value: "outputs"}'),
    (r'\{value: ("[^"]*")\}', r"{valeu: \1}"),
    (r"params: \{(\w+):", r"params: {\1x:"),
    (r'query: ("[^"]*")', r"query: [a]"),
    (r'query: ("[^"]*")', r"qurey: \1"),
    (r'query: ("[^"]*")', r"query: \1, limit: abc"),
    (r'query: ("[^"]*")', r"query: \1, limit: 5, offset: 2, sort: created_at"),
    (r'query: ("[^"]*")', r"query: \1, sort: {a: 1}"),
    (r"^(\s*)- \{.*\}$", r"\1- zz"),
]


def joins(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A join (written in flow style in the corpus) edited inside its line."""
    for e in entries:
        if e.key != "joins":
            continue
        for index in range(e.index + 1, block_end(lines, e)):
            for pattern, repl in JOIN_EDITS:
                new = re.sub(pattern, repl, lines[index], count=1)
                if new != lines[index]:
                    yield Edit(index, index + 1, [new], (index, index), dotted(e))


OPERATORS: dict[str, Operator] = {
    "param-type": param_type,
    "param-drop": param_drop,
    "param-add": param_add,
    "param-misspell": param_misspell,
    "param-ref": param_ref,
    "param-flags": param_flags,
    "io-type": io_type,
    "io-optional": io_optional,
    "io-value": io_value,
    "io-constraints": io_constraints,
    "io-name": io_name,
    "key-misspell": key_misspell,
    "kind": kinds,
    "section-delete": section_delete,
    "section-shape": section_shape,
    "indent-slip": indent_slip,
    "dag": dag_edit,
    "template": templates,
    "style-flow": style_flow,
    "style-text": style_text,
    "field-value": field_value,
    "matrix-value": matrix_value,
    "io-flags": io_flags,
    "duplicate-key": duplicate_key,
    "joins": joins,
}
#: Edits drawn per base file for the operators with few sites per file (params, IO, DAG).
FEW_SITES = ("param-", "io-", "dag", "style-flow", "matrix-value")


def as_replacement(lines: list[str], edit: Edit) -> tuple[str, str] | None:
    """The edit as an exact `old` -> `new` replacement whose `old` occurs once in the file."""
    text = "\n".join(lines) + "\n"
    for before in range(0, 6):
        start = edit.start - before
        if start < 0:
            return None
        old = "\n".join(lines[start : edit.end]) + "\n"
        if text.count(old) == 1 and (text.startswith(old) or text.count("\n" + old) == 1):
            kept = lines[start : edit.start]
            return old, "".join(line + "\n" for line in [*kept, *edit.new])
    return None


def parses(text: str) -> bool:
    try:
        return isinstance(yaml.safe_load(text), dict)
    except yaml.YAMLError:
        return False


def judge(oracle: str, hub: str, scratch: Path, texts: dict[str, tuple[str, str]]) -> dict:
    paths = []
    for key, (base, text) in texts.items():
        base_path = scratch / base
        path = base_path.with_name(f"zzedit-{key}{base_path.suffix}")
        path.write_bytes(text.encode("utf-8"))
        paths.append((key, path))
    verdicts: dict[str, dict] = {}
    pending = list(paths)
    while pending:
        part, pending = pending[:BATCH], pending[BATCH:]
        out = subprocess.run(
            [sys.executable, oracle, *(str(p) for _, p in part), "--hub-dir", hub,
             "--url-map", f"{EXAMPLES_URL}={scratch / 'examples'}"],
            check=False, capture_output=True, text=True,
        ).stdout  # fmt: skip
        rows = {json.loads(line)["file"]: json.loads(line) for line in out.splitlines() if line}
        for number, (key, path) in enumerate(part):
            row = rows.get(str(path))
            if row is None:
                # The oracle stopped at this file (a `kind` it cannot print): skip it, judge
                # the rest of the batch again.
                pending = part[number + 1 :] + pending
                break
            message = (
                "\n".join(
                    x
                    for x in (row.get("message") or "").splitlines()
                    if "further information" not in x
                )
                .replace(str(path), "FILE")
                .replace(str(scratch), "CORPUS")
            )
            verdicts[key] = {
                "ok": row["ok"],
                "stage": row.get("stage"),
                "kind": row.get("kind"),
                "message": message[:300],
            }
        print(f"judged {len(verdicts)}/{len(paths)}", file=sys.stderr)
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


def enclosing(lines: list[str], entries: list[Line], edit: Edit) -> tuple[int, int] | None:
    """The input/output item or the param the edit is in, in the mutated text's lines."""
    found = None
    for e in entries:
        if e.item and io_field(e) and e.key == "name":
            end = item_end(lines, e)
        elif param_name(e):
            end = block_end(lines, e)
        else:
            continue
        if e.index <= edit.start and edit.end <= end:
            found = (e.index, end - 1 + len(edit.new) - (edit.end - edit.start))
    return found if found and found[1] >= found[0] else None


def _draws(operator: str) -> int:
    if operator == "joins":
        return len(JOIN_EDITS) * 2  # one file has joins: all its edits
    return PER_OPERATOR * (3 if operator.startswith(FEW_SITES) else 1)


def drawn_edits(
    base: str,
    text: str,
    operators: dict[str, Operator],
    seed: int,
    draws: Callable[[str], int],
    keep: Callable[[str, str], bool],
) -> Iterator[tuple[str, Edit, str, str, list[str], list[Line]]]:
    """(operator, edit, old, new, lines, entries) for the edits each operator draws: with its
    own seeded generator (per base file), so that adding an operator leaves the other
    operators' mutants as they were; ``keep(operator, mutated text)`` filters them."""
    lines = text.splitlines()
    entries = scan(lines)
    for operator, propose in operators.items():
        rng = random.Random(f"{seed}:{base}:{operator}")
        seen: set[tuple[str, str]] = set()
        found = []
        for edit in propose(lines, entries, rng):
            replacement = as_replacement(lines, edit)
            if replacement is None or replacement in seen or replacement[0] == replacement[1]:
                continue
            if text.count(replacement[0]) != 1:
                continue
            if not keep(operator, text.replace(*replacement)):
                continue
            seen.add(replacement)
            found.append((edit, replacement))
        rng.shuffle(found)
        for edit, (old, new) in found[: draws(operator)]:
            yield operator, edit, old, new, lines, entries


def _kept(operator: str, mutated: str) -> bool:
    return operator != "indent-slip" or parses(mutated)  # a slip that still parses


def mutants_of(base: str, text: str) -> Iterator[dict]:
    for operator, edit, old, new, lines, entries in drawn_edits(
        base, text, OPERATORS, SEED, _draws, _kept
    ):
        scope = edit.scope or enclosing(lines, entries, edit)
        yield {
            "base": base,
            "operator": operator,
            "path": edit.path,
            "old": old,
            "new": new,
            "at": list(edit.at),
            "scope": list(scope) if scope else None,
        }
    if "\r" not in text:
        yield {
            "base": base,
            "operator": "style-crlf",
            "path": "",
            "transform": "crlf",
            "at": None,
            "scope": None,
        }


def apply(text: str, mutant: dict) -> str:
    if mutant.get("transform") == "crlf":
        return text.replace("\n", "\r\n")
    assert text.count(mutant["old"]) == 1
    return text.replace(mutant["old"], mutant["new"])


def main(argv: list[str]) -> int:
    corpus, oracle, hub = Path(argv[0]).resolve(), argv[1], str(Path(argv[2]).resolve())
    mutants: list[dict] = []
    for base in bases(corpus):
        text = (corpus / base).read_text(encoding="utf-8")
        mutants.extend(mutants_of(base, text))
    for number, mutant in enumerate(mutants):
        mutant["id"] = f"e{number:05d}-{mutant['operator']}"
    print(f"{len(mutants)} mutants", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "corpus"
        shutil.copytree(corpus, scratch)
        for path in scratch.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        texts = {
            m["id"]: (m["base"], apply((corpus / m["base"]).read_text(encoding="utf-8"), m))
            for m in mutants
        }
        verdicts = judge(oracle, hub, scratch, texts)
    out = []
    skipped = [m["id"] for m in mutants if m["id"] not in verdicts]
    print(f"{len(skipped)} mutants the oracle could not judge: {skipped}", file=sys.stderr)
    for mutant in mutants:
        if mutant["id"] not in verdicts:
            continue
        ordered = {"id": mutant["id"], **{k: v for k, v in mutant.items() if k != "id"}}
        ordered["oracle"] = verdicts[mutant["id"]]
        out.append(ordered)
    target = Path(__file__).with_name("edit_mutants.json")
    target.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(out)} mutants written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
