"""Full analysis time versus the bare YAML parse of the same text (the physical floor).

Usage: python -m benchmarks.analysis_speed [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import yaml

from benchmarks.generate import dag, operation
from param_lsp.engine.analyze import analyze


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    print(f"{'document':<28}{'lines':>7}{'parse ms':>10}{'analyse ms':>12}{'ratio':>8}")
    for label, text in [
        ("operation, 200 params", operation(200)),
        ("operation, 1,000 params", operation(1000)),
        ("DAG, 50 ops", dag(50)),
        ("DAG, 500 ops", dag(500)),
    ]:
        analyze(text)  # warm imports and caches
        parse = _median_ms(lambda text=text: yaml.compose(text, Loader=loader), args.repeat)
        full = _median_ms(lambda text=text: analyze(text), args.repeat)
        lines = text.count("\n")
        print(f"{label:<28}{lines:>7}{parse:>10.1f}{full:>12.1f}{full / parse:>8.2f}")


if __name__ == "__main__":
    main()
