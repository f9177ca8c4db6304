"""Value rules of schema fields whose type is more than a shape (Polyaxon 2.18 via pydantic 2):
schedule date-times (`startAt`, `endAt`), durations (`interval.frequency`) and docker images
(`init[].dockerfile.image`).

Date-times and durations are parsed by pydantic itself (the library Polyaxon validates with), so
the accepted spellings are exactly Polyaxon's: a date-time is an ISO 8601 / RFC 3339 text
(`2024-05-01T10:00:00Z`, `2024-05-01 10:00`, a bare date) or a Unix timestamp; a duration is a
number of seconds, `[D day[s][,]] HH:MM[:SS[.f]]` or ISO 8601 (`PT1H`, `P1DT12H`). `1h` and `abc`
are not durations. The docker image rule is clipped's `validate_image`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from param_lsp.core.findings import Severity
from param_lsp.core.yaml_tree import YNode, YScalar
from param_lsp.rules.registry import rule

_ADAPTERS: dict[str, Any] = {}
#: clipped's PARAM_REGEX: an image holding a `{{ }}` template is not checked.
_TEMPLATE = re.compile(r"{{\s*(.+)\s*}}")


def _adapter(kind: str) -> Any:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        from pydantic import TypeAdapter  # imported on the first schedule value only

        adapter = _ADAPTERS[kind] = TypeAdapter(datetime if kind == "datetime" else timedelta)
    return adapter


def _reason(kind: str, value: Any) -> str | None:
    """None when pydantic accepts ``value`` as ``kind``, else its one-line error."""
    from pydantic import ValidationError

    try:
        _adapter(kind).validate_python(value)
    except ValidationError as exc:
        errors = exc.errors()
        return str(errors[0]["msg"]) if errors else "invalid value"
    except (TypeError, ValueError, OverflowError) as exc:  # pragma: no cover - defensive
        return str(exc)
    return None


def _unconstructed(node: YScalar) -> bool:
    """A YAML timestamp PyYAML could not build (`2019-13-01`): the syntax family reports it."""
    return node.tag.endswith(":timestamp") and isinstance(node.value, str)


#: Date-time texts pydantic surely accepts (RFC 3339 with `T` or a space, optional seconds, a
#: fraction of up to 6 digits, `Z` or an offset) once the standard library's parser agrees: the
#: common spellings are decided without importing pydantic (~100 ms of a check run).
_PLAIN_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?", re.ASCII
)
#: Seconds pydantic surely accepts as a duration.
_PLAIN_SECONDS = 10**9


def _plain_datetime(value: Any) -> bool:
    if not isinstance(value, str) or not _PLAIN_DATETIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return False
    return True


def datetime_error(value: Any) -> str | None:
    """Why ``value`` (as YAML loaded it) is not a pydantic ``datetime``; None when it is."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):  # YAML reads an unquoted `2024-05-01` as a date
        return None
    if value is None or isinstance(value, (list, dict)):
        return "Input should be a valid datetime"
    if _plain_datetime(value):
        return None
    return _reason("datetime", value)


def timedelta_error(value: Any) -> str | None:
    """Why ``value`` is not a pydantic ``timedelta``; None when it is."""
    if isinstance(value, timedelta):
        return None
    if value is None or isinstance(value, (list, dict, date)):
        return "Input should be a valid timedelta"
    if type(value) in (int, float) and abs(value) < _PLAIN_SECONDS:  # seconds (not a bool)
        return None
    return _reason("timedelta", value)


def docker_image_error(image: str) -> str | None:
    """clipped's ``validate_image`` on a string: its message, or None when the image is valid."""
    if not image:
        return "Image is required"
    if _TEMPLATE.search(image):
        return None
    if " " in image:
        return f"Invalid docker image `{image}`"
    # `str.strip` with a character set, exactly as clipped does (it strips letters too).
    stripped = image.strip("https://").strip("http://")  # noqa: B005
    tagged = stripped.split(":")
    if len(tagged) > 3:
        return f"Invalid docker image `{image}`"
    if len(tagged) == 3 and ("/" not in tagged[1] or tagged[1].startswith("/")):
        return f"Invalid docker image `{image}`"
    return None


INVALID_VALUE = rule(
    "PLX130",
    "invalid-field-value",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A date-time, duration or docker image that Polyaxon cannot parse.",
    doc="""
    `schedule.startAt`/`endAt` must be date-times (ISO 8601 such as `2024-05-01T10:00:00Z`, a
    bare date, or a Unix timestamp), `schedule.frequency` of an `interval` schedule a duration
    (a number of seconds, `HH:MM:SS`, `2 days, 03:00:00` or ISO 8601 such as `PT1H`; `1h` is
    not one), and `init[].dockerfile.image` a docker image (no spaces, at most
    `host:port/name:tag`).
    A `{{ ... }}` template is accepted everywhere. Polyaxon reports pydantic's `Input should be
    a valid timedelta, ...` or `Invalid docker image ...`.
    """,
    bad="""
    kind: operation
    hubRef: notifier
    schedule:
      kind: interval
      frequency: 1h
    """,
    good="""
    kind: operation
    hubRef: notifier
    schedule:
      kind: interval
      frequency: 3600
    """,
)


def value_reason(t: tuple[Any, ...], node: YNode) -> str | None:
    """Pydantic's words for why a scalar is not the date-time/duration ``t`` wants (else None)."""
    core = t[1] if t[0] == "ref" else t
    if not isinstance(node, YScalar) or core[0] not in ("datetime", "timedelta"):
        return None
    if _unconstructed(node):
        return None
    return (datetime_error if core[0] == "datetime" else timedelta_error)(node.value)
