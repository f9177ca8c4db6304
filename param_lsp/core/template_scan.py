"""Where a value holds a `{{ … }}` template, found in linear time.

Polyaxon (and clipped's `RefField`) tests values with ``re.search(r"{{\\s*(.+)\\s*}}", value)``.
Python's backtracking engine needs cubic time for that pattern on an unclosed ``{{`` followed
by whitespace (8 KB take a minute), so the same answer is computed here by a scan:
:func:`template_span` returns exactly the span of the regex's group 1 (or None when it does
not match), visiting each character a bounded number of times.

How the regex matches at a ``{{`` (at ``s``): the leading ``\\s*`` takes the whole whitespace run
after it (ending at ``w``) and gives characters back only if needed; ``.+`` (no newline) then
runs to the end of its line and gives back characters until ``\\s*}}`` follows. ``\\s*}}``
matches at ``e`` exactly when the first non-whitespace character at or after ``e`` starts a
``}}``. So, for a start ``k`` of ``.+`` on a line ending at ``L``, the greedy end is ``L`` when
``\\s*}}`` matches there, else the last ``}}`` of the line after ``k``; ``k`` is tried from ``w``
down to ``s + 2``.
"""

from __future__ import annotations

from typing import Any


def template_span(text: str) -> tuple[int, int] | None:
    """The (start, end) of ``re.search(r"{{\\s*(.+)\\s*}}", text).group(1)``, or None."""
    scan = _Scan(text)
    s = text.find("{{")
    while s >= 0:
        found = scan.match_at(s)
        if found is not None:
            return found
        s = text.find("{{", s + 1)
    return None


def has_template(value: Any) -> bool:
    """A str that Polyaxon treats as a template (``{{ … }}`` searched, not anchored)."""
    if not isinstance(value, str) or "{{" not in value or "}}" not in value:
        return False
    return template_span(value) is not None


class _Scan:
    """Per-line facts, computed once per line however many ``{{`` it holds."""

    __slots__ = ("_closes_after", "_last_close", "_line_end", "_prev_w", "n", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self._prev_w = -1
        self._line_end = -1  # end of the line holding the positions after _prev_w
        self._last_close = -1  # last `}}` start on that line
        self._closes_after: dict[int, bool] = {}

    def _skip_space(self, i: int) -> int:
        text, n = self.text, self.n
        while i < n and text[i].isspace():
            i += 1
        return i

    def _closes(self, e: int) -> bool:
        """Whether ``\\s*}}`` matches at ``e``."""
        known = self._closes_after.get(e)
        if known is None:
            j = self._skip_space(e)
            known = self.text.startswith("}}", j)
            self._closes_after[e] = known
        return known

    def _line_of(self, w: int) -> tuple[int, int]:
        """(line end, last `}}` start on the line) for ``w``; ``w`` only ever grows."""
        if not (self._prev_w < w <= self._line_end):
            end = self.text.find("\n", w)
            self._line_end = self.n if end < 0 else end
            self._last_close = self.text.rfind("}}", w, self._line_end)
        self._prev_w = w
        return self._line_end, self._last_close

    def match_at(self, s: int) -> tuple[int, int] | None:
        text, n = self.text, self.n
        w = self._skip_space(s + 2)
        line_end = n
        if w < n:  # `.+` starting at the first non-space character (not a newline)
            line_end, last_close = self._line_of(w)
            if self._closes(line_end):
                return w, line_end
            if last_close >= w + 1:
                return w, last_close
        # `.+` starting inside the whitespace run: only a `}}` right after the run can close it
        if w == s + 2 or not text.startswith("}}", w):
            return None
        newline = text.rfind("\n", s + 2, w)
        if w - 1 > newline:  # a space on the run's last line, just before the `}}`
            return w - 1, w
        k = newline - 1  # else the last non-newline space before the run's last newline
        while k >= s + 2 and text[k] == "\n":
            k -= 1
        if k < s + 2:
            return None
        return k, text.find("\n", k)
