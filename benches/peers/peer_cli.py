"""The command line the peers share: `FILE [--now RFC3339]` (default: the
fixtures' instant, 2026-01-01T00:00:00Z)."""

from __future__ import annotations

import argparse
import datetime as dt


def parse(argv: list[str]) -> tuple[argparse.Namespace, dt.datetime]:
    """The parsed arguments and `--now` as an aware datetime."""
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--now", default="2026-01-01T00:00:00Z")
    args = ap.parse_args(argv)
    return args, dt.datetime.fromisoformat(args.now.replace("Z", "+00:00"))
