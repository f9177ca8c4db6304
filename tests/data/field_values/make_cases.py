#!/usr/bin/env python3
"""Build `cases.json`: schedule date-times and durations, docker images and dockerfile fields
judged by Polyaxon.

    /work/oracle-venv/bin/python tests/data/field_values/make_cases.py \
        ../shared/tools/polyaxon_verdict.py

Every value is put into one small operation (TEMPLATES below) and the whole batch is judged by
the oracle in one run; `ok` is Polyaxon 2.18.0's verdict on that file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

TEMPLATES = {
    "frequency": (
        "kind: operation\nschedule:\n  kind: interval\n  frequency: {value}\n"
        "component:\n  run: {{kind: job, container: {{image: busybox}}}}\n"
    ),
    "startAt": (
        "kind: operation\nschedule:\n  kind: cron\n  cron: '0 0 * * *'\n  startAt: {value}\n"
        "component:\n  run: {{kind: job, container: {{image: busybox}}}}\n"
    ),
    "datetime.startAt": (
        "kind: operation\nschedule:\n  kind: datetime\n  startAt: {value}\n"
        "component:\n  run: {{kind: job, container: {{image: busybox}}}}\n"
    ),
    "image": (
        "kind: component\nrun:\n  kind: job\n  init:\n  - dockerfile: {{image: {value}}}\n"
        "  container: {{image: busybox}}\n"
    ),
    "dockerfile": (
        "kind: component\nrun:\n  kind: job\n  init:\n  - dockerfile: {{image: test, {value}}}\n"
        "  container: {{image: busybox}}\n"
    ),
}
VALUES = {
    "frequency": [
        "120", "1.5", "'120'", "1h", "abc", "'01:00:00'", "'1:00:00'", "'10:00'", "'1:00'",
        "PT1H", "P1D", "P1DT2H30M", "'1 day'", "'2 days, 01:00:00'", "1d", "'-01:00:00'",
        "true", "null", "''", "P", "'{{ every }}'", "[1]", "'24:00:00'", "'3 days'", "P1W",
    ],
    "startAt": [
        "2019-06-24T21:20:07+00:00", "'2019-06-24T21:20:07+00:00'", "2019-06-24",
        "'2019-06-24'", "'2019-06-24 21:20'", "'2019-06-24T21:20:07Z'", "tomorrow",
        "'2019-13-01'", "'2019-06-24T25:00'", "1561411207", "'1561411207'", "1.5", "true",
        "'2019-6-24'", "'2019-06-24T21:20:07.123456789'", "'2019-06-24T21:20+0100'",
        "'{{ start }}'", "'2019-02-29'", "'2020-02-29'", "'20190624'", "'2019-06-24t21:20'",
    ],
    "datetime.startAt": ["'2019-06-24 21:20'", "soon", "'{{ when }}'"],
    "image": [
        "test", "'python:3.11'", "'bad image'", "'a:b:c:d'", "'host:5000/org/img:1'",
        "'host:5000:img'", "'https://host/img:1'", "'{{ image }}'", "''", "'org/img'",
        "'a:b:c'", "'host:/x:1'", "5", "'localhost:5000/img'",
    ],
    "dockerfile": [
        "env: [1]", "env: [[a, b]]", "'env': {a: 1}", "env: x", "env: [a]", "copy: [a, [b, c]]",
        "copy: [1]", "copy: a", "postRunCopy: [[a, 1]]", "env: [[a, b, c]]", "copy: '{{ c }}'",
    ],
}  # fmt: skip


def main(argv: list[str]) -> int:
    oracle = argv[0]
    with tempfile.TemporaryDirectory() as tmp:
        files: dict[str, tuple[str, str]] = {}
        for field, values in VALUES.items():
            for index, value in enumerate(values):
                name = f"{field}-{index}.yaml"
                (Path(tmp) / name).write_text(
                    TEMPLATES[field].format(value=value), encoding="utf-8"
                )
                files[name] = (field, value)
        out = subprocess.run(
            [sys.executable, oracle, *sorted(files)], cwd=tmp, capture_output=True, text=True
        ).stdout
    cases = []
    for line in out.splitlines():
        row = json.loads(line)
        field, value = files[Path(row["file"]).name]
        cases.append({"field": field, "value": value, "ok": row["ok"],
                      "message": (row["message"] or "")[:300]})  # fmt: skip
    cases.sort(key=lambda c: (c["field"], VALUES[c["field"]].index(c["value"])))
    target = Path(__file__).with_name("cases.json")
    target.write_text(json.dumps({"templates": TEMPLATES, "cases": cases}, indent=1) + "\n")
    print(f"{len(cases)} cases, {sum(not c['ok'] for c in cases)} rejected")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
