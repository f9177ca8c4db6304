"""The "document" rule family: the polyaxonfile header checks (spec §3, §21.2 S1–S3).

``kind`` (and, for 2.16, ``version``) and the top-level section list are checked before the
schema. In 2.18 a file without ``kind`` is a kind-less ``V1Polyaxonfile`` whose keys are checked
by the schema instead (snake_case allowed); ``version`` is ignored unless it is not a number.
"""

from __future__ import annotations

from param_lsp.core.context import CheckContext
from param_lsp.core.detect import (
    V0_BUILD_KEYS,
    V0_KINDS,
    V0_ONLY_SECTIONS,
    V0_RUN_KEYS,
    kindless_v0_section,
)
from param_lsp.core.findings import Related, Severity
from param_lsp.core.names import camel_case, closest_word, replacement_fix
from param_lsp.core.schema_spec import SECTIONS_216, SECTIONS_218
from param_lsp.core.span import Position, Span
from param_lsp.core.yaml_tree import YMap, YScalar
from param_lsp.rules.registry import rule
from param_lsp.rules.schema import is_number

MISSING_KIND = rule(
    "PLX100",
    "missing-kind",
    family="document",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The polyaxonfile has no `kind` (Polyaxon 2.16 only).",
    doc="""
    Polyaxon 2.16 requires `kind: operation` or `kind: component`:
    ``The Polyaxonfile `kind` must be specified.``. Polyaxon 2.18 reads a file without
    `kind` as a kind-less polyaxonfile, so this rule only fires when targeting 2.16.
    """,
    bad="""
    version: 1.1
    run:
      kind: job
      container: {image: busybox}
    """,
    good="""
    version: 1.1
    kind: component
    run:
      kind: job
      container: {image: busybox}
    """,
)
UNSUPPORTED_KIND = rule(
    "PLX101",
    "unsupported-kind",
    family="document",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`kind` is not `operation` or `component`.",
    doc="""
    Only `kind: operation` and `kind: component` are polyaxonfiles that `polyaxon check`
    accepts (or no `kind` at all in 2.18). Older kinds such as `group`, `experiment` or the
    typo `operations` give ``The Polyaxonfile with kind `...` is not a supported value.``;
    `compiled_operation` passes the header but crashes later.
    """,
    bad="""
    kind: operations
    hubRef: tensorboard
    """,
    good="""
    kind: operation
    hubRef: tensorboard
    """,
)
UNEXPECTED_SECTION = rule(
    "PLX102",
    "unexpected-section",
    family="document",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A top-level key that is not a polyaxonfile section (top-level keys are camelCase).",
    doc="""
    With a `kind`, every top-level key must be one of the polyaxonfile sections, spelled in
    camelCase: ``Unexpected section `...` in Polyaxonfile version `...`.``. snake_case
    spellings such as `run_patch` or `hub_ref` are rejected at the top level (they are
    accepted inside nested objects and in kind-less files).
    """,
    bad="""
    kind: operation
    hub_ref: tensorboard
    """,
    good="""
    kind: operation
    hubRef: tensorboard
    """,
)
INVALID_VERSION = rule(
    "PLX103",
    "invalid-version",
    family="document",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`version` is not a number (2.18), or is missing / not 1.1 (2.16).",
    doc="""
    Polyaxon 2.18 ignores `version` but still requires it to be a number when present
    (`Input should be a valid number`). Polyaxon 2.16 requires `version: 1.1` (a number; a
    quoted `"1.1"` crashes the check).
    """,
    bad="""
    version: v1
    kind: component
    run: {kind: job, container: {image: busybox}}
    """,
    good="""
    version: 1.1
    kind: component
    run: {kind: job, container: {image: busybox}}
    """,
)

LEGACY_FILE = rule(
    "PLX104",
    "legacy-polyaxonfile",
    family="document",
    severity=Severity.INFORMATION,
    polyaxon_rejects=True,
    summary="A Polyaxon v0 polyaxonfile (`kind: experiment`, `group`, ...): not checked.",
    doc="""
    Polyaxon v0 (0.x) polyaxonfiles have `version: 1` and a `kind` such as `experiment`,
    `group`, `job`, `notebook`, `tensorboard`, `build`, `pipeline` or (early 0.x) `plugin`,
    or no `kind` and a v0-only section (an override file, or an early 0.x file with a
    `project` section), with sections such as `hptuning`, `declarations`, `environment` or
    `settings`; a kind-less file whose `build` has an `image` (`dockerfile`, `build_steps`) and
    whose `run` has a `cmd` is one too, with `version: 1` or without a `version` (a v1 `build`
    names a `hubRef`, a v1 `run` has a `kind`). Polyaxon 1.x and 2.x reject them
    (``The Polyaxonfile with kind `experiment` is not a supported value.``), and param-lsp does
    not check them: such a file gets this one notice instead of one error per old section.
    Port it to `version: 1.1` with `kind: operation` or `kind: component` to have it checked.
    """,
    bad="""
    version: 1
    kind: experiment
    declarations:
      lr: 0.1
    run:
      cmd: python train.py --lr={{ lr }}
    """,
    good="""
    version: 1.1
    kind: component
    inputs:
      - {name: lr, type: float, value: 0.1, isOptional: true}
    run:
      kind: job
      container: {image: python:3.11, command: [python, train.py, "--lr={{ lr }}"]}
    """,
)

KINDS = ("operation", "component")


def is_preset(root: YMap) -> bool:
    """`isPreset: true`: a preset, merged into an operation; it is checked by its sections'
    schema only (Polyaxon's `--lint`), never asked for a `run`."""
    node = root.get("isPreset")
    return bool(node.to_py()) if node is not None else False


def _version_is_one(root: YMap) -> bool:
    """`version: 1`, the version of every v0 polyaxonfile."""
    node = root.get("version")
    value = node.to_py() if node is not None else None
    return not isinstance(value, bool) and value == 1


def _child_keys(root: YMap, key: str) -> list[str]:
    node = root.get(key)
    return [str(k) for k in node.index] if isinstance(node, YMap) else []


def _kindless_v0_section(root: YMap) -> str | None:
    """The section that makes a file without `kind` a v0 one (detect.kindless_v0_section)."""
    version = None
    if root.entry("version") is not None:
        version = "1" if _version_is_one(root) else "other"
    keys = {str(key) for key, _entry in root.items()}
    return kindless_v0_section(keys, version, lambda key: _child_keys(root, key))


def _report_legacy(root: YMap, kind_value: object, ctx: CheckContext) -> bool:
    """One notice for a Polyaxon v0 file; True when the file is one."""
    kind_entry = root.entry("kind")
    legacy_key = _kindless_v0_section(root) if kind_value is None else None
    polyaxon_218 = "Extra inputs are not permitted"
    if isinstance(kind_value, str) and kind_value in V0_KINDS and kind_entry is not None:
        anchor = kind_entry[1].span
        what = f"`kind: {kind_value}`"
    elif legacy_key is not None:
        entry = root.entry(legacy_key)
        assert entry is not None
        anchor = entry[0].span
        if legacy_key in V0_ONLY_SECTIONS:
            what = f"a `{legacy_key}` section"
        else:
            v0_keys = V0_BUILD_KEYS if legacy_key == "build" else V0_RUN_KEYS
            child = next(k for k in _child_keys(root, legacy_key) if k in v0_keys)
            what = f"a `{legacy_key}` section with `{child}`"
            # Polyaxon 2.18 reads a v1 `build` (which needs a `hubRef`) or a v1 `run`.
            polyaxon_218 = (
                "Field required"
                if legacy_key == "build"
                else "run.kind must be provided locally or by a referenced base."
            )
    else:
        return False
    ctx.report(
        LEGACY_FILE.at(
            anchor,
            f"Polyaxon v0 polyaxonfile ({what}): not checked; the current format is "
            "`version: 1.1` with `kind: operation` or `kind: component`.",
            polyaxon=(
                f"The Polyaxonfile with kind `{kind_value}` is not a supported value."
                if kind_value is not None
                # 2.16 asks for a kind first; 2.18 validates the kind-less file as a
                # V1Polyaxonfile, where the v0 section is an extra field.
                else "The Polyaxonfile `kind` must be specified."
                if ctx.settings.is_216
                else polyaxon_218
            ),
        )
    )
    return True


def _head_span(root: YMap) -> Span:
    if root.pairs:
        key = root.pairs[0][0]
        return key.span
    return Span(root.start, Position(root.start.line, root.start.character))


def check_header(root: YMap, ctx: CheckContext) -> str | None:
    """Check `kind`, `version` and the section list; return the kind (None when kind-less)."""
    is_216 = ctx.settings.is_216
    kind_entry = root.entry("kind")
    kind_value = kind_entry[1].to_py() if kind_entry is not None else None
    if _report_legacy(root, kind_value, ctx):
        return "v0"
    preset = is_preset(root)

    if kind_value is None:
        if is_216:
            anchor = kind_entry[1].span if kind_entry is not None else _head_span(root)
            ctx.report(
                MISSING_KIND.at(
                    anchor,
                    "The file has no `kind`; add `kind: operation` or `kind: component`.",
                    polyaxon="The Polyaxonfile `kind` must be specified.",
                )
            )
        _check_version(root, ctx, is_216=is_216, is_preset=preset)
        return None

    assert kind_entry is not None
    if kind_value not in KINDS:
        kind_guess: tuple[str, bool] | None = None
        if kind_value == "compiled_operation":
            fix = "compiled files cannot be checked; check the `operation` it came from"
        else:
            kind_guess = closest_word(str(kind_value), KINDS, cutoff=0.6)
            fix = f"did you mean `{kind_guess[0]}`?" if kind_guess else "use one of them"
        ctx.report(
            UNSUPPORTED_KIND.at(
                kind_entry[1].span,
                f"`kind` must be `operation` or `component`; got `{kind_value}`; {fix}",
                fixes=replacement_fix(kind_entry[1], kind_guess),
                polyaxon=f"The Polyaxonfile with kind `{kind_value}` is not a supported value.",
                related=(
                    Related(
                        "the sections' contents (params, references, the run) are not checked "
                        "until `kind` is fixed (it says which schema applies)",
                        kind_entry[0].span,
                    ),
                ),
            )
        )
    _check_version(root, ctx, is_216=is_216, is_preset=preset)

    sections = SECTIONS_216 if is_216 else SECTIONS_218
    version_node = root.get("version")
    version = version_node.to_py() if version_node is not None else None
    if preset:
        where = "Polyaxonfile preset"
    elif version:
        where = f"Polyaxonfile version `{version}`"
    else:
        where = "Polyaxonfile"
    for key, (key_node, _value) in root.items():
        if key in sections:
            continue
        fix = "remove it or move it into the section it belongs to"
        guess: tuple[str, bool] | None = None
        if isinstance(key, str):
            camel = camel_case(key)
            if camel != key and camel in sections:
                fix = f"top-level keys are camelCase: use `{camel}`"
                guess = (camel, True)
            else:
                guess = closest_word(key, sorted(sections))
                if guess:
                    fix = f"did you mean `{guess[0]}`?"
        ctx.report(
            UNEXPECTED_SECTION.at(
                key_node.span,
                f"Unknown top-level section `{key}`; {fix}",
                polyaxon=f"Unexpected section `{key}` in {where}. Please check the Polyaxonfile "
                "specification for this version.",
                fixes=replacement_fix(key_node, guess, root.index),
            )
        )
    return str(kind_value)


def _check_version(root: YMap, ctx: CheckContext, *, is_216: bool, is_preset: bool) -> None:
    entry = root.entry("version")
    if entry is None:
        if is_216 and not is_preset:
            # Polyaxon 2.16.4's own words (its "required section" check never gets that far).
            ctx.report(
                INVALID_VERSION.at(
                    _head_span(root),
                    "The file has no `version`; add `version: 1.1`.",
                    polyaxon="The Polyaxonfile `version` must be specified.",
                )
            )
        return
    node = entry[1]
    value = node.to_py()
    if not is_216:
        if value is not None and not is_number(value):
            ctx.report(
                INVALID_VERSION.at(
                    node.span,
                    f"`version` must be a number; got {_shown(node)}; use `version: 1.1`.",
                    polyaxon="Input should be a valid number, unable to parse string as a number",
                )
            )
        return
    if is_preset:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ctx.report(
            INVALID_VERSION.at(
                node.span,
                f"`version` must be the number 1.1; got {_shown(node)}; write `version: 1.1`.",
                polyaxon="'<=' not supported between instances of 'float' and "
                f"'{type(value).__name__}'",
            )
        )
    elif float(value) != 1.1:
        ctx.report(
            INVALID_VERSION.at(
                node.span,
                f"`version` must be 1.1; got {_shown(node)}; use `version: 1.1`.",
                polyaxon="The Polyaxonfile's version specified is not supported by your current "
                "CLI.Your CLI support Polyaxonfile versions between: 1.1 <= v <= 1.1.You can run "
                "`polyaxon upgrade` and check documentation for the specification",
            )
        )


def _shown(node: object) -> str:
    if isinstance(node, YScalar):
        return f"`{node.text}`"
    return "a collection"
