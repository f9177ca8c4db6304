"""`analyze(text)`: the one entry point the CLI and the language server share.

Pipeline (Polyaxon's own order, spec §21.6): YAML → header → schema → component chain → compile
(a run must exist) → params → DAG. Unlike Polyaxon, a failing stage does not hide the findings of
independent later stages; a stage only skips what an earlier error made untrustworthy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

from param_lsp.core import memo
from param_lsp.core.compose import Composed
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Related, Severity, widen_empty_spans
from param_lsp.core.memo import DocumentCache
from param_lsp.core.model import Layer, ParamDef, lax_bool, read_layer
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import MAX_FILE_BYTES, Workspace
from param_lsp.core.yaml_tree import ParsedYaml, YMap, YNode, YScalar, gc_paused, parse_yaml
from param_lsp.rules import (
    dag,
    dependent,
    document,
    families,
    joins,
    references,
    refs,
    registry,
    run_patch,
    schema,
    syntax,
    templates,
)
from param_lsp.rules import params as params_rules
from param_lsp.rules.dag import OpNode
from param_lsp.rules.dependent import ParamsPlan, SchemaBreaks
from param_lsp.rules.suppressions import apply_suppressions

SUPPORTED_KINDS = (None, "operation", "component")


@dataclass(slots=True, eq=False, repr=False)
class Analysis:
    """Everything one analysis of a text found, for the CLI and the editor features."""

    text: str
    path: Path | None
    settings: Settings
    parsed: ParsedYaml | None = None
    root: YMap | None = None
    kind: str | None = None
    layer: Layer | None = None
    composed: Composed | None = None
    #: The file's own DAG ops as the DAG check composed them, by id of their node.
    dag_ops: dict[int, OpNode] = field(default_factory=dict)
    #: The schema errors of the document, to skip dependent checks.
    schema_breaks: SchemaBreaks | None = None
    findings: list[Finding] = field(default_factory=list)
    #: The workspace references were read from (the graph composes nested DAGs with it).
    workspace: Workspace | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)


def analyze(
    text: str,
    path: Path | str | None = None,
    settings: Settings | None = None,
    workspace: Workspace | None = None,
    cache: DocumentCache | None = None,
) -> Analysis:
    """Analyse ``text``; ``cache`` (one per document) makes the next version's analysis cheap."""
    with gc_paused(), memo.active(cache):
        try:
            return _analyze(text, path, settings, workspace, cache)
        except Exception as exc:  # a bug of ours must not leave an editor with stale diagnostics
            if cache is not None:
                cache.forget()
            import logging  # only on this path: the CLI never needs logging otherwise

            logging.getLogger("param_lsp").exception("analysis failed")
            analysis = Analysis(
                text=text,
                path=Path(path).absolute() if path is not None else None,
                settings=settings or Settings(),
            )
            analysis.findings = [
                syntax.INTERNAL_ERROR.at(
                    Span.of(0, 0, 0, 0),
                    f"The analysis of this file failed ({type(exc).__name__}: {exc}); this is a "
                    "bug in param-lsp, not in the file: report it with the file.",
                )
            ]
            return analysis


def _analyze(
    text: str,
    path: Path | str | None,
    settings: Settings | None,
    workspace: Workspace | None,
    cache: DocumentCache | None,
) -> Analysis:
    families.load_all()
    settings = settings or Settings()
    source = _absolute(path)
    if workspace is None:
        root_dir = Path(settings.root) if settings.root else (source.parent if source else None)
        workspace = Workspace(root=root_dir)
    if cache is not None:
        cache.begin((settings, source))
        # The same path object as the last analysis: what was remembered compares by identity.
        source = cast(Path | None, cache.canonical(source))
    ctx = CheckContext(settings=settings, path=source, memo=cache)
    analysis = Analysis(text=text, path=source, settings=settings, workspace=workspace)

    if len(text) > MAX_FILE_BYTES:
        ctx.report(
            syntax.UNSAFE_DOCUMENT.at(
                Span.of(0, 0, 0, 0),
                f"Not analysed: the file has {len(text):,} characters, more than the "
                f"{MAX_FILE_BYTES:,} analysed",
            )
        )
        return _finish(analysis, ctx)
    if cache is None:
        parsed = parse_yaml(text)
    else:  # an editor's document: its next version re-parses only what changed
        from param_lsp.core.chunked import parse_incremental

        parsed = parse_incremental(text, cache.parse)
    analysis.parsed = parsed
    root = syntax.report_parse(parsed, text, ctx)
    analysis.root = root
    if root is None:
        return _finish(analysis, ctx)

    mark = len(ctx.findings)
    kind, broken = _check_structure(root, ctx)
    analysis.kind = kind
    if kind not in SUPPORTED_KINDS or document.is_preset(root):
        # A preset is merged into an operation at run time: its sections' schema is all that
        # can be checked on its own (Polyaxon's `check --lint`); it needs no `run`.
        return _finish(analysis, ctx)
    breaks = dependent.SchemaBreaks.since(ctx, mark)
    analysis.schema_breaks = breaks
    dropped = broken - dependent.kept_keys(root, broken, breaks) if breaks else broken
    layer = read_layer(root, source, drop=frozenset(dropped))
    analysis.layer = layer
    if references.report_top_level_dag_ref(layer, ctx):
        return _finish(analysis, ctx)

    is_component = kind == "component"
    if not is_component and settings.strict_params is not None:
        layer.strict_params = settings.strict_params
    if not is_component:
        layer.params = _with_cli_params(layer.params, settings)
    composed = references.composer(ctx, workspace).compose(layer)
    if is_component:
        composed.strict = composed.strict or bool(settings.strict_params)
        composed.params = _with_cli_params(composed.params, settings) or {}
    analysis.composed = composed
    no_run = references.report_no_run(composed, root, ctx)
    _check_run_patch(root, composed, broken, ctx)
    if breaks:
        dependent.explain_run_patch(root, dropped, breaks, ctx)

    if composed.complete and not composed.broken:
        # A schema error hides only what depends on the broken part (rules/dependent.py). A
        # broken matrix or joins still names its params (for templates), but provides nothing,
        # unless the joins' params themselves are readable (errors only in other fields).
        plan = dependent.plan_params(
            root,
            dropped,
            composed,
            joins.with_join_params(composed.params, composed.joins)
            if "joins" not in dropped or dependent.readable_joins(root.get("joins"), breaks)
            else dict(composed.params),
            breaks,
            ctx,
        )
        if plan.params is not None:
            mark = len(ctx.findings)
            _validate_params(analysis, plan, ctx)
            if no_run:
                # Without a run there is no component: what a param says about itself stands,
                # its match with inputs and outputs waits for one.
                ctx.findings[mark:] = [
                    f for f in ctx.findings[mark:] if f.code not in _NEEDS_COMPONENT
                ]
        _check_dag(analysis, ctx, workspace)
        _check_templates(analysis, ctx)
    return _finish(analysis, ctx)


def _absolute(path: Path | str | None) -> Path | None:
    if isinstance(path, Path) and path.is_absolute():
        return path  # the CLI's own paths: a new Path per file costs more than the check
    return Path(path).absolute() if path is not None else None


#: Params findings about the match with a component's inputs/outputs (rules/params.py).
_NEEDS_COMPONENT = frozenset({"PLX300", "PLX301", "PLX303", "PLX304", "PLX305", "PLX306"})


def _validate_params(analysis: Analysis, plan: ParamsPlan, ctx: CheckContext) -> None:
    composed, root = analysis.composed, analysis.root
    assert root is not None and composed is not None and plan.params is not None
    is_component = analysis.kind == "component"
    target = params_rules.ParamsTarget(
        params=plan.params,
        inputs=plan.inputs,
        outputs=plan.outputs,
        strict=composed.strict,
        matrix=plan.matrix,
        anchor_at=_params_anchor(root),
        is_template=is_component and analysis.settings.components_as_templates,
        check_ref=refs.check_param_ref,
        chunk_slot="document",
        notes=_cleared_matrix(root),
        strict_key=_strict_key(root) if composed.strict else None,
    )
    params_rules.validate_params(target, ctx)


def _strict_key(root: YMap) -> YNode | None:
    """This file's `strictParams` key that turns strictness on (the operation's own, else its
    inline component's), for the note on an undeclared param."""
    inline = root.get("component")
    for layer in (root, inline if isinstance(inline, YMap) else None):
        entry = layer.entry("strictParams") if layer is not None else None
        if entry is not None and lax_bool(entry[1].to_py()):
            return entry[0]
    return None


def _cleared_matrix(root: YMap) -> tuple[Related, ...]:
    """`matrix: null` provides no input: a note on it for the inputs left without a value."""
    entry = root.entry("matrix")
    if entry is None or not (isinstance(entry[1], YScalar) and entry[1].value is None):
        return ()
    return (Related("`matrix` is empty here, so it provides no input", entry[0].span),)


def _check_structure(root: YMap, ctx: CheckContext) -> tuple[str | None, set[str]]:
    """The header and the schema families: the document's kind and its broken sections."""
    kind = document.check_header(root, ctx)
    if kind not in SUPPORTED_KINDS:
        return kind, set()
    return kind, set(schema.check_schema(root, ctx, where="file"))


def _with_cli_params(
    params: dict[str, ParamDef] | None, settings: Settings
) -> dict[str, ParamDef] | None:
    """`-P name=value` deep-merges into the file's params: only `value` is replaced (§1.6)."""
    if not settings.params:
        return params
    merged = dict(params or {})
    for name, value in settings.params.items():
        existing = merged.get(name)
        if existing is not None:
            merged[name] = replace(existing, value=value, has_value=True, from_cli=True)
        else:
            merged[name] = ParamDef(name, None, None, True, value, True, from_cli=True)
    return merged


def _params_anchor(root: YMap) -> YNode:
    for key in ("params", "component", "pathRef", "hubRef", "urlRef", "inputs", "kind"):
        node = root.key_node(key)
        if node is not None:
            return node
    if root.pairs:
        return root.pairs[0][0]
    return root


def _check_run_patch(root: YMap, composed: Composed, broken: set[str], ctx: CheckContext) -> None:
    if composed.broken or not composed.complete or {"runPatch", "run_patch"} & broken:
        return
    run_patch.check_run_patch(root, composed.run_kind, ctx)
    if not ctx.settings.is_216:
        run_patch.check_sandbox(composed, ctx)
        run_patch.check_shortcuts(root, composed, ctx)


def _check_templates(analysis: Analysis, ctx: CheckContext) -> None:
    if analysis.composed is not None:
        templates.check_templates(analysis.composed, ctx)


def _check_dag(analysis: Analysis, ctx: CheckContext, workspace: Workspace) -> None:
    composed = analysis.composed
    if composed is None or composed.run_kind != "dag":
        return
    ops = dag.check_dag(composed, analysis.schema_breaks, ctx, workspace)
    if ops is not None:
        # Editor features reuse these compositions instead of composing every op again.
        analysis.dag_ops = ops


#: Findings that stay at their zero-width position: PyYAML's own mark of a syntax error.
_AT_THEIR_MARK = frozenset({syntax.YAML_SYNTAX.code})


def _finish(analysis: Analysis, ctx: CheckContext) -> Analysis:
    # Suppress before severity overrides, so that `off` in settings also silences PLX010.
    kept = apply_suppressions(ctx.findings, analysis.text, analysis.parsed)
    kept = widen_empty_spans(kept, analysis.text, _AT_THEIR_MARK)
    analysis.findings = apply_severity_overrides(kept, analysis.settings)
    analysis.findings.sort(key=Finding.sort_key)
    return analysis


def apply_severity_overrides(findings: list[Finding], settings: Settings) -> list[Finding]:
    if not settings.severity:
        return findings
    rules = registry.RULES
    by_name = {rule.name: code for code, rule in rules.items()}
    overrides: dict[str, str] = {}  # code → level
    for key, wanted in settings.severity.items():
        overrides[by_name.get(key, key)] = wanted
    result: list[Finding] = []
    for finding in findings:
        override = overrides.get(finding.code)
        if override is None:
            result.append(finding)
        elif override != "off":
            result.append(replace(finding, severity=Severity.parse(override)))
    return result
