"""Settings shared by the CLI and the language server (one model, read from TOML or the client).

A frozen dataclass checked on creation. (attrs or pydantic would cost the CLI ~10 ms or more
of imports at every start for nine fields; pydantic also ~11 MB of resident memory.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

SeverityName = Literal["off", "hint", "info", "information", "warning", "error"]
SEVERITY_NAMES: tuple[str, ...] = ("off", "hint", "info", "information", "warning", "error")
TARGET_VERSIONS: tuple[str, ...] = ("2.18", "2.16")


class SettingsError(ValueError):
    """A settings value of the wrong type or out of range; the message names the field."""


def _short_version(value: object) -> object:
    """`2.16.4` means the 2.16 behaviour."""
    if isinstance(value, str) and value.count(".") >= 2:
        return ".".join(value.split(".")[:2])
    return value


def _expect(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise SettingsError(f"'{name}' must be {expected} (got {value!r})")


def _check_str_map(name: str, value: object, allowed: tuple[str, ...] | None = None) -> None:
    _expect(name, value, isinstance(value, dict), "a mapping")
    assert isinstance(value, dict)
    for key, item in value.items():
        _expect(name, key, isinstance(key, str), "a mapping with string keys")
        _expect(name, item, isinstance(item, str), "a mapping of strings")
        if allowed is not None:
            _expect(name, item, item in allowed, f"a mapping of values in {allowed}")


@dataclass(frozen=True, kw_only=True, slots=True)
class Settings:
    """What a check depends on besides the text itself."""

    #: Polyaxon release whose behaviour is reproduced ("2.18" default, "2.16" supported).
    target_version: str = "2.18"
    #: Like `polyaxon check --strict-params/--no-strict-params` (None: the file's own policy).
    strict_params: bool | None = None
    #: Like `polyaxon check -P name=value` (values are strings, converted by the input type).
    params: dict[str, str] = field(default_factory=dict)
    #: Rule code or name → severity override ("off" drops the rule).
    severity: dict[str, SeverityName] = field(default_factory=dict)
    #: hubRef component name (with or without `:tag`) → local file or folder.
    hub_map: dict[str, str] = field(default_factory=dict)
    #: urlRef URL prefix → local folder (the rest of the URL is the path inside it).
    url_map: dict[str, str] = field(default_factory=dict)
    #: Whether a `hubRef` no `hub_map` entry covers is read from the bundled public hub facts.
    public_hub: bool = True
    #: Files outside this folder are never read (pathRef resolution); None = the file's folder.
    root: str | None = None
    #: Whether a `kind: component` file is checked as a template (no "required input" errors).
    components_as_templates: bool = True

    def __post_init__(self) -> None:
        version = _short_version(self.target_version)
        object.__setattr__(self, "target_version", version)
        _expect("target_version", version, version in TARGET_VERSIONS, f"in {TARGET_VERSIONS}")
        _expect(
            "strict_params",
            self.strict_params,
            self.strict_params is None or isinstance(self.strict_params, bool),
            "a bool or None",
        )
        _check_str_map("params", self.params)
        _check_str_map("severity", self.severity, SEVERITY_NAMES)
        _check_str_map("hub_map", self.hub_map)
        _check_str_map("url_map", self.url_map)
        _expect("public_hub", self.public_hub, isinstance(self.public_hub, bool), "a bool")
        _expect(
            "root", self.root, self.root is None or isinstance(self.root, str), "a string or None"
        )
        _expect(
            "components_as_templates",
            self.components_as_templates,
            isinstance(self.components_as_templates, bool),
            "a bool",
        )

    @property
    def is_216(self) -> bool:
        return self.target_version == "2.16"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Settings:
        """Settings from client or file values: snake_case or camelCase keys, unknown keys
        ignored; raises SettingsError naming the first bad field."""
        values = {name: value for key, value in data.items() if (name := field_name(key))}
        try:
            return cls(**values)
        except TypeError as exc:
            raise SettingsError(str(exc.args[0] if exc.args else exc)) from None


FIELD_NAMES: frozenset[str] = frozenset(item.name for item in fields(Settings))


def field_name(key: str) -> str | None:
    """The Settings field a key names (`targetVersion`, `target-version`, `target_version`)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower().replace("-", "_")
    return snake if snake in FIELD_NAMES else None
