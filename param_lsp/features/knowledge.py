"""What editor features know about Polyaxon names: template namespaces, keys and kinds, as data.

Sources: the semantics reference (§4 schemas, §6.2 IO types, §9 refs, §11 matrix, §12.3 and §13
contexts). Nothing here decides validity; that is the rule families' job.
"""

from __future__ import annotations

#: `{{ globals.* }}` of the current run (§13.2) with what each holds.
GLOBALS: dict[str, str] = {
    "owner_name": "Name of the organisation/owner of the project.",
    "username": "Name of the user who created the run.",
    "user_email": "Email of the user who created the run.",
    "project_name": "Name of the project the run belongs to.",
    "project_uuid": "UUID of the project the run belongs to.",
    "project_unique_name": "`<owner>.<project>`: the project's unique name.",
    "run_info": "`<owner>.<project>.runs.<uuid>`: the run's unique reference.",
    "name": "Name of the run.",
    "uuid": "UUID of the run.",
    "namespace": "Kubernetes namespace the run is scheduled in.",
    "iteration": "Iteration number when the run is part of a matrix/tuner loop.",
    "context_path": "Path of the run's context folder inside the container.",
    "artifacts_path": "Path of the run's artifacts folder inside the container.",
    "created_at": "Creation time of the run.",
    "compiled_at": "Compilation time of the run.",
    "schedule_at": "Time the run was scheduled.",
    "started_at": "Start time of the run.",
    "finished_at": "Finish time of the run.",
    "duration": "Duration of the run.",
    "cloning_kind": "How the run was cloned (copy, restart, cache), if it was.",
    "original_uuid": "UUID of the run this one was cloned from, if any.",
    "is_independent": "Whether the run is independent of a pipeline.",
    "store_path": "Root path of the artifacts store.",
    "run_relative_outputs_path": "Outputs path of the run, relative to the artifacts store.",
    "run_artifacts_path": "Artifacts path of the run (when artifacts collection is set).",
    "run_outputs_path": "Outputs path of the run (when artifacts collection is set).",
    "ports": "Ports of a service run.",
    "base_url": "Base URL of a service run.",
    "base_urls": "Base URLs of a service run's replicas.",
}

#: `globals.<k>` that may be referenced from another op or the DAG (§12.3 GLOBALS_CONTEXTS).
REFERENCEABLE_GLOBALS: tuple[str, ...] = (
    "owner_name", "project_name", "project_unique_name", "project_uuid", "run_info", "name",
    "uuid", "status", "namespace", "iteration", "context_path", "artifacts_path", "created_at",
    "compiled_at", "schedule_at", "started_at", "finished_at", "duration", "cloning_kind",
    "original_uuid", "is_independent",
)  # fmt: skip

#: Template roots (§13.2) and what they hold.
TEMPLATE_ROOTS: dict[str, str] = {
    "globals": "Values of the current run: name, uuid, paths, times (`globals.<key>`).",
    "params": "Every requested input/output/param: `params.<name>.value|type|as_arg|as_str|"
    "connection`, and `params.as_args`.",
    "inputs": "The component's inputs by name (`inputs.<name>`).",
    "outputs": "The component's outputs by name (`outputs.<name>`).",
    "artifacts": "Artifact paths: `artifacts.base`, `artifacts.outputs` and lineage names.",
    "connections": "Schemas of the connections requested by the main container "
    "(`connections.<name>` or `connections[name]`).",
    "init": "Schemas of the connections used by init containers (`init.<name>`).",
}

#: Roots usable in a run's own templates; `inputs`/`outputs`/`artifacts` only exist in the
#: value of a param that has a `ref` (the run's own values are plain names: `{{ lr }}`).
RUN_TEMPLATE_ROOTS = frozenset({"globals", "params", "connections", "init"})

#: Fields of `params.<name>` in templates (§13.2).
PARAM_FIELDS: dict[str, str] = {
    "value": "The param's value.",
    "type": "The IO type of the param.",
    "as_str": "The value rendered as a string.",
    "as_arg": "`--name=value` (or the IO's `argFormat`; `--name` for flags; empty when None).",
    "connection": "The connection used with the param.",
}

#: `artifacts.*` names besides lineage names.
ARTIFACT_NAMES: dict[str, str] = {
    "base": "Root of the run's artifacts.",
    "outputs": "The run's outputs folder.",
}

#: Full-form param keys (V1Param, §7.3), camelCase as documented.
PARAM_KEYS: dict[str, str] = {
    "value": "A literal value, or with `ref` the path into the referenced entity "
    "(`outputs.<name>`, `inputs.<name>`, `artifacts.<name>`, `globals.<key>`).",
    "ref": "Where the value comes from: `ops.<op name>` (inside a DAG), `dag`, or `runs.<uuid>`.",
    "contextOnly": "Do not match this param against inputs/outputs; only expose it to templates.",
    "connection": "Connection name used with the param (overrides the IO's).",
    "toInit": "Turn the param into an init container (git, artifacts, dockerfile types).",
    "toEnv": "Expose the value as this environment variable.",
}

#: IO keys (V1IO, §4.4).
IO_KEYS: dict[str, str] = {
    "name": "Name of the input/output (not `globals`, `params` or `connections`).",
    "description": "Free text shown to users of the component.",
    "type": "Value type: int, float, str, bool, dict, list, path, uri, image, …",
    "value": "Default value (makes the input optional).",
    "isOptional": "Whether a param may be omitted.",
    "isList": "The value is a list of `type`.",
    "isFlag": "A bool rendered as `--name` when true (needs `type: bool`).",
    "argFormat": "How `params.<name>.as_arg` renders the value, e.g. `--lr={{ lr }}`.",
    "delayValidation": "Validate the value at compile time instead of now.",
    "options": "Allowed values (back-compat spelling of `validation.options`).",
    "validation": "Constraints: gt, ge, lt, le, minLength, maxLength, regex, options, …",
    "connection": "Connection used with this input.",
    "toInit": "Turn the input into an init container.",
    "toEnv": "Expose the value as this environment variable.",
}

#: IO `type` names (§6.2) with what values they accept.
IO_TYPES: dict[str, str] = {
    "str": "Any value, rendered as text.",
    "int": "An integer (strings holding JSON integers are decoded).",
    "float": "A number (strings holding JSON numbers are decoded).",
    "bool": "A boolean (lax: yes/no, on/off, 1/0, true/false).",
    "dict": "A mapping (JSON strings are decoded).",
    "list": "A list (JSON strings are decoded).",
    "any": "Anything.",
    "path": "A path string (only real strings).",
    "metric": "A float metric.",
    "metadata": "A mapping of metadata.",
    "uri": "A URL with a scheme.",
    "image": "A docker image reference.",
    "gcs": "A `gs://bucket/...` path.",
    "s3": "An `s3://bucket/...` path.",
    "wasb": "An Azure blob path (wasb, wasbs, https, az, abfs).",
    "uuid": "A UUID string.",
    "email": "An email address.",
    "date": "A date.",
    "datetime": "A date (Polyaxon maps it to date).",
    "timedelta": "A duration.",
    "git": "A git repository: `{url, revision, flags}`.",
    "dockerfile": "A dockerfile spec: `{image, env, path, copy, run, ...}`.",
    "artifacts": "Artifacts to fetch: `{files, dirs, workers}`.",
    "event": "An event: `{name, kind}`.",
    "file": "A file to create: `{content, kind, filename, chmod}`.",
    "tensorboard": "A tensorboard spec: `{port, uuids, useNames, pathPrefix, plugins}`.",
}

#: Types compatible with each other for `ref` values (§9.3 step 4).
STRING_LIKE_TYPES = frozenset({"str", "path", "s3", "gcs", "wasb"})

#: Top-level sections of a polyaxonfile (§4.1/§4.2) with a one-line description.
SECTIONS: dict[str, str] = {
    "version": "Polyaxonfile spec version, e.g. 1.1.",
    "kind": "`operation` or `component`.",
    "name": "Name of the operation or component.",
    "description": "Free text.",
    "tags": "List of tags.",
    "presets": "Presets applied to the operation.",
    "queue": "Queue to schedule the run on.",
    "namespace": "Kubernetes namespace.",
    "cache": "Cache settings.",
    "termination": "Max retries, TTL and timeout.",
    "plugins": "Auth, docker, shm, logs, collect artifacts/logs/resources, …",
    "build": "Build a container before running.",
    "hooks": "Operations triggered after the run.",
    "isApproved": "Whether the run needs approval.",
    "cost": "Cost of the run.",
    "schedule": "Cron/interval/datetime schedule.",
    "events": "Event triggers.",
    "matrix": "Hyper-parameter tuning or mapping (grid, random, bayes, …).",
    "joins": "Query runs and join their outputs as params.",
    "dependencies": "Ops of the DAG this op waits for.",
    "trigger": "When to run relative to upstream ops (all_succeeded, …).",
    "conditions": "A condition evaluated before starting.",
    "skipOnUpstreamSkip": "Skip when an upstream op was skipped.",
    "params": "Values for the component's inputs and outputs.",
    "inputs": "Inputs declared by the component.",
    "outputs": "Outputs declared by the component.",
    "run": "What runs: job, service, dag, …",
    "component": "An inline component.",
    "pathRef": "A component file, relative to this file.",
    "hubRef": "A component from the hub (`name:tag`).",
    "urlRef": "A component fetched from a URL.",
    "dagRef": "A component declared in the DAG's `components`.",
    "patchStrategy": "How this operation's fields merge with its component's.",
    "runPatch": "Fields patched into the component's run.",
    "strictParams": "Reject params that match no input/output.",
    "isPreset": "This file is a preset.",
    "mount": "Artifacts/connections mounted into the run.",
}

MATRIX_KINDS: dict[str, str] = {
    "grid": "Every combination of `params` values.",
    "random": "`numRuns` random samples of `params`.",
    "mapping": "One run per row of `values`.",
    "hyperband": "Hyperband bandit search.",
    "bayes": "Bayesian optimization.",
    "hyperopt": "Hyperopt search (tpe, rand, anneal).",
    "iterative": "A custom iterative tuner.",
}

HP_KINDS: dict[str, str] = {
    "choice": "One of a list of values.",
    "pchoice": "One of `[value, probability]` pairs.",
    "range": "`[start, stop, step]`.",
    "linspace": "`[start, stop, num]`, evenly spaced.",
    "logspace": "`[start, stop, num(, base)]`, log spaced.",
    "geomspace": "`[start, stop, num]`, geometric.",
    "uniform": "Uniform distribution `[low, high]`.",
    "quniform": "Quantized uniform `[low, high, q]`.",
    "loguniform": "Log-uniform `[low, high]`.",
    "qloguniform": "Quantized log-uniform `[low, high, q]`.",
    "normal": "Normal distribution `[loc, scale]`.",
    "qnormal": "Quantized normal `[loc, scale, q]`.",
    "lognormal": "Log-normal `[loc, scale]`.",
    "qlognormal": "Quantized log-normal `[loc, scale, q]`.",
    "daterange": "Dates `[start, stop, step_days]`.",
    "datetimerange": "Datetimes `[start, stop, step_seconds]`.",
}

RUN_KINDS: dict[str, str] = {
    "job": "A single container.",
    "service": "A long-running service with ports.",
    "dag": "A pipeline of operations.",
    "tfjob": "Distributed TensorFlow.",
    "pytorchjob": "Distributed PyTorch.",
    "mpijob": "MPI job.",
    "paddlejob": "Distributed Paddle.",
    "mxjob": "Distributed MXNet.",
    "xgbjob": "Distributed XGBoost.",
    "daskjob": "Dask cluster.",
    "rayjob": "Ray cluster.",
    "notifier": "A notification job.",
    "cleaner": "A cleanup job.",
    "tuner": "A tuner job.",
}

#: `value:` shapes allowed next to a `ref` (§9.1, §13.4).
REF_VALUE_SECTIONS: dict[str, str] = {
    "outputs": "All outputs of the referenced entity (a dict).",
    "inputs": "All inputs of the referenced entity (a dict).",
    "io": "Inputs and outputs of the referenced entity.",
    "artifacts": "Artifacts of the referenced entity.",
}

_DEFAULT_PLACEHOLDERS: dict[str, str] = {
    "int": "0",
    "float": "0.0",
    "bool": "false",
    "dict": "{}",
    "list": "[]",
    "metric": "0.0",
    "metadata": "{}",
}


def placeholder_for(io_type: str | None, is_list: bool | None = False) -> str:
    """A value that shows where to type (never meant to be the right value)."""
    if is_list:
        return "[]"
    return _DEFAULT_PLACEHOLDERS.get(io_type or "", '""')


def types_compatible(expected: str | None, actual: str | None) -> bool:
    """Polyaxon's `are_compatible` for refs: equal, or both string-like (§9.3)."""
    if expected is None or actual is None:
        return False
    return expected == actual or (expected in STRING_LIKE_TYPES and actual in STRING_LIKE_TYPES)


#: Filters of a default Jinja2 environment (the builtin set of Jinja 3.1) plus Polyaxon's own
#: `map_format` (§13.2): what may follow `|` inside `{{ }}`. Written out here so that the
#: language server needs no Jinja installed.
JINJA_FILTERS: dict[str, str] = {
    "abs": "Absolute value of a number.",
    "attr": "`attr(name)`: an attribute of an object (not an item).",
    "batch": "`batch(n, fill_with=None)`: split a sequence into lists of `n` items.",
    "capitalize": "First character upper case, the rest lower case.",
    "center": "`center(width=80)`: centre the text in a field of `width`.",
    "count": "Number of items (alias of `length`).",
    "d": "Alias of `default`.",
    "default": "`default(value, boolean=False)`: `value` when the input is undefined "
    "(or falsy with `boolean=true`).",
    "dictsort": "`dictsort(case_sensitive=False, by='key')`: sorted `(key, value)` pairs.",
    "e": "Alias of `escape`.",
    "escape": "HTML-escape the text (`&`, `<`, `>`, `'`, `\"`).",
    "filesizeformat": "`filesizeformat(binary=False)`: a byte count as `13.5 MB`.",
    "first": "First item of a sequence.",
    "float": "`float(default=0.0)`: convert to a float.",
    "forceescape": "HTML-escape even already safe text.",
    "format": "`format(*args, **kwargs)`: printf-style formatting (`'%s-%d'|format(a, b)`).",
    "groupby": "`groupby(attribute)`: group items by an attribute.",
    "indent": "`indent(width=4, first=False, blank=False)`: indent every line.",
    "int": "`int(default=0, base=10)`: convert to an integer.",
    "items": "`(key, value)` pairs of a mapping.",
    "join": "`join(d='', attribute=None)`: concatenate the items with a separator.",
    "last": "Last item of a sequence.",
    "length": "Number of items.",
    "list": "Convert to a list.",
    "lower": "Lower-case the text.",
    "map": "`map(attribute=…)` or `map('filter', …)`: apply to every item.",
    "max": "`max(case_sensitive=False, attribute=None)`: largest item.",
    "min": "`min(case_sensitive=False, attribute=None)`: smallest item.",
    "pprint": "Pretty-print a value (debugging).",
    "random": "A random item of a sequence.",
    "reject": "`reject('test', …)`: items for which the test fails.",
    "rejectattr": "`rejectattr(attribute, 'test', …)`: items whose attribute fails the test.",
    "replace": "`replace(old, new, count=None)`: replace a substring.",
    "reverse": "Reverse a sequence or string.",
    "round": "`round(precision=0, method='common')`: round a number.",
    "safe": "Mark the text as safe (no auto-escaping).",
    "select": "`select('test', …)`: items for which the test passes.",
    "selectattr": "`selectattr(attribute, 'test', …)`: items whose attribute passes the test.",
    "slice": "`slice(n, fill_with=None)`: split a sequence into `n` slices.",
    "sort": "`sort(reverse=False, case_sensitive=False, attribute=None)`: sorted items.",
    "string": "Convert to a string.",
    "striptags": "Remove SGML/XML tags and collapse whitespace.",
    "sum": "`sum(attribute=None, start=0)`: sum of the items.",
    "title": "Title-case the text.",
    "tojson": "`tojson(indent=None)`: serialise to JSON.",
    "trim": "`trim(chars=None)`: strip leading and trailing characters.",
    "truncate": "`truncate(length=255, killwords=False, end='...')`: shorten the text.",
    "unique": "`unique(case_sensitive=False, attribute=None)`: items without duplicates.",
    "upper": "Upper-case the text.",
    "urlencode": "Percent-encode for use in URLs.",
    "urlize": "Turn URLs in the text into links.",
    "wordcount": "Number of words.",
    "wordwrap": "`wordwrap(width=79, …)`: wrap the text.",
    "xmlattr": "A mapping rendered as XML/HTML attributes.",
    "map_format": "Polyaxon: `map_format(pattern, variable_name=None)` renders `pattern % value` "
    "(printf-style; with `variable_name`, `pattern % {variable_name: value}`), e.g. "
    "`items|map('map_format', '--x=%s')|join(' ')`.",
}
