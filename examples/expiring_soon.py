#!/usr/bin/env python3
"""List every credential that expires in the next N days (default 7) across all
my kubeconfigs, soonest first; already-expired ones are listed after them.

    python examples/expiring_soon.py                      # $KUBECONFIG or ~/.kube/config
    python examples/expiring_soon.py ~/.kube/*.yaml --days 14
    python examples/expiring_soon.py cfg1 cfg2 --now 2026-01-01T00:00:00Z

Each file is loaded on its own (not merged), so two files that both name a user
"admin" report both. Exit status 0; 2 when no file can be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import kcred


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kubeconfigs", nargs="*", help="files (default: KUBECONFIG or ~/.kube/config)")
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--now", help="RFC 3339 instant (default: the clock)")
    args = parser.parse_args(argv)
    now = dt.datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else None
    window = dt.timedelta(days=args.days)

    paths = args.kubeconfigs or [p for p in kcred.default_paths() if p.exists()]
    soon: list[tuple[dt.timedelta, kcred.Credential]] = []
    expired: list[tuple[dt.timedelta, kcred.Credential]] = []
    read = 0
    for path in paths:
        try:
            inventory = kcred.load(path)
        except kcred.KcredError as err:
            print(f"skipped: {err}", file=sys.stderr)
            continue
        read += 1
        for cred in inventory:
            left = cred.remaining(now)
            status = cred.status(now)
            if left is None:
                continue  # exec plugins, opaque tokens: no end in the file
            if status is kcred.Status.EXPIRED:
                expired.append((left, cred))
            elif status is kcred.Status.VALID and left <= window:
                soon.append((left, cred))
    if read == 0:
        print("no kubeconfig could be read", file=sys.stderr)
        return 2

    print(f"Expiring within {args.days:g} days: {len(soon)}")
    for left, cred in sorted(soon, key=lambda item: item[0]):
        print(f"  {cred.not_after:%Y-%m-%d %H:%M}Z  in {left}  {cred.kind}  {cred.user}  ({cred.location})")
    if expired:
        print(f"Already expired: {len(expired)}")
        for left, cred in sorted(expired, key=lambda item: item[0], reverse=True):
            print(f"  {cred.not_after:%Y-%m-%d %H:%M}Z  {-left} ago  {cred.kind}  {cred.user}  ({cred.location})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
