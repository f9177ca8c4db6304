"""Settings shared by the CLI and the language server (one model, read from TOML or the client).

An attrs class with attrs' validators. The language server already holds attrs (lsprotocol's
types are attrs classes), so the settings cost it nothing; a pydantic model here made the
server import pydantic's schema machinery for seven fields, ~11 MB of resident memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
from attrs import validators

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


Validator = Callable[[Any, "attrs.Attribute[Any]", Any], Any]


def _str_map(*values: Validator) -> Validator:
    return validators.deep_mapping(
        key_validator=validators.instance_of(str),
        value_validator=validators.and_(validators.instance_of(str), *values),
        mapping_validator=validators.instance_of(dict),
    )


@attrs.frozen(kw_only=True)
class Settings:
    """What a check depends on besides the text itself."""

    #: Polyaxon release whose behaviour is reproduced ("2.18" default, "2.16" supported).
    target_version: str = attrs.field(
        default="2.18", converter=_short_version, validator=validators.in_(TARGET_VERSIONS)
    )
    #: Like `polyaxon check --strict-params/--no-strict-params` (None: the file's own policy).
    strict_params: bool | None = attrs.field(
        default=None, validator=validators.optional(validators.instance_of(bool))
    )
    #: Like `polyaxon check -P name=value` (values are strings, converted by the input type).
    params: dict[str, str] = attrs.field(factory=dict, validator=_str_map())
    #: Rule code or name → severity override ("off" drops the rule).
    severity: dict[str, SeverityName] = attrs.field(
        factory=dict, validator=_str_map(validators.in_(SEVERITY_NAMES))
    )
    #: hubRef component name (with or without `:tag`) → local file or folder.
    hub_map: dict[str, str] = attrs.field(factory=dict, validator=_str_map())
    #: urlRef URL prefix → local folder (the rest of the URL is the path inside it).
    url_map: dict[str, str] = attrs.field(factory=dict, validator=_str_map())
    #: Whether a `hubRef` no `hub_map` entry covers is read from the bundled public hub facts.
    public_hub: bool = attrs.field(default=True, validator=validators.instance_of(bool))
    #: Files outside this folder are never read (pathRef resolution); None = the file's folder.
    root: str | None = attrs.field(
        default=None, validator=validators.optional(validators.instance_of(str))
    )
    #: Whether a `kind: component` file is checked as a template (no "required input" errors).
    components_as_templates: bool = attrs.field(
        default=True, validator=validators.instance_of(bool)
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
        except (TypeError, ValueError) as exc:
            raise SettingsError(str(exc.args[0] if exc.args else exc)) from None


FIELD_NAMES: frozenset[str] = frozenset(field.name for field in attrs.fields(Settings))


def field_name(key: str) -> str | None:
    """The Settings field a key names (`targetVersion`, `target-version`, `target_version`)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower().replace("-", "_")
    return snake if snake in FIELD_NAMES else None
