#!/usr/bin/env python3
"""In-process timings of `kcred.exposure` and `kcred.scan` from Python, on the
benchmark corpus (benches/corpus/gen_corpus.py), for BENCHMARKS.md.

    python benches/python_reports.py [--corpus target/bench-corpus] [--runs 7] [--kcred target/release/kcred]

Needs `import kcred` (a venv with the wheel installed). One warm-up call each,
then the calls alternate (A B A B ...) so a busy machine slows them alike. With
--kcred, the same work as whole `kcred` processes is timed too, for reference.
Prints Markdown rows; measures only (no test decides on a timing)."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

import kcred

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
NOW_TEXT = "2026-01-01T00:00:00Z"


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path("target/bench-corpus"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--kcred", type=Path, help="a kcred binary to time the same work with")
    args = ap.parse_args()
    config = args.corpus / "users-2000.yaml"
    tree = args.corpus / "tree"
    home = Path(tempfile.mkdtemp(prefix="kcred-bench-home-"))  # no token caches
    cases: dict[str, Callable[[], object]] = {
        "`kcred.exposure(users-2000.yaml, home=EMPTY)` + `len(contexts)`": lambda: len(
            kcred.exposure(config, home=home, now=NOW).contexts
        ),
        "`kcred.scan(tree)` + `len(credentials)`": lambda: len(kcred.scan(tree, now=NOW).credentials),
    }
    if args.kcred:
        cli = str(args.kcred)
        exposure_argv = [cli, "exposure", "--kubeconfig", str(config), "--home", str(home), "--format", "json", "--now", NOW_TEXT]
        scan_argv = [cli, "scan", str(tree), "--format", "json", "--now", NOW_TEXT, "--exit-zero"]
        cases["`kcred exposure … --format json` (process)"] = lambda: subprocess.run(
            exposure_argv, stdout=subprocess.DEVNULL, check=True, env={"HOME": str(home)}
        )
        cases["`kcred scan … --format json` (process)"] = lambda: subprocess.run(
            scan_argv, stdout=subprocess.DEVNULL, check=True, env={"HOME": str(home)}
        )
    times: dict[str, list[float]] = {name: [] for name in cases}
    for call in cases.values():
        call()  # warm-up: page cache, lazy imports
    for _ in range(args.runs):
        for name, call in cases.items():
            times[name].append(timed(call))
    print("| call | median | min – max | runs |")
    print("|---|---|---|---|")
    for name, got in times.items():
        print(f"| {name} | {fmt(statistics.median(got))} | {fmt(min(got))} – {fmt(max(got))} | {len(got)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
