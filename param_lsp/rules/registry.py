"""The single registry of rule codes, names, severities and docs.

Every consumer (CLI reporters, SARIF, the language server, `docs/rules.md`) reads rules from
here; a rule module declares each rule once with :func:`rule` and creates findings through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from param_lsp.core.findings import Finding, Fix, Related, Severity
from param_lsp.core.lazy_regex import LazyPattern
from param_lsp.core.span import Span


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Rule:
    """One rule; there is one object per rule (codes and names are unique), so rules compare
    by identity."""

    code: str
    name: str
    family: str
    severity: Severity
    polyaxon_rejects: bool
    summary: str
    #: The explanation and the examples as written in the rule's module (indented): the
    #: reference reads them through :attr:`doc`, :attr:`bad` and :attr:`good`, a check never.
    doc_source: str = ""
    bad_source: str = ""
    good_source: str = ""

    @property
    def doc(self) -> str:
        """The explanation (the summary when there is none)."""
        return _dedent(self.doc_source).strip() or self.summary

    @property
    def bad(self) -> str:
        """An example the rule reports."""
        return _dedent(self.bad_source).strip("\n")

    @property
    def good(self) -> str:
        """The same example, fixed."""
        return _dedent(self.good_source).strip("\n")

    def at(
        self,
        span: Span,
        message: str,
        *,
        related: tuple[Related, ...] = (),
        fixes: tuple[Fix, ...] = (),
        polyaxon: str = "",
        **data: Any,
    ) -> Finding:
        """A finding of this rule: `message` in the product's voice (see `WORDING`), `polyaxon`
        Polyaxon's own words for the same problem when they help to recognise it."""
        if related:
            from param_lsp.core.public_hub import is_virtual

            # Bundled hub components have no file to point at.
            related = tuple(item for item in related if not is_virtual(item.path))
        return Finding(
            code=self.code,
            message=message,
            span=span,
            severity=self.severity,
            related=related,
            fixes=fixes,
            data=data,
            polyaxon=polyaxon,
        )

    @property
    def url(self) -> str:
        """This rule's section of the rules reference."""
        return f"{DOCS_URL}#{self.code.lower()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "family": self.family,
            "severity": self.severity.label,
            "polyaxon_rejects": self.polyaxon_rejects,
            "summary": self.summary,
            "doc": self.doc,
            "bad": self.bad,
            "good": self.good,
            "url": self.url,
        }


#: The rules reference (docs/rules.md) on the repository; each rule is a section `#plxnnn`.
DOCS_URL = "https://github.com/param-lsp/param-lsp/blob/main/docs/rules.md"

#: How every message is written; `tests/test_wording.py` holds every rule's messages to it.
WORDING = """\
Every diagnostic message is one short sentence in param-lsp's own voice:

1. It names the thing (the param, op, input, key or field, in backticks), what was expected
   and what was found, in that order: "Param `epochs` expects type `int`; got `1.5`."
2. It ends with the fix when there is one: "...; did you mean `train`?", "...; quote the
   value.", "...; add a `run` section."
3. It starts with a capital letter or with a backticked name, and it is at most two sentences.
4. Values are shown as the user wrote them, in backticks: never Python reprs such as
   `{'trian'}`, `['a', 'b']` or `'job'`, never type names such as `List[str]`.
5. No doubled words, no "Please", no stack of parentheses.
6. Polyaxon's own wording, when it helps to recognise the runtime error, is kept apart: the CLI
   prints it on a second line (`Polyaxon: ...`), editors show it as related information.
"""

_REPR_COLLECTION = LazyPattern(r"`?[\[{(]((?:'[^'\n]*'(?:, )?)+)[\]})]`?")


#: A message lists at most this many names (orphan ops, the steps of a cycle, an op's outputs).
MAX_LISTED = 10


def plain_values(text: str) -> str:
    """Python reprs of strings collections (`{'a', 'b'}`, `['a']`) as backticked names."""

    def names(match: re.Match[str]) -> str:
        return ", ".join(f"`{item}`" for item in sorted(re.findall(r"'([^'\n]*)'", match[1])))

    return _REPR_COLLECTION.sub(names, text)


def python_str(value: Any) -> str:
    """A value as Python's `str.format` prints it (the wording of Polyaxon's own messages)."""
    return str(value)


def shown(value: Any) -> str:
    """A YAML value as the user would write it, for messages (never a Python repr)."""
    import json

    if isinstance(value, str):
        # A string YAML would read as something else unquoted (`"3"`, `"true"`, `""`) is shown
        # quoted, as it must be written.
        return json.dumps(value, ensure_ascii=False) if _reads_otherwise(value) else value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    try:
        return json.dumps(value, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _reads_otherwise(text: str) -> bool:
    """Whether ``text`` written as a plain YAML scalar is not this string (YAML 1.1 typing)."""
    if not text or text != text.strip():
        return True
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


def _dedent(text: str) -> str:
    import textwrap  # the docs are read by `param-lsp rules`, hovers and SARIF, not by checks

    return textwrap.dedent(text)


RULES: dict[str, Rule] = {}
_NAMES: set[str] = set()


def rule(
    code: str,
    name: str,
    *,
    family: str,
    severity: Severity,
    polyaxon_rejects: bool,
    summary: str,
    doc: str = "",
    bad: str = "",
    good: str = "",
) -> Rule:
    """Declare a rule; codes and names must be unique across the whole registry."""
    if code in RULES:
        raise ValueError(f"duplicate rule code {code}")
    if name in _NAMES:
        raise ValueError(f"duplicate rule name {name}")
    new = Rule(
        code=code,
        name=name,
        family=family,
        severity=severity,
        polyaxon_rejects=polyaxon_rejects,
        summary=summary,
        doc_source=doc,
        bad_source=bad,
        good_source=good,
    )
    RULES[code] = new
    _NAMES.add(name)
    return new
