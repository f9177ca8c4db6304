"""One checked file as the reporters see it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from param_lsp.core.findings import Finding


class UsageError(Exception):
    """A command-line usage problem (exit code 2)."""


@dataclass(slots=True, eq=False, repr=False)
class FileResult:
    """One checked file: its name as shown, its text (None once not needed) and findings."""

    display: str
    text: str | None
    findings: list[Finding] = field(default_factory=list)


#: Characters a terminal or a log viewer would act on: C0 controls but the tab, DEL, C1
#: controls (ESC sequences clear screens, retitle windows, hide lines), and the bidirectional
#: overrides that reorder what is shown.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character written as its escape (`\\x1b`, `\\u202e`)."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown_path(display: str) -> str:
    """A file name as valid, inert UTF-8: bytes that are not UTF-8 (a name read from the disk
    keeps them as lone surrogates) are written `\\xNN`, controls are escaped."""
    try:
        display.encode("utf-8")
    except UnicodeEncodeError:
        display = os.fsencode(display).decode("utf-8", "backslashreplace")
    return printable(display)
