"""Strict JSON decoding and encoding as Polyaxon does it (orjson-compatible): what a "loadable"
value type decodes a string with, and how a value is written back in messages."""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from typing import Any

from param_lsp.core.conversion import Fail
from param_lsp.core.lazy_regex import LazyPattern

_U64_MAX = 2**64 - 1
I64_MIN = -(2**63)


def _json_int(text: str) -> Any:
    number = int(text)
    # orjson returns a float for integers outside the 64-bit range.
    if number > _U64_MAX or number < I64_MIN:
        return float(number)
    return number


def _json_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise ValueError("number is infinity when parsed as double")
    return number


def _json_constant(text: str) -> Any:
    raise ValueError(f"invalid JSON literal {text}")


def _has_surrogate(obj: Any) -> bool:
    if isinstance(obj, str):
        return any(0xD800 <= ord(ch) <= 0xDFFF for ch in obj)
    if isinstance(obj, list):
        return any(_has_surrogate(item) for item in obj)
    if isinstance(obj, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in obj.items())
    return False


_JSON_INT_RE = LazyPattern(r"-?(?:0|[1-9][0-9]*)")
_JSON_FLOAT_RE = LazyPattern(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_JSON_LITERALS: dict[str, Any] = {"true": True, "false": False, "null": None}


def json_loads(text: str) -> Any:
    """Decode like orjson.loads: strict JSON, no NaN/Infinity, no lone surrogates."""
    # Fast paths for the common scalar cases.
    if text in _JSON_LITERALS:
        return _JSON_LITERALS[text]
    if _JSON_INT_RE.fullmatch(text):
        return _json_int(text)
    if _JSON_FLOAT_RE.fullmatch(text):
        try:
            return _json_float(text)
        except ValueError as exc:
            raise Fail(str(exc)) from None
    try:
        result = json.loads(
            text,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except (ValueError, RecursionError) as exc:
        raise Fail(str(exc)) from None
    if "\\u" in text and _has_surrogate(result):
        raise Fail("lone surrogate")
    return result


def _orjson_float(number: float) -> str:
    """Format a float like orjson (ryu digits, Python-like exponent rules)."""
    if math.isnan(number) or math.isinf(number):
        return "null"
    text = repr(number)
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    mantissa, _, exp_text = text.partition("e")
    exponent = int(exp_text) if exp_text else 0
    int_part, _, frac_part = mantissa.partition(".")
    if frac_part == "0":
        frac_part = ""
    digits = (int_part + frac_part).lstrip("0")
    if not digits:
        return sign + "0.0"
    # value = 0.digits... -> compute k such that value = digits * 10**k
    k = exponent - len(frac_part)
    # remove leading zeros effect (only happens for 0.000ddd forms)
    stripped_trailing = digits.rstrip("0")
    k += len(digits) - len(stripped_trailing)
    digits = stripped_trailing
    length = len(digits)
    kk = length + k
    if k >= 0 and kk <= 16:
        out = digits + "0" * k + ".0"
    elif 0 < kk <= 16:
        out = digits[:kk] + "." + digits[kk:]
    elif -5 < kk <= 0:
        out = "0." + "0" * (-kk) + digits
    else:
        exp = kk - 1
        exp_str = f"e+{exp}" if exp >= 0 else f"e{exp}"
        out = digits + exp_str if length == 1 else digits[0] + "." + digits[1:] + exp_str
    return sign + out


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r"}
_JSON_ESCAPES["\t"] = "\\t"
_JSON_ESCAPE_RE = LazyPattern(r'["\\\x00-\x1f]')


def _orjson_str(text: str) -> str:
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise Fail("str is not valid UTF-8: surrogates not allowed")

    def _sub(match: re.Match[str]) -> str:
        ch = match.group(0)
        return _JSON_ESCAPES.get(ch) or f"\\u{ord(ch):04x}"

    return '"' + _JSON_ESCAPE_RE.sub(_sub, text) + '"'


def orjson_dumps(obj: Any) -> str:
    """Serialize like clipped's orjson_dumps (OPT_NAIVE_UTC, compact)."""
    if obj is None:
        return "null"
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if isinstance(obj, str):
        return _orjson_str(obj)
    if isinstance(obj, int):
        if obj > _U64_MAX or obj < I64_MIN:
            raise Fail("Integer exceeds 64-bit range")
        return str(int(obj))
    if isinstance(obj, float):
        return _orjson_float(obj)
    if isinstance(obj, dict):
        parts = []
        for key, val in obj.items():
            if not isinstance(key, str):
                raise Fail("Dict key must be str")
            parts.append(_orjson_str(key) + ":" + orjson_dumps(val))
        return "{" + ",".join(parts) + "}"
    if isinstance(obj, list | tuple):
        return "[" + ",".join(orjson_dumps(item) for item in obj) + "]"
    if isinstance(obj, _dt.datetime):
        if obj.tzinfo is None:
            return '"' + obj.isoformat() + '+00:00"'
        return '"' + obj.isoformat() + '"'
    if isinstance(obj, _dt.date | _dt.time):
        return '"' + obj.isoformat() + '"'
    if isinstance(obj, _dt.timedelta):
        return _orjson_float(obj.total_seconds())
    raise Fail(f"Type is not JSON serializable: {type(obj).__name__}")
