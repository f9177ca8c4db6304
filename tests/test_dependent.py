"""A schema error hides only the checks that depend on the broken part, and says so.

Which errors Polyaxon reports here is held to its verdicts by tests/test_mutants.py; these tests
pin the related-information notes on the schema error and what stays checked next to it.
"""

from __future__ import annotations

import textwrap

from param_lsp.core.analyze import analyze
from param_lsp.core.findings import Finding


def _findings(text: str) -> list[Finding]:
    return analyze(textwrap.dedent(text)).findings


def _by_code(findings: list[Finding], code: str) -> Finding:
    return next(f for f in findings if f.code == code)


def test_broken_matrix_waives_only_the_inputs_it_may_provide() -> None:
    findings = _findings("""\
        kind: operation
        matrix:
          kind: random
          numRuns: -1
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
    assert sorted(f.code for f in findings) == ["PLX302", "PLX704"]  # no "lr is required"
    matrix_error = _by_code(findings, "PLX704")
    assert [r.message for r in matrix_error.related] == [
        "required input `lr` without a param: not checked until `matrix` is fixed "
        "(it may provide a value)"
    ]
    assert matrix_error.related[0].span.start.line == 1  # the `matrix` key


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
        "op `a` uses component `c1`; its params are not checked until the component is fixed"
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
