"""Settings shared by the CLI and the language server (one model, read from TOML or the client)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SeverityName = Literal["off", "hint", "info", "information", "warning", "error"]


class Settings(BaseModel):
    """What a check depends on besides the text itself."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    #: Polyaxon release whose behaviour is reproduced ("2.18" default, "2.16" supported).
    target_version: Literal["2.18", "2.16"] = Field("2.18", alias="targetVersion")
    #: Like `polyaxon check --strict-params/--no-strict-params` (None: the file's own policy).
    strict_params: bool | None = Field(None, alias="strictParams")
    #: Like `polyaxon check -P name=value` (values are strings, converted by the input type).
    params: dict[str, str] = Field(default_factory=dict)
    #: Rule code or name → severity override ("off" drops the rule).
    severity: dict[str, SeverityName] = Field(default_factory=dict)
    #: hubRef component name (with or without `:tag`) → local file or folder.
    hub_map: dict[str, str] = Field(default_factory=dict, alias="hubMap")
    #: Files outside this folder are never read (pathRef resolution); None = the file's folder.
    root: str | None = None
    #: Whether a `kind: component` file is checked as a template (no "required input" errors).
    components_as_templates: bool = Field(True, alias="componentsAsTemplates")

    @field_validator("target_version", mode="before")
    @classmethod
    def _short_version(cls, value: object) -> object:
        if isinstance(value, str) and value.count(".") >= 2:
            return ".".join(value.split(".")[:2])
        return value

    @property
    def is_216(self) -> bool:
        return self.target_version == "2.16"
