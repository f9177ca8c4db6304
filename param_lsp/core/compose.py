"""Component composition: an operation's component chain (inline `component`, pathRef,
hubRef through `hub-map` or the bundled public hub facts, urlRef through `url-map`, a DAG's
`dagRef`) resolved and its layers merged the way Polyaxon 2.18 does (spec §21.3, §21.7), with
reference cycles and workspace confinement.

Composition reports what it meets on the way (a missing file, a cycle, a reference outside the
workspace...), but which rule each problem is, and how a referenced document is checked, belong
to the rule families: :class:`CompositionReports` carries them in (the references family
builds it).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from param_lsp.core import public_hub
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Fix, Related, Severity
from param_lsp.core.model import IODef, Layer, ParamDef, read_layer
from param_lsp.core.settings import Settings
from param_lsp.core.span import Span
from param_lsp.core.workspace import Workspace
from param_lsp.core.yaml_tree import ParsedYaml, YMap, YNode, YScalar, YSeq


class FindingKind(Protocol):
    """A rule as composition uses it: its code, and a finding of it at a span."""

    @property
    def code(self) -> str: ...

    def at(
        self,
        span: Span,
        message: str,
        *,
        related: tuple[Related, ...] = (),
        fixes: tuple[Fix, ...] = (),
        polyaxon: str = "",
    ) -> Finding: ...


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CompositionReports:
    """The rules composition reports, and the check of a referenced document's own errors."""

    path_ref_missing: FindingKind
    reference_cycle: FindingKind
    referenced_invalid: FindingKind
    path_ref_outside: FindingKind
    unresolved_remote: FindingKind
    unknown_hub_component: FindingKind
    check_referenced: Callable[[ParsedYaml, str, Path, Settings], list[Finding]]


_STRATEGIES = ("post_merge", "pre_merge", "replace", "isnull")


@dataclass(slots=True, eq=False, repr=False)
class Composed:
    """An operation with its whole component chain merged (what `validate_params` sees)."""

    layers: list[Layer] = field(default_factory=list)
    params: dict[str, ParamDef] = field(default_factory=dict)
    inputs: list[IODef] = field(default_factory=list)
    outputs: list[IODef] = field(default_factory=list)
    strict: bool = False
    run: YMap | None = None
    run_kind: str | None = None
    matrix: YNode | None = None
    joins: YNode | None = None
    #: False when a hub/url component could not be read: IO is unknown, params unchecked.
    complete: bool = True
    #: True when a referenced document is broken (reported already): params unchecked.
    broken: bool = False

    @property
    def component_layer(self) -> Layer | None:
        """The innermost layer (the one that declares the IO, usually)."""
        return self.layers[-1] if self.layers else None


def _null(node: YNode | None) -> bool:
    return isinstance(node, YScalar) and node.value is None


def _unset(node: YNode | None) -> bool:
    return node is None or _null(node)


def _merge_ios(
    inner: list[IODef], layer: list[IODef] | None, cleared: bool, strategy: str
) -> list[IODef]:
    if layer is None:
        return [] if cleared and strategy in ("post_merge", "replace") else inner
    if strategy == "replace":
        return layer
    if strategy == "isnull":
        return inner if inner else layer
    inner_defs = [io.definition() for io in inner]
    extra = [io for io in layer if io.definition() not in inner_defs]
    if strategy == "pre_merge":
        layer_defs = [io.definition() for io in layer]
        return layer + [io for io in inner if io.definition() not in layer_defs]
    return inner + extra


def _merge_params(
    inner: dict[str, ParamDef], layer: dict[str, ParamDef] | None, cleared: bool, strategy: str
) -> dict[str, ParamDef]:
    if layer is None:
        return {} if cleared and strategy in ("post_merge", "replace") else inner
    if strategy == "replace":
        return dict(layer)
    if strategy == "isnull":
        return inner if inner else dict(layer)
    if strategy == "pre_merge":
        merged = dict(layer)
        merged.update(inner)
        return {name: merged[name] for name in [*layer, *(n for n in inner if n not in layer)]}
    merged = dict(inner)
    merged.update(layer)
    return merged


@dataclass(slots=True, eq=False, repr=False)
class _Shared:
    """One referenced file's check and composition, shared by the files that reference it."""

    parsed: object
    settings: object
    #: (file, tree) of the referenced file and of every file its composition read.
    deps: tuple[tuple[Path, object], ...]
    findings: list[Finding]
    layer: Layer | None
    composed: Composed | None
    sub_findings: list[Finding]


#: How deep nested DAGs of a referenced file have their references resolved (a guard: the
#: references themselves are followed with cycle detection).
MAX_NESTED_DAGS = 8
#: Keys whose value is read from elsewhere (a file, the hub, a URL) or is a component itself.
_RESOLVED_KEYS = ("pathRef", "path_ref", "hubRef", "hub_ref", "urlRef", "url_ref", "component")

#: (referencing file's folder, pathRef value) → the referenced file's absolute path (a DAG's
#: ops and the files of a folder name the same few components).
_PATH_REFS: dict[tuple[str, str], Path] = {}


class Composer:
    """Resolves and composes component chains, reporting reference problems on the way."""

    def __init__(
        self,
        ctx: CheckContext,
        workspace: Workspace,
        reports: CompositionReports,
        dag_components: Mapping[str, YMap] | None = None,
    ) -> None:
        self.ctx = ctx
        self.workspace = workspace
        self.reports = reports
        #: Inside a DAG: its `components[]` entries by name, so `dagRef` can be followed.
        self.dag_components = dag_components
        #: `dagRef` problems met while composing: ("unknown" | "cycle", dagRef node, names).
        self.dag_ref_problems: list[tuple[str, YNode, tuple[str, ...]]] = []
        #: Composed `components[]` entries, shared by every op that uses them (composed once).
        self._dag_cache: dict[tuple[str, tuple[str, ...]], tuple[Layer, Composed]] = {}
        #: Every (file, tree) the compositions of this composer read, transitively.
        self.reads: list[tuple[Path, object]] = []
        #: What a composition depended on besides its own nodes (reset by the caller): files
        #: read, and `components[]` entries whose first composition reported something (the
        #: op that composes such an entry first is the one that reports it).
        self.read_files = False
        self.used_noisy_component = False
        self._noisy: set[tuple[str, tuple[str, ...]]] = set()

    def compose(
        self, layer: Layer, *, chain: tuple[Path, ...] = (), dag_chain: tuple[str, ...] = ()
    ) -> Composed:
        inner_layer, composed_inner = self._inner(layer, chain, dag_chain)
        inner = composed_inner if composed_inner is not None else Composed()
        if inner_layer is None and composed_inner is None:
            inner = Composed()
        strategy = layer.patch_strategy if layer.patch_strategy in _STRATEGIES else "post_merge"
        root = layer.root
        result = Composed(
            layers=[layer, *inner.layers],
            params=_merge_params(inner.params, layer.params, _null(root.get("params")), strategy),
            inputs=_merge_ios(inner.inputs, layer.inputs, _null(root.get("inputs")), strategy),
            outputs=_merge_ios(inner.outputs, layer.outputs, _null(root.get("outputs")), strategy),
            strict=inner.strict or bool(layer.strict_params),
            run=layer.run if layer.run is not None else inner.run,
            run_kind=layer.run_kind or inner.run_kind,
            # `matrix: null` is no matrix (it does not clear the inner one either).
            matrix=inner.matrix if _unset(root.get("matrix")) else root.get("matrix"),
            joins=root.get("joins") if "joins" in root else inner.joins,
            complete=inner.complete,
            broken=inner.broken,
        )
        return result

    def _inner(
        self, layer: Layer, chain: tuple[Path, ...], dag_chain: tuple[str, ...] = ()
    ) -> tuple[Layer | None, Composed | None]:
        if layer.component is not None:
            inline = read_layer(layer.component, layer.source)
            return inline, self.compose(inline, chain=chain, dag_chain=dag_chain)
        path_ref = layer.ref("pathRef")
        if path_ref is not None:
            return self._path_ref(layer, path_ref[1], chain)
        hub_ref = layer.ref("hubRef")
        if hub_ref is not None:
            return self._hub_ref(layer, hub_ref[1], chain)
        url_ref = layer.ref("urlRef")
        if url_ref is not None:
            return self._url_ref(layer, url_ref[1], chain)
        dag_ref = layer.ref("dagRef")
        if dag_ref is not None and self.dag_components is not None:
            return self._dag_ref(layer, dag_ref[1], chain, dag_chain)
        return None, None

    def _dag_ref(
        self, layer: Layer, node: YNode, chain: tuple[Path, ...], dag_chain: tuple[str, ...]
    ) -> tuple[Layer | None, Composed | None]:
        """D6: follow `dagRef` to the DAG's `components[]` entry (each link is a layer)."""
        assert self.dag_components is not None
        name = str(node.to_py())
        if name in dag_chain:
            self.dag_ref_problems.append(("cycle", node, (*dag_chain, name)))
            return None, Composed(broken=True)
        target = self.dag_components.get(name)
        if target is None:
            self.dag_ref_problems.append(("unknown", node, (name,)))
            return None, Composed(broken=True)
        key = (name, dag_chain)
        cached = self._dag_cache.get(key)
        if cached is None:
            before = (len(self.ctx.findings), len(self.dag_ref_problems))
            inner = read_layer(target, layer.source)
            cached = (inner, self.compose(inner, chain=chain, dag_chain=(*dag_chain, name)))
            self._dag_cache[key] = cached
            if (len(self.ctx.findings), len(self.dag_ref_problems)) != before:
                self._noisy.add(key)
        if key in self._noisy:
            self.used_noisy_component = True
        return cached

    def _hub_ref(
        self, layer: Layer, node: YNode, chain: tuple[Path, ...]
    ) -> tuple[Layer | None, Composed | None]:
        ref = str(node.to_py())
        if self._hub_mapped(ref):
            target = self._hub_target(ref, layer.source)
            if target is not None:
                return self._referenced(layer, node, target, chain, "hubRef")
            self.ctx.report(
                self.reports.unresolved_remote.at(
                    node.span,
                    f"`hubRef: {ref}` is mapped by the `hub-map` setting to a file that does not "
                    "exist, so params are not checked; fix the mapping.",
                )
            )
            return None, Composed(complete=False)
        root = public_hub.component(ref) if self.ctx.settings.public_hub else None
        if root is not None:
            inner = read_layer(root, public_hub.virtual_path(ref))
            return inner, self.compose(inner)
        guess = public_hub.suggest(ref) if self.ctx.settings.public_hub else None
        if guess is not None:
            self.ctx.report(
                self.reports.unknown_hub_component.at(
                    node.span,
                    f"`hubRef: {ref}` names no component of Polyaxon's public hub; did you mean "
                    f"`{guess}`?",
                    fixes=(Fix(f"Replace with `{guess}`", node.span, guess),),
                )
            )
            return None, Composed(complete=False)
        name, _tag = public_hub.split_ref(ref)
        known_tags = public_hub.tags(name) if self.ctx.settings.public_hub else []
        if known_tags:
            tags = ", ".join(f"`{t}`" for t in known_tags)
            message = (
                f"`hubRef: {ref}` is not fetched (no network access) and the bundled public hub "
                f"has `{name}` only with the tags {tags}; use one of them or map it with "
                "`hub-map`."
            )
        else:
            message = (
                f"`hubRef: {ref}` is not fetched (no network access); map it to a local file "
                "with the `hub-map` setting to check params against it."
            )
        self.ctx.report(self.reports.unresolved_remote.at(node.span, message))
        return None, Composed(complete=False)

    def _hub_mapped(self, ref: str) -> bool:
        hub_map = self.ctx.settings.hub_map
        return ref in hub_map or ref.partition(":")[0] in hub_map

    def _url_ref(
        self, layer: Layer, node: YNode, chain: tuple[Path, ...]
    ) -> tuple[Layer | None, Composed | None]:
        url = str(node.to_py())
        target = self._url_target(url, layer.source)
        # Outside the workspace nothing is read, not even to see whether the file exists.
        if target is not None and (not self.workspace.allowed(target) or target.is_file()):
            return self._referenced(layer, node, target, chain, "urlRef")
        if target is not None:
            message = (
                f"`urlRef: {url}` is mapped by the `url-map` setting to `{target}`, which does "
                "not exist, so params are not checked; fix the mapping."
            )
        else:
            message = (
                f"`urlRef: {url}` is not fetched (no network access); map its URL prefix to a "
                "local folder with the `url-map` setting to check params against it."
            )
        self.ctx.report(self.reports.unresolved_remote.at(node.span, message))
        return None, Composed(complete=False)

    def _url_target(self, url: str, source: Path | None) -> Path | None:
        """The local file a URL maps to (longest matching prefix), or None when none applies."""
        url_map = self.ctx.settings.url_map
        prefixes = sorted((p for p in url_map if p and url.startswith(p)), key=len, reverse=True)
        if not prefixes:
            return None
        self.read_files = True
        prefix = prefixes[0]
        base = Path(url_map[prefix])
        if not base.is_absolute():
            anchor = self.workspace.root or (source.parent if source else Path.cwd())
            base = anchor / base
        rest = url[len(prefix) :].lstrip("/")
        return Path(os.path.abspath(base / rest)) if rest else None

    def _hub_target(self, ref: str, source: Path | None) -> Path | None:
        name, _, tag = ref.partition(":")
        tag = tag or "latest"
        hub_map = self.ctx.settings.hub_map
        mapped = hub_map.get(ref) or hub_map.get(name)
        if mapped is None:
            return None
        self.read_files = True
        base = Path(mapped)
        if not base.is_absolute():
            anchor = self.workspace.root or (source.parent if source else Path.cwd())
            base = anchor / base
        for candidate in (base, base / f"{tag}.yaml", base / name / f"{tag}.yaml"):
            try:
                if candidate.is_file():
                    return candidate
            except (OSError, ValueError):  # a NUL or an over-long name in the mapping
                return None
        return None

    def _path_ref(
        self, layer: Layer, node: YNode, chain: tuple[Path, ...]
    ) -> tuple[Layer | None, Composed | None]:
        ref = str(node.to_py())
        if layer.source is None:
            target = Path(os.path.abspath(Path.cwd() / ref))
        else:
            # Keyed by the folder: the files of one folder naming the same component share
            # one resolution (and one Path).
            key = (os.path.dirname(str(layer.source)), ref)
            known = _PATH_REFS.get(key)
            if known is None:
                known = Path(os.path.abspath(os.path.join(key[0], ref)))
                if len(_PATH_REFS) > 4096:
                    _PATH_REFS.clear()
                _PATH_REFS[key] = known
            target = known
        return self._referenced(layer, node, target, chain, "pathRef")

    def _referenced(
        self, layer: Layer, node: YNode, target: Path, chain: tuple[Path, ...], kind: str
    ) -> tuple[Layer | None, Composed | None]:
        ref = str(node.to_py())
        origin = layer.source
        full_chain = chain or ((origin,) if origin is not None else ())
        if target in full_chain:
            names = " -> ".join(f"pathRef `{p}`" for p in (*full_chain, target))
            self.ctx.report(
                self.reports.reference_cycle.at(
                    node.span, f"The references form a cycle ({names}); break it."
                )
            )
            return None, Composed(broken=True)
        self.read_files = True
        result = self.workspace.read(target, by=self.ctx.path)
        if result.error == "outside":
            self.ctx.report(
                self.reports.path_ref_outside.at(
                    node.span,
                    f"`{kind}: {ref}` resolves outside the workspace (`{target}`), so it is not "
                    "read and params are not checked against it.",
                )
            )
            return None, Composed(complete=False)
        if result.error is not None or result.parsed is None:
            reason = {
                "too-large": "is too large to read",
                "unreadable": "cannot be read",
                "not-utf8": "is not UTF-8 text",
            }.get(result.error or "", "")
            if reason:
                message = f"`{kind}: {ref}` cannot be used: the file {reason}."
                self.ctx.report(self.reports.referenced_invalid.at(node.span, message))
            else:
                self.ctx.report(
                    self.reports.path_ref_missing.at(
                        node.span, f"`{kind}: {ref}` names no file (`{target}`); fix the path."
                    )
                )
            return None, Composed(broken=True)
        resolved = self._resolved(target, result.parsed, result.text or "", full_chain)
        inner_findings, inner_layer, composed, sub_findings = resolved
        errors = [f for f in inner_findings if f.severity == Severity.ERROR]
        if errors:
            first = errors[0]
            self.ctx.report(
                self.reports.referenced_invalid.at(
                    node.span,
                    f"`{kind}: {ref}` is not a valid component: {first.message}",
                    polyaxon=first.polyaxon,
                    related=tuple(
                        Related(f"[{f.code}] {f.message}", f.span, str(target)) for f in errors[:5]
                    ),
                )
            )
            return None, Composed(broken=True)
        assert inner_layer is not None and composed is not None
        # Problems deeper in the chain belong to other files: Polyaxon reports them through this
        # reference ("Could not resolve pathRef `…`: …"), and so does the diagnostic.
        for finding in sub_findings:
            wrapped_rule = (
                self.reports.reference_cycle
                if finding.code == self.reports.reference_cycle.code
                else None
            )
            if finding.severity == Severity.ERROR:
                rule_ = wrapped_rule or self.reports.referenced_invalid
                self.ctx.report(
                    rule_.at(
                        node.span,
                        f"`{kind}: {ref}` is not a valid component: {finding.message}",
                        polyaxon=finding.polyaxon,
                        related=(
                            Related(
                                f"[{finding.code}] {finding.message}", finding.span, str(target)
                            ),
                        ),
                    )
                )
                composed.broken = True
                break
            # A note or warning of the referenced file (or deeper) is shown on the reference,
            # pointing at where it stands: its own range belongs to another file.
            self.ctx.report(
                replace(
                    finding,
                    span=node.span,
                    message=f"Through `{kind}: {ref}`: {finding.message}",
                    related=(
                        Related(f"[{finding.code}] {finding.message}", finding.span, str(target)),
                        *finding.related,
                    ),
                    fixes=(),  # its edits are for the other file
                )
            )
        return inner_layer, composed

    def _resolved(
        self, target: Path, parsed: ParsedYaml, text: str, chain: tuple[Path, ...]
    ) -> tuple[list[Finding], Layer | None, Composed | None, list[Finding]]:
        """The referenced file checked and composed: (its own findings, its layer, its
        composition, the composition's findings).

        Shared by every file of the workspace that references ``target`` (a component used by
        200 operations is checked and composed once), for as long as ``target`` and every file
        its composition read are unchanged, with the same settings. A composition that read a
        file of the referencing chain is not shared (cycles depend on the chain).
        """
        shared: dict[Path, list[_Shared]] = self.workspace.shared.setdefault("composed", {})
        settings = self.ctx.settings
        for entry in shared.get(target, ()):
            if (
                entry.parsed is parsed
                and (entry.settings is settings or entry.settings == settings)
                and self._still_valid(entry, chain)
            ):
                self.reads.extend(entry.deps)
                return entry.findings, entry.layer, entry.composed, entry.sub_findings
        reads_before = len(self.reads)
        self.reads.append((target, parsed))
        inner_findings = self._check_referenced(parsed, text, target)
        if any(f.severity == Severity.ERROR for f in inner_findings):
            outcome: tuple[list[Finding], Layer | None, Composed | None, list[Finding]] = (
                inner_findings,
                None,
                None,
                [],
            )
            deps: tuple[tuple[Path, object], ...] = ((target, parsed),)
        else:
            root = parsed.root
            assert isinstance(root, YMap)
            inner_layer = read_layer(root, target)
            sub = CheckContext(settings=settings, path=target)
            inner = Composer(sub, self.workspace, self.reports)
            composed = inner.compose(inner_layer, chain=(*chain, target))
            if (
                composed.run_kind == "dag"
                and isinstance(composed.run, YMap)
                and not settings.is_216  # 2.16 follows no reference inside a referenced file
            ):
                inner.resolve_dag_references(composed.run, target, chain=(*chain, target))
            self.reads.extend(inner.reads)
            outcome = (inner_findings, inner_layer, composed, sub.findings)
            deps = ((target, parsed), *inner.reads)
        if not any(path in chain for path, _ in deps):
            entries = shared.setdefault(target, [])
            entries.append(_Shared(parsed, settings, deps, *outcome))
            del entries[:-4]  # a few settings variants at most
        del self.reads[reads_before:]
        self.reads.extend(deps)
        return outcome

    def resolve_dag_references(
        self, run: YMap, source: Path | None, *, chain: tuple[Path, ...], depth: int = 0
    ) -> None:
        """R5: a DAG's `operations[]` and `components[]` entries have their references resolved
        when the file holding the DAG is (a missing file, a cycle or an invalid component there
        fails the reference to that file), and so do the DAGs those entries hold, recursively.
        Their params are not checked: Polyaxon does not validate nested DAGs further."""
        if depth >= MAX_NESTED_DAGS:
            return
        for section in ("operations", "components"):
            items = run.get(section)
            if not isinstance(items, YSeq):
                continue
            for item in items.items:
                if not isinstance(item, YMap) or (
                    "dagRef" in item and not any(key in item for key in _RESOLVED_KEYS)
                ):
                    continue  # a `dagRef` names an entry of the same DAG: nothing to read
                composed = self.compose(read_layer(item, source), chain=chain)
                if composed.run_kind == "dag" and isinstance(composed.run, YMap):
                    self.resolve_dag_references(composed.run, source, chain=chain, depth=depth + 1)

    def _still_valid(self, entry: _Shared, chain: tuple[Path, ...]) -> bool:
        for path, parsed in entry.deps[1:]:
            if path in chain or not self.workspace.unchanged(path, parsed):
                return False
        return entry.deps[0][0] not in chain

    def _check_referenced(self, parsed: ParsedYaml, text: str, target: Path) -> list[Finding]:
        """Errors of the referenced document itself (the rule families' check)."""
        return self.reports.check_referenced(parsed, text, target, self.ctx.settings)
