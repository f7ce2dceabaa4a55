#!/usr/bin/env python3
"""Audit many copied home folders at once and write one CSV: per home and
context, until when a thief holding that disk can use it, whether it can be
revoked, and the findings of a policy over its kubeconfig.

    python examples/python/fleet.py /evidence/homes --out fleet.csv
    python examples/python/fleet.py laptop1/ laptop2/ --out - --workers 8 --now 2026-01-01T00:00:00Z
    python examples/python/fleet.py /evidence/homes --rbac snapshot.yaml --policy strict

A HOME is a folder with `.kube/config`; a folder without one stands for its
subfolders (one per copied home). The homes are audited in a thread pool:
kcred releases the GIL while it reads and decodes, so the threads run in
parallel. A home that cannot be read is a row with `error` set. Exit status 0;
2 when no home was given or found.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime as dt
import pathlib
import sys
from typing import Any, Optional

import kcred

COLUMNS = [
    "home", "context", "user", "cluster", "platform", "usable_until", "until_state",
    "irrevocable", "system_masters", "can_mint_credentials", "credentials", "findings",
    "worst_severity", "error",
]  # fmt: skip


def homes(roots: list[pathlib.Path]) -> list[pathlib.Path]:
    """Each root that is a home, else its subfolders (sorted)."""
    found: list[pathlib.Path] = []
    for root in roots:
        if (root / ".kube" / "config").is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(sorted(p for p in root.iterdir() if p.is_dir()))
    return found


def audit(home: pathlib.Path, now: Optional[dt.datetime], policy: kcred.Policy, rbac: list[str]) -> list[dict[str, Any]]:
    """The rows of one home: one per context (or one row with the error)."""
    try:
        report = kcred.exposure(home=home, now=now, rbac=rbac or None)
        inventory = kcred.load(home / ".kube" / "config", rbac=rbac or None)
    except kcred.KcredError as err:
        return [{"home": str(home), "error": str(err)}]
    findings = [f for f in kcred.check(inventory, policy, now=now) if not f.suppressed]
    minting = {c.user for c in inventory if c.privileges is not None and c.privileges.can_mint_credentials}
    rows = []
    for context in report.contexts:
        mine = [f for f in findings if f.location.context in (None, context.context)]
        mine = [f for f in mine if f.location.user in (None, context.user)]
        worst = kcred.worst_severity(mine)
        until = context.until
        at = until.at or until.at_least
        rows.append({
            "home": str(home),
            "context": context.context,
            "user": context.user,
            "cluster": context.cluster or "",
            "platform": context.platform,
            "usable_until": at.isoformat() if at else "",
            "until_state": until.state,
            "irrevocable": context.irrevocable,
            "system_masters": context.system_masters,
            "can_mint_credentials": context.user in minting if rbac else "",
            "credentials": len(context.credentials),
            "findings": len(mine),
            "worst_severity": worst or "",
            "error": "",
        })  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="+", type=pathlib.Path, help="homes, or folders of homes")
    parser.add_argument("--out", default="-", help="CSV file (default: standard output)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--policy", default="baseline", help="preset or policy file")
    parser.add_argument("--rbac", action="append", default=[], help="RBAC snapshot (repeatable)")
    parser.add_argument("--now", help="RFC 3339 instant (default: the clock)")
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else None
    found = homes(args.roots)
    if not found:
        print("fleet: no home folder found", file=sys.stderr)
        return 2
    policy = kcred.load_policy(args.policy)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        # map keeps the homes' order, whatever order they finish in.
        results = list(pool.map(lambda h: audit(h, now, policy, args.rbac), found))
    out = sys.stdout if args.out == "-" else open(args.out, "w", newline="")
    try:
        writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        for rows in results:
            writer.writerows(rows)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"fleet: {len(found)} homes, {sum(len(r) for r in results)} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
