"""Realistic generated polyaxonfiles for benchmarks: big operations, DAGs, component workspaces."""

from __future__ import annotations

from pathlib import Path

TYPES = [("float", "0.5"), ("int", "3"), ("str", "adam"), ("bool", "true"), ("path", "/data/x")]


def operation(n_inputs: int) -> str:
    """One operation with an inline component of ``n_inputs`` typed inputs, all given params.

    About five lines per input/param pair: 1,000 inputs ≈ 5,000 lines.
    """
    lines = ["version: 1.1", "kind: operation", "name: big-operation", "params:"]
    for i in range(n_inputs):
        io_type, value = TYPES[i % len(TYPES)]
        if i % 3 == 0:
            lines += [f"  param_{i}:", f"    value: {value}", f"    toEnv: PARAM_{i}"]
        elif i % 3 == 1:
            lines += [f"  param_{i}: {value}"]
        else:
            lines += [f"  param_{i}:", f"    value: '{{{{ globals.uuid }}}}-{i}'"]
    lines += ["component:", "  name: big-component", "  inputs:"]
    for i in range(n_inputs):
        io_type, _ = TYPES[i % len(TYPES)]
        lines += [f"    - name: param_{i}", f"      type: {io_type}"]
        if io_type in ("float", "int") and i % 2:
            lines += ["      validation: {ge: 0}"]
    lines += [
        "  outputs:",
        "    - {name: loss, type: float}",
        "  run:",
        "    kind: job",
        "    container:",
        "      image: python:3.11",
        "      command: [python, train.py]",
        "      args: ['--lr={{ param_0 }}', '--epochs={{ param_1 }}']",
    ]
    return "\n".join(lines) + "\n"


def operation_lines(lines: int) -> str:
    """An :func:`operation` of about ``lines`` lines (never fewer)."""
    n_inputs = max(1, lines * 1000 // 4216)
    text = operation(n_inputs)
    while text.count("\n") < lines:
        n_inputs += max(1, (lines - text.count("\n")) // 5)
        text = operation(n_inputs)
    return text


def dag(n_ops: int) -> str:
    """A DAG of ``n_ops`` operations with a shared inline component and typed `ops.` refs.

    Ten lines per operation: 500 operations ≈ 5,000 lines.
    """
    lines = [
        "version: 1.1",
        "kind: operation",
        "name: big-dag",
        "component:",
        "  inputs:",
        "    - {name: source, type: str}",
        "  run:",
        "    kind: dag",
        "    components:",
        "      - name: step",
        "        inputs:",
        "          - {name: data, type: str}",
        "          - {name: lr, type: float, value: 0.1}",
        "        outputs:",
        "          - {name: result, type: str}",
        "          - {name: score, type: float}",
        "        run: {kind: job, container: {image: python:3.11, command: [python, step.py]}}",
        "    operations:",
    ]
    for i in range(n_ops):
        lines += [f"      - name: op-{i}", "        dagRef: step", "        params:"]
        if i == 0:
            lines += ["          data: {ref: dag, value: inputs.source}"]
        elif i % 50 == 0:  # block style too (the completion/hover probe `ref: ops.`)
            lines += [
                "          data:",
                f"            ref: ops.op-{i - 1}",
                "            value: outputs.result",
            ]
        else:
            lines += [f"          data: {{ref: ops.op-{i - 1}, value: outputs.result}}"]
        lines += [
            f"          lr: {{value: {0.1 + i / 10000:.4f}}}",
            "        termination:",
            "          maxRetries: 2",
            "        tags: [chain]",
            "        queue: default",
            f"        description: step {i} of the chain",
        ]
    lines += ["params:", "  source: {value: s3://bucket/data}"]
    return "\n".join(lines) + "\n"


def workspace(folder: Path, n_components: int = 300) -> list[Path]:
    """``n_components`` component files plus one operation file per component using pathRef."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "components").mkdir(exist_ok=True)
    operations = []
    for i in range(n_components):
        (folder / "components" / f"c{i}.yaml").write_text(
            "kind: component\n"
            f"name: c{i}\n"
            "inputs:\n  - {name: lr, type: float}\n  - {name: epochs, type: int, value: 3}\n"
            "outputs:\n  - {name: loss, type: float}\n"
            "run: {kind: job, container: {image: python:3.11}}\n"
        )
        op = folder / f"op{i}.yaml"
        op.write_text(f"kind: operation\nparams:\n  lr: 0.{i}\npathRef: components/c{i}.yaml\n")
        operations.append(op)
    return operations
