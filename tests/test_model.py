"""The model readers: what a layer takes from a document, with and without a document cache."""

from __future__ import annotations

from dataclasses import fields

import pytest

from param_lsp.core import memo
from param_lsp.core.memo import DocumentCache
from param_lsp.core.model import read_ios, read_layer, read_params
from param_lsp.core.yaml_tree import YMap, parse_yaml


def _root(text: str) -> YMap:
    root = parse_yaml(text).root
    assert isinstance(root, YMap)
    return root


LAYER = """
kind: operation
strict_params: true
patchStrategy: replace
dag_ref: trainer
params:
  lr: 0.1
  data: {ref: ops.a, value: outputs.x}
  flag: {value: 1, contextOnly: true, toEnv: FLAG}
inputs: [{name: lr, type: float}, {name: data, type: str, isOptional: true}, not-an-io]
outputs: [{name: score, type: float}]
run: {kind: job}
"""


def test_layer_reads_either_spelling() -> None:
    layer = read_layer(_root(LAYER), None)
    assert layer.kind == "operation"
    assert layer.strict_params is True
    assert layer.patch_strategy == "replace"
    assert set(layer.refs) == {"dagRef"}
    assert layer.refs["dagRef"][1].to_py() == "trainer"
    assert layer.run is not None and layer.run.get("kind").to_py() == "job"  # type: ignore[union-attr]
    assert [io.name for io in layer.inputs or []] == ["lr", "data"]
    assert [io.name for io in layer.outputs or []] == ["score"]
    assert list(layer.params or {}) == ["lr", "data", "flag"]


@pytest.mark.parametrize(
    ("drop", "strict"),
    [
        (frozenset(), True),  # camelCase is read first
        (frozenset({"strict_params"}), True),
        (frozenset({"strictParams"}), None),  # a failed camelCase key hides the other spelling
        (frozenset({"strictParams", "strict_params"}), None),
    ],
)
def test_dropped_keys_are_not_read(drop: frozenset[str], strict: bool | None) -> None:
    layer = read_layer(_root("strictParams: true\nstrict_params: false\n"), None, drop=drop)
    assert layer.strict_params is strict


def test_a_dropped_snake_case_spelling_does_not_hide_the_camel_case_one() -> None:
    root = _root("strictParams: false\nstrict_params: true\npath_ref: a.yaml\n")
    layer = read_layer(root, None, drop=frozenset({"strict_params", "path_ref"}))
    assert layer.strict_params is False
    assert layer.refs == {}


def test_dropped_sections_are_left_out() -> None:
    root = _root(LAYER)
    layer = read_layer(root, None, drop=frozenset({"params", "inputs", "run", "dag_ref"}))
    assert layer.params is None and layer.inputs is None and layer.run is None
    assert layer.refs == {}
    assert [io.name for io in layer.outputs or []] == ["score"]


def _fields(value: object) -> dict[str, object]:
    """A dataclass' fields, nodes kept by identity (``asdict`` would copy them)."""
    return {f.name: getattr(value, f.name) for f in fields(value)}  # type: ignore[arg-type]


def test_readers_give_the_same_result_with_a_document_cache() -> None:
    root = _root(LAYER)
    without = read_layer(root, None)
    with memo.active(DocumentCache()):
        assert memo.remembering()
        cached = read_layer(root, None)
        again = read_layer(root, None)
    assert not memo.remembering()
    for layer in (cached, again):
        assert {k: _fields(p) for k, p in (layer.params or {}).items()} == {
            k: _fields(p) for k, p in (without.params or {}).items()
        }
        assert [_fields(io) for io in layer.inputs or []] == [
            _fields(io) for io in without.inputs or []
        ]
    params = read_params(root.get("params"), source=None)
    assert params["data"].ref == "ops.a" and params["data"].value == "outputs.x"
    assert params["flag"].context_only is True and params["flag"].to_env == "FLAG"
    assert params["lr"].full_form is False and params["lr"].value == 0.1
    assert [
        io.is_optional for io in read_ios(root.get("inputs"), is_output=False, source=None)
    ] == [
        False,
        True,
    ]
