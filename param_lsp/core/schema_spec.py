"""Declarative description of the polyaxonfile schema (Polyaxon 2.18 `V1Polyaxonfile` and friends).

Everything here is plain data, built once at import. A *type* is a tuple whose first item is a
tag understood by :mod:`param_lsp.rules.schema`:

* ``("any",)`` anything; ``("str",)`` StrictStr; ``("bool",)`` pydantic lax bool;
  ``("int",)`` StrictInt; ``("laxint",)`` lax int; ``("posint",)`` lax int > 0;
  ``("float",)`` lax float; ``("sfloat",)`` StrictFloat (ints too); ``("datetime",)``,
  ``("timedelta",)`` (lenient: any scalar); ``("anydict",)`` any mapping;
* ``("enum", frozenset)``; ``("list", T)``; ``("dict", T)`` (string keys, values T);
* ``("ref", T)``: ``Union[T, RefField]``, a string holding a ``{{ }}`` template is also accepted;
* ``("obj", model)``; ``("disc", union)``: a mapping discriminated on ``kind``;
* ``("k8s", class name)``: a Kubernetes client object (a mapping whose keys, camelCase or
  snake_case, are attributes of the class);
* ``("k8slist", class name, message)``: a list of them, a non-list gives ``message``;
* ``("oneof", T, ...)``: a scalar union (first alternative whose shape matches);
* special tags handled by code: ``strlist``, ``uuidlist`` (run UUIDs), ``name``, ``params``,
  ``fullparams``, ``io``, ``run``, ``cmd``, ``env``, ``resources``, ``poly``, ``matrix``,
  ``joins``, ``image`` (a docker image, :mod:`param_lsp.rules.schema_values`).

A model is ``{field name: (alias or None, type, required)}``; both spellings are accepted
(pydantic ``populate_by_name``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from param_lsp.core.k8s_schema import K8S_FIELDS, K8S_ROOTS

Type: TypeAlias = tuple[Any, ...]
Field: TypeAlias = tuple[str | None, Type, bool]
#: Where the schema walk stands: ``()`` at the top, else ``(parent, key)`` (built on every step
#: of the walk, so appending one key must not copy the whole path).
WalkPath: TypeAlias = tuple[()] | tuple["WalkPath", str | int]

ANY: Type = ("any",)
#: Any value but null (Kubernetes label, annotation and node-selector values: Polyaxon turns
#: anything else into a string, and rejects null).
NOTNULL: Type = ("notnull",)
STR: Type = ("str",)
BOOL: Type = ("bool",)
INT: Type = ("int",)
LAXINT: Type = ("laxint",)
POSINT: Type = ("posint",)
FLOAT: Type = ("float",)
SFLOAT: Type = ("sfloat",)
DATETIME: Type = ("datetime",)
TIMEDELTA: Type = ("timedelta",)
ANYDICT: Type = ("anydict",)


def enum(*values: str) -> Type:
    return ("enum", frozenset(values), tuple(values))


def lst(item: Type) -> Type:
    return ("list", item)


def dct(value: Type) -> Type:
    return ("dict", value)


def ref(inner: Type) -> Type:
    return ("ref", inner)


def obj(model: str) -> Type:
    return ("obj", model)


def disc(union: str) -> Type:
    return ("disc", union)


def k8s(cls: str) -> Type:
    return ("k8s", cls)


def k8slist(cls: str, message: str | None) -> Type:
    return ("k8slist", cls, message)


def oneof(*types: Type) -> Type:
    return ("oneof", *types)


def f(t: Type, alias: str | None = None, *, required: bool = False) -> Field:
    return (alias, t, required)


STATUSES = enum(
    "created", "resuming", "on_schedule", "compiled", "queued", "scheduled", "starting",
    "running", "processing", "stopping", "failed", "stopped", "succeeded", "skipped",
    "warning", "unschedulable", "upstream_failed", "retrying", "unknown", "done",
)  # fmt: skip
EVENT_KINDS = enum(
    "run_status_created", "run_status_resuming", "run_status_compiled",
    "run_status_on_schedule", "run_status_queued", "run_status_scheduled",
    "run_status_starting", "run_status_running", "run_status_processing",
    "run_status_stopping", "run_status_failed", "run_status_stopped", "run_status_succeeded",
    "run_status_skipped", "run_status_warning", "run_status_unschedulable",
    "run_status_upstream_failed", "run_status_retrying", "run_status_unknown",
    "run_status_done", "run_approved_actor", "run_invalidated_actor", "run_new_artifacts",
    "connection_git_commit", "connection_dataset_version", "connection_registry_image",
    "alert_info", "alert_warning", "alert_critical", "model_version_new_metric",
    "project_custom_event", "org_custom_event",
)  # fmt: skip
TRIGGER_POLICIES = enum(
    "all_succeeded", "all_failed", "all_done", "one_succeeded", "one_failed", "one_done"
)
PATCH_STRATEGIES = enum("replace", "isnull", "post_merge", "pre_merge")
CLEAN_POD_POLICIES = enum("All", "Running", "None")
RUN_KINDS = (
    "job", "service", "dag", "mpijob", "pytorchjob", "tfjob", "daskcluster", "raycluster",
    "notifier", "cleaner", "tuner",
)  # fmt: skip

#: Kubernetes client classes Polyaxon instantiates: attribute names (snake_case; camelCase
#: keys are converted). Read from the generated client schema (:mod:`k8s_schema`), which also
#: describes what lies below (completion and hover walk it; Polyaxon checks only this level).
#: Besides the roots, a termination probe's `exec` and `http` actions are such objects.
K8S_KEYS: dict[str, frozenset[str]] = {
    cls: frozenset(K8S_FIELDS[cls]) for cls in (*K8S_ROOTS, "V1ExecAction", "V1HTTPGetAction")
}

#: Kubernetes client attributes that must not be None (client-side validation).
K8S_REQUIRED: dict[str, tuple[str, ...]] = {
    "V1Volume": ("name",),
    "V1HTTPGetAction": ("port",),
    "V1PodFailurePolicy": ("rules",),
}

_ENV = ref(obj("Environment"))
_CONNECTIONS = ref(lst(STR))
_VOLUMES = k8slist("V1Volume", "`volumes` expects a list.")
_SIDECARS = k8slist("V1Container", "`sidecars` expects a list.")
_INIT = ref(lst(obj("Init")))
_CONTAINER = k8s("V1Container")
_REPLICA_COMMON: dict[str, Field] = {
    "replicas": f(ref(INT)),
    "environment": f(_ENV),
    "connections": f(_CONNECTIONS),
    "volumes": f(_VOLUMES),
    "init": f(_INIT),
    "sidecars": f(_SIDECARS),
    "container": f(_CONTAINER),
}
_JOB: dict[str, Field] = {
    "kind": f(ANY),
    "environment": f(_ENV),
    "connections": f(_CONNECTIONS),
    "volumes": f(_VOLUMES),
    "init": f(_INIT),
    "sidecars": f(_SIDECARS),
    "container": f(_CONTAINER),
}
_KF: dict[str, Field] = {
    "kind": f(ANY),
    "clean_pod_policy": f(CLEAN_POD_POLICIES, "cleanPodPolicy"),
    "scheduling_policy": f(obj("SchedulingPolicy"), "schedulingPolicy"),
}
_SCHEDULE_COMMON: dict[str, Field] = {
    "kind": f(ANY),
    "start_at": f(ref(DATETIME), "startAt"),
    "end_at": f(ref(DATETIME), "endAt"),
    "max_runs": f(ref(INT), "maxRuns"),
    "depends_on_past": f(ref(BOOL), "dependsOnPast"),
}
_POLICY_COMMON: dict[str, Field] = {
    "kind": f(ANY),
    "min_interval": f(ref(INT), "minInterval"),
    "min_samples": f(ref(INT), "minSamples"),
}
_STR_LIST_ITEMS = lst(oneof(STR, lst(STR)))
_PARAM: dict[str, Field] = {
    "value": f(ANY),
    "ref": f(STR),
    "context_only": f(BOOL, "contextOnly"),
    "connection": f(STR),
    "to_init": f(BOOL, "toInit"),
    "to_env": f(STR, "toEnv"),
}

MODELS: dict[str, dict[str, Field]] = {
    "Polyaxonfile": {
        "version": f(FLOAT),
        "kind": f(enum("component", "operation")),
        "name": f(("name",)),
        "description": f(STR),
        "tags": f(("strlist",)),
        "presets": f(("strlist",)),
        "strict_params": f(BOOL, "strictParams"),
        "queue": f(STR),
        "namespace": f(STR),
        "cache": f(ref(obj("Cache"))),
        "termination": f(ref(obj("Termination"))),
        "plugins": f(ref(obj("Plugins"))),
        "build": f(ref(obj("Build"))),
        "hooks": f(ref(lst(obj("Hook")))),
        "is_approved": f(ref(BOOL), "isApproved"),
        "cost": f(ref(FLOAT)),
        "mount": f(lst(oneof(STR, obj("Mount")))),
        "schedule": f(disc("Schedule")),
        "events": f(ref(lst(obj("EventTrigger")))),
        "matrix": f(("matrix",)),
        "joins": f(("joins",)),
        "dependencies": f(ref(lst(STR))),
        "trigger": f(ref(TRIGGER_POLICIES)),
        "conditions": f(STR),
        "skip_on_upstream_skip": f(BOOL, "skipOnUpstreamSkip"),
        "inputs": f(lst(("io",))),
        "outputs": f(lst(("io",))),
        "run": f(("run",)),
        "ports": f(lst(INT)),
        "container": f(_CONTAINER),
        "cmd": f(("cmd",)),
        "env": f(("env",)),
        "resources": f(("resources",)),
        "environment": f(obj("Environment")),
        "init": f(lst(obj("Init"))),
        "connections": f(lst(STR)),
        "sidecars": f(k8slist("V1Container", None)),
        "volumes": f(k8slist("V1Volume", None)),
        "template": f(obj("Template")),
        "params": f(("params",)),
        "hub_ref": f(STR, "hubRef"),
        "dag_ref": f(STR, "dagRef"),
        "url_ref": f(STR, "urlRef"),
        "path_ref": f(STR, "pathRef"),
        "component": f(("poly", "inline")),
        "patch_strategy": f(PATCH_STRATEGIES, "patchStrategy"),
        "is_preset": f(BOOL, "isPreset"),
        "run_patch": f(ANYDICT, "runPatch"),
    },
    # ---- runtimes (run.kind) ----
    "job": _JOB,
    "notifier": _JOB,
    "cleaner": _JOB,
    "tuner": _JOB,
    "service": {
        **_JOB,
        "ports": f(ref(lst(INT))),
        "rewrite_path": f(ref(BOOL), "rewritePath"),
        "is_external": f(ref(BOOL), "isExternal"),
        "replicas": f(ref(INT)),
    },
    "dag": {
        "kind": f(ANY),
        "operations": f(ref(lst(("poly", "dag-op")))),
        "components": f(ref(lst(("poly", "dag-component")))),
        "environment": f(_ENV),
        "connections": f(_CONNECTIONS),
        "volumes": f(_VOLUMES),
        "concurrency": f(ref(POSINT)),
        "early_stopping": f(ref(lst(disc("EarlyStopping"))), "earlyStopping"),
    },
    "mpijob": {
        **_KF,
        "slots_per_worker": f(ref(INT), "slotsPerWorker"),
        "launcher": f(ref(obj("KFReplica"))),
        "worker": f(ref(obj("KFReplica"))),
    },
    "pytorchjob": {
        **_KF,
        "elastic_policy": f(obj("PytorchElasticPolicy"), "elasticPolicy"),
        "n_proc_per_node": f(ref(INT), "nProcPerNode"),
        "master": f(ref(obj("KFReplica"))),
        "worker": f(ref(obj("KFReplica"))),
    },
    "tfjob": {
        **_KF,
        "enable_dynamic_worker": f(BOOL, "enableDynamicWorker"),
        "success_policy": f(STR, "successPolicy"),
        "chief": f(ref(obj("KFReplica"))),
        "ps": f(ref(obj("KFReplica"))),
        "worker": f(ref(obj("KFReplica"))),
        "evaluator": f(ref(obj("KFReplica"))),
    },
    "daskcluster": {
        "kind": f(ANY),
        "worker": f(ref(obj("DaskReplica"))),
        "scheduler": f(ref(obj("DaskReplica"))),
        "min_replicas": f(ref(INT), "minReplicas"),
        "max_replicas": f(ref(INT), "maxReplicas"),
    },
    "raycluster": {
        "kind": f(ANY),
        "entrypoint": f(STR),
        "runtime_env": f(ref(ANYDICT), "runtimeEnv"),
        "metadata": f(ref(dct(STR))),
        "ray_version": f(STR, "rayVersion"),
        "head": f(ref(obj("RayReplica"))),
        "workers": f(dct(ref(obj("RayReplica")))),
        "enable_in_tree_autoscaling": f(ref(BOOL), "enableInTreeAutoscaling"),
        "autoscaler_options": f(ref(obj("RayAutoscalerOptions")), "autoscalerOptions"),
    },
    "KFReplica": _REPLICA_COMMON,
    "DaskReplica": _REPLICA_COMMON,
    "RayReplica": {
        **_REPLICA_COMMON,
        "min_replicas": f(ref(INT), "minReplicas"),
        "max_replicas": f(ref(INT), "maxReplicas"),
        "ray_start_params": f(dct(ANY), "rayStartParams"),
    },
    "RayAutoscalerOptions": {
        "upscaling_mode": f(STR, "upscalingMode"),
        "image_pull_policy": f(STR, "imagePullPolicy"),
        "resources": f(ref(ANYDICT)),
    },
    "SchedulingPolicy": {
        "min_available": f(ref(INT), "minAvailable"),
        "queue": f(STR),
        "min_resources": f(ref(INT), "minResources"),
        "priority_class": f(STR, "priorityClass"),
        "schedule_timeout_seconds": f(ref(INT), "scheduleTimeoutSeconds"),
    },
    "PytorchElasticPolicy": {
        "min_replicas": f(ref(INT), "minReplicas"),
        "max_replicas": f(ref(INT), "maxReplicas"),
        "rdvz_backend": f(STR, "rdvzBackend"),
        "rdvz_port": f(ref(INT), "rdvzPort"),
        "rdvz_host": f(STR, "rdvzHost"),
        "rdvz_id": f(STR, "rdvzId"),
        "rdvz_conf": f(lst(ANYDICT), "rdvzConf"),
        "standalone": f(ref(BOOL)),
        "n_proc_per_node": f(ref(INT), "nProcPerNode"),
        "max_restarts": f(ref(INT), "maxRestarts"),
        "metrics": f(lst(ANYDICT), "Metrics"),
    },
    # ---- sections ----
    "Environment": {
        "labels": f(dct(NOTNULL)),
        "annotations": f(dct(NOTNULL)),
        "node_selector": f(dct(NOTNULL), "nodeSelector"),
        "affinity": f(k8s("V1Affinity")),
        "tolerations": f(k8slist("V1Toleration", "`tolerations` expects a list.")),
        "node_name": f(STR, "nodeName"),
        "service_account_name": f(STR, "serviceAccountName"),
        "host_aliases": f(k8slist("V1HostAlias", "`hostAliases` expects a list."), "hostAliases"),
        "security_context": f(k8s("V1SecurityContext"), "securityContext"),
        "image_pull_secrets": f(lst(STR), "imagePullSecrets"),
        "host_network": f(BOOL, "hostNetwork"),
        "host_pid": f(BOOL, "hostPID"),
        "dns_policy": f(STR, "dnsPolicy"),
        "dns_config": f(k8s("V1PodDNSConfig"), "dnsConfig"),
        "scheduler_name": f(STR, "schedulerName"),
        "priority_class_name": f(STR, "priorityClassName"),
        "priority": f(LAXINT),
        "restart_policy": f(enum("Always", "OnFailure", "Never", "ExitCode"), "restartPolicy"),
    },
    "Init": {
        "artifacts": f(ref(obj("ArtifactsType"))),
        "paths": f(oneof(lst(oneof(lst(STR), STR)), STR)),
        "git": f(ref(obj("GitType"))),
        "dockerfile": f(ref(obj("DockerfileType"))),
        "file": f(ref(obj("FileType"))),
        "tensorboard": f(ref(obj("TensorboardType"))),
        "lineage_ref": f(STR, "lineageRef"),
        "model_ref": f(STR, "modelRef"),
        "artifact_ref": f(STR, "artifactRef"),
        "connection": f(STR),
        "path": f(STR),
        "container": f(_CONTAINER),
    },
    "ArtifactsType": {
        "files": f(ref(_STR_LIST_ITEMS)),
        "dirs": f(ref(_STR_LIST_ITEMS)),
        "workers": f(ref(INT)),
    },
    "GitType": {"url": f(STR), "revision": f(STR), "flags": f(ref(lst(STR)))},
    "DockerfileType": {
        "image": f(("image",), required=True),
        "env": f(ref(oneof(ANYDICT, lst(lst(STR))))),
        "path": f(ref(lst(STR))),
        "copy": f(ref(_STR_LIST_ITEMS)),
        "post_run_copy": f(ref(_STR_LIST_ITEMS), "postRunCopy"),
        "run": f(ref(lst(STR))),
        "lang_env": f(STR, "langEnv"),
        "uid": f(ref(LAXINT)),
        "gid": f(ref(LAXINT)),
        "username": f(STR),
        "filename": f(STR),
        "workdir": f(STR),
        "workdir_path": f(STR, "workdirPath"),
        "shell": f(STR),
    },
    "FileType": {
        "kind": f(ref(STR)),
        "content": f(STR, required=True),
        "filename": f(STR),
        "chmod": f(STR),
    },
    "TensorboardType": {
        "port": f(ref(INT)),
        "uuids": f(("uuidlist",)),
        "use_names": f(ref(BOOL), "useNames"),
        "path_prefix": f(STR, "pathPrefix"),
        "plugins": f(ref(lst(STR))),
    },
    "Cache": {
        "disable": f(ref(BOOL)),
        "ttl": f(ref(INT)),
        "io": f(ref(lst(STR))),
        "sections": f(ref(lst(enum("containers", "init", "connections")))),
    },
    "Termination": {
        "max_retries": f(ref(INT), "maxRetries"),
        "ttl": f(ref(INT)),
        "timeout": f(ref(INT)),
        "culling": f(obj("Culling")),
        "probe": f(obj("ActivityProbe")),
        "pod_failure_policy": f(k8s("V1PodFailurePolicy"), "podFailurePolicy"),
    },
    "Culling": {"timeout": f(LAXINT)},
    "ActivityProbe": {"exec": f(k8s("V1ExecAction")), "http": f(k8s("V1HTTPGetAction"))},
    "Plugins": {
        **{
            name: f(ref(BOOL), alias)
            for name, alias in (
                ("auth", None),
                ("docker", None),
                ("shm", None),
                ("tmux", None),
                ("sandbox", None),
                ("ssh", None),
                ("mount_artifacts_store", "mountArtifactsStore"),
                ("collect_artifacts", "collectArtifacts"),
                ("collect_logs", "collectLogs"),
                ("collect_resources", "collectResources"),
                ("sync_statuses", "syncStatuses"),
                ("auto_resume", "autoResume"),
                ("external_host", "externalHost"),
            )
        },
        "log_level": f(STR, "logLevel"),
        "sidecar": f(ref(obj("SidecarContainer"))),
        "notifications": f(ref(lst(obj("Notification")))),
    },
    "SidecarContainer": {
        "image": f(STR),
        "image_tag": f(STR, "imageTag"),
        "image_pull_policy": f(enum("Always", "IfNotPresent", "Never"), "imagePullPolicy"),
        "sleep_interval": f(ref(INT), "sleepInterval"),
        "sync_interval": f(ref(INT), "syncInterval"),
        "monitor_logs": f(ref(BOOL), "monitorLogs"),
        "monitor_spec": f(ref(BOOL), "monitorSpec"),
        "no_connections": f(ref(BOOL), "noConnections"),
        "resources": f(ref(ANYDICT)),
    },
    "Notification": {"connections": f(lst(STR), required=True), "trigger": f(STATUSES)},
    "Build": {
        "hub_ref": f(STR, "hubRef", required=True),
        "connection": f(STR),
        "presets": f(ref(lst(STR))),
        "queue": f(STR),
        "namespace": f(STR),
        "cache": f(ref(obj("Cache"))),
        "params": f(dct(ref(("fullparam",)))),
        "run_patch": f(ANYDICT, "runPatch"),
        "patch_strategy": f(ref(PATCH_STRATEGIES), "patchStrategy"),
    },
    "Hook": {
        "hub_ref": f(STR, "hubRef", required=True),
        "connection": f(STR),
        "trigger": f(STATUSES),
        "conditions": f(STR),
        "presets": f(lst(STR)),
        "queue": f(STR),
        "namespace": f(STR),
        "params": f(ref(dct(("fullparam",)))),
        "disable_defaults": f(ref(BOOL), "disableDefaults"),
    },
    "Mount": {"path_from": f(STR, "from"), "path_to": f(STR, "to")},
    "EventTrigger": {
        "kinds": f(lst(ref(EVENT_KINDS)), required=True),
        "ref": f(STR, required=True),
    },
    "Template": {
        "enabled": f(ref(BOOL)),
        "description": f(STR),
        "fields": f(ref(lst(STR))),
    },
    "Param": _PARAM,
    "IO": {
        "name": f(STR, required=True),
        "description": f(STR),
        "type": f(STR),
        "is_optional": f(BOOL, "isOptional"),
        "is_list": f(BOOL, "isList"),
        "is_flag": f(BOOL, "isFlag"),
        "arg_format": f(STR, "argFormat"),
        "connection": f(STR),
        "to_init": f(BOOL, "toInit"),
        "to_env": f(STR, "toEnv"),
        "value": f(ANY),
        "validation": f(obj("Validation")),
        "delay_validation": f(BOOL, "delayValidation"),
        "options": f(ANY),
    },
    "Validation": {
        "delay": f(ref(BOOL)),
        **{name: f(ref(FLOAT)) for name in ("gt", "ge", "lt", "le")},
        "multiple_of": f(ref(FLOAT), "multipleOf"),
        "min_digits": f(ref(INT), "minDigits"),
        "max_digits": f(ref(INT), "maxDigits"),
        "decimal_places": f(ref(INT), "decimalPlaces"),
        "regex": f(STR),
        "min_length": f(ref(INT), "minLength"),
        "max_length": f(ref(INT), "maxLength"),
        "contains": f(ANY),
        "excludes": f(ANY),
        "options": f(ANY),
        "min_items": f(ref(INT), "minItems"),
        "max_items": f(ref(INT), "maxItems"),
        "keys": f(ref(lst(STR))),
        "contains_keys": f(ref(lst(STR)), "containsKeys"),
        "excludes_keys": f(ref(lst(STR)), "excludesKeys"),
    },
    # ---- discriminated members ----
    "interval": {**_SCHEDULE_COMMON, "frequency": f(ref(TIMEDELTA), required=True)},
    "cron": {**_SCHEDULE_COMMON, "cron": f(STR, required=True)},
    "datetime": {"kind": f(ANY), "start_at": f(ref(DATETIME), "startAt", required=True)},
    "metric_early_stopping": {
        "kind": f(ANY),
        "metric": f(STR, required=True),
        "value": f(ref(FLOAT), required=True),
        "optimization": f(oneof(SFLOAT, enum("maximize", "minimize")), required=True),
        "policy": f(disc("StoppingPolicy")),
    },
    "failure_early_stopping": {"kind": f(ANY), "percent": f(ref(FLOAT), required=True)},
    "median": {**_POLICY_COMMON, "evaluation_interval": f(ref(INT), "evaluationInterval")},
    "truncation": {
        **_POLICY_COMMON,
        "percent": f(ref(FLOAT), required=True),
        "evaluation_interval": f(ref(INT), "evaluationInterval", required=True),
        "include_succeeded": f(ref(BOOL), "includeSucceeded"),
    },
    "diff": {
        **_POLICY_COMMON,
        "percent": f(ref(FLOAT), required=True),
        "evaluation_interval": f(ref(INT), "evaluationInterval", required=True),
    },
}

#: Discriminated unions on `kind`: union name → (member kinds, display name).
UNIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "Schedule": (("interval", "cron", "datetime"), "schedule"),
    "EarlyStopping": (("metric_early_stopping", "failure_early_stopping"), "early stopping"),
    "StoppingPolicy": (("median", "truncation", "diff"), "stopping policy"),
}

#: Display names of models (Polyaxon's class names) for messages.
MODEL_TITLES: dict[str, str] = {
    "Polyaxonfile": "V1Polyaxonfile",
    "job": "V1Job",
    "service": "V1Service",
    "dag": "V1Dag",
    "mpijob": "V1MPIJob",
    "pytorchjob": "V1PytorchJob",
    "tfjob": "V1TFJob",
    "daskcluster": "V1DaskCluster",
    "raycluster": "V1RayCluster",
    "notifier": "V1NotifierJob",
    "cleaner": "V1CleanerJob",
    "tuner": "V1TunerJob",
    "interval": "V1IntervalSchedule",
    "cron": "V1CronSchedule",
    "datetime": "V1DateTimeSchedule",
    "metric_early_stopping": "V1MetricEarlyStopping",
    "failure_early_stopping": "V1FailureEarlyStopping",
    "median": "V1MedianStoppingPolicy",
    "truncation": "V1TruncationStoppingPolicy",
    "diff": "V1DiffStoppingPolicy",
}

#: Top-level sections accepted by the §3/S3 section check when `kind` is given.
SECTIONS_216: tuple[str, ...] = (
    "version", "kind", "name", "cost", "description", "tags", "isApproved", "params",
    "isPreset", "presets", "patchStrategy", "template", "cache", "queue", "plugins",
    "namespace", "build", "hooks", "events", "termination", "connections", "matrix", "joins",
    "operations", "schedule", "dependencies", "trigger", "conditions", "skipOnUpstreamSkip",
    "hubRef", "dagRef", "pathRef", "urlRef", "component", "inputs", "outputs", "contexts",
    "run", "runPatch", "mount",
)  # fmt: skip
SECTIONS_218: tuple[str, ...] = (
    *SECTIONS_216,
    "strictParams", "container", "cmd", "env", "resources", "ports", "environment", "init",
    "sidecars", "volumes",
)  # fmt: skip

#: 2.16: fields that exist only on operations / only on components.
OPERATION_ONLY_216 = frozenset(
    [
        "params",
        "matrix",
        "joins",
        "schedule",
        "events",
        "dependencies",
        "trigger",
        "conditions",
        "skipOnUpstreamSkip",
        "skip_on_upstream_skip",
        "hubRef",
        "hub_ref",
        "dagRef",
        "dag_ref",
        "urlRef",
        "url_ref",
        "pathRef",
        "path_ref",
        "component",
        "runPatch",
        "run_patch",
        "patchStrategy",
        "patch_strategy",
        "isPreset",
        "is_preset",
    ]
)
COMPONENT_ONLY_216 = frozenset(["inputs", "outputs", "run"])
NEW_IN_218 = frozenset(
    [
        "strictParams",
        "strict_params",
        "container",
        "cmd",
        "env",
        "resources",
        "ports",
        "environment",
        "init",
        "sidecars",
        "volumes",
        "connections",
    ]
)

#: V1Param keys whose presence makes a params entry full form (§7.1).
PARAM_KEYS = frozenset(
    [
        "value",
        "ref",
        "toInit",
        "to_init",
        "toEnv",
        "to_env",
        "contextOnly",
        "context_only",
        "connection",
    ]
)
IO_RESERVED_NAMES = ("globals", "params", "connections")


def _key_maps() -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, ...]]]:
    lookup: dict[str, dict[str, str]] = {}
    shown: dict[str, tuple[str, ...]] = {}
    for model, fields in MODELS.items():
        keys: dict[str, str] = {}
        names: list[str] = []
        for name, (alias, _type, _required) in fields.items():
            keys[name] = name
            if alias:
                keys[alias] = name
            names.append(alias or name)
        lookup[model] = keys
        shown[model] = tuple(names)
    return lookup, shown


#: model → {accepted YAML key → field name}; model → keys shown in "expected one of" lists.
KEY_LOOKUP, SHOWN_KEYS = _key_maps()
