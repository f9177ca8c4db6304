"""Schema and IO-definition rules, each case checked against Polyaxon 2.18's own verdict.

Cases live in tests/data/schema/*.yaml; oracle-verdicts.json holds what
`polyaxon_verdict.py` printed for each (stage "schema" = rejected by the schema step).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from param_lsp.core.context import CheckContext
from param_lsp.core.findings import Finding, Severity
from param_lsp.core.settings import Settings
from param_lsp.core.yaml_tree import YMap, parse_yaml
from param_lsp.engine.analyze import analyze
from param_lsp.rules.document import check_header
from param_lsp.rules.schema import check_schema

DATA = Path(__file__).parent / "data" / "schema"
ORACLE: dict[str, dict[str, object]] = json.loads(
    (DATA / "oracle-verdicts.json").read_text(encoding="utf-8")
)
CORPUS = Path(
    os.environ.get(
        "PARAM_LSP_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
    )
)


def run(text: str, version: str = "2.18") -> tuple[list[Finding], set[str]]:
    parsed = parse_yaml(text)
    assert isinstance(parsed.root, YMap), parsed.problems
    ctx = CheckContext(Settings.from_mapping({"targetVersion": version}))
    check_header(parsed.root, ctx)
    invalid = check_schema(parsed.root, ctx, where="file")
    return ctx.findings, invalid


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.ERROR]


@pytest.mark.parametrize("name", sorted(ORACLE))
def test_case_agrees_with_oracle(name: str) -> None:
    findings, _ = run((DATA / name).read_text(encoding="utf-8"))
    rejected_by_schema = ORACLE[name]["stage"] == "schema"
    if [f.code for f in findings] == ["PLX104"]:  # a v0 file: one notice, not checked
        assert rejected_by_schema
        return
    assert bool(errors(findings)) == rejected_by_schema, [f.message for f in findings]


# (file, code, (start line, start char, end line, end char), words in the message, invalid keys)
EXPECTED = [
    ("bad_name", "PLX115", (1, 6, 1, 24), ["every monday check", "name"], {"name"}),
    (
        "env_label_null",
        "PLX111",
        (7, 18, 7, 18),  # the rule's own position; the analysis moves it onto the key
        ["`run.environment.labels.annotations` must be a value other than null; got null"],
        None,
    ),
    (
        "io_validation_crash",
        "PLX202",
        (5, 9, 5, 12),
        ["`MSE` of input `loss` makes Polyaxon crash", "`validation` cannot be applied", "'<='"],
        None,
    ),
    ("run_kind_misspelt", "PLX117", (3, 2, 3, 6), ["`knid` looks like a misspelt `kind`"], {"run"}),
    ("bad_trigger", "PLX113", (2, 9, 2, 20), ["trigger", "all_succeeded", "all_success"], None),
    ("cmd_blank", "PLX118", (2, 25, 2, 29), ["`cmd[1]` must not be blank"], {"cmd"}),
    ("env_bool", "PLX118", (3, 9, 3, 13), ['`env.DEBUG` must be a string; quote it: "true"'], None),
    ("env_tolerations", "PLX111", (4, 17, 4, 25), ["`tolerations` expects a list."], {"run"}),
    ("hook_short_param", "PLX111", (5, 11, 5, 13), ["hooks[0].params.msg", "value"], None),
    ("init_two_sources", "PLX119", (4, 6, 6, 2), ["Only one of artifacts"], {"run"}),
    ("inline_component_error", "PLX110", (8, 6, 8, 13), ["default", "component.inputs[0]"], None),
    (
        "io_bad_default",
        "PLX202",
        (4, 11, 4, 14),
        ["Could not parse value `ten` for `epochs`"],
        None,
    ),
    (
        "io_unknown_type",
        "PLX202",
        (3, 10, 3, 17),
        ["type `integer`", "does not know", "Did you mean `int`?", "TypeAdapter[integer]"],
        None,
    ),
    (
        "io_unknown_type_str",
        "PLX202",
        (3, 10, 3, 16),
        ["type `string`", "Did you mean `str`?", "to `string`"],
        None,
    ),
    ("io_flag_str", "PLX203", (4, 12, 4, 16), ["IO type `str` cannot be a flag"], None),
    ("io_missing_name", "PLX112", (2, 4, 4, 0), ["inputs[0]", "`name`"], {"inputs"}),
    ("io_not_optional", "PLX201", (4, 4, 4, 9), ["IO `lr` is not optional", "`0.1`"], None),
    ("io_reserved", "PLX200", (2, 10, 2, 16), ["'globals', 'params', 'connections'"], None),
    ("kindless_unknown", "PLX110", (1, 0, 1, 8), ["contexts", "top level"], {"contexts"}),
    ("missing_build_hubref", "PLX112", (1, 0, 1, 5), ["build", "hubRef"], {"build"}),
    ("param_extra_key", "PLX110", (5, 4, 5, 8), ["init", "params.lr", "toInit"], {"params"}),
    ("param_ref_no_value", "PLX120", (4, 9, 4, 18), ["received `None` instead"], None),
    ("params_list", "PLX111", (2, 8, 2, 14), ["params", "valid dictionary"], {"params"}),
    (
        "resources_nvidia",
        "PLX118",
        (3, 2, 3, 16),
        ["`resources.nvidia.com/gpu` is spelled `gpu`"],
        None,
    ),
    ("run_no_kind", "PLX117", (1, 0, 1, 3), ["run.kind must be provided locally"], {"run"}),
    ("schedule_missing_cron", "PLX112", (2, 0, 2, 8), ["schedule", "`cron`"], None),
    ("sidecars_tpl", "PLX111", (3, 12, 3, 21), ["`sidecars` expects a list."], None),
    ("tags_int", "PLX111", (2, 7, 2, 8), ["tags[0]", "string", "integer 1"], {"tags"}),
    ("two_refs", "PLX116", (2, 0, 2, 7), ["At most one reference may be specified"], {"pathRef"}),
    ("unknown_container_key", "PLX110", (5, 4, 5, 10), ["comand", "V1Container", "command"], None),
    ("unknown_run_kind", "PLX114", (2, 8, 2, 12), ["Unsupported run.kind: 'jobs'.", "job"], None),
    ("volumes_not_list", "PLX111", (3, 11, 3, 12), ["`volumes` expects a list."], {"run"}),
    (
        "wrong_type_int",
        "PLX111",
        (2, 14, 2, 17),
        ["termination.maxRetries", "integer", 'the string `"3"`', "remove the quotes"],
        None,
    ),
]


@pytest.mark.parametrize(("name", "code", "span", "words", "invalid"), EXPECTED)
def test_finding_code_range_and_message(
    name: str,
    code: str,
    span: tuple[int, int, int, int],
    words: list[str],
    invalid: set[str] | None,
) -> None:
    assert ORACLE[f"{name}.yaml"]["stage"] == "schema"
    findings, invalid_keys = run((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    assert [f.code for f in findings] == [code], [f.message for f in findings]
    finding = findings[0]
    s = finding.span
    assert (s.start.line, s.start.character, s.end.line, s.end.character) == span
    for word in words:
        assert word in finding.full_text
    if invalid is not None:
        assert invalid_keys == invalid


def test_dag_items_report_every_error() -> None:
    assert ORACLE["dag_op_errors.yaml"]["stage"] == "schema"
    findings, invalid = run((DATA / "dag_op_errors.yaml").read_text(encoding="utf-8"))
    got = [(f.code, f.span.start.line, f.span.start.character) for f in findings]
    assert got == [("PLX111", 3, 15), ("PLX113", 7, 15), ("PLX110", 10, 6)]
    assert "run.operations[1]" in findings[2].message
    assert invalid == {"run"}


# ---- real corpus -------------------------------------------------------------------------


def _matrix_available() -> bool:
    try:
        from param_lsp.rules import matrix  # noqa: F401
    except ImportError:
        return False
    return True


def _corpus_rows() -> list[dict[str, object]]:
    path = CORPUS / "oracle-verdicts.jsonl"
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _check_file(path: Path) -> list[Finding] | None:
    parsed = parse_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(parsed.root, YMap) or parsed.problems:
        return None
    ctx = CheckContext(Settings.from_mapping({}))
    check_header(parsed.root, ctx)
    check_schema(parsed.root, ctx, where="file")
    return errors(ctx.findings)


@pytest.mark.skipif(not _corpus_rows(), reason=f"corpus not found at {CORPUS}")
def test_corpus_schema_stage_files_are_rejected() -> None:
    missed = []
    for row in _corpus_rows():
        if row["stage"] != "schema":
            continue
        loc = str(row["message"]).split("\n")[1:2]
        if loc and loc[0].startswith(("matrix", "joins")) and not _matrix_available():
            continue  # owned by the matrix/joins modules, not importable yet
        found = _check_file(CORPUS / str(row["file"]))
        if found is not None and not found:
            missed.append(row["file"])
    assert missed == []


@pytest.mark.skipif(not _corpus_rows(), reason=f"corpus not found at {CORPUS}")
def test_corpus_files_past_the_schema_have_no_schema_errors() -> None:
    false_errors = {}
    for row in _corpus_rows():
        if not (row["ok"] or row["stage"] in ("references", "compile", "params", "dag")):
            continue
        found = _check_file(CORPUS / str(row["file"]))
        if found:
            false_errors[row["file"]] = [f.message for f in found]
    assert false_errors == {}


@pytest.mark.parametrize(
    ("name", "key", "note"),
    [
        ("run_kind_switched", "operations", "is a field of the kind `dag`"),
        ("run_kind_switched_tfjob", "container", "of the kinds `job`, `service`, `notifier`, …"),
    ],
)
def test_a_key_of_another_run_kind_points_at_the_kind(name: str, key: str, note: str) -> None:
    """A run kind changed by hand leaves the old kind's fields behind: Polyaxon rejects them (or
    the `kind`) as extra; the error on each such key says which kind it belongs to, on `kind`."""
    findings, _ = run((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    assert ORACLE[f"{name}.yaml"]["stage"] == "schema"
    [finding] = errors(findings)
    assert (finding.code, finding.span.start.line) == ("PLX110", 4)
    assert f"`{key}`" in finding.message
    [related] = finding.related
    kind = name.removeprefix("run_kind_switched").strip("_") or "job"
    assert related.message.startswith(f"`kind` is `{kind}` here; `{key}` is a field")
    assert related.message.endswith(note)
    assert (related.span.start.line, related.span.start.character) == (3, 8)


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("sandbox_on_job", (3, 2)),
        ("sandbox_on_operation", (3, 2)),
        ("sandbox_false_on_job", None),
        ("sandbox_on_service", None),
        ("sandbox_in_dag_component", None),  # DAG ops are not compiled by `polyaxon check`
        ("ssh_on_job", (3, 2)),
        ("ssh_and_sandbox_on_dask", (4, 2)),  # `sandbox` is Polyaxon's first check
        ("ssh_off_sandbox_on_operation", None),  # the operation's `ssh: false` wins
        ("ssh_on_service", None),
    ],
)
def test_sandbox_needs_a_service_run(name: str, where: tuple[int, int] | None) -> None:
    """Polyaxon compiles the operation and refuses `plugins.sandbox` and `plugins.ssh` on any
    other run kind; the error names the plugin Polyaxon names."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    found = [(f.code, f.span.start.line, f.span.start.character) for f in errors(analysis.findings)]
    assert ORACLE[f"{name}.yaml"]["ok"] == (where is None)
    if where is None:
        assert found == []
    else:
        assert ORACLE[f"{name}.yaml"]["stage"] == "compile"
        assert found == [("PLX119", *where)]
        plugin = "sandbox" if "plugins.sandbox" in ORACLE[f"{name}.yaml"]["message"] else "ssh"
        assert f"`plugins.{plugin}` is only supported" in errors(analysis.findings)[0].message


@pytest.mark.parametrize(
    ("name", "line", "got"),
    [
        ("io_item_null", 6, "got null"),
        ("io_item_int", 7, "got the integer 3"),
        ("io_item_str", 7, "got the string `abc`"),
        ("io_item_list", 6, "got a list"),
    ],
)
def test_an_io_item_that_is_no_mapping_quotes_polyaxon(name: str, line: int, got: str) -> None:
    """A half-typed input/output item (`-` alone, a scalar, a list): the error is on the item and
    carries the message Polyaxon gives for it (a crash of its IO parser)."""
    oracle = ORACLE[f"{name}.yaml"]
    assert oracle["stage"] == "schema"
    findings, _ = run((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
    assert [(f.code, f.span.start.line) for f in findings] == [("PLX111", line)]
    assert got in findings[0].message
    assert findings[0].polyaxon == oracle["message"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("both_spellings_operation", [(4, 2, "max_retries", 3), (7, 4, "hub_ref", 6)]),
        ("both_spellings_param", [(3, 26, "to_env", 3)]),
        ("snake_spelling_alone", []),
    ],
)
def test_a_field_given_in_both_spellings(
    name: str, expected: list[tuple[int, int, str, int]]
) -> None:
    """A field's snake_case name is accepted alone, but next to its camelCase alias pydantic
    reads the alias and rejects the snake_case key as extra: an error on that key, with a note
    on the alias."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    assert ORACLE[f"{name}.yaml"]["ok"] == (not expected)
    for *_, key, _alias_line in expected:
        assert f"{key}\n  Extra inputs are not permitted" in str(ORACLE[f"{name}.yaml"]["message"])
    found = errors(analysis.findings)
    assert [(f.code, f.span.start.line, f.span.start.character) for f in found] == [
        ("PLX110", line, column) for line, column, _, _ in expected
    ]
    for finding, (_, _, key, alias_line) in zip(found, expected, strict=True):
        assert finding.message.startswith(f"`{key}` repeats")
        assert [r.span.start.line for r in finding.related] == [alias_line]


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("tensorboard_uuids_not_uuid", (5, 28)),
        ("tensorboard_uuids_comma_string", None),  # Polyaxon splits it
        ("tensorboard_uuids_comma_string_bad", (5, 27)),
        ("tensorboard_uuids_template_item", (5, 28)),  # an item is not a template
        ("tensorboard_uuids_template", None),
        ("tensorboard_uuids_int_item", (5, 62)),
    ],
)
def test_tensorboard_init_takes_run_uuids(name: str, where: tuple[int, int] | None) -> None:
    """A tensorboard init's `uuids` are run UUIDs: a list of them or a comma-separated string."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    found = [(f.code, f.span.start.line, f.span.start.character) for f in errors(analysis.findings)]
    assert ORACLE[f"{name}.yaml"]["ok"] == (where is None)
    assert found == ([] if where is None else [("PLX111", *where)])


@pytest.mark.parametrize(
    ("name", "note_line"), [("io_default_fails_validation", 6), ("io_validation_crash", 6)]
)
def test_a_default_the_validation_refuses_points_at_the_validation(
    name: str, note_line: int
) -> None:
    """A default that fails (or crashes) its input's `validation` is reported on the value,
    with a note on the `validation` it fails: editing either is the fix."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    assert not ORACLE[f"{name}.yaml"]["ok"]
    [finding] = errors(analysis.findings)
    assert finding.code == "PLX202"
    assert [(r.message, r.span.start.line) for r in finding.related] == [
        ("the `validation` it fails", note_line)
    ]


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("termination_probe_exec_extra", ("PLX110", 3, 17)),
        ("termination_probe_exec_ok", None),
        ("termination_probe_http_no_port", ("PLX112", 3, 10)),
        ("termination_probe_http_extra", ("PLX110", 3, 27)),
        ("termination_probe_http_snake_key", None),
        ("termination_pod_failure_policy_no_rules", ("PLX112", 3, 2)),
        ("termination_pod_failure_policy_rule_unchecked", None),  # only its own keys
        ("termination_pod_failure_policy_template", ("PLX111", 3, 20)),
        ("termination_pod_failure_policy_extra", ("PLX110", 3, 32)),
    ],
)
def test_termination_probe_and_pod_failure_policy_are_kubernetes_objects(
    name: str, where: tuple[str, int, int] | None
) -> None:
    """A culling probe's `exec`/`http` and `podFailurePolicy` are built with the Kubernetes
    client: its own keys only (either spelling), `http.port` and `rules` required, no
    template."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    found = [(f.code, f.span.start.line, f.span.start.character) for f in errors(analysis.findings)]
    assert ORACLE[f"{name}.yaml"]["ok"] == (where is None)
    assert found == ([] if where is None else [where])


_RUN = "kind: operation\nversion: 1.1\ncomponent:\n  run: {kind: job, container: {image: x}}\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # Each is rejected by Polyaxon 2.18 (pydantic: string_type, model_type, int_type,
        # bool_parsing, list_type); the message says how to write what it wants.
        (
            "name: yes",
            '`name` must be a string; got the boolean yes; quote it to keep it as text: `"yes"`.',
        ),
        (
            "tags: [train, 2024-01-01]",
            "`tags[1]` must be a string; got the date 2024-01-01; quote it to keep it as text: "
            '`"2024-01-01"`.',
        ),
        (
            "environment: [gpu]",
            "`environment` must be a mapping; got a list; write it as a mapping (`key: value` "
            "lines or `{key: value}`).",
        ),
        (
            'termination: {maxRetries: "3"}',
            "`termination.maxRetries` must be an integer or a `{{ ... }}` template; got the "
            'string `"3"`; remove the quotes: `3`.',
        ),
        (
            "termination: {maxRetries: three}",
            "`termination.maxRetries` must be an integer or a `{{ ... }}` template; got the "
            "string `three`; use a whole number.",
        ),
        (
            "cache: {disable: maybe}",
            "`cache.disable` must be a boolean or a `{{ ... }}` template; got the string "
            "`maybe`; use `true` or `false`.",
        ),
        (
            "dependencies: train",
            "`dependencies` must be a list of strings or a `{{ ... }}` template; got the string "
            "`train`; write it as a list (`- item` lines or `[a, b]`).",
        ),
    ],
)
def test_a_value_of_the_wrong_type_gets_the_way_to_write_it(line: str, message: str) -> None:
    found = [f for f in analyze(_RUN + line + "\n").findings if f.code == "PLX111"]
    assert [f.message for f in found] == [message]


@pytest.mark.parametrize(
    ("line", "replaced", "new_text"),
    [
        ("name: yes", "yes", '"yes"'),
        ("tags: [train, 2024-01-01]", "2024-01-01", '"2024-01-01"'),
        ('termination: {maxRetries: "3"}', '"3"', "3"),
    ],
)
def test_quoting_fixes_replace_exactly_the_value(line: str, replaced: str, new_text: str) -> None:
    text = _RUN + line + "\n"
    (finding,) = [f for f in analyze(text).findings if f.code == "PLX111"]
    (fix,) = finding.fixes
    start = text.index(line) + line.index(replaced)
    assert (fix.span.start.line, fix.span.start.character) == (4, line.index(replaced))
    assert (fix.span.end.line, fix.span.end.character) == (4, line.index(replaced) + len(replaced))
    assert fix.new_text == new_text and fix.safe
    fixed = text[:start] + new_text + text[start + len(replaced) :]
    assert [f for f in analyze(fixed).findings if f.code == "PLX111"] == []


def test_a_mapping_where_a_string_is_wanted_gets_no_edit() -> None:
    (finding,) = analyze(_RUN + "description: {a: 1}\n").findings
    assert finding.code == "PLX111" and finding.fixes == ()


_JOB = "kind: operation\nversion: 1.1\ncomponent:\n  run:\n"


@pytest.mark.parametrize(
    ("text", "code", "misspelt", "replacement"),
    [
        # Each rejected by Polyaxon 2.18 (extra_forbidden, "Unsupported run.kind", "Unexpected
        # section", V1Container's unexpected keyword); each fix is the only close name.
        (
            _JOB + "    kind: job\n    contaier: {image: busybox}\n",
            "PLX110",
            "contaier",
            "container",
        ),
        (_JOB + "    kind: servic\n", "PLX114", "servic", "service"),
        (
            _JOB + "    kind: job\n    container: {image: busybox, imagePullPolic: Always}\n",
            "PLX110",
            "imagePullPolic",
            "imagePullPolicy",
        ),
        ("kind: operation\nversion: 1.1\nrun_patch: {}\n", "PLX102", "run_patch", "runPatch"),
        ("kind: operation\nversion: 1.1\nparms: {}\n", "PLX102", "parms", "params"),
    ],
)
def test_a_misspelt_key_or_run_kind_gets_a_safe_replacement(
    text: str, code: str, misspelt: str, replacement: str
) -> None:
    (finding,) = [f for f in analyze(text).findings if f.code == code]
    (fix,) = finding.fixes
    assert fix.new_text == replacement and fix.safe
    line = text.split("\n")[fix.span.start.line]
    assert line[fix.span.start.character : fix.span.end.character] == misspelt
    fixed = text.replace(misspelt, replacement, 1)
    assert [f for f in analyze(fixed).findings if f.code == code] == []


def test_no_rename_onto_a_key_the_mapping_already_has() -> None:
    text = _JOB + "    kind: job\n    container: {image: busybox}\n    contaier: {image: x}\n"
    (finding,) = [f for f in analyze(text).findings if f.code == "PLX110"]
    assert "did you mean `container`?" in finding.message
    assert finding.fixes == ()


def test_a_misspelt_document_kind_gets_a_safe_replacement() -> None:
    # Polyaxon 2.18: "The Polyaxonfile with kind `operaton` is not a supported value."
    text = "kind: operaton\nversion: 1.1\ncomponent:\n  run: {kind: job, container: {image: x}}\n"
    (finding,) = analyze(text).findings
    assert finding.code == "PLX101"
    (fix,) = finding.fixes
    assert (fix.new_text, fix.safe) == ("operation", True)
    assert (fix.span.start.line, fix.span.start.character, fix.span.end.character) == (0, 6, 14)
    assert analyze(text.replace("operaton", "operation")).findings == []


@pytest.mark.parametrize(
    ("line", "misspelt", "replacement"),
    [
        # Rejected by Polyaxon 2.18: a union tag it does not know; not one of the literals.
        ('schedule: {kind: crn, cron: "0 0 * * *"}', "crn", "cron"),
        ("patchStrategy: replac", "replac", "replace"),
    ],
)
def test_a_misspelt_choice_gets_a_safe_replacement(
    line: str, misspelt: str, replacement: str
) -> None:
    text = _RUN + line + "\n"
    (finding,) = [f for f in analyze(text).findings if f.code == "PLX113"]
    assert finding.message.endswith(f"; did you mean `{replacement}`?")
    (fix,) = finding.fixes
    assert (fix.new_text, fix.safe) == (replacement, True)
    assert text.split("\n")[4][fix.span.start.character : fix.span.end.character] == misspelt
    assert analyze(text.replace(misspelt, replacement)).findings == []


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("shortcut_job_ports", (2, 0)),
        ("shortcut_job_ports_null", None),  # a null shortcut patches nothing
        ("shortcut_dag_container_null", (2, 0)),  # but `container: null` does
        ("shortcut_dag_env", (2, 0)),  # `env` patches the main container
        ("shortcut_dag_environment", None),
        ("shortcut_pt_ports", (2, 0)),  # a distributed run takes it on each replica
        ("shortcut_pt_container", None),
        ("shortcut_op_inline_ports", (3, 2)),
        ("shortcut_op_root_ports_no_run", None),  # `ports` then creates a service
    ],
)
def test_a_root_shortcut_patches_a_field_the_run_kind_has(
    name: str, where: tuple[int, int] | None
) -> None:
    """Root shortcuts patch the compiled run like a `runPatch` of its kind: `ports` only on a
    service, the main container not on a DAG (PLX118, on the shortcut's key)."""
    path = DATA / f"{name}.yaml"
    analysis = analyze(path.read_text(encoding="utf-8"), path, Settings(root=str(DATA)))
    found = [(f.code, f.span.start.line, f.span.start.character) for f in errors(analysis.findings)]
    assert ORACLE[f"{name}.yaml"]["ok"] == (where is None)
    if where is not None:
        assert ORACLE[f"{name}.yaml"]["stage"] == "compile"
    assert found == ([] if where is None else [("PLX118", *where)])
