#!/usr/bin/env python3
"""Extract the facts param-lsp checks against from a snapshot of Polyaxon's public hub.

Usage: python scripts/extract_hub.py HUB_DIR [OUT]   (OUT: param_lsp/data/public_hub.json)

HUB_DIR holds the hub's component files as `NAME/TAG.yaml` (`hubRef: NAME[:TAG]`, TAG defaults
to `latest`). For every component file it keeps only what a check needs: the component's name and
tags, its run kind (what a `runPatch` is validated against), and each input/output's name, type,
optional/list/flag flags, default value, options, validation and delayValidation. Descriptions,
run contents and everything else are left out. Files that are not components (an operation
stored in the hub) are skipped. The output is deterministic (sorted keys, fixed layout), so
regenerating from the same snapshot gives the same file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ATTRIBUTION = (
    "Facts extracted from the component files of Polyaxon's public hub (repository "
    "polyaxon/polyaxon, folder hub/, commit 51b052da9e7331119cba317daca9f5719243febb), "
    "Copyright Polyaxon, Inc., licensed under the Apache License 2.0 "
    "(https://www.apache.org/licenses/LICENSE-2.0). Only names, tags, run kinds and "
    "input/output definitions are kept; descriptions and run contents are not."
)
IO_KEYS = (
    "name", "type", "isOptional", "isList", "isFlag", "value", "options", "validation",
    "delayValidation",
)  # fmt: skip


def _io(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in IO_KEYS if key in entry}


def extract(hub_dir: Path) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    for path in sorted(hub_dir.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != "component":
            continue
        run = data.get("run") if isinstance(data.get("run"), dict) else {}
        fact: dict[str, Any] = {"name": data.get("name"), "runKind": run.get("kind")}
        if data.get("tags"):
            fact["tags"] = list(data["tags"])
        for section in ("inputs", "outputs"):
            if data.get(section):
                fact[section] = [_io(entry) for entry in data[section]]
        components.setdefault(path.parent.name, {})[path.stem] = fact
    return {"attribution": ATTRIBUTION, "license": "Apache-2.0", "components": components}


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = (
        Path(argv[1])
        if len(argv) > 1
        else Path(__file__).resolve().parent.parent / ("param_lsp/data/public_hub.json")
    )
    facts = extract(Path(argv[0]))
    out.write_text(json.dumps(facts, indent=1, sort_keys=True, default=str) + "\n", "utf-8")
    count = sum(len(tags) for tags in facts["components"].values())
    print(f"{out}: {len(facts['components'])} components, {count} tags")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
