#!/usr/bin/env python3
"""Build `edit_mutants_3.json`: a third round of edits of real polyaxonfiles judged by Polyaxon,
for the parts of the format the first two rounds did not reach: run kinds other than `job`
(service, dag, dask, ray, mpi, pytorch, tf, tuner, notifier, cleaner and kinds Polyaxon does not
support), replica specs, the matrix kinds in depth (grid, random, bayes, hyperband, tpe,
iterative, mapping: every field, range forms, distributions, early stopping), hooks, events,
schedules, cache, termination, plugins, build, presets, patch strategy, queue, namespace, cost,
templates, every IO type with values of each, IO and param fields (`isList`, `argFormat`,
`connection`, `toInit`, `toEnv`, `validation`, `options`), values YAML 1.1 reads as another type
(`yes`, `0x1F`, `1_000`, `.5`, `~`, dates, `010`, `1:30`), YAML merge keys, and style-only
rewrites (anchors and aliases, merge keys, whole sections in flow style). Besides the sampled
operators, the `*-cross` ones take every combination on a few hand-written bases: every
hyper-parameter kind with every value form of `HP_CROSS`, every IO type with values of every
type as a default (`io-cross`) and as a param of an operation and of a DAG op (`param-cross`),
and every field of `FIELDS` with all its values (`field-cross`). A few of the rejected edits are
judged again in a file with CRLF line ends (`transform: crlf`).

It also writes `../pairs/pairs_3.json`: pairs of this round's edits of one base, each rejected
by Polyaxon alone (drawn as the second round's pairs are), judged together.

Run with the oracle's interpreter (Polyaxon 2.18.0 installed), from the repository root:

    /work/oracle-venv/bin/python tests/data/edit_mutants/make_edit_mutants_3.py \
        ../shared/corpus/real ../shared/tools/polyaxon_verdict.py ../shared/hub

The verdicts already in `edit_mutants_3.json` and `pairs_3.json` are reused for the same edits
(the oracle is deterministic and judging all takes about ten minutes); `--rejudge` judges all
again, `--count` only counts the edits each operator draws.

The bases are the first round's (every file of the corpus Polyaxon accepts completely) and the
hand-written files of `bases/` (names starting with `_bases/`; each is accepted by Polyaxon as
it stands). Conventions are the earlier rounds': a fixed seed per operator and base, only the
edits stored (`old` -> `new`, occurring once in the base), the lines holding the edit (`at`)
and the mapping it belongs to (`scope`: a field's edit may be reported by Polyaxon as a fault
of the mapping that holds it, e.g. a required field missing once a `kind` changes). The corpus
is read, never copied. A style rewrite is kept only when the YAML it gives loads to the same
data.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from make_edit_mutants import (
    Edit,
    Line,
    Rng,
    bases,
    block_end,
    dotted,
    drawn_edits,
    enclosing,
    insert_after,
    io_field,
    item_end,
    judge,
    owner_block,
    parent,
    replace,
    set_value,
)
from make_edit_mutants_2 import LOCAL, apply, base_text, draw_pairs, loads

SEED = 2027
HERE = Path(__file__).parent

BOOL = ["true", "false", "yes", "no", "'true'", "1", "0", "maybe", "null", "True", "on",
        "[true]", "'{{ flag }}'", "~"]  # fmt: skip
INT = ["2", "0", "-1", "'2'", "2.0", "2.5", "0x10", "1_000", "010", "abc", "null", "true",
       "[2]", "'{{ n }}'", "1:30", "1e3", "+3", "0o17"]  # fmt: skip
FLOAT = ["0.5", "1", "'0.5'", ".5", "1e-3", "abc", "null", "true", "[0.5]", "-1", ".inf",
         "1_0.5", "'{{ x }}'", "1:30"]  # fmt: skip
STR = ["abc", "3", "true", "null", "[a]", "{a: 1}", "'3'", "yes", "'{{ x }}'", "2018-01-01",
       "0.5", "~", "''"]  # fmt: skip
STR_LIST = ["[a, b]", "a", "[1, 2]", "[]", "null", "[{a: 1}]", "[a, 3]", "{a: 1}", "[yes]",
            "'{{ xs }}'"]  # fmt: skip
DATETIME = ["'2021-01-01 00:00'", "2021-01-01", "2021-01-01T10:00:00Z", "'2021-13-01'", "abc",
            "3", "null", "'2021-01-01 25:00'", "'{{ start }}'", "2021-01-01 10:00:00",
            "[2021-01-01]"]  # fmt: skip
TIMEDELTA = ["3600", "'3600'", "'1h'", "1.5", "-1", "abc", "null", "[1]", "P1D", "'00:10:00'",
             "1:30", "'{{ every }}'"]  # fmt: skip
RUN_KINDS = ["job", "service", "dag", "daskcluster", "raycluster", "mpijob", "pytorchjob",
             "tfjob", "mxjob", "paddlejob", "xgbjob", "tuner", "notifier", "cleaner",
             "watchdog", "Service", "builder", "sparkjob"]  # fmt: skip
MATRIX_KINDS = ["grid", "random", "bayes", "hyperband", "tpe", "iterative", "mapping",
                "hyperopt", "Grid"]  # fmt: skip
HP_KINDS = ["choice", "pchoice", "range", "daterange", "datetimerange", "linspace", "logspace",
            "geomspace", "uniform", "quniform", "loguniform", "qloguniform", "normal",
            "qnormal", "lognormal", "qlognormal", "zz", "Choice"]  # fmt: skip
HP_VALUES = [
    "[1, 2, 3]", "[a, b]", "1:10:2", "'1:10:2'", "[1, 10, 2]", "{start: 1, stop: 10, step: 2}",
    "'0.1:1:5'", "[0.1, 1, 5]", "{start: 0.1, stop: 1, num: 5}", "{start: 1, stop: 0, num: 3}",
    "[0, 1]", "'0:1'", "{low: 0, high: 1}", "[0, 1, 0.1]", "{low: 0, high: 1, q: 0.1}",
    "{loc: 0, scale: 1}", "[[a, 0.3], [b, 0.7]]", "[[a, 0.3], [b, 0.3]]", "[[a, 2]]", "abc",
    "3", "[]", "{}", "null", "linspace:1:10:5", "'range:1:10:2'", "[1, 10]",
    "['2019-06-22', '2019-07-25', 1]", "{zz: 1}", "'{{ values }}'",
]  # fmt: skip

#: key -> values a user might write there (valid or not), whatever the mapping holding it.
FIELDS: dict[str, list[str]] = {
    "ports": [
        "[8888]",
        "8888",
        '["8888"]',
        "[8888, 6006]",
        "[]",
        "'{{ port }}'",
        "[a]",
        "{a: 1}",
        "null",
        "[8888.5]",
        "[true]",
        "'8888'",
        "[0x50]",
        "[yes]",
    ],
    "cleanPodPolicy": [
        "All",
        "Running",
        "None",
        "all",
        "none",
        "zz",
        "3",
        "null",
        "'None'",
        "[All]",
    ],
    "successPolicy": ["AllWorkers", "''", "zz", "3", "null"],
    "acquisitionFunction": ["ucb", "ei", "poi", "UCB", "zz", "3", "null"],
    "kernel": ["matern", "rbf", "zz", "3", "Matern"],
    "optimization": ["maximize", "minimize", "max", "1", "-1", "0.5", "zz", "null", "true"],
    "patchStrategy": [
        "replace",
        "isnull",
        "post_merge",
        "pre_merge",
        "merge",
        "zz",
        "3",
        "null",
        "Replace",
    ],
    "logLevel": ["INFO", "DEBUG", "info", "zz", "3", "null", "[INFO]"],
    "cron": ["'0 2 * * *'", "'* * * * *'", "zz", "3", "'0 2 * *'", "null", "'@daily'", "[a]"],
    "frequency": TIMEDELTA,
    "startAt": DATETIME,
    "endAt": DATETIME,
    "hubRef": ["slack", "3", "null", "'{{ hub }}'", "[a]", "zz:v1:2", "''", "kaniko:latest"],
    "connections": STR_LIST,
    "presets": STR_LIST,
    "tags": STR_LIST,
    "io": STR_LIST,
    "sections": ["[init]", "[zz]", "init", "[]", "[init, containers, connections]", "null", "[3]"],
    "kinds": [
        "[run_status_succeeded]",
        "[zz]",
        "run_status_succeeded",
        "[]",
        "[run_status_failed, run_status_done]",
        "[run_status_created]",
        "null",
        "[3]",
    ],
    "values": [
        "[{lr: 0.1}]",
        "[]",
        "[0.1, 0.2]",
        "{lr: 0.1}",
        "zz",
        "null",
        "[{lr: 0.1}, {lr2: 1}]",
        "'{{ vs }}'",
    ],
    "entrypoint": STR,
    "rayVersion": ["'2.5.0'", "2.5", "2.5.0", "3", "null", "[a]"],
    "runtimeEnv": ["{pip: [x]}", "[a]", "zz", "{}", "null", "3"],
    "rayStartParams": ["{num-cpus: '1'}", "{num-cpus: 1}", "[a]", "zz", "{}"],
    "toEnv": ["MY_VAR", "'BAD NAME'", "3", "null", "'my-var'", "[A]", "lower_case", "''"],
    "argFormat": ["'--x={{ x }}'", "3", "'{{ zz }}'", "null", "'--x'", "[a]", "'{{ }}'"],
    "options": [
        "[a, b]",
        "[1, 'a', true]",
        "[]",
        "a",
        "{a: 1}",
        "null",
        "[1.5, 2]",
        "[0.5]",
        "[hello, 3]",
    ],
    "regex": ["'^[a-z]+$'", "'['", "3", "null", "'.*'"],
    "conditions": ["'{{ x > 1 }}'", "3", "'{{ zz }}'", "[a]", "null", "'true'"],
    "queue": ["agent/q", "q", "3", "[a]", "null", "'a/b/c'", "''"],
    "namespace": STR,
    "connection": STR,
    "name": ["loss", "3", "null", "[a]", "'a b'", "accuracy", "yes"],
    "type": ["int", "float", "zz", "str", "3", "null", "Int"],
    "trigger": [
        "all_succeeded",
        "all_failed",
        "all_done",
        "one_succeeded",
        "one_done",
        "succeeded",
        "failed",
        "done",
        "stopped",
        "zz",
        "3",
        "null",
    ],
    "description": STR,
    "image": [
        "python:3.11",
        "3",
        "3.11",
        "[a]",
        "null",
        "'{{ image }}'",
        "python:",
        "'repo/img@sha256:abc'",
    ],
    "command": ["[python, x.py]", "python", "'python x.py'", "3", "[3]", "null", "{a: 1}"],
    "args": ["[a, b]", "a", "[1, 2]", "'{{ zz }}'", "3", "{a: 1}", "['--x={{ zz }}']"],
    "dependencies": ["[a]", "a", "[]", "[3]", "null", "{a: 1}"],
    "algorithm": ["tpe", "rand", "zz", "3"],
    "mode": ["MXTrain", "zz", "3"],
    "metadata": ["{team: ml}", "{team: 3}", "[a]", "zz", "{}", "null"],
    "strictParams": BOOL,
    "upscalingMode": ["Default", "Conservative", "Aggressive", "zz", "3", "null"],
    "imageTag": STR,
    "sleepInterval": INT,
    "syncInterval": INT,
    "monitorLogs": BOOL,
    "monitorSpec": BOOL,
    "noConnections": BOOL,
    "useNames": BOOL,
    "pathPrefix": STR,
    "lineageRef": STR,
    "modelRef": STR,
    "artifactRef": STR,
    "uid": INT,
    "gid": INT,
    "username": STR,
    "workdir": STR,
    "workdirPath": STR,
    "shell": STR,
    "flags": STR_LIST,
    "paths": ["[/a]", "/a", "[[/a, /b]]", "[3]", "null", "{a: 1}", "'/a,/b'"],
    "copy": ["[[a, b]]", "[a]", "a", "[[a]]", "null", "[[a, b, c]]"],
    "postRunCopy": ["[[a, b]]", "[a]", "a", "null"],
    "hostAliases": ["[{ip: 1.2.3.4, hostnames: [a]}]", "[{zz: 1}]", "{ip: x}", "[a]", "null"],
    "hostPID": BOOL,
    "dnsPolicy": STR,
    "dnsConfig": ["{nameservers: [a]}", "{zz: 1}", "[a]", "abc", "null"],
    "schedulerName": STR,
    "priority": INT,
    "mount": [
        "[/data]",
        "/data",
        "[{from: /a, to: /b}]",
        "[{from: /a}]",
        "[{zz: 1}]",
        "[3]",
        "null",
        "[{from: 3, to: /b}]",
    ],
    "cmd": [
        "[python, x.py]",
        "python x.py",
        "''",
        "[]",
        "[python, '']",
        "3",
        "[3]",
        "null",
        "'  '",
        "{a: 1}",
    ],
    "memory": [
        "1Gi",
        "'1Gi'",
        "1G",
        "abc",
        "-1",
        "[1]",
        "1024",
        "null",
        "1_000",
        "1.5Gi",
        "2",
        "1..2",
        "'2..1'",
        "'..2'",
    ],
    "gpu": ["1", "0..1", "'1..'", "1.5", "-1", "abc", "null", "[1]", "1e3", "'2..1'"],
    "MODE": ["train", "3", "true", "null", "[a]", "''"],
    "DEBUG": ["'false'", "false", "3", "null", "yes"],
    "PORT": ["'8080'", "8080", "null", "[1]"],
    "port": ["8888", "'8888'", "http", "null", "[1]", "-1", "{a: 1}"],
    "path": ["/api", "3", "null", "[a]", "''"],
    "scheme": ["HTTP", "HTTPS", "zz", "3"],
    "action": ["Ignore", "FailJob", "Count", "zz", "3", "null"],
    "operator": ["In", "NotIn", "zz", "3"],
    "restartPolicy": ["Never", "OnFailure", "Always", "zz", "3", "never", "null"],
    "imagePullPolicy": ["Always", "IfNotPresent", "Never", "zz", "3", "null"],
    "serviceAccountName": STR,
    "priorityClassName": STR,
    "workingDir": STR,
    "nodeSelector": ["{a: b}", "{a: 3}", "[a]", "zz", "{}", "null", "{a: yes}"],
    "labels": ["{a: b}", "{a: 3}", "[a]", "zz", "{}", "{a: null}"],
    "annotations": ["{a: b}", "{a: 3}", "[a]", "zz"],
    "cpu": [
        "1",
        "'1'",
        "500m",
        "abc",
        "-1",
        "[1]",
        "1.5",
        "0x10",
        "null",
        "1e3",
        "'1 cpu'",
        "1..2",
        "'2..1'",
    ],
    "nvidia.com/gpu": ["1", "'1'", "0", "abc", "-1", "1.5", "null"],
    "hostNetwork": BOOL,
    "env": [
        "[{name: A, value: b}]",
        "[{name: A, value: 3}]",
        "[{name: A}]",
        "{A: b}",
        "[A]",
        "null",
        "[{name: 3, value: b}]",
        "[{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}]",
    ],
    "tolerations": [
        "[{key: a, operator: Exists}]",
        "[a]",
        "{key: a}",
        "null",
        "[]",
        "[{key: a, effect: zz}]",
    ],
}
for _key in ("rewritePath", "isExternal", "standalone", "enableInTreeAutoscaling",
             "enableDynamicWorker", "resume", "dependsOnPast", "disableDefaults", "disable",
             "auth", "docker", "shm", "collectLogs", "syncStatuses", "externalHost",
             "collectArtifacts", "mountArtifactsStore", "autoResume", "isPreset", "isApproved",
             "contextOnly", "toInit", "isOptional", "isList", "isFlag", "delayValidation",
             "enabled", "skipOnUpstreamSkip", "collectResources", "tmux", "sandbox", "ssh",
             "includeSucceeded", "delay"):  # fmt: skip
    FIELDS[_key] = BOOL
for _key in ("replicas", "minReplicas", "maxReplicas", "slotsPerWorker", "nProcPerNode",
             "maxRestarts", "rdvzPort", "minAvailable", "minResources",
             "scheduleTimeoutSeconds", "concurrency", "numRuns", "numInitialRuns",
             "maxIterations", "seed", "maxRuns", "maxRetries", "ttl", "timeout", "numWarmup",
             "numIterations", "numRestartsOptimizer", "evaluationInterval", "minInterval",
             "minSamples", "minLength", "maxLength", "minItems", "maxItems", "minDigits",
             "maxDigits", "decimalPlaces"):  # fmt: skip
    FIELDS[_key] = INT
for _key in ("cost", "kappa", "eps", "lengthScale", "nu", "eta", "percent", "gt", "ge", "lt",
             "le", "multipleOf"):  # fmt: skip
    FIELDS[_key] = FLOAT
for _key in ("rdvzBackend", "rdvzHost", "rdvzId", "priorityClass", "metric"):
    FIELDS[_key] = STR

#: Fields one may add to a mapping whose key is `owner` (or, for `run`, to any run kind):
#: the field of another run kind, a misspelt or camel/snake-cased field, a required one.
ADDED: dict[str, list[str]] = {
    "run": [
        "ports: [80]",
        "rewritePath: true",
        "isExternal: true",
        "replicas: 2",
        "slotsPerWorker: 1",
        "nProcPerNode: 2",
        "cleanPodPolicy: All",
        "minReplicas: 1",
        "concurrency: 2",
        "operations: []",
        "worker: {replicas: 1}",
        "rewrite_path: true",
        "is_external: false",
        "entrypoint: main.py",
        "successPolicy: AllWorkers",
        "scheduler: {replicas: 1}",
        "head: {replicas: 1}",
        "master: {replicas: 1}",
        "connections: [a]",
        "init: []",
        "sidecars: []",
        "volumes: []",
        "schedulingPolicy: {minAvailable: 1}",
        "elasticPolicy: {minReplicas: 1}",
        "earlyStopping: []",
        "maxReplicas: 3",
        "zz: 1",
        "init: [{git: {url: 'https://github.com/a/b'}}]",
        "init: [{git: {revision: main}}]",
        "init: [{artifacts: {files: [a]}}]",
        "init: [{paths: [a, b]}]",
        "init: [{dockerfile: {image: python}}]",
        "init: [{file: {content: x}}]",
        "init: [{connection: store}]",
        "init: [{artifacts: {files: [a]}, paths: [b]}]",
        "init: [{tensorboard: {uuids: [a]}}]",
        "init: [{zz: 1}]",
        "init: [{lineageRef: x}]",
        "sidecars: [{name: s, image: busybox}]",
        "sidecars: [{image: busybox}]",
        "volumes: [{name: v, emptyDir: {}}]",
        "volumes: [{emptyDir: {}}]",
        "environment: {restartPolicy: zz}",
        "environment: {nodeSelector: [a]}",
        "container: {image: busybox}",
        "container: busybox",
    ],
    "matrix": [
        "concurrency: 2",
        "numRuns: 3",
        "seed: 1",
        "maxIterations: 3",
        "numInitialRuns: 2",
        "eta: 3",
        "resume: true",
        "metric: {name: loss, optimization: minimize}",
        "resource: {name: epochs, type: int}",
        "earlyStopping: [{kind: failure_early_stopping, percent: 50}]",
        "tuner: {hubRef: t}",
        "values: [{lr: 0.1}]",
        "algorithm: tpe",
        "num_runs: 3",
        "utilityFunction: {acquisitionFunction: ei}",
        "zz: 1",
    ],
    "schedule": [
        "maxRuns: 3",
        "dependsOnPast: true",
        "cron: '0 0 * * *'",
        "frequency: 60",
        "startAt: '2021-01-01 00:00'",
        "endAt: 2022-01-01",
        "zz: 1",
    ],
    "probe": ["exec: {command: [a]}", "exec: {zz: 1}", "http: {port: 80}", "zz: 1", "exec: abc"],
    "http": [
        "host: h",
        "httpHeaders: [{name: a, value: b}]",
        "http_headers: []",
        "zz: 1",
        "port: null",
    ],
    "culling": ["zz: 1", "timeout: abc"],
    "podFailurePolicy": ["zz: 1", "rules: null"],
    "termination": [
        "probe: {exec: {command: [a]}}",
        "probe: {http: {path: /x}}",
        "probe: {http: {port: 80, zz: 1}}",
        "podFailurePolicy: {}",
        "podFailurePolicy: '{{ x }}'",
        "culling: {zz: 1}",
        "maxRetries: 1",
        "ttl: 10",
        "timeout: 100",
        "culling: {timeout: 10}",
        "max_retries: 1",
        "zz: 1",
    ],
    "plugins": [
        "auth: true",
        "docker: true",
        "shm: false",
        "tmux: true",
        "sandbox: true",
        "ssh: true",
        "logLevel: DEBUG",
        "externalHost: true",
        "collectResources: true",
        "sidecar: {sleepInterval: 10}",
        "notifications: [{connections: [a], trigger: done}]",
        "log_level: INFO",
        "zz: 1",
    ],
    "cache": ["disable: true", "ttl: 1", "io: [x]", "sections: [init]", "zz: 1"],
    **{
        replica: [
            "replicas: 2",
            "environment: {nodeSelector: {a: b}}",
            "connections: [c]",
            "init: []",
            "sidecars: []",
            "volumes: []",
            "minReplicas: 1",
            "rayStartParams: {a: b}",
            "ports: [1]",
            "zz: 1",
            "container: {image: x}",
            "container: x",
            "environment: {restartPolicy: Always}",
        ]
        for replica in (
            "worker",
            "master",
            "chief",
            "ps",
            "evaluator",
            "launcher",
            "head",
            "scheduler",
            "small",
            "large",
        )
    },
    "elasticPolicy": [
        "rdvzHost: host",
        "rdvzId: id",
        "rdvzConf: [{key: a, value: b}]",
        "metrics: []",
        "Metrics: []",
        "zz: 1",
    ],
    "schedulingPolicy": ["minResources: 2", "queue: q", "zz: 1"],
    "utilityFunction": ["numWarmup: 1", "zz: 1"],
    "gaussianProcess": ["nu: 2.5", "zz: 1"],
    "metric": ["optimization: maximize", "zz: 1"],
    "resource": ["type: float", "zz: 1"],
    "policy": ["minSamples: 1", "percent: 10", "zz: 1"],
    "template": ["fields: [name]", "enabled: false", "zz: 1"],
    "build": [
        "cache: {disable: true}",
        "runPatch: {container: {image: x}}",
        "namespace: n",
        "zz: 1",
    ],
    "container": [
        "imagePullPolicy: Always",
        "workingDir: /code",
        "env: [{name: A, value: b}]",
        "image_pull_policy: Always",
        "zz: 1",
    ],
    "environment": [
        "labels: {a: b}",
        "annotations: {a: b}",
        "nodeName: n",
        "hostNetwork: true",
        "imagePullSecrets: [s]",
        "zz: 1",
    ],
    "hooks": [
        "trigger: done",
        "conditions: x",
        "params: {a: {value: 1}}",
        "hub_ref: x",
        "zz: 1",
        "presets: a",
        "disableDefaults: maybe",
        "connection: 3",
    ],
    "events": ["kinds: [run_status_done]", "ref: dag", "zz: 1", "ref: ops.x"],
    "notifications": ["trigger: zz", "connections: a", "zz: 1"],
    "earlyStopping": [
        "policy: {kind: median, evaluationInterval: 1}",
        "metric: loss",
        "value: 1",
        "optimization: maximize",
        "percent: 10",
        "zz: 1",
        "policy: {kind: truncation}",
    ],
    "operations": [
        "trigger: zz",
        "conditions: '{{ a }}'",
        "skipOnUpstreamSkip: maybe",
        "cache: {disable: true}",
        "matrix: {kind: grid, params: {a: {kind: choice, value: [1]}}}",
        "schedule: {kind: cron, cron: '* * * * *'}",
        "events: [{kinds: [run_status_done], ref: dag}]",
        "hooks: [{hubRef: slack}]",
        "queue: q",
        "namespace: n",
        "presets: [a]",
        "isApproved: false",
        "cost: 1",
        "zz: 1",
        "termination: {maxRetries: 2}",
        "plugins: {ssh: true}",
        "runPatch: {container: {image: x}}",
    ],
    "": [
        "cmd: [python, x.py]",
        "cmd: ''",
        "env: {A: b}",
        "env: {A: 3}",
        "env: [a]",
        "resources: {cpu: 1}",
        "resources: {tpu: 1}",
        "resources: {cpu: abc}",
        "resources: {nvidia.com/gpu: 1}",
        "ports: [80]",
        "mount: [/a]",
        "mount: [{to: /b}]",
        "strictParams: maybe",
        "strictParams: true",
        "container: {image: x}",
        "environment: {nodeSelector: {a: b}}",
        "init: [{paths: [/a]}]",
        "sidecars: []",
        "volumes: [{name: v, emptyDir: {}}]",
        "connections: [c]",
        "image: x",
        "queue: agent/q",
        "namespace: ns",
        "cost: 1.5",
        "isPreset: true",
        "isApproved: false",
        "patchStrategy: replace",
        "presets: [p]",
        "cache: {disable: true}",
        "termination: {maxRetries: 1}",
        "plugins: {auth: true}",
        "template: {enabled: true}",
        "hooks: [{hubRef: slack, trigger: done}]",
        "events: [{kinds: [run_status_done], ref: ops.x}]",
        "schedule: {kind: interval, frequency: 60}",
        "build: {hubRef: kaniko}",
        "runPatch: {kind: job}",
        "profile: p",
        "zz: 1",
        "isPreset: maybe",
        "dependencies: [a]",
        "trigger: all_done",
        "conditions: '{{ x }}'",
        "skipOnUpstreamSkip: true",
        "joins: []",
        "contact: x",
    ],
}

#: Polyaxon's IO types, and values of each that a user might give any of them.
IO_VALUES: dict[str, list[str]] = {
    "int": ["3", "'3'", "3.0", "3.5", "true", "abc", "[3]", "0x1F", "1_000", "010"],
    "float": ["0.5", "1", ".5", "'0.5'", "abc", "true", "1e3", "[0.5]", ".nan", "1:30"],
    "str": ["abc", "3", "true", "null", "[a]", "{a: 1}", "yes", "2018-01-01", "~"],
    "bool": ["true", "yes", "'true'", "1", "0", "maybe", "'no'", "on", "False", "2"],
    "dict": ["{a: 1}", "'{\"a\": 1}'", "[a]", "abc", "{}", "3"],
    "list": ["[1, 2]", "a", "'[1, 2]'", "{a: 1}", "[]", "'a,b'", "3"],
    "path": ["/data", "3", "[a]", "s3://b/k", "{a: 1}", "''", "./rel"],
    "uri": [
        "https://example.com",
        "example.com",
        "3",
        "user:pass@host",
        "'http://u:p@h:80/x'",
        "[a]",
    ],
    "auth": ["user:password", "'u:p'", "user", "3", "{user: a, password: b}"],
    "image": [
        "python:3.11",
        "3",
        "[a]",
        "'repo/img@sha256:abc'",
        "python:",
        "'{{ x }}'",
        "localhost:5000/img",
    ],
    "git": [
        "{url: 'https://github.com/a/b'}",
        "https://github.com/a/b",
        "{url: x, revision: main}",
        "[a]",
        "3",
        "{zz: 1}",
    ],
    "dockerfile": [
        "{image: python}",
        "python",
        "{image: python, zz: 1}",
        "[a]",
        "{run: [a]}",
        "{image: python, env: {a: b}}",
    ],
    "date": ["2021-01-01", "'2021-01-01'", "'2021-13-01'", "abc", "3", "2021-01-01 10:00:00"],
    "datetime": ["'2021-01-01 10:00'", "2021-01-01T10:00:00", "2021-01-01", "abc", "3"],
    "metric": ["0.9", "'0.9'", "abc", "[1]", "true", "3"],
    "metadata": ["{k: v}", "abc", "[a]", "3"],
    "artifacts": ["{files: [a]}", "[a]", "abc", "{files: a}", "{zz: 1}", "{dirs: [b], files: [a]}"],
    "s3": ["s3://b/k", "gs://b/k", "abc", "3", "{bucket: b}"],
    "gcs": ["gs://b/k", "s3://b/k", "abc", "3", "{bucket: b}"],
    "wasb": ["wasbs://c@a.blob.core.windows.net/p", "s3://b/k", "abc", "3"],
    "event": ["{name: loss, kind: metric}", "loss", "{name: loss, kind: zz}", "[a]"],
    "tensorboard": ["{a: 1}", "abc"],
    "zz_type": ["3"],
}
#: Values YAML 1.1 reads as another type than their text suggests, and quoted forms of them.
RETYPED = ["yes", "no", "on", "off", "0x1F", "1_000", ".5", "~", "2018-01-01", "010", "1:30",
           "0o17", "+1", ".inf", "-.inf", ".NaN", "1e3", "'yes'", "'010'", '"0x1F"',
           "'2018-01-01'", "NULL", "Yes", "!!str 3", "!!int '3'", "2001-12-14t21:59:43.10-05:00",
           "1.", "0b101", "Y", "Ünïcödé", "学習", "'ß → ü'", "3 # a comment",
           "'a # b'"]  # fmt: skip


def _scalar(entry: Line) -> bool:
    return bool(entry.rest) and not entry.rest.startswith(("|", ">", "&", "*", "#", "!"))


def _renames(entry: Line) -> bool:
    """A name that others use (an op, a component, an input, an output): renaming it is an
    error where it is used, which the second round's DAG operators cover."""
    lists = ("components", "operations", "inputs", "outputs")
    return entry.key == "name" and entry.item and entry.path[-1:] != [] and entry.path[-1] in lists


def _with_scope(edit: Edit, scope: tuple[int, int]) -> Edit:
    edit.scope = scope
    return edit


def run_fields(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field of a run, replica, matrix, schedule, hook, cache, plugin... section (or of the
    operation) given another value: of its type or not, in YAML 1.1 forms, a template."""
    for e in entries:
        values = FIELDS.get(e.key)
        if not values or not _scalar(e) or "{{" in e.rest or (e.path[-1:] == ["params"]):
            continue
        if (io_field(e) and e.key in ("name", "type")) or _renames(e):
            continue  # the earlier rounds' IO and DAG operators
        for value in rng.sample(values, min(3, len(values))):
            if value != e.rest:
                scope = owner_block(lines, entries, e)
                yield _with_scope(replace(e, set_value(lines[e.index], value)), scope)


def _owner_key(entries: list[Line], e: Line) -> str:
    return e.path[-1] if e.path else ""


def field_insert(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field added to a section: one of another run or matrix kind, a snake_case spelling, a
    field the section has not, a field the section's kind requires."""
    seen: set[int] = set()
    for e in entries:
        owner = _owner_key(entries, e)
        if owner not in ADDED or e.item or e.index in seen:
            continue
        if owner == "" and e.key not in ("name", "kind"):
            continue
        up = parent(entries, e)
        if up in seen and owner:
            continue
        seen.add(up)
        siblings = {x.key for x in entries if x.path == e.path and x.indent == e.indent}
        choices = [c for c in ADDED[owner] if c.split(":")[0] not in siblings]
        for choice in rng.sample(choices, min(3, len(choices))):
            edit = insert_after(e, lines, [" " * e.indent + choice], block_end(lines, e))
            if owner:
                start, end = owner_block(lines, entries, e)
                edit.scope = (start, end + 1)
            yield edit


def run_kind(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A run, matrix, hyper-parameter, schedule or early-stopping `kind` changed."""
    for e in entries:
        if e.key != "kind" or not _scalar(e) or not e.path:
            continue
        owner = e.path[-1]
        if owner == "run":
            choices = RUN_KINDS
        elif owner == "matrix":
            choices = MATRIX_KINDS
        elif owner == "schedule":
            choices = ["cron", "interval", "datetime", "exact_time", "repeatable", "zz", "Cron"]
        elif owner == "policy":
            choices = ["median", "truncation", "diff", "zz", "metric_early_stopping"]
        elif owner == "earlyStopping":
            choices = ["metric_early_stopping", "failure_early_stopping", "median", "zz"]
        elif "params" in e.path and "matrix" in e.path:
            choices = HP_KINDS
        else:
            continue
        for kind in rng.sample([k for k in choices if k != e.rest], 3):
            yield _with_scope(
                replace(e, set_value(lines[e.index], kind)), owner_block(lines, entries, e)
            )


def matrix_forms(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A hyper-parameter's `value` in another form (a list, a `start:stop:num` string, a
    mapping, pairs of a pchoice, dates), and a matrix `params` or `values` of another shape."""
    for e in entries:
        if "matrix" not in e.path:
            continue
        if e.key == "value" and "params" in e.path and e.rest:
            for value in rng.sample(HP_VALUES, 4):
                yield _with_scope(
                    replace(e, set_value(lines[e.index], value)), owner_block(lines, entries, e)
                )
        elif e.path[-1] == "params" and not e.rest:
            # the hyper-parameter as one flow mapping, or with a kind and value pair swapped
            end = block_end(lines, e)
            fields = {x.key: x.rest for x in entries if e.index < x.index < end}
            if set(fields) == {"kind", "value"}:
                pad = lines[e.index][: len(lines[e.index]) - len(lines[e.index].lstrip())]
                for kind, value in rng.sample(
                    [("choice", "[1, 2]"), ("range", "'1:5:1'"), ("uniform", "[0, 1]"),
                     ("pchoice", "[[1, 0.5], [2, 0.5]]"), ("linspace", "[0, 1, 3]"),
                     ("normal", "{loc: 0, scale: 1}"), ("choice", fields["value"]),
                     ("logspace", "'1:3:3'"), ("qloguniform", "[1, 10, 1]"),
                     ("datetimerange", "['2019-06-22 12:12', '2019-07-25 13:13', 1]")], 3
                ):  # fmt: skip
                    new = f"{pad}{e.key}: {{kind: {kind}, value: {value}}}"
                    yield Edit(e.index, end, [new], (e.index, e.index), dotted(e))


def io_typed(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """An input/output's type and value changed together: every IO type, each with values
    of it or not."""
    for e in entries:
        if not (io_field(e) and e.key == "name" and e.item and e.rest):
            continue
        end = item_end(lines, e)
        fields = [x for x in entries if e.index < x.index < end and x.indent == e.indent]
        kind = next((x for x in fields if x.key == "type"), None)
        value = next((x for x in fields if x.key == "value"), None)
        if kind is None or not _scalar(kind):
            continue
        pad = " " * e.indent
        for new_type in rng.sample(sorted(IO_VALUES), 3):
            new_value = rng.choice(IO_VALUES[new_type])
            if value is not None and _scalar(value) and block_end(lines, value) == value.index + 1:
                first, last = sorted((kind, value), key=lambda x: x.index)
                body = lines[first.index : last.index + 1]
                body[kind.index - first.index] = set_value(lines[kind.index], new_type)
                body[value.index - first.index] = set_value(lines[value.index], new_value)
                yield Edit(first.index, last.index + 1, body, (first.index, last.index),
                           dotted(e), (e.index, end - 1))  # fmt: skip
            else:
                edit = replace(kind, set_value(lines[kind.index], new_type))
                body = [edit.new[0], pad + f"value: {new_value}"]
                if value is None:
                    yield Edit(kind.index, kind.index + 1, body, (kind.index, kind.index + 1),
                               dotted(e), (e.index, end))  # fmt: skip


def io_fields(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field added to an input/output: `isList` with a value of the list or not, `argFormat`,
    `connection`, `toInit`, `toEnv`, `delayValidation`, `validation` fields, `options` of mixed
    types."""
    for e in entries:
        if not (io_field(e) and e.key == "name" and e.item and e.rest):
            continue
        end = item_end(lines, e)
        keys = {x.key for x in entries if e.index < x.index < end and x.indent == e.indent}
        choices = [
            "isList: true", "isList: yes", "argFormat: '--{{ " + e.rest + " }}'",
            "argFormat: '{{ zz }}'", "connection: zz-store", "toInit: true", "toInit: 'yes'",
            "toEnv: MY_ENV", "toEnv: 'a b'", "delayValidation: false", "validation: {gt: 0}",
            "validation: {ge: 0, le: 1}", "validation: {minItems: 1}", "validation: {regex: 3}",
            "validation: {delay: true}", "validation: {contains: a}", "validation: {options: "
            "[1, 2]}", "validation: {keys: [a]}", "validation: {multipleOf: 2}",
            "validation: {minDigits: 1, maxDigits: 3}", "validation: {gt: abc}",
            "validation: [gt, 0]", "options: [1, 'a', true]", "options: [3, 4.5]",
            "options: []", "description: 'Ünïcödé ✓'", "is_list: true", "default: 3",
        ]  # fmt: skip
        choices = [c for c in choices if c.split(":")[0] not in keys]
        for choice in rng.sample(choices, 3):
            yield insert_after(e, lines, [" " * e.indent + choice], end)


def param_fields(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A param's fields: `contextOnly`, `connection`, `toInit`, `toEnv`, refs in odd spots,
    a param given as a bare value or a list."""
    for e in entries:
        if not (e.path[-1:] == ["params"] and "matrix" not in e.path and "joins" not in e.path):
            continue
        if e.rest.startswith("{"):
            inner = e.rest[1:-1] if e.rest.endswith("}") else None
            if inner is None:
                continue
            add = rng.sample(
                ["contextOnly: true", "toEnv: PARAM_ENV", "toInit: true", "connection: c",
                 "ref: dag", "ref: runs.0a1b2c3d4e5f60718293a4b5c6d7e8f9", "ref: ops",
                 "toEnv: 'x y'", "search: {query: 'metrics.loss:<0.1'}", "zz: 1",
                 "contextOnly: 'yes'"], 2)  # fmt: skip
            for field in add:
                yield replace(e, set_value(lines[e.index], "{" + inner + ", " + field + "}"))
        elif not e.rest:
            end = block_end(lines, e)
            pad = " " * (e.indent + 2)
            for field in rng.sample(
                ["contextOnly: true", "toEnv: PARAM_ENV", "toInit: true", "connection: store",
                 "toEnv: '1x'", "ref: dag", "contextOnly: [a]", "toInit: 3", "search: x",
                 "valu: 3"], 2
            ):  # fmt: skip
                yield insert_after(e, lines, [pad + field], end)
        else:
            yield replace(e, set_value(lines[e.index], rng.choice(["3", "[a]", "{}", "null"])))


def yaml_retype(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A scalar written in a form YAML 1.1 reads as another type (or quoted so that it does
    not): a name, a value, a field of a section."""
    for e in entries:
        if not _scalar(e) or "{{" in e.rest or e.rest.startswith(("[", "{")):
            continue
        if e.key in ("version", "kind") and not e.path:
            continue
        if block_end(lines, e) != e.index + 1 or _renames(e):
            continue
        yield replace(e, set_value(lines[e.index], rng.choice(RETYPED)))


def _flow_value(text: str) -> bool:
    return bool(text) and not re.search(r"[#&*!|>{}\[\],]|: |^['\"]|['\"]$", text)


def style_flow_section(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A block mapping of one-line scalars (termination, plugins, schedule, a replica's
    environment, resources, a hyper-parameter...) written as one flow mapping."""
    del rng
    for e in entries:
        if e.rest or e.item:
            continue
        end = block_end(lines, e)
        fields = [x for x in entries if e.index < x.index < end]
        if not fields or end - e.index - 1 != len(fields):
            continue
        if any(x.indent != fields[0].indent or x.item or not _flow_value(x.rest) for x in fields):
            continue
        body = ", ".join(f"{x.key}: {x.rest}" for x in fields)
        yield Edit(e.index, end, [f"{lines[e.index].rstrip()} {{{body}}}"], (e.index, e.index),
                   dotted(e))  # fmt: skip


def style_anchor(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A scalar that occurs twice (an image, a name) given an anchor where it first occurs and
    an alias where it occurs again; or an anchor nothing uses."""
    by_value: dict[tuple[str, str], list[Line]] = {}
    for e in entries:
        if _scalar(e) and _flow_value(e.rest) and e.path:
            by_value.setdefault((e.key, e.rest), []).append(e)
    for (key, value), found in by_value.items():
        if len(found) < 2:
            continue
        first, second = found[0], found[1]
        name = re.sub(r"\W", "_", key) + "_a"
        body = list(lines[first.index : second.index + 1])
        body[0] = set_value(lines[first.index], f"&{name} {value}")
        body[-1] = set_value(lines[second.index], f"*{name}")
        yield Edit(first.index, second.index + 1, body, (first.index, second.index),
                   dotted(first))  # fmt: skip
    for e in entries:
        if e.path and not e.rest and not e.item and rng.random() < 0.3:
            yield replace(e, lines[e.index].rstrip() + " &unused_" + re.sub(r"\W", "_", e.key))


def field_delete(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field deleted (a required one: a matrix's `numRuns` or `metric`, a schedule's `cron`,
    a hook's `hubRef`, a policy's `percent`...), with the lines of its value."""
    del rng
    for e in entries:
        if not e.path or e.item or e.path[-1] in ("params", "inputs", "outputs"):
            continue
        if e.key in (
            "name",
            "type",
            "value",
            "ref",
            "container",
            "image",
            "run",
            "inputs",
            "outputs",
        ):
            continue  # the earlier rounds' section deletions (and IO used elsewhere)
        end = block_end(lines, e)
        edit = Edit(e.index, end, [], (parent(entries, e), e.index), dotted(e))
        start, stop = owner_block(lines, entries, e)
        edit.scope = (start, max(start, stop - (end - e.index)))
        yield edit


#: Hyper-parameter values crossed with every kind: edge cases of each form (zero or negative
#: steps, reversed bounds, two- and four-part strings, dates, probabilities not summing to 1).
HP_CROSS = [
    *HP_VALUES,
    "[1, 10, 0]", "[10, 1, 1]", "[1, 10, -1]", "{start: 1, stop: 10}", "'1:10:2:3'",
    "[1.5, 3.5, 0.5]", "{low: 1, high: 0}", "[0, 1, 0]", "{loc: 0, scale: -1}", "[[a, 0.5]]",
    "[[a, 1.5]]", "[['a', '0.5']]", "[1]", "[true, false]", "[null]", "'a,b,c'", "1", "'1'",
    "{start: 0, stop: 1, num: 0}", "{start: 0, stop: 1, num: 2.5}",
    "['2019-06-22', '2019-06-20', 1]", "['2019-06-22 10:00', '2019-06-23 10:00', 1]",
    "[2019-06-22, 2019-07-25, 1]", "{start: 2019-06-22, stop: 2019-07-25, step: 1}",
    "'0.1:0.01:5'", "{value: 1}", "{low: a, high: 1}", "'1 : 10 : 2'", "[1, 2, 3, 4]",
    "[[a, 0.3], [b]]", "{start: 1, stop: 10, step: 2, zz: 1}", "[[1, 2], [3, 4]]",
]  # fmt: skip


def hp_cross(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """The first hyper-parameter of a matrix as `{kind: K, value: V}` for every kind and every
    value of `HP_CROSS`."""
    del rng
    for e in entries:
        if e.path[-1:] == ["params"] and "matrix" in e.path and not e.rest and not e.item:
            end = block_end(lines, e)
            pad = lines[e.index][: len(lines[e.index]) - len(lines[e.index].lstrip())]
            for kind in HP_KINDS[:-2]:
                for value in HP_CROSS:
                    new = f"{pad}{e.key}: {{kind: {kind}, value: {value}}}"
                    yield Edit(e.index, end, [new], (e.index, e.index), dotted(e),
                               owner_block(lines, entries, e))  # fmt: skip
            return


def io_cross(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """The first input with a type and a one-line value given every IO type and values of
    every type, optional or not, a list or not."""
    del rng
    pooled = sorted({v for values in IO_VALUES.values() for v in values})
    for e in entries:
        if not (io_field(e) and e.key == "name" and e.item and e.rest):
            continue
        end = item_end(lines, e)
        fields = {x.key: x for x in entries if e.index < x.index < end and x.indent == e.indent}
        kind, value = fields.get("type"), fields.get("value")
        if kind is None or value is None or not _scalar(value) or value.index != kind.index + 1:
            continue
        pad = " " * e.indent
        for io_type in sorted(IO_VALUES):
            for item in pooled:
                for extra in ([], [pad + "isList: true"]):
                    new = [f"{pad}type: {io_type}", f"{pad}value: {item}", *extra]
                    yield Edit(kind.index, value.index + 1, new,
                               (kind.index, kind.index + len(new) - 1), dotted(e),
                               (e.index, end - 1 + len(extra)))  # fmt: skip
        return


def field_cross(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """Every field of `FIELDS` given every value of its list (not a sample of them)."""
    del rng
    for e in entries:
        values = FIELDS.get(e.key)
        if not values or not _scalar(e) or "{{" in e.rest or e.path[-1:] == ["params"]:
            continue
        if (io_field(e) and e.key in ("name", "type")) or _renames(e):
            continue
        for value in values:
            if value != e.rest:
                scope = owner_block(lines, entries, e)
                yield _with_scope(replace(e, set_value(lines[e.index], value)), scope)


def param_cross(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A param `x` passed to an input `x` of every IO type with values of every type (and the
    input a list or not): the params stage (an operation) or the DAG stage (an op)."""
    del rng
    pooled = sorted({v for values in IO_VALUES.values() for v in values} | {"null", "''"})
    value = next((e for e in entries if e.key == "value" and e.path[-1:] == ["x"]), None)
    kind = next(
        (e for e in entries if e.key == "type" and io_field(e) and lines[e.index - 1].strip()
         == "- name: x"), None
    )  # fmt: skip
    if value is None or kind is None:
        return
    first, last = sorted((value, kind), key=lambda e: e.index)
    for io_type in sorted(IO_VALUES):
        for item in pooled:
            for is_list in (False, True):
                body = lines[first.index : last.index + 1]
                body[value.index - first.index] = set_value(lines[value.index], item)
                typed = set_value(lines[kind.index], io_type)
                if is_list:
                    typed += "\n" + " " * kind.indent + "isList: true"
                body[kind.index - first.index] = typed
                body = "\n".join(body).split("\n")
                shift = len(body) - (last.index + 1 - first.index)
                at = value.index + (shift if value.index > kind.index else 0)
                scope = kind.index + (shift if kind.index > value.index else 0)
                yield Edit(first.index, last.index + 1, body, (at, at), dotted(value),
                           (scope - 1, scope + int(is_list)))  # fmt: skip


def _scalar_block(lines: list[str], entries: list[Line], e: Line) -> list[Line] | None:
    """The children of block mapping `e` when they are all one-line plain scalars."""
    if e.rest or e.item:
        return None
    end = block_end(lines, e)
    fields = [x for x in entries if e.index < x.index < end]
    if len(fields) < 2 or end - e.index - 1 != len(fields):
        return None
    if any(x.indent != fields[0].indent or x.item or not _flow_value(x.rest) for x in fields):
        return None
    return fields


def style_merge(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A block mapping's first fields moved into a YAML merge key (`<<: {a: 1, b: 2}`)."""
    del rng
    for e in entries:
        fields = _scalar_block(lines, entries, e)
        if fields is None:
            continue
        pad = " " * fields[0].indent
        merged = ", ".join(f"{x.key}: {x.rest}" for x in fields[:-1])
        new = [lines[e.index], f"{pad}<<: {{{merged}}}", lines[fields[-1].index]]
        yield Edit(e.index, fields[-1].index + 1, new, (e.index, e.index + 2), dotted(e))


def merge_value(lines: list[str], entries: list[Line], rng: Rng) -> Iterator[Edit]:
    """A field of a block mapping given, inside a YAML merge key, a value of `FIELDS`."""
    for e in entries:
        fields = _scalar_block(lines, entries, e)
        if fields is None:
            continue
        for field in fields:
            values = FIELDS.get(field.key)
            if not values:
                continue
            value = rng.choice([v for v in values if v != field.rest])
            pad = " " * field.indent
            new = [f"{pad}<<: {{{field.key}: {value}}}"]
            yield Edit(field.index, field.index + 1, new, (field.index, field.index),
                       dotted(field), owner_block(lines, entries, field))  # fmt: skip


OPERATORS = {
    "run-fields": run_fields,
    "field-insert": field_insert,
    "run-kind": run_kind,
    "matrix-forms": matrix_forms,
    "io-typed": io_typed,
    "io-fields": io_fields,
    "param-fields": param_fields,
    "field-delete": field_delete,
    "yaml-retype": yaml_retype,
    "style-flow-section": style_flow_section,
    "style-anchor": style_anchor,
    "hp-cross": hp_cross,
    "io-cross": io_cross,
    "field-cross": field_cross,
    "param-cross": param_cross,
    "style-merge": style_merge,
    "merge-value": merge_value,
}
#: How many edits of the crossing operators each hand-written base gets (the rest none).
CROSS_DRAWS = {
    ("hp-cross", "matrix_grid_random"): 700,
    ("hp-cross", "matrix_bayes"): 120,
    ("hp-cross", "matrix_hyperband"): 120,
    ("hp-cross", "matrix_random_iter"): 120,
    ("io-cross", "io_types"): 700,
    ("io-cross", "dag_component"): 120,
    ("param-cross", "param_cross_op"): 700,
    ("param-cross", "param_cross_dag"): 500,
}
STYLE = ("style-",)
#: The corpus has few files of these areas: the hand-written bases get more draws.
LOCAL_DRAWS = 14


def mutants_of(base: str, text: str) -> Iterator[dict]:
    data = loads(text)

    def keep(operator: str, mutated: str) -> bool:
        return not operator.startswith(STYLE) or loads(mutated) == data

    def draws(operator: str) -> int:
        many = base.startswith(LOCAL)
        if operator.endswith("-cross"):
            if operator == "field-cross":
                return 70 if many else 0
            return next((n for (op, name), n in CROSS_DRAWS.items()
                         if op == operator and f"/{name}." in base), 0)  # fmt: skip
        if operator.startswith(STYLE):
            return 2 if many else 1
        if operator in ("io-typed", "io-fields") and "io_types" in base:
            return 40
        return LOCAL_DRAWS if many else 3

    for operator, edit, old, new, lines, entries in drawn_edits(
        base, text, OPERATORS, SEED, draws, keep
    ):
        scope = edit.scope or enclosing(lines, entries, edit)
        yield {
            "base": base,
            "operator": operator,
            "path": edit.path,
            "old": old,
            "new": new,
            "at": list(edit.at),
            "scope": list(scope) if scope else None,
        }


CRLF_COUNT = 120


def _key(mutant: dict) -> tuple[str, str, str, str]:
    return mutant["base"], mutant["old"], mutant["new"], mutant.get("transform", "")


def _known_verdicts() -> dict[tuple[str, str, str, str], dict]:
    target = HERE / "edit_mutants_3.json"
    if not target.exists() or "--rejudge" in sys.argv:
        return {}
    return {_key(m): m["oracle"] for m in json.loads(target.read_text(encoding="utf-8"))}


PAIRS_FILE = HERE.parent / "pairs" / "pairs_3.json"


def _known_pair_verdicts() -> dict[tuple[str, ...], dict]:
    if not PAIRS_FILE.exists() or "--rejudge" in sys.argv:
        return {}
    return {
        (p["base"], *(x for e in p["edits"] for x in (e["old"], e["new"]))): p["oracle"]
        for p in json.loads(PAIRS_FILE.read_text(encoding="utf-8"))
    }


def write_pairs(pairs: list[tuple[dict, dict]], verdicts: dict[str, dict]) -> None:
    """`../pairs/pairs_3.json`: two of this round's edits of one base, each rejected alone."""
    rows = []
    for n, (a, b) in enumerate(pairs):
        key = f"r{n:04d}"
        if key not in verdicts or verdicts[key]["ok"]:
            continue  # not judged, or the two edits cancel out (a list value, then `isList`)
        rows.append(
            {
                "id": f"{key}-{a['operator']}+{b['operator']}",
                "base": a["base"],
                "edits": [
                    {
                        "family": e["operator"],
                        "path": e["path"],
                        "old": e["old"],
                        "new": e["new"],
                        "oracle": {k: e["oracle"][k] for k in ("ok", "stage", "message")},
                    }
                    for e in (a, b)
                ],
                "oracle": {k: verdicts[key][k] for k in ("ok", "stage", "message")},
            }
        )
    PAIRS_FILE.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} pairs written to {PAIRS_FILE}", file=sys.stderr)


def crlf_variants(mutants: list[dict], count: int) -> list[dict]:
    """Edits of this round Polyaxon rejects, again in a file whose lines end with CRLF."""
    rng = random.Random(f"{SEED}:crlf")
    rejected = [
        m for m in mutants if not m["oracle"]["ok"] and not m["operator"].startswith("style-")
    ]
    chosen = sorted(rng.sample(rejected, min(count, len(rejected))), key=lambda m: m["id"])
    return [
        {**{k: v for k, v in m.items() if k not in ("id", "oracle")}, "id":
         f"g{len(mutants) + n:05d}-crlf-{m['operator']}", "transform": "crlf", "from": m["id"]}
        for n, m in enumerate(chosen)
    ]  # fmt: skip


def main(argv: list[str]) -> int:
    corpus, oracle, hub = Path(argv[0]).resolve(), argv[1], str(Path(argv[2]).resolve())
    names = bases(corpus) + sorted(LOCAL + p.name for p in (HERE / "bases").glob("*.yaml"))
    texts = {base: base_text(corpus, base) for base in names}
    mutants: list[dict] = []
    for base in names:
        mutants.extend(mutants_of(base, texts[base]))
    for number, mutant in enumerate(mutants):
        mutant["id"] = f"g{number:05d}-{mutant['operator']}"
    print(f"{len(mutants)} mutants", file=sys.stderr)
    if len(argv) > 3 and argv[3] == "--count":
        from collections import Counter

        print(Counter(m["operator"] for m in mutants), file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp) / "corpus"
        shutil.copytree(corpus, scratch)
        shutil.copytree(HERE / "bases", scratch / LOCAL.rstrip("/"))
        for path in scratch.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        # verdicts already in the data file are kept (the oracle is slow; it is deterministic)
        known = _known_verdicts()
        verdicts = {m["id"]: known[_key(m)] for m in mutants if _key(m) in known}
        mutated = {
            m["id"]: (m["base"], apply(texts[m["base"]], m))
            for m in mutants
            if m["id"] not in verdicts
        }
        verdicts.update(judge(oracle, hub, scratch, mutated))
        mutants = [m for m in mutants if m["id"] in verdicts]
        for m in mutants:
            m["oracle"] = verdicts[m["id"]]
        # the same mistakes in files whose lines end with CRLF
        crlf = crlf_variants(mutants, CRLF_COUNT)
        verdicts = {m["id"]: known[_key(m)] for m in crlf if _key(m) in known}
        mutated = {
            m["id"]: (m["base"], apply(texts[m["base"]], m))
            for m in crlf
            if m["id"] not in verdicts
        }
        verdicts.update(judge(oracle, hub, scratch, mutated))
        for m in crlf:
            if m["id"] in verdicts:
                m["oracle"] = verdicts[m["id"]]
                mutants.append(m)
        pairs = draw_pairs([m for m in mutants if "transform" not in m], texts)
        known_pairs = _known_pair_verdicts()
        pair_verdicts = {}
        pair_texts = {}
        for n, (a, b) in enumerate(pairs):
            key = (a["base"], a["old"], a["new"], b["old"], b["new"])
            if key in known_pairs:
                pair_verdicts[f"r{n:04d}"] = known_pairs[key]
            else:
                text = texts[a["base"]].replace(a["old"], a["new"]).replace(b["old"], b["new"])
                pair_texts[f"r{n:04d}"] = (a["base"], text)
        print(f"{len(pairs)} pairs", file=sys.stderr)
        pair_verdicts.update(judge(oracle, hub, scratch, pair_texts))
    write_pairs(pairs, pair_verdicts)
    out = [{"id": m["id"], **{k: v for k, v in m.items() if k != "id"}} for m in mutants]
    target = HERE / "edit_mutants_3.json"
    target.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(out)} mutants written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
