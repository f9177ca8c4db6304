"""What `param-lsp check` loads: modules only some runs need are imported when needed, so that
every check does not pay for them at start-up."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from param_lsp.core.lazy_regex import LazyPattern

#: Loaded only when needed: the regex helper process (a `validation.regex` with repetition),
#: logging (an analysis that fails), tomllib (a configuration file), textwrap (rule docs), uuid
#: (a UUID value), decimal (a resources range), the editors' incremental parser, and threading
#: (nothing of a check).
NOT_FOR_A_PLAIN_CHECK = (
    "uuid",
    "decimal",
    "subprocess",
    "select",
    "threading",
    "logging",
    "tomllib",
    "textwrap",
    "param_lsp.core.chunked",
)


def test_a_plain_check_loads_none_of_the_modules_only_some_runs_need(tmp_path: Path) -> None:
    (tmp_path / "op.yaml").write_text(
        "kind: operation\nparams: {lr: {value: 0.1}}\ncomponent:\n"
        "  inputs: [{name: lr, type: float}]\n  run: {kind: job, container: {image: x}}\n"
    )
    script = (
        "import contextlib, io, sys\n"
        "from param_lsp.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', '--format', 'json', {str(tmp_path)!r}])\n"
        f"print(code, *sorted(m for m in {NOT_FOR_A_PLAIN_CHECK!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0"]


@pytest.mark.parametrize(
    ("flags", "text"),
    [(0, "a-b-c"), (re.IGNORECASE, "A-b-C"), (re.ASCII, "x 1-2-3 y"), (re.S, "a\n-b")],
)
def test_a_lazy_pattern_answers_as_the_compiled_pattern(flags: int, text: str) -> None:
    source = r"(\w)\W?-(\w)"
    lazy, compiled = LazyPattern(source, flags), re.compile(source, flags)
    assert lazy.compiled is lazy.compiled
    for pos, endpos in ((0, len(text)), (1, len(text)), (0, 3)):
        for method in ("match", "fullmatch", "search"):
            got, want = (
                getattr(lazy, method)(text, pos, endpos),
                getattr(compiled, method)(text, pos, endpos),
            )
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
        assert [m.span() for m in lazy.finditer(text, pos, endpos)] == [
            m.span() for m in compiled.finditer(text, pos, endpos)
        ]
    assert lazy.sub(r"\2\1", text) == compiled.sub(r"\2\1", text)
    assert lazy.sub(lambda m: m.group(1).upper(), text, 1) == compiled.sub(
        lambda m: m.group(1).upper(), text, 1
    )
