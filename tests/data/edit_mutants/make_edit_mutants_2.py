#!/usr/bin/env python3
"""Build `edit_mutants_2.json` and `../pairs/pairs_2.json`: a second round of edits of real
polyaxonfiles judged by Polyaxon (style rewrites flow -> block, mixed styles, comments, quoted
keys, CRLF with a real mistake, DAG and join edits, half-typed text), and two-edit mutants drawn
from this round's rejected edits.

Run with the oracle's interpreter (Polyaxon 2.18.0 installed), from the repository root, after
`make_edit_mutants.py` (the CRLF operator re-uses its rejected edits):

    /work/oracle-venv/bin/python tests/data/edit_mutants/make_edit_mutants_2.py \
        ../shared/corpus/real ../shared/tools/polyaxon_verdict.py ../shared/hub

The bases are the first round's (every file of the corpus Polyaxon accepts completely) and the
small hand-written files of `bases/` (DAGs and joins in block and flow style, since the corpus
has few of them; their names start with `_bases/`). Conventions are the first round's: a fixed
seed per operator and base, only the edits stored (`old` -> `new`, occurring once in the base),
the lines holding the edit (`at`), the input/output or param it is in (`scope`) and, for an
edit whose error Polyaxon reports where the edited name is used (a renamed op or output, a
changed output type, a new dependency that closes a cycle), those lines (`uses`). The corpus is
read, never copied. A style rewrite is kept only when the YAML it gives loads to the same data.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))

from make_edit_mutants import (
    _KEY,
    JOIN_EDITS,
    Edit,
    Line,
    Rng,
    bases,
    block_end,
    dotted,
    drawn_edits,
    enclosing,
    insert_after,
    io_field,
    item_end,
    judge,
    parent,
    replace,
    set_value,
    style_flow,
)

SEED = 2026
PER_OPERATOR = 3
PAIRS_PER_BASE = 8
HERE = Path(__file__).parent
LOCAL = "_bases/"


def loads(text: str) -> object:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def split_flow(body: str) -> list[str] | None:
    """The top-level items of a flow collection's body (without its brackets), or None when the
    body holds something this simple splitter does not follow (quotes with brackets, comments)."""
    items, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(body):
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "#":
            return None
        elif char == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    if quote or depth:
        return None
    items.append(body[start:].strip())
    return [x for x in items if x]


_FLOW_LINE = re.compile(r"^(\s*)(- )?(?:([\w.$-]+):\s*)?([\[{])(.*)([\]}])\s*$")


def style_block(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A flow mapping or list written on one line, rewritten in block style."""
    del rng
    for e in entries:
        match = _FLOW_LINE.match(lines[e.index])
        if not match:
            continue
        pad, dash, key, opening, body, closing = match.groups()
        if {opening, closing} not in ({"[", "]"}, {"{", "}"}) or "{{" in body:
            continue
        items = split_flow(body)
        if not items:
            continue
        if key:
            inner = " " * (len(pad) + (2 if dash else 0) + 2)
            head = [f"{pad}{dash or ''}{key}:"]
        else:
            inner = " " * (len(pad) + 2)
            head = []
        if opening == "{":
            pairs = [item.split(":", 1) for item in items]
            if any(len(p) != 2 for p in pairs):
                continue
            body_lines = [f"{k.strip()}: {v.strip()}" for k, v in pairs]
        else:
            body_lines = [f"- {item}" for item in items]
        if head:
            new = [*head, *(inner + x for x in body_lines)]
        else:  # `- {a: 1, b: 2}` -> `- a: 1` / `  b: 2`
            if opening != "{":
                continue
            new = [f"{pad}- {body_lines[0]}", *(inner + x for x in body_lines[1:])]
        yield Edit(e.index, e.index + 1, new, (e.index, e.index + len(new) - 1), dotted(e))


def style_mixed(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """One part of the file rewritten in flow style and another, below, in block style."""
    flows = list(style_flow(lines, entries, rng))
    blocks = list(style_block(lines, entries, rng))
    for first in flows:
        for second in blocks:
            if second.start < first.end:
                continue
            new = [*first.new, *lines[first.end : second.start], *second.new]
            yield Edit(
                first.start, second.end, new, (first.start, first.start + len(new) - 1), first.path
            )


COMMENTS = ["# note", "#", "# TODO: tune: {a: 1}", "# - name: not-a-key", "#: ü ✓"]


def style_comment(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """Comment lines between keys (at the key's indentation, at column 0 or at an odd column)
    and comments at the end of a `key:` line that opens a block, or of a list item line."""
    for e in entries:
        if e.index == 0:
            continue
        pad = rng.choice([" " * e.indent, "", " " * (e.indent + 3)])
        edit = Edit(
            e.index,
            e.index + 1,
            [pad + rng.choice(COMMENTS), lines[e.index]],
            (e.index, e.index + 1),
            dotted(e),
        )
        yield edit
        if (
            (not e.rest or e.item)
            and "#" not in lines[e.index]
            and not e.rest.startswith(("|", ">"))
        ):
            yield replace(e, lines[e.index].rstrip() + rng.choice(["  # ", " #x", "\t# t"]))


def _key_start(line: str) -> int:
    match = _KEY.match(line)
    assert match
    return match.start(3)


def style_quoted_key(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A key written in quotes (`"name":`, `'type':`)."""
    for e in entries:
        line = lines[e.index]
        start = _key_start(line)
        quote = rng.choice(['"', "'"])
        yield replace(e, f"{line[:start]}{quote}{e.key}{quote}{line[start + len(e.key) :]}")


def half_typed(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """Text as it stands while a user types: a key with no value yet, an unfinished `ref: ops.`
    or `outputs.`, an unclosed flow collection, quote or template, a new key without its colon,
    a lone dash."""
    for e in entries:
        line = lines[e.index]
        one_line = block_end(lines, e) == e.index + 1
        scalar = e.rest and one_line and not e.rest.startswith(("|", ">", "&", "*", "#"))
        if scalar and e.key in (
            "type", "value", "name", "ref", "image", "kind", "dagRef", "hubRef", "pathRef",
            "version", "query", "isOptional",
        ):  # fmt: skip
            yield replace(e, line[: _key_start(line) + len(e.key)] + ":")
        if e.key == "ref" and e.rest.startswith("ops."):
            yield replace(e, set_value(line, rng.choice(["ops.", "ops", "op", "ops.t"])))
        if e.key == "value" and re.match(r"^(outputs|inputs|globals)\.\w", e.rest):
            yield replace(e, set_value(line, e.rest.split(".")[0] + "."))
        if e.rest.startswith(("{", "[")) and e.rest.rstrip().endswith(("}", "]")) and one_line:
            yield replace(e, line.rstrip()[:-1].rstrip())
        if e.rest.startswith('"') and e.rest.endswith('"') and len(e.rest) > 2:
            yield replace(e, line.rstrip()[:-1])
        if "{{" in line and "}}" in line:
            yield replace(e, line.replace("}}", "", 1))
        if e.path and not e.item:
            pad = " " * e.indent
            word = rng.choice(["ty", "isOpt", "dependencies", "params", "ref: ops.", "- "])
            yield insert_after(e, lines, [pad + word], block_end(lines, e))
        if e.item and io_field(e) and e.key == "name":
            yield insert_after(
                e, lines, [" " * (e.indent - 2) + rng.choice(["-", "- ", "- name:", "- {name: x"])],
                item_end(lines, e),
            )  # fmt: skip


def _ops(entries: list[Line]) -> list[Line]:
    return [e for e in entries if e.key == "name" and e.item and e.path[-1:] == ["operations"]]


def _op_span(lines: list[str], entries: list[Line], op: Line) -> tuple[int, int]:
    return op.index, item_end(lines, op)


def _naming(lines: list[str], entries: list[Line], name: str, after: Line) -> list[list[int]]:
    """The lines that name op `name` (refs, dependencies, events), as ranges."""
    found = []
    for index, line in enumerate(lines):
        if index == after.index:
            continue
        if re.search(rf"ops\.{re.escape(name)}\b", line) or re.match(
            rf"^\s*(dependencies:.*[\[ ,]{re.escape(name)}[\],]|- {re.escape(name)}\s*$)", line
        ):
            found.append([index, index])
    return found


def _with_uses(edit: Edit, uses: list[list[int]]) -> Edit:
    edit.uses = uses  # type: ignore[attr-defined]
    return edit


def dag_rename_op(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """An op renamed while refs and dependencies still name it (or a ref's op misspelt)."""
    ops = _ops(entries)
    for op in ops:
        if not op.rest:
            continue
        uses = _naming(lines, entries, op.rest, op)
        if uses:
            new = rng.choice([op.rest + "2", op.rest[:-1], op.rest.capitalize(), "zz-" + op.rest])
            if new != op.rest:
                yield _with_uses(replace(op, set_value(lines[op.index], new)), uses)
    for e in entries:
        if e.key == "ref" and e.rest.startswith("ops.") and len(e.rest) > 5:
            name = e.rest[4:]
            yield replace(e, set_value(lines[e.index], "ops." + name[:-1] + name[-1].upper()))


def _outputs(entries: list[Line]) -> list[Line]:
    return [e for e in entries if e.item and e.key == "name" and e.path[-1:] == ["outputs"]]


def _output_uses(lines: list[str], name: str) -> list[list[int]]:
    pattern = re.compile(rf"outputs\.{re.escape(name)}\b")
    return [[i, i] for i, line in enumerate(lines) if pattern.search(line)]


def dag_output_rename(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """An output of a component renamed (or a param's `value: outputs.x` misspelt) where an op
    of the DAG reads it."""
    for out in _outputs(entries):
        uses = _output_uses(lines, out.rest) if out.rest else []
        if uses:
            yield _with_uses(
                replace(out, set_value(lines[out.index], rng.choice([out.rest + "s", "result"]))),
                uses,
            )
    for index, line in enumerate(lines):
        match = re.search(r"(?<![\w.])outputs\.(\w+)", line)
        if match and ("ref:" in line or "value:" in line) and "{{" not in line:
            new = line.replace(match.group(0), "outputs." + match.group(1) + "_", 1)
            entry = next((e for e in entries if e.index == index), None)
            if entry is not None:
                yield replace(entry, new)


EDGE_TYPES = ["int", "str", "bool", "float", "path", "dict", "list", "uri", "image"]


def dag_edge_type(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """The type of an output read by an op's param, or of the input it feeds, changed."""
    outputs = {o.rest: o for o in _outputs(entries) if o.rest}
    for name, out in outputs.items():
        uses = _output_uses(lines, name)
        if not uses:
            continue
        for e in entries:
            same_item = e.path == out.path and e.indent == out.indent
            if e.key == "type" and same_item and out.index < e.index < item_end(lines, out):
                kind = rng.choice([t for t in EDGE_TYPES if t != e.rest])
                yield _with_uses(replace(e, set_value(lines[e.index], kind)), uses)
        # an inline `{name: x, type: t}`
        match = re.search(r"\{name: " + re.escape(name) + r", type: (\w+)", lines[out.index])
        if match:
            kind = rng.choice([t for t in EDGE_TYPES if t != match.group(1)])
            new = lines[out.index].replace(match.group(0), f"{{name: {name}, type: {kind}", 1)
            yield _with_uses(replace(out, new), uses)
    # the input an op's `ref: ops.X` param feeds (in the DAG's components)
    fed: dict[str, list[list[int]]] = {}
    for e in entries:
        if e.key == "ref" and e.rest.startswith("ops.") and len(e.path) >= 2:
            up = next(x for x in entries if x.index == parent(entries, e))
            fed.setdefault(e.path[-1], []).append([up.index, e.index])
        elif "ref: ops." in e.rest and e.rest.startswith("{"):
            fed.setdefault(e.key, []).append([e.index, e.index])
    for e in entries:
        if not (e.item and e.key == "name" and e.path[-1:] == ["inputs"] and e.rest in fed):
            continue
        for t in entries:
            same_item = t.path == e.path and t.indent == e.indent
            if t.key == "type" and same_item and e.index < t.index < item_end(lines, e):
                kind = rng.choice([k for k in EDGE_TYPES if k != t.rest])
                yield _with_uses(replace(t, set_value(lines[t.index], kind)), fed[e.rest])
        match = re.search(r"\{name: " + re.escape(e.rest) + r", type: (\w+)", lines[e.index])
        if match:
            kind = rng.choice([k for k in EDGE_TYPES if k != match.group(1)])
            new = lines[e.index].replace(match.group(0), f"{{name: {e.rest}, type: {kind}", 1)
            yield _with_uses(replace(e, new), fed[e.rest])
    # the same for flow-style outputs lists: `outputs: [{name: loss, type: float}, ...]`
    for e in entries:
        if e.key == "outputs" and e.rest.startswith("["):
            for match in re.finditer(r"\{name: (\w+), type: (\w+)", e.rest):
                uses = _output_uses(lines, match.group(1))
                if uses:
                    kind = rng.choice([t for t in EDGE_TYPES if t != match.group(2)])
                    new = lines[e.index].replace(
                        match.group(0), f"{{name: {match.group(1)}, type: {kind}", 1
                    )
                    yield _with_uses(replace(e, new), uses)


def dag_dependencies(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """`dependencies` naming a missing op, or closing a cycle (an upstream op made to depend on
    an op that reads it)."""
    ops = _ops(entries)
    names = [o.rest for o in ops if o.rest]
    for op in ops:
        start, end = _op_span(lines, entries, op)
        deps = next((e for e in entries if start < e.index < end and e.key == "dependencies"), None)
        pad = " " * op.indent
        readers = [
            o.rest
            for o in ops
            if o is not op
            and any(
                re.search(rf"ops\.{re.escape(op.rest)}\b|[\[ ,]{re.escape(op.rest)}[\],]", x)
                or x.strip() == f"- {op.rest}"
                for x in lines[o.index : item_end(lines, o)]
            )
        ]
        missing = rng.choice(["zz_missing", op.rest + "x", "Train"])
        if deps is None:
            yield insert_after(op, lines, [f"{pad}dependencies: [{missing}]"])
            for reader in readers:
                uses = [[o.index, item_end(lines, o) - 1] for o in ops if o.rest == reader]
                yield _with_uses(insert_after(op, lines, [f"{pad}dependencies: [{reader}]"]), uses)
        elif deps.rest.startswith("["):
            yield replace(deps, set_value(lines[deps.index], f"[{missing}]"))
            if names and op.rest in names:
                yield replace(deps, set_value(lines[deps.index], f"[{op.rest}]"))
        else:
            first = deps.index + 1
            if first < len(lines) and lines[first].strip().startswith("- "):
                item = lines[first]
                yield Edit(
                    first, first + 1, [item[: item.index("- ") + 2] + missing], (first, first),
                    dotted(deps),
                )  # fmt: skip


JOIN_BLOCK_EDITS = [
    (r"^(\s*)query: .*$", r"\1query: [a]"),
    (r"^(\s*)query: .*$", r"\1query:"),
    (r"^(\s*)limit: .*$", r"\1limit: abc"),
    (r"^(\s*)limit: .*$", r"\1limit: -1"),
    (r"^(\s*)offset: .*$", r"\1offset: '2'"),
    (r"^(\s*)sort: .*$", r"\1sort: {a: 1}"),
    (r"^(\s*)value: (outputs|globals|artifacts)\..*$", r"\1value: 3"),
    (r"^(\s*)value: (outputs|globals|artifacts)\..*$", r"\1value: outputs"),
    (r"^(\s*)value: (outputs|globals|artifacts)\..*$", r"\1value: io.loss"),
    (r"^(\s*)value: (outputs|globals|artifacts)\.(.*)$", r"\1value: \2.\3\n\1ref: ops.x"),
    (r"^(\s*)contextOnly: true$", r"\1contextOnly: maybe"),
    (r"^(\s*)(\w+):$", r"\1\2: {}"),
    (r"^(\s*)- query: ", r"\1- qurey: "),
]


def join_edits(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A join edited in block or flow style (the corpus has one file with joins, in flow style;
    the hand-written bases add joins written both ways)."""
    del rng
    for e in entries:
        if e.key != "joins":
            continue
        for index in range(e.index + 1, block_end(lines, e)):
            for pattern, repl in [*JOIN_EDITS, *JOIN_BLOCK_EDITS]:
                new = re.sub(pattern, repl, lines[index], count=1)
                if new != lines[index]:
                    yield Edit(
                        index, index + 1, new.split("\n"), (index, index + new.count("\n")),
                        dotted(e),
                    )  # fmt: skip


OPERATORS = {
    "style-block": style_block,
    "style-mixed": style_mixed,
    "style-comment": style_comment,
    "style-quoted-key": style_quoted_key,
    "half-typed": half_typed,
    "dag-rename-op": dag_rename_op,
    "dag-output-rename": dag_output_rename,
    "dag-edge-type": dag_edge_type,
    "dag-dependencies": dag_dependencies,
    "join-edits": join_edits,
}
#: Operators whose edits exist only in a few files: every file's edits are drawn more often.
RARE = ("dag-", "join-")
#: Style rewrites must load to the same data.
STYLE = ("style-",)


def draws(operator: str) -> int:
    if operator == "join-edits":
        return 40
    if operator.startswith(RARE):
        return PER_OPERATOR * 4
    if operator == "half-typed":
        return PER_OPERATOR * 2
    return PER_OPERATOR


def mutants_of(base: str, text: str) -> Iterator[dict]:
    data = loads(text)

    def keep(operator: str, mutated: str) -> bool:
        # a style rewrite must not change what Polyaxon reads
        return not operator.startswith(STYLE) or loads(mutated) == data

    for operator, edit, old, new, lines, entries in drawn_edits(
        base, text, OPERATORS, SEED, draws, keep
    ):
        scope = edit.scope or enclosing(lines, entries, edit)
        uses = getattr(edit, "uses", None)
        if uses:
            # the lines after the edit moved by the number of lines it added
            shift = len(edit.new) - (edit.end - edit.start)
            uses = [[a + (shift if a >= edit.end else 0), b + (shift if b >= edit.end else 0)]
                    for a, b in uses]  # fmt: skip
        yield {
            "base": base,
            "operator": operator,
            "path": edit.path,
            "old": old,
            "new": new,
            "at": list(edit.at),
            "scope": list(scope) if scope else None,
            **({"uses": uses} if uses else {}),
        }


def crlf_mistakes(first_round: list[dict], count: int) -> list[dict]:
    """First-round edits Polyaxon rejects, in a file whose lines end with CRLF."""
    rng = random.Random(f"{SEED}:crlf-mistake")
    rejected = [
        m
        for m in first_round
        if not m["oracle"]["ok"] and m.get("transform") is None and m["operator"] != "joins"
    ]
    chosen = rng.sample(rejected, count)
    return [
        {
            "base": m["base"],
            "operator": "crlf-mistake",
            "path": m["path"],
            "old": m["old"],
            "new": m["new"],
            "transform": "crlf",
            "at": m["at"],
            "scope": m["scope"],
            "from": m["id"],
        }
        for m in sorted(chosen, key=lambda m: m["id"])
    ]


def apply(text: str, mutant: dict) -> str:
    assert text.count(mutant["old"]) == 1
    text = text.replace(mutant["old"], mutant["new"])
    return text.replace("\n", "\r\n") if mutant.get("transform") == "crlf" else text


def base_text(corpus: Path, base: str) -> str:
    if base.startswith(LOCAL):
        return (HERE / "bases" / base[len(LOCAL) :]).read_text(encoding="utf-8")
    return (corpus / base).read_text(encoding="utf-8")


#: A component is judged as a template: failing only for missing params is no rejection.
TEMPLATE_MESSAGES = (
    "The Polyaxonfile has non optional inputs/outputs",
    "is required, no param was passed",
)


def rejects(oracle: dict) -> bool:
    if oracle["ok"]:
        return False
    if oracle.get("kind") == "component" and oracle.get("stage") == "params":
        return not any(text in oracle["message"] for text in TEMPLATE_MESSAGES)
    return True


def draw_pairs(mutants: list[dict], texts: dict[str, str]) -> list[tuple[dict, dict]]:
    """Pairs of this round's edits of one base, each rejected alone (the YAML still readable),
    that do not overlap."""
    rng = random.Random(f"{SEED}:pairs")
    by_base: dict[str, list[dict]] = {}
    for m in mutants:
        # An edit that leaves the YAML unreadable hides every other one (Polyaxon stops at
        # reading): such pairs test nothing, they are not drawn.
        readable = m["oracle"]["stage"] != "read"
        if rejects(m["oracle"]) and readable and m["operator"] != "crlf-mistake":
            by_base.setdefault(m["base"], []).append(m)
    pairs = []
    for base in sorted(by_base):
        found = by_base[base]
        candidates = [(a, b) for i, a in enumerate(found) for b in found[i + 1 :]]
        rng.shuffle(candidates)
        candidates.sort(key=lambda ab: ab[0]["operator"] == ab[1]["operator"])
        text, chosen = texts[base], 0
        for a, b in candidates:
            if chosen == PAIRS_PER_BASE:
                break
            sa, sb = text.find(a["old"]), text.find(b["old"])
            if sa < sb + len(b["old"]) and sb < sa + len(a["old"]):
                continue  # overlapping
            once = text.replace(a["old"], a["new"])
            if once.count(b["old"]) != 1 or a["new"] in b["old"] or b["new"] in a["old"]:
                continue
            pairs.append((a, b))
            chosen += 1
    return pairs


def main(argv: list[str]) -> int:
    corpus, oracle, hub = Path(argv[0]).resolve(), argv[1], str(Path(argv[2]).resolve())
    first_round = json.loads((HERE / "edit_mutants.json").read_text(encoding="utf-8"))
    names = bases(corpus) + sorted(LOCAL + p.name for p in (HERE / "bases").glob("*.yaml"))
    texts = {base: base_text(corpus, base) for base in names}
    mutants: list[dict] = []
    for base in names:
        mutants.extend(mutants_of(base, texts[base]))
    mutants.extend(crlf_mistakes(first_round, 150))
    for number, mutant in enumerate(mutants):
        mutant["id"] = f"f{number:05d}-{mutant['operator']}"
    print(f"{len(mutants)} mutants", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "corpus"
        shutil.copytree(corpus, scratch)
        shutil.copytree(HERE / "bases", scratch / LOCAL.rstrip("/"))
        for path in scratch.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        mutated = {m["id"]: (m["base"], apply(texts[m["base"]], m)) for m in mutants}
        verdicts = judge(oracle, hub, scratch, mutated)
        mutants = [m for m in mutants if m["id"] in verdicts]
        for m in mutants:
            m["oracle"] = verdicts[m["id"]]
        pairs = draw_pairs(mutants, texts)
        pair_texts = {}
        for n, (a, b) in enumerate(pairs):
            text = texts[a["base"]].replace(a["old"], a["new"]).replace(b["old"], b["new"])
            pair_texts[f"q{n:04d}"] = (a["base"], text)
        print(f"{len(pairs)} pairs", file=sys.stderr)
        pair_verdicts = judge(oracle, hub, scratch, pair_texts)
    out = [{"id": m["id"], **{k: v for k, v in m.items() if k != "id"}} for m in mutants]
    target = HERE / "edit_mutants_2.json"
    target.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(out)} mutants written to {target}", file=sys.stderr)
    pair_rows = []
    for n, (a, b) in enumerate(pairs):
        key = f"q{n:04d}"
        if key not in pair_verdicts:
            continue
        pair_rows.append(
            {
                "id": f"{key}-{a['operator']}+{b['operator']}",
                "base": a["base"],
                "edits": [
                    {
                        "family": e["operator"],
                        "path": e["path"],
                        "old": e["old"],
                        "new": e["new"],
                        "oracle": {k: e["oracle"][k] for k in ("ok", "stage", "message")},
                    }
                    for e in (a, b)
                ],
                "oracle": {k: pair_verdicts[key][k] for k in ("ok", "stage", "message")},
            }
        )
    target = HERE.parent / "pairs" / "pairs_2.json"
    target.write_text(json.dumps(pair_rows, indent=1) + "\n", encoding="utf-8")
    print(f"{len(pair_rows)} pairs written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
