"""Polyaxon IO value parsing and validation (spec §6), reimplemented without Polyaxon.

`validate_io_value` reproduces what Polyaxon 2.18 does when it checks a value (an IO default
or a param) against an IO definition: None handling, strict-JSON decoding of string values
for "loadable" targets, lax pydantic-v2-like coercion per target type, then the
`V1Validation` checks, with Polyaxon's exact message texts.

Everything here was written from the spec (polyaxon-semantics.md §6, §5.3, §15.1) and from
probing the oracle (polyaxon 2.18.0 + pydantic 2.x). Places where the oracle disagrees with
the spec, or where the spec is silent, are marked `ORACLE:`.

Design: a type string is compiled once (cached) into a `_Target`, which knows its message
repr, whether string values are JSON-decoded first, and a converter function. Converters take
`(value, strict)` and either return the parsed value or raise `Fail` (→ "Cannot convert ...")
or `Crash` (→ Polyaxon would die with an unwrapped Python error) (`core/conversion.py`).
Strict JSON decoding lives in `core/strict_json.py`, the URL types in `core/urls.py`.
"""

from __future__ import annotations

import ast
import builtins
import datetime as _dt
import json
import math
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from param_lsp.core.conversion import Conv, Crash, Fail
from param_lsp.core.regex_guard import RegexTimeout, regex_match
from param_lsp.core.strict_json import I64_MIN, json_loads, orjson_dumps
from param_lsp.core.template_scan import has_template
from param_lsp.core.urls import AnyUrl, GcsPath, S3Path, Uri, WasbPath, url_conv

__all__ = [
    "ValueCheck",
    "is_known_type",
    "is_template",
    "py_str",
    "type_repr",
    "validate_io_value",
]


@dataclass(frozen=True, slots=True)
class ValueCheck:
    ok: bool
    value: Any = None
    message: str | None = None  # Polyaxon's own message
    crash: bool = False
    #: Why it failed: "missing" (no value), "convert" (not of the type), "validation"; with
    #: `detail`, the validation's own sentence ("Value `0` must be greater than `0`").
    problem: str = ""
    detail: str = ""
    #: A `validation.regex` that could not be evaluated in time (the pattern); the rest of the
    #: value was checked up to it.
    undecided: str | None = None


# --------------------------------------------------------------------------------------
# Small public helpers
# --------------------------------------------------------------------------------------

NO_VALUE_FOUND = "_NO_VALUE_FOUND"


def is_template(value: Any) -> bool:
    """§8.8: a str containing `{{ ... }}` (searched, not anchored; `.` excludes newline)."""
    return has_template(value)


def py_str(value: Any) -> str:
    """Python `str()` of a value, as Polyaxon substitutes it in messages (§15.1)."""
    return str(value)


# --------------------------------------------------------------------------------------
# Scalar converters (pydantic v2 semantics for Python input)
# --------------------------------------------------------------------------------------

_INT_STR_RE = re.compile(r"[+-]?\d+(?:_\d+)*(?:\.0*)?")
_FLOAT_STR_RE = re.compile(
    r"[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+)?|\d+(?:_\d+)*\.|"
    r"inf|infinity|nan)",
    re.IGNORECASE,
)
_I64_MAX = 2**63 - 1


def _conv_int(value: Any, strict: bool) -> int:
    if isinstance(value, bool):
        if strict:
            raise Fail
        return int(value)
    if isinstance(value, int):
        return int(value)
    if strict:
        raise Fail
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise Fail
        # ORACLE: pydantic only converts floats inside the i64 range (1e20 fails).
        if not (I64_MIN <= value <= _I64_MAX):
            raise Fail
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not _INT_STR_RE.fullmatch(text):
            raise Fail
        return int(text.split(".", 1)[0].replace("_", ""))
    raise Fail


def _conv_float(value: Any, strict: bool) -> float:
    if isinstance(value, bool):
        if strict:
            raise Fail
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        return float(value)
    if strict:
        raise Fail
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not _FLOAT_STR_RE.fullmatch(text):
            raise Fail
        try:
            return float(text.replace("_", ""))
        except ValueError:
            raise Fail from None
    raise Fail


_TRUE_STRS = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE_STRS = frozenset({"0", "off", "f", "false", "n", "no"})


def _conv_bool(value: Any, strict: bool) -> bool:
    if isinstance(value, bool):
        return value
    if strict:
        raise Fail
    if isinstance(value, int | float):
        if value == 1:
            return True
        if value == 0:
            return False
        raise Fail
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in _TRUE_STRS:
            return True
        if lowered in _FALSE_STRS:
            return False
    raise Fail


def _conv_str(value: Any, strict: bool) -> str:
    # pydantic's plain `str` (lax mode only adds bytes, which YAML never produces).
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes) and not strict:
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Fail from None
    raise Fail


def _conv_bytes(value: Any, strict: bool) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str) and not strict:
        return value.encode()
    raise Fail


def _conv_any(value: Any, strict: bool) -> Any:
    return value


def _conv_none(value: Any, strict: bool) -> None:
    if value is None:
        return None
    raise Fail


def _conv_never(value: Any, strict: bool) -> Any:
    raise Fail


def _conv_complex(value: Any, strict: bool) -> complex:
    if isinstance(value, complex):
        return value
    if strict:
        raise Fail
    if isinstance(value, int | float) and not isinstance(value, bool):
        return complex(value)
    if isinstance(value, str):
        try:
            return complex(value.strip().replace(" ", ""))
        except ValueError:
            raise Fail from None
    raise Fail


def _conv_generic_str(value: Any, strict: bool) -> Any:
    """clipped GenericStr: numbers and containers become orjson text, others str()."""
    if isinstance(value, int | float | dict | list | tuple | set):
        if isinstance(value, set):
            raise Fail  # orjson cannot serialize sets
        return orjson_dumps(value)
    if isinstance(value, str):
        return value
    # Imported lazily (with `platform`, ~4 ms of every start): no UUID exists before.
    uuid_module = sys.modules.get("uuid")
    if uuid_module is not None and isinstance(value, uuid_module.UUID):
        return value.hex
    if value is None:
        raise Fail
    return str(value)


def _constrained(base: Conv, check: Callable[[Any], bool]) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        result = base(value, strict)
        if not check(result):
            raise Fail
        return result

    return conv


def _strict(base: Conv) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        return base(value, True)

    return conv


# ---- dates and durations -------------------------------------------------------------

_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_DATETIME_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(?:[Zz]|[+-]([01]\d|2[0-3]):?[0-5]\d)?",
    re.ASCII,
)
_TIMESTAMP_STR_RE = re.compile(r"[+-]?\d+(?:\.(\d*))?", re.ASCII)
_EPOCH = _dt.date(1970, 1, 1)


def _date_from_timestamp(number: float) -> _dt.date:
    if abs(number) > 20_000_000_000:
        number = number / 1000
    if not math.isfinite(number) or number != int(number) or int(number) % 86400 != 0:
        raise Fail("Datetimes provided to dates should have zero time")
    try:
        return _EPOCH + _dt.timedelta(days=int(number) // 86400)
    except OverflowError:
        raise Fail from None


def _conv_date(value: Any, strict: bool) -> _dt.date:
    if isinstance(value, _dt.datetime):
        if strict:
            raise Fail
        if value.time() != _dt.time(0, 0):
            raise Fail("Datetimes provided to dates should have zero time")
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if strict or isinstance(value, bool):
        raise Fail
    if isinstance(value, int | float):
        return _date_from_timestamp(value)
    if isinstance(value, str):
        match = _DATE_RE.fullmatch(value)
        if match:
            try:
                return _dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise Fail from None
        match = _DATETIME_RE.fullmatch(value)
        if match:
            year, month, day, hour, minute, second, frac, _tz = match.groups()
            try:
                result = _dt.date(int(year), int(month), int(day))
            except ValueError:
                raise Fail from None
            if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
                raise Fail
            if int(hour) or int(minute) or int(second or 0) or int(frac or 0):
                raise Fail("Datetimes provided to dates should have zero time")
            return result
        match = _TIMESTAMP_STR_RE.fullmatch(value)
        if match:
            if match.group(1) and int(match.group(1)):
                raise Fail("Datetimes provided to dates should have zero time")
            return _date_from_timestamp(int(value.split(".", 1)[0]))
    raise Fail


_ISO_COMPONENT_RE = re.compile(r"(\d+)(?:[.,](\d+))?([A-Z])", re.ASCII)
_ISO_DATE_UNITS = {"Y": 365 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400}
_ISO_TIME_UNITS = {"H": 3600, "M": 60, "S": 1}
_CLOCK_DURATION_RE = re.compile(
    r"(?:(\d+) ?(?:days?|d)(?:, ?| ?))?(?:(\d+):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?",
    re.IGNORECASE | re.ASCII,
)
_MAX_TD_SECONDS = 86400 * 999_999_999


def _parse_iso_duration(body: str) -> float:
    """`body` is what follows `P`. ORACLE: speedate accepts repeated/unordered units, a
    fraction only on the very last component, and `P1DT` (empty time part)."""
    date_part, sep, time_part = body.partition("T")
    total = 0.0
    count = 0
    parts = [(date_part, _ISO_DATE_UNITS)]
    if sep:
        parts.append((time_part, _ISO_TIME_UNITS))
    for index, (text, units) in enumerate(parts):
        pos = 0
        while pos < len(text):
            match = _ISO_COMPONENT_RE.match(text, pos)
            if not match or match.group(3) not in units:
                raise Fail
            whole, frac, unit = match.groups()
            pos = match.end()
            last = pos == len(text) and index == len(parts) - 1
            if frac is not None and not last:
                raise Fail
            number = float(f"{whole}.{frac}") if frac is not None else int(whole)
            total += number * units[unit]
            count += 1
    if not count:
        raise Fail
    return total


def _conv_timedelta(value: Any, strict: bool) -> _dt.timedelta:
    if isinstance(value, _dt.timedelta):
        return value
    if strict:
        raise Fail
    if isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > _MAX_TD_SECONDS:
            raise Fail
        return _dt.timedelta(seconds=value)
    if isinstance(value, str):
        sign, body = "", value
        if body[:1] in ("+", "-"):
            sign, body = body[0], body[1:]
        if body[:1] == "P":
            result = _dt.timedelta(seconds=_parse_iso_duration(body[1:]))
            return -result if sign == "-" else result
        match = _CLOCK_DURATION_RE.fullmatch(body)
        if match and (match.group(1) is not None or match.group(2) is not None):
            days, hours, minutes, seconds, frac = match.groups()
            if hours is not None and seconds is None and len(hours) < 2:
                raise Fail  # ORACLE: `H:MM` needs two hour digits, `H:MM:SS` does not
            if (minutes and int(minutes) >= 60) or (seconds and int(seconds) >= 60):
                raise Fail
            result = _dt.timedelta(
                days=int(days or 0),
                hours=int(hours or 0),
                minutes=int(minutes or 0),
                seconds=int(seconds or 0),
                microseconds=int((frac or "0")[:6].ljust(6, "0")),
            )
            return -result if sign == "-" else result
    raise Fail


# ---- secrets, byte sizes, json, cards ----------------------------------------------


class SecretStr:
    """Stand-in for pydantic's SecretStr (prints masked)."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __str__(self) -> str:
        return "**********" if self._secret else ""

    def __repr__(self) -> str:
        return f"SecretStr('{self}')"


class SecretBytes:
    """Stand-in for pydantic's SecretBytes (prints masked)."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def __str__(self) -> str:
        return "b'**********'" if self._secret else "b''"

    def __repr__(self) -> str:
        return f"SecretBytes({self})"


def _conv_secret_str(value: Any, strict: bool) -> SecretStr:
    return SecretStr(_conv_str(value, strict))


def _conv_secret_bytes(value: Any, strict: bool) -> SecretBytes:
    return SecretBytes(_conv_bytes(value, strict))


_BYTE_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "pb": 10**15,
    "eb": 10**18,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
    "pib": 2**50,
    "eib": 2**60,
    "bit": 1,
    "kbit": 10**3 // 8,
    "mbit": 10**6 // 8,
    "gbit": 10**9 // 8,
    "tbit": 10**12 // 8,
    "pbit": 10**15 // 8,
    "ebit": 10**18 // 8,
}
_BYTE_SIZE_RE = re.compile(r"^\s*(\d*\.?\d+)\s*(\w+)?", re.IGNORECASE)


def _conv_byte_size(value: Any, strict: bool) -> int:
    try:
        return _conv_int(value, strict)
    except Fail:
        pass
    if not isinstance(value, str):
        raise Fail
    match = _BYTE_SIZE_RE.match(value)
    if not match:
        raise Fail
    scalar, unit = match.groups()
    factor = _BYTE_UNITS.get((unit or "b").lower())
    if factor is None:
        raise Fail
    return int(float(scalar) * factor)


def _conv_json(value: Any, strict: bool) -> Any:
    if not isinstance(value, str | bytes):
        raise Fail
    try:
        return json.loads(value)
    except ValueError:
        raise Fail from None


def _conv_card(value: Any, strict: bool) -> str:
    text = _conv_str(value, strict).strip()
    if not text.isdigit() or not 12 <= len(text) <= 19:
        raise Fail
    total = 0
    for index, char in enumerate(reversed(text)):
        digit = int(char)
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    if total % 10:
        raise Fail
    brand_len = {"4": (13, 16, 19), "5": (16,), "3": (15,)}.get(text[0])
    if text[0] in "45" and brand_len and len(text) not in brand_len:
        raise Fail
    if text[:2] in ("34", "37") and len(text) != 15:
        raise Fail
    return text


def _conv_past_date(value: Any, strict: bool) -> _dt.date:
    result = _conv_date(value, strict)
    if result >= _dt.date.today():
        raise Fail
    return result


def _conv_future_date(value: Any, strict: bool) -> _dt.date:
    result = _conv_date(value, strict)
    if result <= _dt.date.today():
        raise Fail
    return result


# ---- image, uuid, email -------------------------------------------------------------

_IMAGE_STRIP = "htps:/"


def _conv_image(value: Any, strict: bool) -> str:
    if not value:
        raise Fail("Image is required")
    if isinstance(value, dict):  # backwards compatibility: {name: ...}
        value = value.get("name")
    if not isinstance(value, str):
        raise Fail("Image value should be a string")
    if has_template(value):
        return value
    if " " in value:
        raise Fail
    # ORACLE/spec: `str.strip("https://")` strips any of the characters h,t,p,s,:,/.
    parts = value.strip(_IMAGE_STRIP).split(":")
    if len(parts) > 3:
        raise Fail
    if len(parts) == 3 and ("/" not in parts[1] or parts[1].startswith("/")):
        raise Fail
    return value


def _conv_uuid(value: Any, strict: bool) -> Any:
    if isinstance(value, str):
        import uuid

        try:
            return uuid.UUID(value).hex
        except ValueError:
            raise Fail from None
    raise Fail


_EMAIL_ATOM = r"[-!#$%&'*+/=?^`{}|~\w]+"
_EMAIL_USER_RE = re.compile(
    rf"(?:{_EMAIL_ATOM}(?:\.{_EMAIL_ATOM})*"
    r'|"(?:[\x01-\x08\x0b\x0c\x0e-\x1f!#-\[\]-\x7f]|\\[\x01-\x09\x0b\x0c\x0e-\x7f])*")\Z',
    re.IGNORECASE,
)
_EMAIL_DOMAIN_RE = re.compile(
    r"(?:(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?\.)+(?:[A-Z]{2,6}|[A-Z0-9-]{2,})"
    r"|\[(?:25[0-5]|2[0-4]\d|[0-1]?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|[0-1]?\d?\d)){3}\])\Z",
    re.IGNORECASE,
)


def _conv_email(value: Any, strict: bool) -> str:
    if not isinstance(value, str):
        raise Fail
    if "@" not in value:
        raise Fail
    user, domain = value.rsplit("@", 1)
    if not _EMAIL_USER_RE.match(user):
        raise Fail
    if domain == "localhost" or _EMAIL_DOMAIN_RE.match(domain):
        return value
    try:
        encoded = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise Fail from None
    if _EMAIL_DOMAIN_RE.match(encoded):
        return value
    raise Fail


# --------------------------------------------------------------------------------------
# Containers and unions
# --------------------------------------------------------------------------------------


def _list_of(item: Conv) -> Conv:
    def conv(value: Any, strict: bool) -> list[Any]:
        if isinstance(value, list):
            items: Any = value
        elif not strict and isinstance(value, tuple | set | frozenset):
            items = value
        else:
            raise Fail
        return [item(element, strict) for element in items]

    return conv


def _tuple_of(items: list[Conv] | None, variadic: Conv | None) -> Conv:
    def conv(value: Any, strict: bool) -> tuple[Any, ...]:
        if isinstance(value, tuple):
            seq: Any = value
        elif not strict and isinstance(value, list | set | frozenset):
            seq = list(value)
        else:
            raise Fail
        if variadic is not None:
            return tuple(variadic(element, strict) for element in seq)
        assert items is not None
        if len(seq) != len(items):
            raise Fail
        return tuple(c(element, strict) for c, element in zip(items, seq, strict=True))

    return conv


def _set_of(item: Conv, frozen: bool) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        if isinstance(value, set | frozenset):
            seq: Any = value
        elif not strict and isinstance(value, list | tuple):
            seq = value
        else:
            raise Fail
        try:
            result = {item(element, strict) for element in seq}
        except TypeError:
            raise Fail from None
        return frozenset(result) if frozen else result

    return conv


def _dict_of(key: Conv, val: Conv) -> Conv:
    def conv(value: Any, strict: bool) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise Fail
        result = {}
        for k, v in value.items():
            new_key = key(k, strict)
            try:
                result[new_key] = val(v, strict)
            except TypeError:
                raise Fail from None
        return result

    return conv


def _union_of(members: list[Conv]) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        # pydantic "smart" union: strict pass first (a result of the input's own type wins,
        # e.g. `float | int` keeps 1 an int), then (if allowed) a lax pass, in order.
        first: list[Any] = []
        for member in members:
            try:
                result = member(value, True)
            except Fail:
                continue
            if type(result) is type(value):
                return result
            if not first:
                first.append(result)
        if first:
            return first[0]
        if not strict:
            for member in members:
                try:
                    return member(value, False)
                except Fail:
                    continue
        raise Fail

    return conv


# --------------------------------------------------------------------------------------
# Structured Polyaxon types (git, dockerfile, artifacts, event, file, tensorboard)
# --------------------------------------------------------------------------------------


class _Struct:
    """A parsed structured value; `str()` mimics a pydantic model's str()."""

    _FIELDS: tuple[str, ...] = ()
    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __str__(self) -> str:
        return " ".join(f"{name}={self._values.get(name)!r}" for name in self._FIELDS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(str(self).split(' '))})"

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter([(name, self._values.get(name)) for name in self._FIELDS])

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Struct)
            and type(other) is type(self)
            and other._values == self._values
        )

    def __hash__(self) -> int:
        return id(self)

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)


def _ref_field(value: Any, strict: bool) -> str:
    # clipped RefField: a str that contains a {{ }} template.
    if not isinstance(value, str) or not has_template(value):
        raise Fail
    return value


def _or_ref(conv: Conv) -> Conv:
    return _union_of([conv, _ref_field])


_STRICT_STR = _strict(_conv_str)
_STRICT_INT = _strict(_conv_int)


def _str_list_from_csv(inner: Conv) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        if isinstance(value, str) and not has_template(value):
            value = [part.strip() for part in value.split(",") if part.strip()]
        return inner(value, strict)

    return conv


# field spec: (python name, alias, converter or None for required-str specials, default)
_FieldSpec = tuple[str, str, Conv, bool, Any]


def _struct_type(class_name: str, fields: list[_FieldSpec]) -> tuple[type[_Struct], Conv]:
    cls: type[_Struct] = type(
        class_name, (_Struct,), {"_FIELDS": tuple(f[0] for f in fields), "__slots__": ()}
    )
    by_key: dict[str, _FieldSpec] = {}
    for spec in fields:
        by_key[spec[1]] = spec
        by_key[spec[0]] = spec

    def conv(value: Any, strict: bool) -> _Struct:
        if isinstance(value, cls):
            return value
        if not isinstance(value, dict):
            raise Fail
        values: dict[str, Any] = {}
        for key, item in value.items():
            spec = by_key.get(key) if isinstance(key, str) else None
            if spec is None:
                raise Fail  # extra=forbid
            pyname, _alias, field_conv, _required, _default = spec
            if item is None:
                # every optional field accepts None; required ones don't.
                if spec[3]:
                    raise Fail
                values[pyname] = None
                continue
            values[pyname] = field_conv(item, strict)
        for pyname, _alias, _c, required, default in fields:
            if pyname not in values:
                if required:
                    raise Fail
                values[pyname] = default
        return cls(values)

    return cls, conv


_STR_OR_PAIR = _union_of([_STRICT_STR, _list_of(_STRICT_STR)])
_STR_OR_PAIR_STRICT = _union_of(
    [_STRICT_STR, _list_of(_STRICT_STR), _tuple_of([_STRICT_STR, _STRICT_STR], None)]
)


def _dockerfile_image(value: Any, strict: bool) -> str:
    text = _STRICT_STR(value, strict)
    return _conv_image(text, strict)


_ARTIFACT_KINDS = frozenset(
    {
        "model",
        "audio",
        "video",
        "histogram",
        "image",
        "tensor",
        "dataframe",
        "chart",
        "csv",
        "tsv",
        "psv",
        "ssv",
        "metric",
        "env",
        "html",
        "text",
        "file",
        "dir",
        "dockerfile",
        "docker_image",
        "data",
        "coderef",
        "table",
        "tensorboard",
        "curve",
        "confusion",
        "analysis",
        "iteration",
        "markdown",
        "system",
        "artifact",
        "span",
    }
)


def _artifact_kind(value: Any, strict: bool) -> str:
    if isinstance(value, str) and value in _ARTIFACT_KINDS:
        return value
    raise Fail


_STRUCTS: dict[str, tuple[str, Conv]] = {}


def _register_structs() -> None:
    specs: dict[str, tuple[str, list[_FieldSpec]]] = {
        "git": (
            "V1GitType",
            [
                ("url", "url", _STRICT_STR, False, None),
                ("revision", "revision", _STRICT_STR, False, None),
                ("flags", "flags", _or_ref(_list_of(_STRICT_STR)), False, None),
            ],
        ),
        "dockerfile": (
            "V1DockerfileType",
            [
                ("image", "image", _dockerfile_image, True, None),
                (
                    "env",
                    "env",
                    _union_of(
                        [
                            _dict_of(_conv_str, _conv_any),
                            _list_of(
                                _union_of(
                                    [_tuple_of([_conv_str, _conv_str], None), _list_of(_conv_str)]
                                )
                            ),
                            _ref_field,
                        ]
                    ),
                    False,
                    None,
                ),
                ("path", "path", _or_ref(_list_of(_STRICT_STR)), False, None),
                ("copy_", "copy", _or_ref(_list_of(_STR_OR_PAIR_STRICT)), False, None),
                (
                    "post_run_copy",
                    "postRunCopy",
                    _or_ref(_list_of(_STR_OR_PAIR_STRICT)),
                    False,
                    None,
                ),
                ("run", "run", _or_ref(_list_of(_STRICT_STR)), False, None),
                ("lang_env", "langEnv", _STRICT_STR, False, None),
                ("uid", "uid", _or_ref(_conv_int), False, None),
                ("gid", "gid", _or_ref(_conv_int), False, None),
                ("username", "username", _STRICT_STR, False, None),
                ("filename", "filename", _STRICT_STR, False, "Dockerfile"),
                ("workdir", "workdir", _STRICT_STR, False, "/code"),
                ("workdir_path", "workdirPath", _STRICT_STR, False, None),
                ("shell", "shell", _STRICT_STR, False, "/bin/bash"),
            ],
        ),
        "artifacts": (
            "V1ArtifactsType",
            [
                ("files", "files", _or_ref(_list_of(_STR_OR_PAIR)), False, None),
                ("dirs", "dirs", _or_ref(_list_of(_STR_OR_PAIR)), False, None),
                ("workers", "workers", _or_ref(_STRICT_INT), False, None),
            ],
        ),
        "event": (
            "V1EventType",
            [
                ("name", "name", _STRICT_STR, False, None),
                ("kind", "kind", _STRICT_STR, False, None),
            ],
        ),
        "file": (
            "V1FileType",
            [
                ("kind", "kind", _or_ref(_artifact_kind), False, None),
                ("content", "content", _STRICT_STR, True, None),
                ("filename", "filename", _STRICT_STR, False, None),
                ("chmod", "chmod", _STRICT_STR, False, None),
            ],
        ),
        "tensorboard": (
            "V1TensorboardType",
            [
                ("port", "port", _or_ref(_STRICT_INT), False, None),
                (
                    "uuids",
                    "uuids",
                    _str_list_from_csv(_or_ref(_list_of(_uuid_item))),
                    False,
                    None,
                ),
                ("use_names", "useNames", _or_ref(_conv_bool), False, None),
                ("path_prefix", "pathPrefix", _STRICT_STR, False, None),
                (
                    "plugins",
                    "plugins",
                    _str_list_from_csv(_or_ref(_list_of(_STRICT_STR))),
                    False,
                    None,
                ),
            ],
        ),
    }
    for type_name, (class_name, fields) in specs.items():
        _cls, conv = _struct_type(class_name, fields)
        _STRUCTS[type_name] = (class_name, conv)


def _uuid_item(value: Any, strict: bool) -> Any:
    # UUIDStr: before-validator then lax str.
    if isinstance(value, str):
        return _conv_uuid(value, strict)
    if not value:
        return _conv_str(value, strict)
    raise Fail


_register_structs()

# --------------------------------------------------------------------------------------
# Type strings → targets
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    repr: str
    loadable: bool
    known: bool
    conv: Conv | None = None  # None → crash when a value reaches it
    crash: str | None = None


# Mapped names (§6.2): type string → (repr, loadable, converter).
_MAPPED: dict[str, tuple[str, str, bool, Conv]] = {
    # name: (scalar repr, inner repr used inside typing.List[...], loadable, converter)
    "str": (
        "<class 'clipped.types.strings.GenericStr'>",
        "clipped.types.strings.GenericStr",
        False,
        _conv_generic_str,
    ),
    "any": ("typing.Any", "typing.Any", False, _conv_any),
    "path": ("<class 'str'>", "str", False, _STRICT_STR),
    "metric": ("<class 'float'>", "float", True, _conv_float),
    "metadata": ("typing.Dict", "typing.Dict", True, _dict_of(_conv_any, _conv_any)),
    "uri": (
        "<class 'clipped.types.uri.Uri'>",
        "clipped.types.uri.Uri",
        False,
        url_conv(Uri, None),
    ),
    "image": (
        "<class 'clipped.types.docker_image.ImageStr'>",
        "clipped.types.docker_image.ImageStr",
        False,
        _conv_image,
    ),
    "gcs": (
        "<class 'clipped.types.gcs.GcsPath'>",
        "clipped.types.gcs.GcsPath",
        False,
        url_conv(GcsPath, frozenset({"gs", "gcs"})),
    ),
    "s3": (
        "<class 'clipped.types.s3.S3Path'>",
        "clipped.types.s3.S3Path",
        False,
        url_conv(S3Path, frozenset({"s3"})),
    ),
    "wasb": (
        "<class 'clipped.types.wasb.WasbPath'>",
        "clipped.types.wasb.WasbPath",
        False,
        url_conv(WasbPath, frozenset({"https", "wasb", "wasbs", "az", "abfs"})),
    ),
    "uuid": (
        "<class 'clipped.types.uuids.UUIDStr'>",
        "clipped.types.uuids.UUIDStr",
        False,
        _uuid_item,
    ),
    "email": (
        "<class 'clipped.types.email.EmailStr'>",
        "clipped.types.email.EmailStr",
        False,
        _conv_email,
    ),
    "date": ("<class 'datetime.date'>", "datetime.date", False, _conv_date),
    # spec §6.2: `datetime` maps to date (mapping bug in clipped).
    "datetime": ("<class 'datetime.date'>", "datetime.date", False, _conv_date),
    "timedelta": (
        "<class 'datetime.timedelta'>",
        "datetime.timedelta",
        False,
        _conv_timedelta,
    ),
}
for _name, (_cls_name, _conv) in _STRUCTS.items():
    _module = "polyaxon._schemas.types." + _name
    _MAPPED[_name] = (f"<class '{_module}.{_cls_name}'>", f"{_module}.{_cls_name}", True, _conv)

# Unmapped strings that are nevertheless not JSON-decoded (clipped NON_LOADABLE).
_NON_LOADABLE_UNMAPPED = frozenset({"bool", "Any"})
# Builtins also resolve (e.g. `range`), but are not usable as types → schema crash.
_BUILTIN_NAMES = frozenset(name for name in dir(builtins) if not name.startswith("_"))


# Names resolvable in the namespace where Polyaxon evaluates type strings.
_SCALARS: dict[str, Conv] = {
    "int": _conv_int,
    "float": _conv_float,
    "bool": _conv_bool,
    "str": _conv_str,
    "bytes": _conv_bytes,
    "complex": _conv_complex,
    "object": _conv_any,
    "Any": _conv_any,
    "T": _conv_any,  # an unbound TypeVar validates as Any
    "dict": _dict_of(_conv_any, _conv_any),
    "Dict": _dict_of(_conv_any, _conv_any),
    "list": _list_of(_conv_any),
    "List": _list_of(_conv_any),
    "tuple": _tuple_of(None, _conv_any),
    "set": _set_of(_conv_any, False),
    "frozenset": _set_of(_conv_any, True),
    "type": _conv_never,
    "Type": _conv_never,
    "Callable": _conv_never,
    "StrictInt": _strict(_conv_int),
    "StrictFloat": _strict(_conv_float),
    "StrictBool": _strict(_conv_bool),
    "StrictStr": _strict(_conv_str),
    "StrictBytes": _strict(_conv_bytes),
    "PositiveInt": _constrained(_conv_int, lambda v: v > 0),
    "NegativeInt": _constrained(_conv_int, lambda v: v < 0),
    "NonNegativeInt": _constrained(_conv_int, lambda v: v >= 0),
    "NonPositiveInt": _constrained(_conv_int, lambda v: v <= 0),
    "PositiveFloat": _constrained(_conv_float, lambda v: v > 0),
    "NegativeFloat": _constrained(_conv_float, lambda v: v < 0),
    "NonNegativeFloat": _constrained(_conv_float, lambda v: v >= 0),
    "NonPositiveFloat": _constrained(_conv_float, lambda v: v <= 0),
    "FiniteFloat": _constrained(_conv_float, math.isfinite),
    "Json": _conv_json,
    "SecretStr": _conv_secret_str,
    "SecretBytes": _conv_secret_bytes,
    "ByteSize": _conv_byte_size,
    "PastDate": _conv_past_date,
    "FutureDate": _conv_future_date,
    "PaymentCardNumber": _conv_card,
    "AnyUrl": url_conv(AnyUrl, None),
}

# Other names that exist in that namespace (module globals of clipped.compact.pydantic and
# builtins) but are not usable as a type: Polyaxon crashes in pydantic schema generation.
_OTHER_NAMES = frozenset(
    {
        "BaseConfig",
        "BaseModel",
        "ConfigDict",
        "Field",
        "ModelField",
        "NameFactory",
        "PrivateAttr",
        "Protocol",
        "PydanticAllowConfig",
        "PydanticAlwaysConfig",
        "PydanticConfig",
        "PydanticTypeError",
        "PydanticValueError",
        "RootModel",
        "TypeVar",
        "ValidationError",
        "ValidationInfo",
        "constr",
        "create_model",
        "field_validator",
        "load_str_bytes",
        "model_rebuild",
        "model_validator",
        "parse_date",
        "parse_datetime",
        "parse_duration",
        "parse_obj_as",
        "patter_constr",
        "strict_str_validator",
        "uuid_validator",
        "validate_call",
        "wraps",
        "orjson_dumps",
        "orjson_loads",
        "validation_after",
        "validation_always",
        "validation_before",
        "TYPE_CHECKING",
        "PYDANTIC_VERSION",
        "NAME_REGEX",
        "FULLY_QUALIFIED_NAME_REGEX",
        "type_",
        "obj",
        "type_forwarding",
        "TypeAdapter",
    }
)
# typing generics check their arity when subscripted (TypeError → "Cannot convert").
_TYPING_ARITY = {"List": 1, "Dict": 2, "Optional": 1, "Type": 1}
_BUILTIN_GENERICS = frozenset({"list", "dict", "tuple", "set", "frozenset", "type"})


class _NameErr(Exception):
    """A name is not defined (→ PydanticUserError "not fully defined")."""


class _EvalTypeErr(Exception):
    """Evaluating the expression raises TypeError (→ "Cannot convert value ...")."""


class _SchemaErr(Exception):
    """pydantic cannot build a schema for the object (→ crash)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


# Evaluated type objects (a tiny mirror of what Python's eval() would produce):
#   ("name", n) | ("generic", n, args) | ("union", members) | ("none",) | ("const", repr)
#   ("str", text) | ("list", items) | ("other", n)
_TypeObj = tuple[Any, ...]


def _is_type_like(obj: _TypeObj) -> bool:
    return obj[0] in ("name", "generic", "union", "none", "str")


def _eval(node: ast.expr) -> _TypeObj:
    if isinstance(node, ast.Name):
        if node.id in _SCALARS or node.id == "Optional":
            return ("name", node.id)
        if node.id in _OTHER_NAMES or node.id in _BUILTIN_NAMES:
            return ("other", node.id)
        raise _NameErr(node.id)
    if isinstance(node, ast.Constant):
        if node.value is None:
            return ("none",)
        if isinstance(node.value, str):
            return ("str", node.value)
        return ("const", "Ellipsis" if node.value is Ellipsis else repr(node.value))
    if isinstance(node, ast.List):
        return ("list", [_eval(elt) for elt in node.elts])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _eval(node.left), _eval(node.right)
        if left[0] in ("str", "const", "list") or right[0] in ("str", "const", "list"):
            raise _EvalTypeErr
        if left == ("none",) and right == ("none",):
            raise _EvalTypeErr
        members: list[_TypeObj] = []
        for side in (left, right):
            members.extend(side[1] if side[0] == "union" else [side])
        return ("union", members)
    if isinstance(node, ast.Subscript):
        base = _eval(node.value)
        inner = node.slice
        args = (
            [_eval(elt) for elt in inner.elts] if isinstance(inner, ast.Tuple) else [_eval(inner)]
        )
        if base[0] != "name":
            raise _EvalTypeErr
        name = base[1]
        if name == "Callable":
            if len(args) != 2 or args[0][0] not in ("list", "const"):
                raise _EvalTypeErr
            return ("generic", name, args)
        arity = _TYPING_ARITY.get(name)
        if arity is not None:
            if len(args) != arity:
                raise _EvalTypeErr
            if name == "Optional":
                if not _is_type_like(args[0]):
                    raise _EvalTypeErr
                return ("union", [args[0], ("none",)])
            return ("generic", name, args)
        if name in _BUILTIN_GENERICS:
            return ("generic", name, args)
        raise _EvalTypeErr  # e.g. int[str]: 'type' object is not subscriptable
    if isinstance(node, ast.Attribute):
        _eval(node.value)
        raise _SchemaErr(f"{ast.unparse(node)}")
    raise _SchemaErr(ast.unparse(node))


def _schema(obj: _TypeObj) -> Conv:
    kind = obj[0]
    if kind == "name":
        if obj[1] not in _SCALARS:
            raise _SchemaErr(f"typing.{obj[1]}")
        return _SCALARS[obj[1]]
    if kind == "none":
        return _conv_none
    if kind == "str":
        return _schema(_eval_string(obj[1]))
    if kind == "union":
        return _union_of([_schema(member) for member in obj[1]])
    if kind == "generic":
        name, args = obj[1], obj[2]
        if name in ("Type", "type", "Callable"):
            return _conv_never
        if name in ("List", "list"):
            return _list_of(_schema(args[0]))
        if name in ("set", "frozenset"):
            return _set_of(_schema(args[0]), name == "frozenset")
        if name in ("Dict", "dict"):
            if len(args) != 2:
                return _conv_never
            return _dict_of(_schema(args[0]), _schema(args[1]))
        if name == "tuple":
            if len(args) == 2 and args[1] == ("const", "Ellipsis"):
                return _tuple_of(None, _schema(args[0]))
            return _tuple_of([_schema(arg) for arg in args], None)
    if kind == "const":
        raise _SchemaErr(obj[1])
    raise _SchemaErr(str(obj[1]))


def _eval_string(text: str) -> _TypeObj:
    if text[:1].isspace():
        # ORACLE: leading whitespace is an "unexpected indent" for ForwardRef.
        raise SyntaxError(text)
    return _eval(ast.parse(text, mode="eval").body)


def _crash_not_defined(type_repr_: str) -> str:
    return (
        f"PydanticUserError: `TypeAdapter[{type_repr_}]` is not fully defined; you should "
        f"define `{type_repr_}` and all referenced types, then call `.rebuild()` on the "
        "instance."
    )


def _resolve_expression(io_type: str, repr_: str) -> tuple[Conv | None, str | None]:
    """Compile an unmapped type string; returns (converter, crash description)."""
    try:
        return _schema(_eval_string(io_type)), None
    except (SyntaxError, ValueError):
        return None, f"SyntaxError: Forward reference must be an expression -- got {io_type!r}"
    except _NameErr:
        return None, _crash_not_defined(repr_)
    except _EvalTypeErr:
        return _conv_never, None
    except _SchemaErr as exc:
        return None, (
            f"PydanticSchemaGenerationError: Unable to generate pydantic-core schema for "
            f"{exc.text}. Set `arbitrary_types_allowed=True` in the model_config to ignore "
            "this error or implement `__get_pydantic_core_schema__` on your type to fully "
            "support it."
        )
    except RecursionError:
        return None, "RecursionError: maximum recursion depth exceeded"


@lru_cache(maxsize=4096)
def _target(io_type: str, is_list: bool) -> _Target:
    mapped = _MAPPED.get(io_type)
    if mapped is not None:
        scalar_repr, inner_repr, loadable, conv = mapped
        if is_list:
            return _Target(f"typing.List[{inner_repr}]", True, True, _list_of(conv))
        return _Target(scalar_repr, loadable, True, conv)
    if is_list:
        # ORACLE: the string becomes `List[ForwardRef('...')]` and is always loadable.
        repr_ = f"typing.List[ForwardRef({io_type!r})]"
        loadable = True
    else:
        repr_ = io_type
        loadable = io_type not in _NON_LOADABLE_UNMAPPED
    conv_or_none, crash = _resolve_expression(io_type, repr_)
    if conv_or_none is None:
        return _Target(repr_, loadable, False, None, crash)
    # A type expression that can never accept a value (e.g. `List[int, str]`) is "unknown".
    known = conv_or_none is not _conv_never
    conv = _list_of(conv_or_none) if is_list else conv_or_none
    return _Target(repr_, loadable, known, conv)


def type_repr(io_type: str, is_list: bool | None) -> str:
    """The `{target_repr}` printed in "Cannot convert value ..." messages (§6.2)."""
    return _target(io_type, bool(is_list)).repr


def is_known_type(io_type: str) -> bool:
    """False for type strings Polyaxon cannot resolve (§6.5)."""
    return _target(io_type, False).known


#: Common IO type names, and the spellings of other schema languages Polyaxon does not map.
_COMMON_TYPES = (
    "int", "float", "bool", "str", "dict", "list", "path", "uri", "image", "s3", "gcs", "wasb",
    "uuid", "email", "date", "datetime", "timedelta", "metric", "metadata", "any",
)  # fmt: skip
_TYPE_ALIASES = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}


def closest_type(io_type: str) -> str | None:
    """The Polyaxon type an unknown type string most likely means (`integer` → `int`)."""
    alias = _TYPE_ALIASES.get(io_type.lower())
    if alias is not None:
        return alias
    from param_lsp.core.names import closest_word  # only for a type Polyaxon does not know

    close = closest_word(io_type, _COMMON_TYPES, cutoff=0.6)
    return close[0] if close else None


# --------------------------------------------------------------------------------------
# V1Validation (§6.6)
# --------------------------------------------------------------------------------------

_VALIDATION_KEYS: dict[str, str] = {
    "delay": "delay",
    "gt": "gt",
    "ge": "ge",
    "lt": "lt",
    "le": "le",
    "multipleOf": "multiple_of",
    "minDigits": "min_digits",
    "maxDigits": "max_digits",
    "decimalPlaces": "decimal_places",
    "regex": "regex",
    "minLength": "min_length",
    "maxLength": "max_length",
    "contains": "contains",
    "excludes": "excludes",
    "options": "options",
    "minItems": "min_items",
    "maxItems": "max_items",
    "keys": "keys",
    "containsKeys": "contains_keys",
    "excludesKeys": "excludes_keys",
}
_VALIDATION_KEYS.update({v: v for v in list(_VALIDATION_KEYS.values())})

_NUMBER_FIELDS = frozenset({"gt", "ge", "lt", "le", "multiple_of"})
_INT_FIELDS = frozenset(
    {"min_digits", "max_digits", "decimal_places", "min_length", "max_length"}
    | {"min_items", "max_items"}
)
_KEYS_FIELDS = frozenset({"keys", "contains_keys", "excludes_keys"})


class _InvalidValidation(Exception):
    pass


def _coerce_number_constraint(value: Any) -> Any:
    # Union[StrictInt, StrictFloat, float, RefField] (smart union).
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            return _conv_float(value, False)
        except Fail:
            if has_template(value):
                return value
    raise _InvalidValidation


def _coerce_validation(validation: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, raw in validation.items():
        field = _VALIDATION_KEYS.get(key) if isinstance(key, str) else None
        if field is None:
            raise _InvalidValidation
        if raw is None:
            out[field] = None
            continue
        if field in _NUMBER_FIELDS:
            out[field] = _coerce_number_constraint(raw)
        elif field in _INT_FIELDS:
            if (isinstance(raw, int) and not isinstance(raw, bool)) or is_template(raw):
                out[field] = raw
            else:
                raise _InvalidValidation
        elif field == "regex":
            if not isinstance(raw, str):
                raise _InvalidValidation
            out[field] = raw
        elif field in _KEYS_FIELDS:
            if is_template(raw) or (isinstance(raw, list) and all(isinstance(k, str) for k in raw)):
                out[field] = raw
            else:
                raise _InvalidValidation
        elif field == "delay":
            if isinstance(raw, bool) or is_template(raw):
                out[field] = raw
            else:
                try:
                    out[field] = _conv_bool(raw, False)
                except Fail:
                    raise _InvalidValidation from None
        else:
            out[field] = raw
    return out


class _ValidationFailed(Exception):
    pass


def _check_element(rules: dict[str, Any], v: Any) -> None:
    gt = rules.get("gt")
    if gt is not None and v <= gt:
        raise _ValidationFailed(f"Value `{v}` must be greater than `{gt}`")
    ge = rules.get("ge")
    if ge is not None and v < ge:
        raise _ValidationFailed(f"Value `{v}` must be greater than or equal to `{ge}`")
    lt = rules.get("lt")
    if lt is not None and v >= lt:
        raise _ValidationFailed(f"Value `{v}` must be less than `{lt}`")
    le = rules.get("le")
    if le is not None and v > le:
        raise _ValidationFailed(f"Value `{v}` must be less than or equal to `{le}`")
    multiple_of = rules.get("multiple_of")
    # Plain Python `%`: float modulo makes e.g. 0.3 % 0.1 != 0 (spec §6.6).
    if multiple_of is not None and v % multiple_of != 0:
        raise _ValidationFailed(f"Value `{v}` must be a multiple of `{multiple_of}`")
    min_digits = rules.get("min_digits")
    if min_digits is not None and len(str(v).replace(".", "")) < min_digits:
        raise _ValidationFailed(f"Value `{v}` must have at least `{min_digits}` digits")
    max_digits = rules.get("max_digits")
    if max_digits is not None and len(str(v).replace(".", "")) > max_digits:
        raise _ValidationFailed(f"Value `{v}` must have at most `{max_digits}` digits")
    decimal_places = rules.get("decimal_places")
    # An int has no "." part: IndexError, exactly like Polyaxon.
    if decimal_places is not None and len(str(v).split(".")[1]) > decimal_places:
        raise _ValidationFailed(f"Value `{v}` must have at most `{decimal_places}` decimal places")
    regex = rules.get("regex")
    if regex is not None and not regex_match(regex, v):
        raise _ValidationFailed(f"Value `{v}` must match the regex `{regex}`")
    min_length = rules.get("min_length")
    if min_length is not None and len(v) < min_length:
        raise _ValidationFailed(f"Value `{v}` must have at least `{min_length}` characters")
    max_length = rules.get("max_length")
    if max_length is not None and len(v) > max_length:
        raise _ValidationFailed(f"Value `{v}` must have at most `{max_length}` characters")
    contains = rules.get("contains")
    if contains is not None and contains not in v:
        raise _ValidationFailed(f"Value `{v}` must contain one of the values `{contains}`")
    excludes = rules.get("excludes")
    if excludes is not None and excludes in v:
        raise _ValidationFailed(f"Value `{v}` must not contain any of the values `{excludes}`")
    options = rules.get("options")
    if options is not None and v not in options:
        raise _ValidationFailed(f"Value `{v}` must be one of the values `{options}`")


def _run_validation(rules: dict[str, Any], value: Any, is_optional: bool) -> None:
    if value is None and is_optional:
        return
    if isinstance(value, list | tuple | set | frozenset):
        for element in value:
            _check_element(rules, element)
    elif isinstance(value, dict):
        for element in value.values():
            _check_element(rules, element)
    else:
        _check_element(rules, value)
    if isinstance(value, list | tuple | set | frozenset | dict):
        min_items = rules.get("min_items")
        if min_items is not None and len(value) < min_items:
            raise _ValidationFailed(f"Value `{value}` must have at least `{min_items}` items")
        max_items = rules.get("max_items")
        if max_items is not None and len(value) > max_items:
            raise _ValidationFailed(f"Value `{value}` must have at most `{max_items}` items")
    if isinstance(value, dict):
        keys = rules.get("keys")
        if keys is not None and set(value.keys()) != set(keys):
            raise _ValidationFailed(f"Value `{value}` must contain all the keys `{keys}`")
        contains_keys = rules.get("contains_keys")
        if contains_keys is not None and not all(k in value for k in contains_keys):
            raise _ValidationFailed(f"Value `{value}` must contain all the keys `{contains_keys}`")
        excludes_keys = rules.get("excludes_keys")
        if excludes_keys is not None and any(k in value for k in excludes_keys):
            raise _ValidationFailed(
                f"Value `{value}` must not contain any of the keys `{excludes_keys}`"
            )


# --------------------------------------------------------------------------------------
# Entry point (§6.1)
# --------------------------------------------------------------------------------------


def _wrap(value: Any, name: str, inner: str) -> str:
    return f"Could not parse value `{value}` for `{name}`, an error was encountered: {inner}"


def validate_io_value(
    *,
    name: str,
    io_type: str | None,
    value: Any,
    is_optional: bool,
    is_list: bool | None,
    default: Any = None,
    validation: Mapping[str, Any] | None = None,
) -> ValueCheck:
    """Parse and validate `value` against an IO definition exactly like Polyaxon 2.18."""
    if io_type is None:
        return ValueCheck(ok=True, value=value)
    target = _target(io_type, bool(is_list))
    if value is None or (isinstance(value, str) and value == NO_VALUE_FOUND):
        if not is_optional:
            inner = f"No value was provided for the non optional key `{name}`."
            return ValueCheck(ok=False, message=_wrap(value, name, inner), problem="missing")
        parsed = default
    else:
        try:
            candidate = value
            if target.loadable and isinstance(value, str):
                candidate = json_loads(value)
            if target.conv is None:
                raise Crash("", "")
            parsed = target.conv(candidate, False)
        except Crash:
            return ValueCheck(ok=False, message=target.crash, crash=True)
        except (Fail, RecursionError):
            inner = f"Cannot convert value `{value}` (key: `{name}`) to `{target.repr}`"
            return ValueCheck(ok=False, message=_wrap(value, name, inner), problem="convert")
    if validation:
        try:
            rules = _coerce_validation(validation)
        except _InvalidValidation:
            return ValueCheck(
                ok=False,
                message="ValidationError: invalid `validation` for V1Validation",
                crash=True,
            )
        try:
            _run_validation(rules, parsed, is_optional)
        except _ValidationFailed as exc:
            return ValueCheck(
                ok=False,
                message=_wrap(value, name, str(exc)),
                problem="validation",
                detail=str(exc),
            )
        except RegexTimeout as exc:
            return ValueCheck(ok=True, value=parsed, undecided=str(exc))
        except Exception as exc:  # unguarded Python errors: Polyaxon crashes here
            return ValueCheck(ok=False, message=f"{type(exc).__name__}: {exc}", crash=True)
    return ValueCheck(ok=True, value=parsed)


# --------------------------------------------------------------------------------------
# The leaf types of the joins and matrix checks (without importing pydantic)
# --------------------------------------------------------------------------------------


def _literal(values: tuple[str, ...]) -> Conv:
    def conv(value: Any, strict: bool) -> Any:
        if isinstance(value, str) and value in values:
            return value
        raise Fail

    return conv


_LEAF_CONVERTERS: dict[str, Conv] = {
    "str": _strict(_conv_str),
    "int": _conv_int,
    "strict_int": _strict(_conv_int),
    "positive_int": _constrained(_conv_int, lambda v: v > 0),
    "float": _conv_float,
    "nonneg_float": _constrained(_conv_float, lambda v: v >= 0),
    "bool": _conv_bool,
    "int_or_float": _union_of([_strict(_conv_int), _strict(_conv_float), _conv_float]),
    "date": _conv_date,
    "timedelta": _conv_timedelta,
    "float_or_optimization": _union_of([_strict(_conv_float), _literal(("maximize", "minimize"))]),
}


def leaf_converter(
    leaf: str, values: tuple[str, ...] | None = None
) -> Callable[[Any], tuple[bool, Any]] | None:
    """pydantic's lax/strict validation of one joins/matrix leaf type, as (valid, value);
    ``values`` for a literal (enum) leaf. None for a leaf without a converter here."""
    conv = _literal(values) if values is not None else _LEAF_CONVERTERS.get(leaf)
    if conv is None:
        return None

    def check(value: Any) -> tuple[bool, Any]:
        try:
            return True, conv(value, False)
        except Fail:
            return False, None

    return check
