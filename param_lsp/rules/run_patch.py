"""`runPatch` checked against the runtime it patches (Polyaxon 2.18 `validate_run_patch`).

An operation's `runPatch` is validated at compile time as the model of the composed component's
`run.kind`: a job's patch is a `V1Job` (so `kind: service`, unknown keys, a misspelt container
key or a git init without url are rejected), a DAG's a `V1Dag` (no `container`). For the
distributed kinds (`mpijob`, `pytorchjob`, `tfjob`, `raycluster`, `daskcluster`) a patch that is
not the whole runtime is tried as one replica, as Polyaxon does. Nothing is checked when the run
kind is unknown (a component that was not read). DAG ops' patches are checked by the DAG family
with the same function (2.18 only: Polyaxon 2.16 does not validate them).
"""

from __future__ import annotations

from param_lsp.core.compose import Composed
from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Related, Severity
from param_lsp.core.model import lax_bool
from param_lsp.core.schema_spec import MODEL_TITLES, MODELS, RUN_KINDS
from param_lsp.core.yaml_tree import YMap, YScalar
from param_lsp.rules.registry import rule
from param_lsp.rules.registry import shown as shown_value
from param_lsp.rules.schema import INVALID_OBJECT, INVALID_SHORTCUT, check_object

RUN_PATCH_KIND = rule(
    "PLX131",
    "run-patch-kind-mismatch",
    family="schema",
    severity=Severity.ERROR,
    polyaxon_rejects=True,
    summary="`runPatch.kind` differs from the kind of the run it patches.",
    doc="""
    `runPatch` is validated as the runtime of the component's run: a patch of a `job` may only
    say `kind: job` (or leave `kind` out). Its other keys are checked as that runtime's fields
    (unknown keys, wrong types, Kubernetes container keys), and reported with the usual schema
    rules. Polyaxon reports `validation error for V1Job kind Input should be 'job'`. The
    `runPatch` of a DAG op is checked against its component too (Polyaxon 2.16 does not).
    """,
    bad="""
    kind: operation
    hubRef: kaniko          # a job
    runPatch:
      kind: service
    """,
    good="""
    kind: operation
    hubRef: kaniko
    runPatch:
      container:
        resources: {requests: {memory: 300Mi}}
    """,
)

#: run kind → the model of one of its replicas (the fallback form of a patch).
_REPLICAS = {
    "mpijob": "KFReplica",
    "pytorchjob": "KFReplica",
    "tfjob": "KFReplica",
    "raycluster": "RayReplica",
    "daskcluster": "DaskReplica",
}


def check_run_patch(root: YMap, run_kind: str | None, ctx: CheckContext) -> None:
    """Validate the document's own `runPatch` against the composed run kind."""
    entry = root.entry("runPatch") or root.entry("run_patch")
    if entry is None or run_kind not in RUN_KINDS:
        return
    key_node, patch = entry
    if not isinstance(patch, YMap):
        return  # not a mapping: the schema family reports it
    path = (str(key_node.to_py()),)
    kind_node = patch.get("kind")
    if kind_node is not None and kind_node.to_py() != run_kind:
        shown = shown_value(kind_node.to_py())
        ctx.report(
            RUN_PATCH_KIND.at(
                kind_node.span,
                f"`{path[0]}.kind` must be `{run_kind}`, the kind of the run it patches; got "
                f"`{shown}`, so remove it.",
                polyaxon=f"validation error for {MODEL_TITLES[run_kind]}: kind: Input should be "
                f"'{run_kind}'",
            )
        )
        return
    replica = _REPLICAS.get(run_kind)
    if replica is None:
        check_object(patch, run_kind, ctx, path)
        return
    whole = CheckContext(settings=ctx.settings, path=ctx.path)
    if check_object(patch, run_kind, whole, path):
        ctx.findings.extend(whole.findings)
        return
    check_object(patch, replica, ctx, path)


def check_sandbox(composed: Composed, ctx: CheckContext) -> None:
    """`plugins.sandbox: true` or `plugins.ssh: true` on the compiled operation needs a
    `service` run (2.18); `sandbox` is checked first, as Polyaxon does.

    The outermost layer that sets a plugin decides (an operation's plugins are merged over its
    component's)."""
    if composed.broken or not composed.complete or composed.run_kind in (None, "service"):
        return
    for plugin in ("sandbox", "ssh"):
        if _service_plugin(composed, ctx, plugin):
            return


def _service_plugin(composed: Composed, ctx: CheckContext, plugin: str) -> bool:
    """Report `plugins.<plugin>` enabled on a run that is not a service; whether it is on."""
    for layer in composed.layers:
        plugins = layer.root.get("plugins")
        entry = plugins.entry(plugin) if isinstance(plugins, YMap) else None
        if entry is None or (isinstance(entry[1], YScalar) and entry[1].value is None):
            continue
        if not lax_bool(entry[1].to_py()):
            return False
        if layer.source != ctx.path:
            return True  # on, but set in a file that is not this one
        kind_node = composed.run.get("kind") if composed.run is not None else None
        in_file = kind_node is not None and composed.layers[-1].source == ctx.path
        ctx.report(
            INVALID_OBJECT.at(
                entry[0].span,
                f"`plugins.{plugin}` is only supported on a `service` run, and this run is a "
                f"`{composed.run_kind}`; remove `{plugin}` or make the run a `service`.",
                polyaxon=f"plugins.{plugin} is only supported on kind: service in this version. "
                f"Got kind: {composed.run_kind}.",
                related=(Related("the run's `kind`", kind_node.span),)
                if in_file and kind_node is not None
                else (),
            )
        )
        return True
    return False


#: Root shortcut -> the run field it patches (Polyaxon 2.18 `apply_shortcuts`: `cmd`, `env`
#: and `resources` patch the main container).
_SHORTCUT_FIELDS = {
    "ports": "ports",
    "container": "container",
    "cmd": "container",
    "env": "container",
    "resources": "container",
    "environment": "environment",
    "init": "init",
    "connections": "connections",
    "sidecars": "sidecars",
    "volumes": "volumes",
}


def check_shortcuts(root: YMap, composed: Composed, ctx: CheckContext) -> None:
    """Root shortcuts patch the composed run as a `runPatch` of its kind does (2.18, spec S9):
    a shortcut whose run field the run kind has not (`ports` on anything but a service,
    `container` or `init` on a DAG) fails when the operation is compiled. A distributed run
    takes the patch on each replica."""
    run_kind = composed.run_kind
    if composed.broken or not composed.complete or run_kind not in RUN_KINDS:
        return
    fields = MODELS[run_kind]
    replica = _REPLICAS.get(run_kind)
    layers = [root]
    inline = root.get("component")
    if isinstance(inline, YMap):
        layers.append(inline)
    for layer in layers:
        for key, field in _SHORTCUT_FIELDS.items():
            entry = layer.entry(key)
            if entry is None or field in fields or (replica and field in MODELS[replica]):
                continue
            key_node, value = entry
            if key != "container" and isinstance(value, YScalar) and not value.value:
                continue  # a null (or blank `cmd`) patches nothing
            where = f"`{field}`" if field == key else f"main container (`{field}`)"
            fix = "make the run a `service` or remove it" if key == "ports" else "remove it"
            ctx.report(
                INVALID_SHORTCUT.at(
                    key_node.span,
                    f"`{key}` patches the run's {where}, which a `{run_kind}` run does not "
                    f"have; {fix}.",
                    polyaxon=f"validation error for {MODEL_TITLES.get(run_kind, run_kind)}: "
                    f"{field}: Extra inputs are not permitted",
                )
            )
