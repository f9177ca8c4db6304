"""Did-you-mean: the closest of many names to a misspelt one, bounded in cost.

One implementation for every suggestion the rules and features make (params, ops, templates,
refs, public hub components) and for `check --fix`'s choice of an unambiguous candidate; and
:func:`closest_word` for the fixed vocabularies of the schema (keys, kinds, types), with the
quick fix that replaces a misspelt word (:func:`replacement_fix`).
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from param_lsp.core.findings import Fix

if TYPE_CHECKING:
    from param_lsp.core.yaml_tree import YNode

#: With more candidates of a close length than this, only the ones nearest to the name in
#: alphabetical order (those sharing the longest prefix with it) are compared: with thousands
#: of misspelt names against thousands of declared ones, comparing every pair takes minutes.
MAX_GUESS_CANDIDATES = 64
_NEIGHBOURS = 8  # per length, on each side of the name


_ACRONYM_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY = re.compile(r"([a-z\d])([A-Z])")


def snake_case(key: str) -> str:
    """`imagePullPolicy` → `image_pull_policy` (how Polyaxon and the Kubernetes client spell
    attributes; both spellings are accepted in a polyaxonfile)."""
    return _WORD_BOUNDARY.sub(r"\1_\2", _ACRONYM_WORD.sub(r"\1_\2", key)).lower()


def camel_case(key: str) -> str:
    """`run_patch` → `runPatch` (how a polyaxonfile's keys are written)."""
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def closest_word(
    word: object, vocabulary: Sequence[str], cutoff: float = 0.75
) -> tuple[str, bool] | None:
    """The word of a fixed vocabulary ``word`` most likely misspells (difflib's similarity at
    least ``cutoff``: a slip in a short word such as `jbo` or `flaot` stays within it, where an
    edit-distance bound of a third of the length would not), and whether it is the only one
    that close (safe for `check --fix`)."""
    if not isinstance(word, str):
        return None
    import difflib  # only for a word that is not in the vocabulary

    close = difflib.get_close_matches(word, list(vocabulary), n=2, cutoff=cutoff)
    return (close[0], len(close) == 1) if close else None


def replacement_fix(
    node: YNode, guess: tuple[str, bool] | None, present: Collection[object] = ()
) -> tuple[Fix, ...]:
    """ "Replace with `guess`" for a misspelt key or value on one line (safe for `check --fix`
    when the guess is the only close word); none when the mapping already has that key."""
    if guess is None or guess[0] in present or node.span.start.line != node.span.end.line:
        return ()
    return (Fix(f"Replace with `{guess[0]}`", node.span, guess[0], safe=guess[1]),)


def unambiguous(name: str, guess: str | None, candidates: Sequence[str]) -> bool:
    """Whether `guess` is strictly closer to `name` than every other candidate.

    Only candidates of a length close enough to tie are compared; when there are more than
    :data:`MAX_GUESS_CANDIDATES` of them the answer is False (never applied unattended), so that
    thousands of names do not cost thousands of comparisons each.
    """
    if guess is None:
        return False
    lowered = name.lower()
    best = _edit_distance(lowered, guess.lower())
    buckets = _by_length(candidates if isinstance(candidates, tuple) else tuple(candidates))
    window = min(best, 3)  # a name further in length is further away than `guess`
    sizes = range(max(0, len(lowered) - window), len(lowered) + window + 1)
    near = [buckets[size] for size in sizes if size in buckets]
    if sum(len(bucket.forwards) for bucket in near) > MAX_GUESS_CANDIDATES:
        return False
    return all(
        _edit_distance(lowered, low, best) > best
        for bucket in near
        for low, _position, other in bucket.forwards
        if other != guess
    )


def did_you_mean(name: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate by edit distance (at most a third of the name's length); ties go
    to the first candidate, so pass an ordered sequence (a set's order is not reproducible).

    Only candidates whose length can be close enough are compared; past
    :data:`MAX_GUESS_CANDIDATES` of them, the alphabetical neighbours of the name only, so
    that the cost per name stays bounded.
    """
    limit = max(1, len(name) // 3)
    lowered = name.lower()
    buckets = _by_length(candidates if isinstance(candidates, tuple) else tuple(candidates))
    window = min(limit, 3)  # a longer or shorter name is further away than that
    sizes = range(max(0, len(lowered) - window), len(lowered) + window + 1)
    found = [buckets[size] for size in sizes if size in buckets]
    near: set[tuple[int, str]] = set()  # (position, name)
    if sum(len(bucket.forwards) for bucket in found) <= MAX_GUESS_CANDIDATES:
        for bucket in found:
            near.update((position, name) for _low, position, name in bucket.forwards)
    else:  # neighbours by prefix, and by suffix (a slip at the start of the name)
        backwards = lowered[::-1]
        for bucket in found:
            for order, key in ((bucket.forwards, lowered), (bucket.backwards, backwards)):
                at = bisect.bisect_left(order, (key,))
                picked = order[max(0, at - _NEIGHBOURS) : at + _NEIGHBOURS]
                near.update((position, name) for _low, position, name in picked)
    best: tuple[int, int, str] | None = None
    for position, candidate in sorted(near):
        low = candidate.lower()
        # Only a distance under the best so far (and within the limit) can change the answer.
        bound = limit if best is None else min(limit, best[0] - 1)
        distance = _edit_distance(lowered, low, bound)
        if distance <= bound:
            best = (distance, position, candidate)
    if best is None:
        return None
    return best[2]


@dataclass(slots=True, eq=False, repr=False)
class _Bucket:
    """The candidate names of one length, sorted forwards and backwards."""

    #: (lowered, position, name), sorted; and the same with the lowered name reversed.
    forwards: list[tuple[str, int, str]]
    backwards: list[tuple[str, int, str]]


#: id of a candidates tuple → (the tuple, its buckets): hashing a long tuple for a lookup would
#: cost as much as building the buckets, so the same tuple object is recognised by identity
#: (kept alive here, so that its id cannot be reused).
_BUCKETS: OrderedDict[int, tuple[tuple[str, ...], dict[int, _Bucket]]] = OrderedDict()


def _by_length(candidates: tuple[str, ...]) -> dict[int, _Bucket]:
    """The candidates by the length of their lowered name (pass the same tuple for many names:
    an equal tuple is recognised too, at the cost of comparing it)."""
    known = _BUCKETS.get(id(candidates))
    if known is not None and known[0] is candidates:
        return known[1]
    buckets = _BY_VALUE.get(candidates)
    if buckets is None:
        buckets = _bucketed(candidates)
        _BY_VALUE[candidates] = buckets
        if len(_BY_VALUE) > 16:
            _BY_VALUE.popitem(last=False)
    _BUCKETS[id(candidates)] = (candidates, buckets)
    if len(_BUCKETS) > 16:
        _BUCKETS.popitem(last=False)
    return buckets


_BY_VALUE: OrderedDict[tuple[str, ...], dict[int, _Bucket]] = OrderedDict()


def _bucketed(candidates: tuple[str, ...]) -> dict[int, _Bucket]:
    buckets: dict[int, _Bucket] = {}
    for position, candidate in enumerate(candidates):
        low = candidate.lower()
        bucket = buckets.setdefault(len(low), _Bucket([], []))
        bucket.forwards.append((low, position, candidate))
        bucket.backwards.append((low[::-1], position, candidate))
    for bucket in buckets.values():
        bucket.forwards.sort()
        bucket.backwards.sort()
    return buckets


def _edit_distance(a: str, b: str, bound: int = 99) -> int:
    """Optimal-string-alignment distance: a swap of two neighbours (`modle`) costs one edit.

    A distance above ``bound`` may be returned as any value above it (the work stops early).
    """
    if abs(len(a) - len(b)) > 3:
        return 99
    # A common prefix or suffix never costs an edit: compare only what differs (names in one
    # file share long prefixes, `param_12` vs `param_21`).
    start = 0
    shortest = min(len(a), len(b))
    while start < shortest and a[start] == b[start]:
        start += 1
    end = 0
    while end < shortest - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    return _osa(a, b, bound)


def _osa(a: str, b: str, bound: int = 99) -> int:
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        # Every later cell comes from these two rows (a swap reaches back two): both above the
        # bound means the distance is too.
        if min(current) > bound and min(previous) > bound:
            return bound + 1
        before, previous = previous, current
    return previous[-1]
