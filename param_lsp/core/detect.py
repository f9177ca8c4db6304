"""Which YAML files are polyaxonfiles: the one detection rule of the CLI, pre-commit and server.

A folder holds much more YAML than polyaxonfiles (CI workflows, Kubernetes manifests, DVC,
Kubeflow or Azure ML components, Hydra configs, ...), and several of them share words with
Polyaxon (`inputs`, `outputs`, `params`, `run`). A file is a polyaxonfile when:

1. its top level has `kind: operation` or `kind: component` and no `apiVersion` or `$schema`
   (which declare another tool's schema); or
2. it is a Polyaxon v0 file: `kind` is one of the v0 kinds (`experiment`, `group`, `job`, ...),
   or it has no `kind`, `version: 1` and a v0-only section (`declarations`, `hptuning`,
   `project`, ...) or a v0 `build` (`image`, ...) or `run` (`cmd`), or no `kind` and no
   `version` but both a v0 `build` and a v0 `run` (:func:`kindless_v0_section`); and every
   top-level key is a Polyaxon v0 or v1 section (it gets one notice, PLX104); or
3. it has no `kind`, every top-level key is a Polyaxon section, and it holds a marker only
   Polyaxon uses: a top-level `hubRef`, `pathRef`, `urlRef`, `dagRef`, `runPatch`, `isPreset`,
   `patchStrategy`, `skipOnUpstreamSkip` or `isApproved`; a `run` or inline `component` whose
   `run` has a Polyaxon runtime `kind` (`job`, `service`, `dag`, ...); or a `matrix` with a
   Polyaxon matrix `kind` (`grid`, `random`, ...).

Anything with a top-level key that Polyaxon does not know (`apiVersion`, `stages`,
`implementation`, `runs`, `jobs`, `steps`, `$schema`, `nodes`, ...) is not a polyaxonfile (rule 1
aside). Files named on the command line or matched by the configuration's `include` are always
checked; files matched by its `exclude` never are (:func:`selected`).

The rule reads lines, not a YAML tree: the top-level keys (lines at column 0, or at the
indentation of the first line when the whole document is indented), and only for
`run`, `matrix` and `component` their first-level children or a one-line flow mapping, so a
folder walk or a keystroke in the editor stays cheap. A document written as one flow mapping
(`{kind: operation, …}`) has no column-0 keys: its head is composed instead, and while it does
not compose (half typed) only a `kind: operation|component` at its start counts. The VS Code
extension, which only decides when to start the server, recognises flow documents by that
`kind` alone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from param_lsp.core.schema_spec import SECTIONS_218
from param_lsp.core.span import YAML_LINE_BREAK, common_prefix, common_suffix

if TYPE_CHECKING:
    from param_lsp.core.project import ProjectConfig

#: Only the head of a big file is read (a polyaxonfile's top-level keys come early).
SNIFF_CHARS = 256 * 1024

KINDS = frozenset({"operation", "component"})
#: Polyaxon v0 (0.x) polyaxonfile kinds (`plugin`: notebooks and tensorboards in early 0.x).
V0_KINDS = frozenset(
    {"experiment", "group", "job", "build", "notebook", "tensorboard", "pipeline", "plugin"}
)
#: Top-level sections only v0 polyaxonfiles have: with `version: 1` and no `kind` they make a
#: v0 file (an override file such as `version: 1` + `declarations`, merged with `-f … -f …`, or
#: an early 0.x file, which had a `project` section and no `kind`).
V0_ONLY_SECTIONS = (
    "hptuning", "declarations", "settings", "logging", "backend", "framework", "project"
)  # fmt: skip
#: Polyaxon v0 top-level sections that v1 dropped (polyaxon_schemas' specs: `SECTIONS`), and
#: the keys of a v0 `kind: build` file, which holds its build's fields at the top level.
V0_SECTIONS = frozenset(
    {"logging", "environment", "declarations", "hptuning", "settings", "backend", "framework",
     "model", "train", "eval", "params", "project",
     "image", "build_steps", "env_vars", "nocache", "lang_env", "dockerfile", "context"}
)  # fmt: skip
#: Keys of a v0 `build` (a v1 `build` names a `hubRef`) and of a v0 `run` (a v1 `run` has a
#: `kind`): a kind-less file whose `build` or `run` holds one is a v0 experiment.
V0_BUILD_KEYS = frozenset({"image", "dockerfile", "build_steps"})
V0_RUN_KEYS = frozenset({"cmd"})
SECTIONS = frozenset(SECTIONS_218)
#: Top-level keys that no other tool uses.
MARKER_KEYS = frozenset(
    {"hubRef", "pathRef", "urlRef", "dagRef", "runPatch", "isPreset", "patchStrategy",
     "skipOnUpstreamSkip", "isApproved"}
)  # fmt: skip
#: Keys that declare another tool's schema even next to `kind: operation|component`.
FOREIGN_SCHEMA_KEYS = frozenset({"apiVersion", "$schema"})
RUN_KINDS = frozenset(
    {"job", "service", "dag", "daskjob", "rayjob", "tfjob", "pytorchjob", "mxjob", "xgbjob",
     "paddlejob", "mpijob", "notifier", "watchdog", "tuner", "cleaner", "builder", "scheduler"}
)  # fmt: skip
MATRIX_KINDS = frozenset(
    {"grid", "random", "hyperband", "bayes", "hyperopt", "iterative", "mapping"}
)

#: Characters that cannot start a plain key (YAML indicators, quotes handled apart).
_NOT_KEY_START = frozenset("#-?:{}[]!&*|>%@`,")
#: Flow mappings are read up to this length (a value longer than that is not a marker).
FLOW_CHARS = 4096
_FLOW_KIND = re.compile(r"""[{,][ \t]*['"]?kind['"]?[ \t]*:[ \t]*['"]?([A-Za-z_]+)""")
_FLOW_FOREIGN = re.compile(r"""[{,][ \t]*['"]?(?:apiVersion|\$schema)['"]?[ \t]*:""")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FLOW_RUN = re.compile(r"\brun[ \t]*:[ \t]*\{[^{}]{0,4096}?\bkind\b")


def _key_of(line: str) -> tuple[str, str] | None:
    """(key, rest) of a line `key: rest` (plain, single- or double-quoted key), else None.

    Linear in the line's length (no backtracking regular expression: a hostile line of spaces
    must not take seconds)."""
    if not line:
        return None
    if line[0] in "\"'":
        close = line.find(line[0], 1)
        if close < 0:
            return None
        after = line[close + 1 :].lstrip(" \t")
        if not after.startswith(":") or after[1:2] not in ("", " ", "\t"):
            return None
        return line[1:close], after[1:]
    if line[0] in _NOT_KEY_START or line[0] in " \t":
        return None
    start = 0
    while True:
        colon = line.find(":", start)
        if colon < 0:
            return None
        if line[colon + 1 : colon + 2] in ("", " ", "\t"):
            key = line[:colon].rstrip(" \t")
            if " #" in key or "\t#" in key:
                return None  # the colon is inside a comment
            return key, line[colon + 1 :]
        start = colon + 1


class _Top:
    __slots__ = ("_children", "block", "key", "value")

    def __init__(self, key: str, value: str, block: tuple[list[str] | str, int, int]) -> None:
        self.key = key
        self.value = value
        #: What lies below the key, up to the next one: (lines, first, end) line numbers, or
        #: (text, start, end) character offsets (`\n` breaks only; split when asked for).
        self.block = block
        self._children: dict[str, str] | None = None

    @property
    def children(self) -> dict[str, str]:
        """First-level child keys with their inline values (read on demand)."""
        if self._children is None:
            source, first, end = self.block
            if isinstance(source, str):
                self._children = _children(source[first:end].split("\n"), 0, None)
            else:
                self._children = _children(source, first, end)
        return self._children


def _scalar(raw: str) -> str:
    text = raw.split(" #", 1)[0].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


def _other_breaks(text: str) -> bool:
    """Whether ``text`` has line breaks besides `\n` (YAML 1.1 also breaks at these)."""
    return "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text


def _lines(text: str) -> list[str]:
    if _other_breaks(text):
        return YAML_LINE_BREAK.split(text)
    return text.split("\n")  # the common case, several times faster


#: A line that starts at column 0 with something other than a comment, with the `\n` before it
#: (searched in the text after a `\n`: a literal first character is found by a fast scan, where
#: `^` with MULTILINE tries every position, ten times slower).
_TOP_LINE = re.compile(r"\n[^ \t#\n][^\n]*")


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _top_level(text: str) -> list[_Top] | None:
    """Top-level keys with their inline value (children on demand); None if not a mapping.

    Indented lines are skipped at once and read only for the few keys whose children matter,
    so a long document costs little: in the common case (only `\n` breaks) one regular
    expression finds the lines that start at column 0, and the rest is never split."""
    head = text[:SNIFF_CHARS]
    if _other_breaks(head):
        lines = YAML_LINE_BREAK.split(head)
        return _tops(lines, _column_zero_of_lines(lines), len(lines))
    return _tops(head, _column_zero_of_text(head), len(head))


def _column_zero_of_text(head: str) -> Iterator[tuple[str, int, int]]:
    """(line, where it starts, where the lines below it start) for the lines of a `\n`-only
    text that start at column 0 and are not comments, as character offsets."""
    for match in _TOP_LINE.finditer("\n" + head):
        # Offsets in `head`: the match starts at the `\n` put before it.
        yield match.group()[1:], match.start(), match.end()


def _column_zero_of_lines(lines: list[str]) -> Iterator[tuple[str, int, int]]:
    """The same as line numbers, for a text with other line breaks, line by line."""
    for number, line in enumerate(lines):
        if line[:1] not in ("", " ", "\t", "#"):
            yield line, number, number + 1


def _content_between(source: str | list[str], start: int, end: int) -> bool:
    """Whether indented content (not blank, not a comment) lies in ``source[start:end]``."""
    part = source[start:end]
    return any(map(_is_content, part.split("\n") if isinstance(part, str) else part))


def _tops(
    source: str | list[str], column_zero: Iterator[tuple[str, int, int]], end: int
) -> list[_Top] | None:
    tops: list[_Top] = []
    seen_document = False
    gap = 0  # where the lines below the last column-0 line start
    for line, start, below in column_zero:
        if not seen_document and _content_between(source, gap, start):
            seen_document = True  # indented content before this line
        gap = below
        kind = _line_kind(line, seen_document)
        if kind == "end":
            end = start
            break
        if kind == "not-a-mapping":
            return None
        if kind == "directive":
            continue
        seen_document = True
        if kind != "key":
            continue
        parts = _key_of(line)
        if parts is None:
            if tops:
                continue  # `- item` of the last key's sequence, or a multi-line scalar
            return None  # a sequence, a flow collection or a scalar at the top
        if tops:
            tops[-1].block = (source, tops[-1].block[1], start)
        tops.append(_Top(parts[0], _scalar(parts[1]), (source, below, end)))
    if tops:
        tops[-1].block = (source, tops[-1].block[1], end)
    return tops


def _line_kind(line: str, seen_document: bool) -> str:
    """What a line at column 0 is: "end" (the next document starts), "marker" (`---`, `...`),
    "not-a-mapping" (`--- value`), "directive" (`%`), or "key" (anything else)."""
    if line.startswith(("---", "...")) and line[3:4] in ("", " ", "\t"):
        if seen_document and line.startswith("---"):
            return "end"  # only the first document counts
        rest = line[3:].strip()
        if rest and not rest.startswith("#"):
            return "not-a-mapping"  # `--- value`: a document that starts on the marker line
        return "marker"
    if line[:1] == "%":
        return "directive"
    return "key"


def _children(lines: list[str], first: int, end: int | None) -> dict[str, str]:
    children: dict[str, str] = {}
    child_indent: int | None = None
    for line in lines[first:end]:
        if line[:1] not in (" ", "\t") or line.lstrip().startswith("#"):
            continue
        stripped = line.lstrip(" \t")
        parts = _key_of(stripped)
        if parts is None:
            continue
        indent = len(line) - len(stripped)
        if child_indent is None:
            child_indent = indent
        if indent == child_indent:
            children.setdefault(parts[0], _scalar(parts[1]))
    return children


def _flow_kind(value: str) -> str | None:
    match = _FLOW_KIND.search(value, 0, FLOW_CHARS)
    return match.group(1) if match else None


def _run_kind(top: _Top) -> str | None:
    if top.value.startswith("{"):
        return _flow_kind(top.value)
    return top.children.get("kind")


def _has_marker(tops: list[_Top]) -> bool:
    for top in tops:
        if top.key in MARKER_KEYS:
            return True
        if top.key == "run" and _run_kind(top) in RUN_KINDS:
            return True
        if top.key == "matrix" and _run_kind(top) in MATRIX_KINDS:
            return True
        if top.key == "component":
            if top.value.startswith("{") and _FLOW_RUN.search(top.value, 0, FLOW_CHARS):
                return True
            run = top.children.get("run", "")
            if run.startswith("{") and _flow_kind(run) in RUN_KINDS:
                return True
            if "run" in top.children and not run:
                return True  # an inline component with a block `run`
    return False


def _flow_top_kind(head: str, start: int) -> str | None:
    """The `kind` of the flow mapping opened at ``start``, at its own level (not a nested one),
    read from its first :data:`FLOW_CHARS` characters without composing."""
    for match in _FLOW_KIND.finditer(head, start, start + FLOW_CHARS):
        before = head[start : match.start() + 1]
        depth = before.count("{") + before.count("[") - before.count("}") - before.count("]")
        if depth == 1:
            return match.group(1)
    return None


def _flow_top_level(text: str) -> list[_Top] | None:
    """The top-level keys of a document written as one flow mapping (`{kind: operation, …}`),
    read from the composed head of the file (no column-0 keys to scan); None otherwise.

    A flow mapping that does not compose yet (half typed, or longer than the head) still counts
    when it names `kind: operation|component` at its top, so detection does not flicker while
    the user types."""
    head = text[:SNIFF_CHARS]
    for line in _lines(head):
        content = line.strip()
        if content.startswith("---"):
            content = content[3:].strip()
        if not content or content.startswith(("#", "%")):
            continue
        if not content.startswith("{"):
            return None
        break
    else:
        return None
    # The common shape, `{kind: operation, …}`, is decided without composing (this runs on
    # every keystroke in the editor); half-typed text is decided the same way.
    kind = _flow_top_kind(head, head.index("{"))
    if kind in KINDS:
        return (
            None if _FLOW_FOREIGN.search(head, 0, FLOW_CHARS) else [_Top("kind", kind, ([], 0, 0))]
        )
    try:
        root = next(yaml.compose_all(head, Loader=_LOADER), None)
    except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
        # Not YAML, a lone surrogate of an editor buffer (LibYAML reads UTF-8 only), or too
        # deeply nested: not a polyaxonfile this rule can see.
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    tops: list[_Top] = []
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            return None
        value = value_node.value if isinstance(value_node, yaml.ScalarNode) else ""
        top = _Top(str(key_node.value), value, ([], 0, 0))
        if isinstance(value_node, yaml.MappingNode):
            top._children = {
                str(child.value): item.value if isinstance(item, yaml.ScalarNode) else ""
                for child, item in value_node.value
                if isinstance(child, yaml.ScalarNode)
            }
        tops.append(top)
    return tops


@dataclass(frozen=True, slots=True)
class Detection:
    """What the detection rule saw in one version of a text (see :func:`detect`)."""

    text: str
    #: :func:`polyaxon_kind` of ``text``.
    kind: str | None
    #: Decided by the top-level `kind` of a block mapping: only lines at the top level (not
    #: indented, not comments) decide it then.
    by_top_level: bool


def detect(text: str, previous: Detection | None = None) -> Detection:
    """:func:`polyaxon_kind` of ``text``, with what it rests on. Given the detection of the
    text's previous version (an editor's keystroke) that rested on top-level lines only, an
    edit that changed only indented, comment or blank lines keeps it without reading the
    text again."""
    if (
        previous is not None
        and previous.by_top_level
        and _only_inner_lines_changed(previous.text, text)
    ):
        return Detection(text, previous.kind, True)
    tops = _top_level(text)
    at_column_0 = bool(tops)
    if tops == []:
        tops = _top_level(_dedented(text))  # a whole document indented (valid YAML)
    if tops is None:
        tops = _flow_top_level(text)
    by_top_level = at_column_0 and _kind_value(tops or []) in KINDS
    return Detection(text, _kind_of(tops), by_top_level)


def _only_inner_lines_changed(old: str, new: str) -> bool:
    """Whether ``new`` differs from ``old`` only in lines that start with a space, a tab or
    `#` or are blank (before and after the edit), all after the first line with content."""
    if len(old) >= SNIFF_CHARS or len(new) >= SNIFF_CHARS:
        return False
    if any(mark in new or mark in old for mark in ("\r", "\x85", "\u2028", "\u2029")):
        return False
    prefix = common_prefix(old, new)
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    start = old.rfind("\n", 0, prefix) + 1
    at = 0
    while True:  # a line with content (a key, a marker, indented content) comes before
        if at >= start:
            return False
        end = old.find("\n", at)
        content = old[at:end].strip()
        if content and content[0] not in "#%":
            break
        at = end + 1
    for text, stop in ((old, len(old) - suffix), (new, len(new) - suffix)):
        end = text.find("\n", stop)
        for line in text[start : len(text) if end < 0 else end].split("\n"):
            if line and line[0] not in " \t#":
                return False
    return True


def _kind_value(tops: list[_Top]) -> str | None:
    return next((top.value for top in tops if top.key == "kind"), None)


def _dedented(text: str) -> str:
    """The head of ``text`` without the indentation of its first content line (a document whose
    top-level keys are all indented the same is valid YAML)."""
    head = text[:SNIFF_CHARS]
    lines = _lines(head)
    first = next((line for line in lines if _is_content(line)), "")
    width = len(first) - len(first.lstrip(" "))
    if not width:
        return head
    prefix = " " * width
    return "\n".join(line[width:] if line.startswith(prefix) else line for line in lines)


def polyaxon_kind(text: str) -> str | None:
    """How the detection rule sees a text: "v1", "v0", or None (not a polyaxonfile)."""
    return detect(text).kind


def _kind_of(tops: list[_Top] | None) -> str | None:
    if not tops:
        return None
    keys = {top.key for top in tops}
    kind = _kind_value(tops)
    if kind in KINDS:
        return None if keys & FOREIGN_SCHEMA_KEYS else "v1"
    if kind in V0_KINDS:
        return "v0" if keys <= SECTIONS | V0_SECTIONS and "version" in keys else None
    if kind is None and keys <= SECTIONS | V0_SECTIONS:
        version = next((top.value for top in tops if top.key == "version"), None)
        children = {top.key: top.children for top in tops if top.key in ("build", "run")}
        if kindless_v0_section(keys, version, lambda key: children.get(key, ())) is not None:
            return "v0"
    if kind or not keys <= SECTIONS:
        return None
    return "v1" if _has_marker(tops) else None


def kindless_v0_section(
    keys: Collection[str], version: str | None, child_keys: Callable[[str], Collection[str]]
) -> str | None:
    """The section that makes a file without `kind` a Polyaxon v0 polyaxonfile, or None.

    With `version: 1`: a v0-only section (:data:`V0_ONLY_SECTIONS`), else a v0 `build` (one
    of :data:`V0_BUILD_KEYS`, no `hubRef`) or `run` (one of :data:`V0_RUN_KEYS`, no `kind`).
    Without a `version`: a v0 `build` and a v0 `run` both (an experiment missing its header).
    ``keys`` are the top-level keys, ``version`` the `version` as written (None when absent),
    ``child_keys(section)`` the keys of a section's mapping (empty for anything else).
    """
    if version is not None and version != "1":
        return None
    if version is not None:
        only = next((key for key in V0_ONLY_SECTIONS if key in keys), None)
        if only is not None:
            return only
    body = [key for key in ("build", "run") if key in keys and _v0_body(key, child_keys(key))]
    if version is not None:
        return body[0] if body else None
    return body[0] if len(body) == 2 else None


def _v0_body(section: str, children: Collection[str]) -> bool:
    if section == "build":
        return "hubRef" not in children and any(key in children for key in V0_BUILD_KEYS)
    return "kind" not in children and any(key in children for key in V0_RUN_KEYS)


def looks_like_polyaxonfile(text: str) -> bool:
    """The detection rule (module docstring): True for v1 and v0 polyaxonfiles."""
    return polyaxon_kind(text) is not None


def selected(
    text: str, path: Path | None, config: ProjectConfig | None, *, explicit: bool = False
) -> bool:
    """Whether a file is checked: named explicitly or `include`d always, `exclude`d never,
    otherwise by the detection rule."""
    if explicit:
        return True
    choice = config.selects(path) if config is not None and path is not None else None
    return selected_by(choice, text)


def selected_again(
    text: str, path: Path | None, config: ProjectConfig | None, previous: Detection | None
) -> tuple[bool, Detection | None]:
    """:func:`selected` of a new version of a text whose previous version's detection was
    ``previous``, and the detection to keep for the next version."""
    choice = config.selects(path) if config is not None and path is not None else None
    if choice is not None:
        return choice, previous
    found = detect(text, previous)
    return found.kind is not None, found


def selected_by(choice: bool | None, text: str) -> bool:
    """Whether a file is checked, given the configuration's include/exclude ``choice`` for it
    (True included, False excluded, None not named): otherwise by the detection rule."""
    if choice is not None:
        return choice
    return looks_like_polyaxonfile(text)


#: Folders never searched for polyaxonfiles (besides hidden ones), by the CLI and the server.
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__"})
YAML_SUFFIXES = (".yaml", ".yml")


def walk_yaml_files(
    folder: Path, onerror: Callable[[OSError], None] | None = None
) -> Iterator[Path]:
    """YAML files under ``folder`` in a stable order (sorted names, folders depth first),
    skipping hidden folders and :data:`SKIP_DIRS`; ``onerror`` hears of folders that cannot be
    listed."""
    for dirpath, dirnames, filenames in os.walk(folder, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.lower().endswith(YAML_SUFFIXES):
                yield Path(dirpath) / name


def skipped_folder(root: Path, path: Path) -> bool:
    """Whether ``path`` lies under a folder :func:`walk_yaml_files` does not enter."""
    try:
        folders = path.relative_to(root).parts[:-1]
    except ValueError:
        return True
    return any(part in SKIP_DIRS or part.startswith(".") for part in folders)
