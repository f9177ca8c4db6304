"""A schema error hides only the checks that depend on the broken part, and says so.

Which errors Polyaxon reports here is held to its verdicts by tests/test_mutants.py; these tests
pin the related-information notes on the schema error and what stays checked next to it.
"""

from __future__ import annotations

import textwrap

from param_lsp.core.findings import Finding
from param_lsp.engine.analyze import analyze


def _findings(text: str) -> list[Finding]:
    return analyze(textwrap.dedent(text)).findings


def _by_code(findings: list[Finding], code: str) -> Finding:
    return next(f for f in findings if f.code == code)


def test_broken_matrix_waives_only_the_inputs_it_may_provide() -> None:
    findings = _findings("""\
        kind: operation
        matrix:
          kind: randomm
          numRuns: 5
          params:
            lr: {kind: choice, value: [1, 2]}
        params:
          epochs: {value: ten}
        component:
          inputs:
            - {name: lr, type: int}
            - {name: epochs, type: int}
          run: {kind: job, container: {image: busybox}}
        """)
    assert sorted(f.code for f in findings) == ["PLX302", "PLX701"]  # no "lr is required"
    matrix_error = _by_code(findings, "PLX701")
    assert [r.message for r in matrix_error.related] == [
        "required input `lr` without a param: not checked until `matrix` is fixed "
        "(it may provide a value)"
    ]
    assert matrix_error.related[0].span.start.line == 1  # the `matrix` key


def test_matrix_broken_elsewhere_still_provides_its_sound_hyper_parameters() -> None:
    # Polyaxon 2.18 rejects each error alone: `numRuns` and `lr` fail the schema, then "Param
    # `bs` has a an input type `str` and it does not correspond to hyper-param type `int or
    # float`." and "Input epochs is required, no param was passed.".
    findings = _findings("""\
        kind: operation
        matrix:
          kind: random
          numRuns: -1
          params:
            lr: {kind: choice, value: 5}
            bs: {kind: uniform, value: [0, 1]}
        component:
          inputs:
            - {name: lr, type: int}
            - {name: bs, type: str}
            - {name: epochs, type: int}
          run: {kind: job, container: {image: busybox}}
        """)
    assert sorted(f.code for f in findings) == ["PLX301", "PLX704", "PLX711", "PLX730"]
    assert _by_code(findings, "PLX730").span.start.line == 6  # `bs`
    assert "`epochs`" in _by_code(findings, "PLX301").message  # not provided by the matrix
    notes = [r.message for f in findings for r in f.related]
    assert (
        "required input `lr` without a param: not checked until `matrix` is fixed "
        "(it may provide a value)"
    ) in notes


def test_broken_dag_component_skips_only_the_ops_using_it() -> None:
    findings = _findings("""\
        kind: component
        run:
          kind: dag
          operations:
            - {name: a, dagRef: c1, params: {x: {value: 1}}}
            - {name: b, dagRef: c2, params: {path: {value: 5}}}
          components:
            - name: c1
              inputs: [{name: x, type: int, value: abc, isOptional: true}]
              run: {kind: job, container: {image: busybox}}
            - name: c2
              inputs: [{name: path, type: s3}]
              run: {kind: job, container: {image: busybox}}
        """)
    assert sorted(f.code for f in findings) == ["PLX202", "PLX302"]
    note = _by_code(findings, "PLX202").related
    assert [r.message for r in note] == [
        "op `a` uses component `c1`; its param `x` is not checked until its definition is fixed"
    ]
    assert note[0].span.start.line == 4  # op `a`'s name


def test_broken_input_definition_waits_for_its_param_only() -> None:
    findings = _findings("""\
        kind: operation
        params:
          lr: {value: 0.1}
          epochs: {value: ten}
        component:
          inputs:
            - {name: lr, type: float, value: abc, isOptional: true}
            - {name: epochs, type: int}
          run: {kind: job, container: {image: busybox}}
        """)
    assert sorted(f.code for f in findings) == ["PLX202", "PLX302"]
    note = _by_code(findings, "PLX202").related
    assert [r.message for r in note] == ["param `lr` is not checked until this definition is fixed"]


def test_params_that_are_not_a_mapping_skip_the_params_check_and_say_so() -> None:
    findings = _findings("""\
        kind: operation
        params: "..."
        component:
          inputs: [{name: lr, type: float}]
          run: {kind: job, container: {image: busybox}}
        """)
    assert [f.code for f in findings] == ["PLX111"]  # no "lr is required" beside it
    assert "params are not checked" in findings[0].related[-1].message


def test_a_run_with_a_schema_error_is_not_a_missing_run() -> None:
    findings = _findings("""\
        kind: operation
        component:
          run:
            kind: job
            init:
              - dockerfile: {image: bad image}
            container: {image: busybox}
        """)
    assert [f.code for f in findings] == ["PLX130"]


def test_run_patch_waits_for_a_broken_reference() -> None:
    # Polyaxon 2.18: "1 validation error for V1Operation hubRef Input should be a valid string".
    findings = _findings("""\
        kind: operation
        hubRef: [1]
        runPatch:
          foo: 1
        """)
    assert [f.code for f in findings] == ["PLX111"]  # neither "no run" nor a guessed patch check
    assert [r.message for r in findings[0].related] == [
        "`runPatch` is not checked until `hubRef` is fixed (it patches that component's run)"
    ]


def test_dag_component_broken_outside_its_io_keeps_its_ops_params_checked() -> None:
    # Polyaxon 2.18 rejects each error alone: "run.components.termination...maxRetries Input
    # should be a valid integer", "Could not parse value `ten` for `x`" and "Pipeline op with
    # name `b` requires a component with name `zz`, which is not defined on this pipeline."
    findings = _findings("""\
        kind: component
        run:
          kind: dag
          operations:
            - {name: a, dagRef: c1, params: {x: {value: ten}}}
            - {name: b, dagRef: zz, params: {y: {value: 1}}}
          components:
            - name: c1
              inputs: [{name: x, type: int}]
              termination: {maxRetries: abc}
              run: {kind: job, container: {image: busybox}}
        """)
    assert sorted(f.code for f in findings) == ["PLX111", "PLX302", "PLX505"]
    assert _by_code(findings, "PLX302").span.start.line == 4  # op `a`'s `x`
    assert _by_code(findings, "PLX111").related == ()  # it hides nothing
    # The unknown component hides the params of op `b`: a note over them says so.
    note = _by_code(findings, "PLX505").related
    assert [r.message for r in note] == [
        "the params of op `b` are not checked until it uses a component of this DAG (their "
        "types come from its inputs)"
    ]
    assert note[0].span.start.line == 5


def test_unknown_kinds_note_what_waits_for_them() -> None:
    # Polyaxon 2.18: "The Polyaxonfile with kind `operaton` is not a supported value." (it reads
    # nothing else); `tags` and the run are not judged.
    findings = _findings("""\
        kind: operaton
        tags: {a: 1}
        component:
          run: {kind: jobx, container: {image: busybox}}
        """)
    assert [f.code for f in findings] == ["PLX101"]
    assert [r.message for r in findings[0].related] == [
        "the sections' contents (params, references, the run) are not checked until `kind` is "
        "fixed (it says which schema applies)"
    ]
    findings = _findings("""\
        kind: component
        tags: {a: 1}
        run: {kind: jobx, container: {image: [busybox]}}
        """)
    assert sorted(f.code for f in findings) == ["PLX111", "PLX114"]  # `tags` is still checked
    assert [r.message for r in _by_code(findings, "PLX114").related] == [
        "the run's other fields are not checked until `kind` is fixed (it says which fields a "
        "run has)"
    ]
