"""Family "references": the problems of resolving a document's component chain (inline, pathRef,
hubRef, urlRef), which :mod:`param_lsp.core.compose` reports with these rules, and the checks
of a composed document (a run must exist, `dagRef` only inside a DAG)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from param_lsp.core.compose import Composed, Composer, CompositionReports
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.model import Layer
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import ParsedYaml, YMap, YScalar
from param_lsp.rules import schema, syntax
from param_lsp.rules.registry import rule

PATH_REF_MISSING = rule(
    "PLX900",
    "path-ref-not-found",
    family="references",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="A `pathRef` names a file that does not exist.",
    doc="""
    `pathRef` is resolved relative to the file that contains it. Polyaxon rejects the operation
    with "Path ref `…` does not exist or is not a file."
    """,
    bad="""
    kind: operation
    pathRef: ./componnets/train.yaml
    """,
    good="""
    kind: operation
    pathRef: ./components/train.yaml
    """,
)

REFERENCE_CYCLE = rule(
    "PLX901",
    "reference-cycle",
    family="references",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`pathRef`s form a cycle.",
    doc="""
    Polyaxon 2.18 follows `pathRef`s recursively and rejects a chain that comes back to a file
    already on it ("Polyaxonfile reference cycle").
    """,
    bad="""
    # a.yaml
    kind: operation
    pathRef: b.yaml
    # b.yaml
    pathRef: a.yaml
    """,
    good="""
    # a.yaml
    kind: operation
    pathRef: b.yaml
    # b.yaml
    kind: component
    run: {kind: job, container: {image: python}}
    """,
)

REFERENCED_INVALID = rule(
    "PLX902",
    "referenced-document-invalid",
    family="references",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="The document a `pathRef` points to is itself invalid.",
    doc="""
    Polyaxon reports an error inside a referenced document as "Could not resolve pathRef `…`:
    <the error>". The diagnostic sits on the `pathRef` value; its related location points
    into the referenced file.
    """,
    bad="""
    kind: operation
    pathRef: broken.yaml   # broken.yaml is not valid YAML
    """,
    good="""
    kind: operation
    pathRef: component.yaml
    """,
)

PATH_REF_OUTSIDE = rule(
    "PLX903",
    "path-ref-outside-workspace",
    family="references",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `pathRef` points outside the workspace, so it is not read.",
    doc="""
    param-lsp never reads files outside the workspace root (symlinks are resolved first), so
    params are not checked against such a component. Polyaxon itself would read the file.
    """,
    bad="""
    kind: operation
    pathRef: ../../../etc/passwd
    """,
    good="""
    kind: operation
    pathRef: components/train.yaml
    """,
)

UNRESOLVED_REMOTE = rule(
    "PLX904",
    "unresolved-remote-component",
    family="references",
    severity=Severity.INFORMATION,
    polyaxon_rejects=False,
    summary="A `hubRef`/`urlRef` component can't be read offline; its params are not checked.",
    doc="""
    Polyaxon fetches hub and URL components from the network; param-lsp never does. Components
    of Polyaxon's public hub are checked offline with facts shipped with param-lsp; other hub
    names can be mapped to a local file or folder with the `hub_map` setting
    (`[tool.param-lsp.hub-map]` or the client settings), and URLs to local folders by prefix
    with `url_map` (`[tool.param-lsp.url-map]`, `--url-map PREFIX=FOLDER`, `urlMap`).
    """,
    bad="""
    kind: operation
    hubRef: tensorboard:v1
    """,
    good="""
    # .param-lsp.toml
    [hub-map]
    "tensorboard" = "components/hub/tensorboard"
    """,
)

NO_RUN = rule(
    "PLX905",
    "no-run",
    family="references",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="Nothing in the document or its component chain defines a `run`.",
    doc="""
    After composing the operation with its components Polyaxon needs a `run`; otherwise it
    fails with "Compile operation received an invalid configuration: the resolved Polyaxonfile
    has no run." Add a `run` section, an inline `component`, or a reference to one. In 2.18
    a root shortcut (`container`, `cmd`, `env`, `resources`, `environment`, `init`,
    `connections`, `sidecars`, `volumes`; `ports` for a service) creates the run too. A file with
    a `runPatch` and nothing to patch fails first on the patch ("runPatch requires a resolved
    runtime."), reported on `runPatch`: usually a preset missing `isPreset: true` (a preset
    is checked as `polyaxon check --lint` checks it, without asking for a run).
    """,
    bad="""
    kind: operation
    params:
      lr: {value: 0.1}
    """,
    good="""
    kind: operation
    params:
      lr: {value: 0.1}
    pathRef: components/train.yaml
    """,
)

UNKNOWN_HUB_COMPONENT = rule(
    "PLX907",
    "unknown-hub-component",
    family="references",
    severity=Severity.WARNING,
    polyaxon_rejects=False,
    summary="A `hubRef` name close to, but not, a component of Polyaxon's public hub.",
    doc="""
    param-lsp ships the names, tags and inputs/outputs of Polyaxon's public hub components (the
    last open-source snapshot), so `hubRef: kaniko` is checked offline. A name that is not there
    but is close to one is most likely a typo; Polyaxon would fail to fetch it. Names far from
    every hub component (private or newer components) only get the PLX904 note. Map private
    components to local files with `hub_map`.
    """,
    bad="""
    kind: operation
    hubRef: dokerizer
    """,
    good="""
    kind: operation
    hubRef: dockerizer
    """,
)

DAG_REF_OUTSIDE_DAG = rule(
    "PLX906",
    "dag-ref-outside-dag",
    family="references",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`dagRef` is only meaningful for an operation inside a DAG.",
    doc="""
    `dagRef` names an entry of a DAG's `components`. Outside a DAG Polyaxon cannot compose it
    ("Collect the Polyaxonfile reference before composing its local fields.").
    """,
    bad="""
    kind: operation
    dagRef: train
    """,
    good="""
    kind: operation
    pathRef: components/train.yaml
    """,
)


def _check_referenced(
    parsed: ParsedYaml, text: str, target: Path, settings: Settings
) -> list[Finding]:
    """Errors of the referenced document itself (read without the section check, R4)."""
    sub = CheckContext(settings=settings, path=target)
    root = syntax.report_parse(parsed, text, sub)
    if root is None:
        if not sub.findings:
            sub.report(
                syntax.UNREADABLE_DOCUMENT.at(
                    Span.of(0, 0, 0, 0), "The Polyaxonfile must contain a mapping."
                )
            )
        return sub.findings
    schema.check_schema(root, sub, where="referenced")
    return sub.findings


#: What composition (core.compose) reports, as rules of this family and the document families.
REPORTS = CompositionReports(
    path_ref_missing=PATH_REF_MISSING,
    reference_cycle=REFERENCE_CYCLE,
    referenced_invalid=REFERENCED_INVALID,
    path_ref_outside=PATH_REF_OUTSIDE,
    unresolved_remote=UNRESOLVED_REMOTE,
    unknown_hub_component=UNKNOWN_HUB_COMPONENT,
    check_referenced=_check_referenced,
)


def composer(
    ctx: CheckContext, workspace: Workspace, dag_components: Mapping[str, YMap] | None = None
) -> Composer:
    """A :class:`Composer` reporting this family's rules."""
    return Composer(ctx, workspace, REPORTS, dag_components=dag_components)


def report_no_run(composed: Composed, root: YMap, ctx: CheckContext) -> bool:
    """S12: after composition a complete chain must define a run; True when reported."""
    if composed.run is not None or not composed.complete or composed.broken:
        return False
    if _defines_run(root):
        return False  # the run (or the component holding it) failed the schema, reported there
    roots = [root, *(layer.root for layer in composed.layers)]
    if not ctx.settings.is_216 and any(map(_shortcut_creates_run, roots)):
        return False  # a root shortcut creates the run (a job, or a service for `ports`)
    patch = root.key_node("runPatch")
    if patch is not None:
        # Polyaxon fails on the patch first (spec S10): that is the cause to name.
        ctx.report(
            NO_RUN.at(
                patch.span,
                "`runPatch` has no run to patch: nothing in the file or its references defines "
                "one; reference a component (`pathRef`/`hubRef`), or add `isPreset: true` if "
                "the file is a preset merged into an operation.",
                polyaxon="runPatch requires a resolved runtime.",
            )
        )
        return True
    anchor = root.key_node("kind") or (root.pairs[0][0] if root.pairs else root)
    ctx.report(
        NO_RUN.at(
            anchor.span,
            "The file has no `run` once its references are resolved; add a `run` section, "
            "an inline `component` or a `pathRef`/`hubRef` to one.",
            polyaxon="Compile operation received an invalid configuration: the resolved "
            "Polyaxonfile has no run.",
        )
    )
    return True


#: Root shortcuts (Polyaxon 2.18, spec S9) that create the run when nothing else defines one:
#: `ports` a service, the others a job (a null value creates nothing, but `container: null`).
_RUN_SHORTCUTS = ("container", "ports", "cmd", "env", "resources", "environment", "init",
                  "connections", "sidecars", "volumes")  # fmt: skip


def _shortcut_creates_run(root: YMap) -> bool:
    for key in _RUN_SHORTCUTS:
        entry = root.entry(key)
        if entry is None:
            continue
        value = entry[1]
        # `container` counts even when null; a blank `cmd` is the schema's error to report
        if key == "container" or not (isinstance(value, YScalar) and value.value is None):
            return True
    return False


_RUN_SOURCES = ("run", "component", "pathRef", "path_ref", "hubRef", "hub_ref", "urlRef",
                "url_ref")  # fmt: skip


def _defines_run(node: YMap, depth: int = 0) -> bool:
    """Whether a document spells out a run, directly or through an inline component or a
    reference, whatever the schema made of it (a reference that is not a string, a misspelt
    `hubRfe`): then "no run" is only a consequence of the error reported there."""
    for key in node.index:
        if not isinstance(key, str):
            continue
        value = node.get(key)
        if value is None or (isinstance(value, YScalar) and value.value in (None, "")):
            continue
        if key == "component":
            if not isinstance(value, YMap) or (depth < 50 and _defines_run(value, depth + 1)):
                return True
        elif key in _RUN_SOURCES or difflib.get_close_matches(key, _RUN_SOURCES, 1, 0.75):
            return True
    return False


def report_top_level_dag_ref(layer: Layer, ctx: CheckContext) -> bool:
    """S11: a top-level `dagRef` cannot be composed; True when reported."""
    entry = layer.ref("dagRef")
    if entry is None or layer.component is not None or layer.ref("pathRef") or layer.ref("hubRef"):
        return False
    ctx.report(
        DAG_REF_OUTSIDE_DAG.at(
            entry[1].span,
            f"`dagRef: {entry[1].to_py()}` only works for an op inside a DAG; use `pathRef` or "
            "`hubRef` here.",
        )
    )
    return True
