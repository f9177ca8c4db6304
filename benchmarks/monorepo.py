"""Generated monorepo workspaces: N polyaxonfiles of realistic size using shared components.

`generate(folder, n_files)` writes ``components/c{k}.yaml`` (50 shared components) and
``teams/t{a}/p{b}/`` folders of operations (single `pathRef` operations and DAGs whose ops use
`pathRef`s), 41–285 lines each, median about 70. It returns what was written, including how
many sites name each component's input ``lr`` (its declaration, its templates, every param
key), counted by the generator itself: a complete find-references answers exactly that many.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

N_COMPONENTS = 50

COMPONENT = """\
version: 1.1
kind: component
name: c{k}
description: shared training step {k}
tags: [shared, team-{team}]
inputs:
  - name: lr
    type: float
    value: 0.01
    isOptional: true
  - name: epochs
    type: int
    value: 3
    isOptional: true
  - {{name: data, type: str, value: s3://bucket/default, isOptional: true}}
  - {{name: batch, type: int, value: 32, isOptional: true}}
outputs:
  - {{name: loss, type: float}}
  - {{name: model, type: str}}
run:
  kind: job
  container:
    image: python:3.11
    command: [python, train.py]
    args: ["--lr={{{{ lr }}}}", "--epochs={{{{ epochs }}}}", "--data={{{{ data }}}}"]
    resources:
      requests: {{cpu: "1", memory: 2Gi}}
"""
#: Sites naming `lr` in one component file: the declaration and one template.
COMPONENT_LR_SITES = 2


def _environment(rng: random.Random, indent: str) -> list[str]:
    lines = [f"{indent}environment:", f"{indent}  nodeSelector:", f"{indent}    pool: gpu"]
    lines += [f"{indent}  labels:"]
    for i in range(rng.randint(1, 4)):
        lines.append(f"{indent}    label{i}: value{i}")
    return lines


def _operation(rng: random.Random, name: str, component: int, rel: str) -> tuple[list[str], bool]:
    """A single operation; True when it sets `lr`."""
    lines = [
        "version: 1.1",
        "kind: operation",
        f"name: {name}",
        f"description: run {name} of the team's experiments",
        f"tags: [exp, c{component}]",
        "params:",
    ]
    uses_lr = rng.random() < 0.9
    if uses_lr:
        lines.append(f"  lr: {{value: 0.{rng.randint(1, 999):03d}}}")
    lines.append(f"  epochs: {{value: {rng.randint(1, 50)}}}")
    lines.append(f"  data: {{value: s3://bucket/{name}}}")
    if rng.random() < 0.5:
        lines.append(f"  batch: {{value: {rng.choice([16, 32, 64])}}}")
    lines += [
        "termination:",
        f"  maxRetries: {rng.randint(0, 3)}",
        "  timeout: 3600",
        "queue: agent/default",
    ]
    lines += _environment(rng, "")
    lines += ["plugins:", "  auth: true", "  collectLogs: true", "  collectArtifacts: true"]
    lines += [f"pathRef: {rel}"]
    target = 41 + int(rng.triangular(0, 120, 10))
    while len(lines) < target:
        lines.append(f"# note {len(lines)}: tuned by the experiment tracker")
    return lines, uses_lr


@dataclass
class Generated:
    root: Path
    files: list[Path] = field(default_factory=list)
    components: list[Path] = field(default_factory=list)
    #: component index → number of sites naming its input `lr` across the workspace.
    lr_sites: dict[int, int] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)


def generate(folder: Path, n_files: int, seed: int = 20) -> Generated:
    rng = random.Random(seed)
    out = Generated(folder)
    comp_dir = folder / "components"
    comp_dir.mkdir(parents=True, exist_ok=True)
    for k in range(N_COMPONENTS):
        path = comp_dir / f"c{k}.yaml"
        text = COMPONENT.format(k=k, team=k % 7)
        path.write_text(text)
        out.components.append(path)
        out.files.append(path)
        out.lines.append(text.count("\n"))
        out.lr_sites[k] = COMPONENT_LR_SITES
    n_ops = max(0, n_files - N_COMPONENTS)
    for number in range(n_ops):
        team, project = number % 20, (number // 20) % 25
        sub = folder / "teams" / f"t{team}" / f"p{project}"
        sub.mkdir(parents=True, exist_ok=True)
        rel = "../../../components"
        # Each shared component is used by about 1/50 of the files (200 in 10,000).
        component = rng.randrange(N_COMPONENTS)
        if rng.random() < 0.2:
            lines = _dag(rng, f"dag-{number}", rel, out)
        else:
            lines, uses_lr = _operation(rng, f"op-{number}", component, f"{rel}/c{component}.yaml")
            out.lr_sites[component] += int(uses_lr)
        path = sub / f"f{number}.yaml"
        path.write_text("\n".join(lines) + "\n")
        out.files.append(path)
        out.lines.append(len(lines))
    return out


def _dag(rng: random.Random, name: str, rel: str, out: Generated) -> list[str]:
    lines = [
        "version: 1.1",
        "kind: operation",
        f"name: {name}",
        "description: a pipeline of shared steps",
        "params:",
        "  source: {value: s3://bucket/raw}",
        "component:",
        "  inputs:",
        "    - {name: source, type: str}",
        "  run:",
        "    kind: dag",
        "    operations:",
    ]
    n_ops = 4 + min(30, int(rng.expovariate(1 / 6)))
    previous = None
    for i in range(n_ops):
        component = rng.randrange(N_COMPONENTS)
        lines += [
            f"      - name: step-{i}",
            f"        pathRef: {rel}/c{component}.yaml",
            "        params:",
            f"          lr: {{value: 0.{rng.randint(1, 999):03d}}}",
        ]
        out.lr_sites[component] += 1
        if previous is None:
            lines.append("          data: {ref: dag, value: inputs.source}")
        else:
            lines.append(f"          data: {{ref: ops.{previous}, value: outputs.model}}")
        lines += [
            f"          epochs: {{value: {rng.randint(1, 20)}}}",
            "        termination: {maxRetries: 1}",
        ]
        if previous is not None:
            lines.append(f"        dependencies: [{previous}]")
        previous = f"step-{i}"
    return lines


def main() -> None:
    import argparse
    import statistics

    parser = argparse.ArgumentParser(prog="python -m benchmarks.monorepo")
    parser.add_argument("folder", type=Path)
    parser.add_argument("files", type=int)
    args = parser.parse_args()
    made = generate(args.folder, args.files)
    print(
        f"{len(made.files)} files, lines {min(made.lines)}–{max(made.lines)} "
        f"(median {statistics.median(made.lines)}); `lr` sites of c0: {made.lr_sites[0]}"
    )


if __name__ == "__main__":
    main()
