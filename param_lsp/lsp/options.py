"""Client options: `initializationOptions` and the `param-lsp` configuration section.

Both carry the same shape: every core :class:`Settings` field (camelCase or snake_case) plus
server-only knobs. Bad values never stop the server: the defaults are used and the problem is
reported back to the user.
"""

from __future__ import annotations

from typing import Any

CONFIG_SECTION = "param-lsp"
#: An idle analyser starts at once; edits made during an analysis are coalesced anyway.
DEFAULT_DEBOUNCE_MS = 0


class OptionsError(ValueError):
    pass


def _unwrap(raw: Any) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise OptionsError(f"options must be an object, got {type(raw).__name__}")
    for key in (CONFIG_SECTION, "paramLsp", "param_lsp"):
        inner = raw.get(key)
        if isinstance(inner, dict):
            return {**{k: v for k, v in raw.items() if k != key}, **inner}
    return dict(raw)


def parse_options(raw: Any) -> tuple[Any, float]:
    """(core Settings, debounce in seconds); raises OptionsError naming the bad field."""
    from param_lsp.core.settings import Settings, SettingsError

    data = _unwrap(raw)
    debounce_raw = data.pop("debounceMs", data.pop("debounce_ms", DEFAULT_DEBOUNCE_MS))
    if isinstance(debounce_raw, bool) or not isinstance(debounce_raw, (int, float)):
        raise OptionsError(f"debounceMs must be a number of milliseconds, got {debounce_raw!r}")
    if not 0 <= debounce_raw <= 10_000:
        raise OptionsError(f"debounceMs must be between 0 and 10000, got {debounce_raw!r}")
    try:
        settings = Settings.from_mapping(data)
    except SettingsError as exc:
        raise OptionsError(str(exc)) from None
    return settings, float(debounce_raw) / 1000.0


def client_overrides(raw: Any) -> dict[str, Any]:
    """The settings the client set explicitly (layered over the project's configuration file)."""
    data = _unwrap(raw)
    for key in ("debounceMs", "debounce_ms"):
        data.pop(key, None)
    return data
