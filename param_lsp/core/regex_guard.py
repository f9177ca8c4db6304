"""`re.match(pattern, value)` for a pattern taken from the checked file, bounded in time.

Polyaxon evaluates `validation.regex` with Python's backtracking `re`, so a pattern such as
``^(a+)+$`` against 34 `a`s and a `!` runs for minutes; a thread cannot be interrupted in the
middle of a match. The match therefore runs with the very same engine in a small helper
process (plain ``python -I -S``, no project code), killed when it takes longer than
:data:`TIMEOUT_S`; the caller then reports that the pattern could not be evaluated instead of
guessing. Answers (timeouts included) are remembered, so an editor re-checking the file on
every keystroke waits at most once per (pattern, value).
"""

from __future__ import annotations

import _thread
import json
import os
import re
import sys
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

#: How long one match may run.
TIMEOUT_S = 0.5
_REMEMBERED = 4096

_WORKER = r"""
import json, os, re, sys
try:  # Linux: ended with its parent, even in the middle of a match (no orphan left spinning)
    import ctypes, signal
    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != int(sys.argv[1]):
        sys.exit(0)
except Exception:
    pass
for line in sys.stdin:
    pattern, value = json.loads(line)
    try:
        answer = re.match(pattern, value) is not None
    except Exception as exc:
        answer = type(exc).__name__ + ": " + str(exc)
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
"""


class RegexTimeout(Exception):
    """The match did not finish within :data:`TIMEOUT_S`."""


class _Worker:
    def __init__(self) -> None:
        # What `threading.Lock()` returns, without importing `threading` into every check.
        self.lock = _thread.allocate_lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.answers: OrderedDict[tuple[str, str], bool | None] = OrderedDict()

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            import subprocess  # only when a pattern needs the helper: most runs never start it

            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _WORKER, str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                close_fds=True,
            )
        return self.proc

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def match(self, pattern: str, value: str, timeout: float) -> bool | None:
        """True/False, or None when it did not finish in ``timeout`` seconds."""
        key = (pattern, value)
        with self.lock:
            if key in self.answers:
                self.answers.move_to_end(key)
                return self.answers[key]
            answer = self._ask(pattern, value, timeout)
            self.answers[key] = answer
            if len(self.answers) > _REMEMBERED:
                self.answers.popitem(last=False)
            return answer

    def _ask(self, pattern: str, value: str, timeout: float) -> bool | None:
        import select

        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps([pattern, value]).encode() + b"\n")
            proc.stdin.flush()
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            line = proc.stdout.readline() if ready else b""
        except OSError:
            line = b""
        if not line:
            self.stop()  # stuck in the match (or gone): the next question starts a new one
            return None
        answer = json.loads(line)
        if isinstance(answer, str):  # compiled here first, so only an engine limit ends here
            raise RuntimeError(answer)
        return bool(answer)


_worker = _Worker()


def regex_match(pattern: str, value: object) -> bool:
    """``re.match(pattern, value) is not None``; raises what ``re`` raises for a bad pattern or
    value, and :class:`RegexTimeout` when the match takes longer than :data:`TIMEOUT_S`."""
    compiled = re.compile(pattern)  # re.error, exactly as Polyaxon would raise it
    if not isinstance(value, str) or _trivial(compiled, value):
        return compiled.match(value) is not None  # type: ignore[call-overload]  # TypeError as re
    answer = _worker.match(pattern, value, TIMEOUT_S)
    if answer is None:
        raise RegexTimeout(pattern)
    return answer


def _trivial(compiled: re.Pattern[str], value: str) -> bool:
    """Patterns without repetition cannot backtrack for long: no need for the helper."""
    del value
    return not any(ch in compiled.pattern for ch in "*+{?")


def shutdown() -> None:
    """Stop the helper process (it also ends by itself when this process closes its pipe)."""
    _worker.stop()
