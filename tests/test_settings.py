"""The settings model: key spellings, defaults, and bad values named by field."""

from __future__ import annotations

import subprocess
import sys

import pytest

from param_lsp.core.settings import Settings, SettingsError
from param_lsp.lsp.options import OptionsError, parse_options


@pytest.mark.parametrize("key", ["targetVersion", "target_version", "target-version"])
def test_every_key_spelling_names_the_same_field(key: str) -> None:
    assert Settings.from_mapping({key: "2.16"}).target_version == "2.16"


def test_defaults_and_unknown_keys() -> None:
    settings = Settings.from_mapping({"noSuchSetting": 1, "strictParams": True})
    assert settings == Settings(strict_params=True)
    assert (settings.target_version, settings.components_as_templates) == ("2.18", True)
    assert settings.params == {} and settings.severity == {} and settings.root is None


def test_a_patch_release_means_its_minor_version() -> None:
    assert Settings.from_mapping({"targetVersion": "2.16.4"}).is_216


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"targetVersion": "3.0"}, "target_version"),
        ({"strictParams": "yes"}, "strict_params"),
        ({"severity": {"PLX303": "loud"}}, "severity"),
        ({"severity": ["PLX303"]}, "severity"),
        ({"params": {"lr": 0.1}}, "params"),
        ({"hubMap": {"x": 1}}, "hub_map"),
        ({"root": 3}, "root"),
        ({"componentsAsTemplates": None}, "components_as_templates"),
    ],
)
def test_bad_values_name_their_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(SettingsError, match=field):
        Settings.from_mapping(data)
    with pytest.raises(OptionsError, match=field):
        parse_options({"param-lsp": data})


def test_settings_are_immutable() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.target_version = "2.16"  # type: ignore[misc]


def test_analysis_does_not_load_pydantic_for_joins_or_matrix_values() -> None:
    """Joins and matrix values are coerced by the core converters (pydantic's semantics, see
    tests/test_leaf_values.py): a check never imports pydantic (~150 ms, ~11 MB)."""
    script = (
        "import sys\n"
        "from param_lsp.engine.analyze import analyze\n"
        "from param_lsp.core.settings import Settings\n"
        "text = 'kind: operation\\nparams: {lr: 0.1}\\ncomponent:\\n"
        "  inputs: [{name: lr, type: float}]\\n  run: {kind: job, container: {image: x}}\\n'\n"
        "assert analyze(text, None, Settings.from_mapping({'targetVersion': '2.18'})).root\n"
        "print(any(m.split('.')[0] == 'pydantic' for m in sys.modules))\n"
        "analyze('kind: operation\\njoins: [{query: x, limit: 1.5}]\\n', None, Settings())\n"
        "print(any(m.split('.')[0] == 'pydantic' for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
