#!/usr/bin/env python3
"""Fail a CI job if any kubeconfig in this repository holds a credential valid for
longer than a maximum lifetime (default 24 hours).

    python examples/ci_max_lifetime.py                    # scan the current folder
    python examples/ci_max_lifetime.py deploy/ --max-hours 1 --now 2026-01-01T00:00:00Z

A file counts as a kubeconfig when kcred finds a user or cluster in it. A
credential breaks the rule when its lifetime (not_after - not_before) is longer
than the maximum, when it never expires, or, with no start date, when it is
still valid for longer than the maximum. Credentials whose end is not in the
file (exec plugins, opaque tokens, basic auth) are listed as notes, and fail
the job only with --fail-on-unknown. Exit status: 0 clean, 1 violations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys

import kcred

SKIP_DIRS = {".git", ".venv", "node_modules", "target", "__pycache__"}
PATTERNS = ("*.yaml", "*.yml", "*.json", "*kubeconfig*", "config")


def candidates(root: pathlib.Path) -> list[pathlib.Path]:
    found: set[pathlib.Path] = set()
    for pattern in PATTERNS:
        for path in root.rglob(pattern):
            if path.is_file() and not SKIP_DIRS.intersection(path.relative_to(root).parts):
                found.add(path)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=pathlib.Path)
    parser.add_argument("--max-hours", type=float, default=24.0)
    parser.add_argument("--now", help="RFC 3339 instant (default: the clock)")
    parser.add_argument("--fail-on-unknown", action="store_true")
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else None
    limit = dt.timedelta(hours=args.max_hours)

    violations: list[str] = []
    unknown: list[str] = []
    for path in candidates(args.root):
        try:
            inventory = kcred.load(path)
        except kcred.KcredError:
            continue
        if not inventory.credentials and not inventory.clusters:
            continue  # not a kubeconfig
        for cred in inventory:
            where = f"{cred.location}: {cred.kind} of user {cred.user}"
            status = cred.status(now)
            if status is kcred.Status.EXPIRED:
                continue  # no longer a risk
            if cred.never_expires:
                violations.append(f"{where} never expires")
            elif cred.lifetime is not None and cred.lifetime > limit:
                violations.append(f"{where} is valid for {cred.lifetime} (max {limit})")
            elif cred.lifetime is None and (left := cred.remaining(now)) is not None and left > limit:
                violations.append(f"{where} is still valid for {left} (max {limit})")
            elif status is kcred.Status.UNKNOWN:
                unknown.append(f"{where}: lifetime not stated in the file")

    for line in violations:
        print(f"error: {line}")
    for line in unknown:
        print(f"note: {line}")
    failed = bool(violations) or (args.fail_on_unknown and bool(unknown))
    print(f"{len(violations)} credential(s) over {limit}, {len(unknown)} of unknown lifetime")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
