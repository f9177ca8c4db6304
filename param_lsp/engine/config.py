"""Project configuration: `[tool.param-lsp]` in pyproject.toml or a `.param-lsp.toml`.

A `.param-lsp.toml` holds the keys at its top level, or under the same `[tool.param-lsp]` tables
as pyproject.toml (so a block can be moved between the two files as it is).

Where it is found: starting in the checked file's folder and walking up, the first folder holding
a `.param-lsp.toml`, or a `pyproject.toml` with a `[tool.param-lsp]` table, wins (in one folder
`.param-lsp.toml` beats pyproject.toml). Files are not merged: the nearest one is the whole
project configuration.

Precedence, lowest to highest:

1. built-in defaults (:class:`~param_lsp.core.settings.Settings`);
2. the nearest configuration file;
3. overrides: `param-lsp check` flags, or the language client's settings. Scalars replace the
   file's value when given (not None); tables (`severity`, `hub-map`, `url-map`,
   `params`) are merged key by key, the override winning for the same key.

Keys (kebab-case in files; snake_case and camelCase are accepted in overrides)::

    target-version = "2.18"          # or "2.16"
    strict-params = true             # like polyaxon check --strict-params
    public-hub = true                # hubRefs not in hub-map: the bundled public hub facts
    include = ["pipelines/**/*.yaml"]  # folder checks: only these files (content not sniffed)
    exclude = ["vendor/**"]          # folder checks: never these files
    [tool.param-lsp.severity]        # by code or rule name: off, hint, info, warning, error
    PLX300 = "warning"
    unused-suppression = "off"
    [tool.param-lsp.hub-map]         # hubRef component → local file, relative to the config file
    "my-org/trainer:v1" = "components/trainer.yaml"
    [tool.param-lsp.url-map]         # urlRef URL prefix → local folder, relative to the config file
    "https://raw.githubusercontent.com/org/repo/master/" = "."
    [tool.param-lsp.params]          # like polyaxon check -P name=value
    lr = "0.01"
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from param_lsp.core.project import EMPTY_CONFIG, ProjectConfig
from param_lsp.core.safe_read import read_file
from param_lsp.core.settings import Settings, SettingsError, field_name
from param_lsp.core.workspace import holds_git, nearest_upwards
from param_lsp.rules.families import load_all
from param_lsp.rules.registry import RULES

CONFIG_FILENAME = ".param-lsp.toml"
#: A configuration file is small; a larger one is refused rather than read.
MAX_CONFIG_BYTES = 1024 * 1024
PYPROJECT = "pyproject.toml"
SEVERITY_LEVELS = ("off", "hint", "info", "information", "warning", "error")

#: File key → Settings field (include/exclude live on ProjectConfig, not Settings).
_SETTINGS_KEYS = {
    "target-version": "target_version",
    "strict-params": "strict_params",
    "severity": "severity",
    "hub-map": "hub_map",
    "url-map": "url_map",
    "public-hub": "public_hub",
    "params": "params",
}
_FILE_ONLY_KEYS = ("include", "exclude")
_TABLE_FIELDS = ("severity", "hub_map", "url_map", "params")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


def find_config_file(start: Path, stop: Path | None = None) -> Path | None:
    """The nearest `.param-lsp.toml` or pyproject.toml with `[tool.param-lsp]`, upwards.

    The walk ends at the repository root (the first folder holding `.git`) or at ``stop`` (the
    workspace root), whichever comes first: a file above them belongs to someone else.
    """
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    limit = Path(os.path.abspath(stop)) if stop is not None else None
    for candidate in (folder, *folder.parents):
        dedicated = candidate / CONFIG_FILENAME
        if _is_file(dedicated):
            return dedicated
        pyproject = candidate / PYPROJECT
        if _is_file(pyproject) and _has_tool_table(pyproject):
            return pyproject
        if candidate == limit or _exists(candidate / ".git"):
            return None
    return None


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _own_config_file(folder: str) -> Path | None:
    # Strings, not Paths: a run looks at every folder of a tree (os.path returns False on the
    # errors `_is_file` catches).
    dedicated = os.path.join(folder, CONFIG_FILENAME)
    if os.path.isfile(dedicated):
        return Path(dedicated)
    pyproject = os.path.join(folder, PYPROJECT)
    if os.path.isfile(pyproject) and _has_tool_table(Path(pyproject)):
        return Path(pyproject)
    return None


class ConfigFinder:
    """:func:`find_config_file` for many files: each folder is looked at once.

    For one `param-lsp check` run, or for the language server until a configuration file
    changes (:meth:`clear`). Files in the same folder, or below a folder already looked at,
    cost a dictionary look-up instead of a walk over every parent folder. The walk ends where
    :func:`find_config_file`'s does: at a folder holding `.git`, or at ``stop``.
    """

    def __init__(self, stop: Path | None = None) -> None:
        self._folders: dict[str, Path | None] = {}
        self.stop = Path(os.path.abspath(stop)) if stop is not None else None
        self._stop = str(self.stop) if self.stop is not None else None

    def clear(self) -> None:
        self._folders.clear()

    def for_file(self, path: Path) -> Path | None:
        """The configuration file of a file (its folder need not be checked to be one)."""
        return self.for_folder(Path(os.path.abspath(path)).parent)

    def for_folder(self, folder: Path) -> Path | None:
        return nearest_upwards(str(folder), _own_config_file, self._folders, last=self._ends_walk)

    def _ends_walk(self, folder: str) -> bool:
        return folder == self._stop or holds_git(folder)

    def load(self, path: Path) -> ProjectConfig:
        """The configuration of a file (raises ConfigError if unusable)."""
        source = self.for_file(path)
        return EMPTY_CONFIG if source is None else load_config_file(source)


def load_config(start: Path, stop: Path | None = None) -> ProjectConfig:
    """The configuration that applies to a file or folder (raises ConfigError if unusable)."""
    source = find_config_file(start, stop)
    if source is None:
        return EMPTY_CONFIG
    return load_config_file(source)


def load_config_file(source: Path) -> ProjectConfig:
    """One named configuration file (`param-lsp check --config FILE`)."""
    source = Path(os.path.abspath(source))
    try:
        stat = source.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return _load_config_file(source, stat.st_mtime_ns, stat.st_size)


def load_settings(
    for_path: Path | str | None,
    overrides: Mapping[str, Any] | None = None,
    *,
    use_config_file: bool = True,
    stop: Path | None = None,
    finder: ConfigFinder | None = None,
) -> Settings:
    """Settings for one file: defaults < nearest configuration file < ``overrides``.

    ``overrides`` are CLI flags or the language client's settings (snake_case or camelCase
    keys; None values are ignored). Raises ConfigError for an unusable file or override.
    """
    if not use_config_file or for_path is None:
        config = EMPTY_CONFIG
    elif finder is not None:
        config = finder.load(Path(for_path))
    else:
        config = load_config(Path(for_path), stop)
    return settings_from(config, overrides)


def settings_from(config: ProjectConfig, overrides: Mapping[str, Any] | None = None) -> Settings:
    values: dict[str, Any] = {
        key: dict(value) if isinstance(value, dict) else value
        for key, value in config.values.items()
    }
    for key, value in (overrides or {}).items():
        name = _field_name(key)
        if value is None or name is None:
            continue
        if name in _TABLE_FIELDS and isinstance(value, Mapping):
            merged = dict(values.get(name) or {})
            merged.update(value)
            values[name] = merged
        else:
            values[name] = value
    if "params" in values:
        values["params"] = {str(k): _param_text(v) for k, v in values["params"].items()}
    try:
        return Settings.from_mapping(values)
    except SettingsError as exc:
        where = f" in {config.source}" if config.source else ""
        raise ConfigError(f"invalid settings{where}: {exc}") from exc


@lru_cache(maxsize=64)
def _load_config_file(source: Path, _mtime_ns: int, _size: int) -> ProjectConfig:
    """Parsed once per (path, mtime, size), so the language server can call this per keystroke."""
    got = read_file(source, MAX_CONFIG_BYTES)
    if got.data is None:
        reason = {"too-large": f"larger than {MAX_CONFIG_BYTES:,} bytes", "missing": "missing"}
        raise ConfigError(f"cannot read {source}: {reason.get(got.error or '', got.detail)}")
    try:
        data = tomllib.loads(got.data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read {source}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{source}: invalid TOML: arrays or tables nest too deeply") from None
    if source.name == PYPROJECT:
        table = data.get("tool", {}).get("param-lsp", {})
        prefix = "tool.param-lsp."
    else:
        table, prefix = _dedicated_table(source, data)
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [{prefix.rstrip('.')}] must be a table")
    return _parse_table(source, table, prefix)


def _dedicated_table(source: Path, data: dict[str, Any]) -> tuple[Any, str]:
    """A `.param-lsp.toml` holds the keys at its top level, or (pasted from pyproject.toml) in
    `[tool.param-lsp]` tables; one form per file."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "param-lsp" not in tool:
        return data, ""
    others = sorted({*data, *tool} - {"tool", "param-lsp"})
    if others:
        raise ConfigError(
            f"{source}: unexpected key {others[0]} beside [tool.param-lsp] (write every key "
            "under [tool.param-lsp], or every key at the top level without it)"
        )
    return tool["param-lsp"], "tool.param-lsp."


def _parse_table(source: Path, table: dict[str, Any], prefix: str) -> ProjectConfig:
    known = (*_SETTINGS_KEYS, *_FILE_ONLY_KEYS)
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"{source}: unknown key {prefix}{unknown[0]} (known keys: {', '.join(known)})"
        )
    values: dict[str, Any] = {}
    for key, name in _SETTINGS_KEYS.items():
        if key in table:
            values[name] = table[key]
    for name in _TABLE_FIELDS:
        if name in values and not isinstance(values[name], dict):
            key = next(k for k, v in _SETTINGS_KEYS.items() if v == name)
            raise ConfigError(f"{source}: {prefix}{key} must be a table")
    if "severity" in values:
        _check_severities(source, values["severity"], prefix)
    for map_key, map_name in (("hub_map", "hub-map"), ("url_map", "url-map")):
        if map_key in values:
            values[map_key] = _path_map(source, values[map_key], prefix, map_name)
    globs: dict[str, tuple[str, ...]] = {}
    for key in _FILE_ONLY_KEYS:
        patterns = table.get(key, [])
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(f"{source}: {prefix}{key} must be a list of glob patterns")
        globs[key] = tuple(patterns)
    config = ProjectConfig(source, values, globs["include"], globs["exclude"])
    settings_from(config)  # report bad values (e.g. target-version) where they are written
    return config


def _path_map(source: Path, table: dict[str, Any], prefix: str, map_name: str) -> dict[str, str]:
    """A `hub-map`/`url-map` table: names or URL prefixes → paths relative to ``source``."""
    mapped: dict[str, str] = {}
    for name, target in table.items():
        if not isinstance(target, str) or not target or "\x00" in target or "\x00" in name:
            raise ConfigError(
                f"{source}: {prefix}{map_name}.{_printable(name)} = {_printable(repr(target))}: "
                "expected the path of a local file or folder"
            )
        try:
            mapped[str(name)] = str((source.parent / target).resolve())
        except (OSError, ValueError, RuntimeError) as exc:
            raise ConfigError(f"{source}: {prefix}{map_name}.{_printable(name)}: {exc}") from exc
    return mapped


def _printable(text: str) -> str:
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def _check_severities(source: Path, table: dict[str, Any], prefix: str) -> None:
    load_all()
    names = {rule.name for rule in RULES.values()}
    for key, level in table.items():
        if not isinstance(level, str) or level.lower() not in SEVERITY_LEVELS:
            raise ConfigError(
                f"{source}: {prefix}severity.{key} = {level!r}: expected one of "
                f"{', '.join(SEVERITY_LEVELS)}"
            )
        table[key] = level.lower()
        if key not in RULES and key not in names:
            raise ConfigError(
                f"{source}: {prefix}severity.{key}: no rule has this code or name "
                "(see `param-lsp rules`)"
            )


def _has_tool_table(pyproject: Path) -> bool:
    got = read_file(pyproject, MAX_CONFIG_BYTES)
    try:
        text = got.data.decode("utf-8") if got.data is not None else ""
    except UnicodeDecodeError:
        return False
    # Cheap pre-check before parsing: most pyproject.toml files have nothing for us.
    return re.search(r"^\s*\[\s*tool\s*\.\s*[\"']?param-lsp", text, re.MULTILINE) is not None


def _field_name(key: str) -> str | None:
    if key in _SETTINGS_KEYS:
        return _SETTINGS_KEYS[key]
    return field_name(key)


def _param_text(value: Any) -> str:
    """TOML values become the text a `-P name=value` would carry (JSON spelling for non-strings)."""
    return value if isinstance(value, str) else json.dumps(value)
