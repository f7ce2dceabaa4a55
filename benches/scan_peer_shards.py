#!/usr/bin/env python3
"""detect-secrets on the tree of benches/scan_peer.py in disjoint shards, resumable,
then scored as scan_peer.py scores it, beside one `kcred scan` run (issue 15).

detect-secrets takes about an hour of CPU on the 50,000-file tree here; shards let
the run be stopped and resumed (a finished shard is kept), and CPU seconds
(user + sys from /usr/bin/time -v, worker processes included) stay comparable on a
shared machine when wall times do not.

    python3 benches/scan_peer.py --runs 1          # makes /tmp/kcred-scan-peer
    python3 benches/scan_peer_shards.py            # shards into target/ds-shards, then the table
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import scan_peer  # noqa: E402


def time_v(path: pathlib.Path) -> dict[str, float]:
    text = path.read_text()
    field = lambda name: re.search(re.escape(name) + r": ([\d.:]+)", text).group(1)  # noqa: E731
    wall = sum(float(x) * 60**i for i, x in enumerate(reversed(field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"))))
    return {
        "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
        "wall": wall,
        "rss_mib": int(field("Maximum resident set size (kbytes)")) / 1024,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", type=pathlib.Path, default=pathlib.Path("/tmp/kcred-scan-peer"))
    ap.add_argument("--out", type=pathlib.Path, default=scan_peer.REPO / "target/ds-shards")
    ap.add_argument("--detect-secrets", default="detect-secrets")
    ap.add_argument("--kcred", default=str(scan_peer.REPO / "target/release/kcred"))
    ap.add_argument("--copies", type=int, default=10, help="as given to scan_peer.py")
    ap.add_argument("--per-shard", type=int, default=25, help="noise folders per shard")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    noise = sorted(p.name for p in args.tree.iterdir() if p.name.startswith("svc-"))
    shards = [noise[i : i + args.per_shard] for i in range(0, len(noise), args.per_shard)]
    shards.append(sorted(p.name for p in args.tree.iterdir() if p.name.startswith("team-")))
    reported, cpu, rss = set(), 0.0, 0.0
    for k, dirs in enumerate(shards):
        result, timing = args.out / f"shard-{k:02}.json", args.out / f"shard-{k:02}.time"
        if not result.exists():
            with open(result.with_suffix(".part"), "wb") as out:
                subprocess.run(["/usr/bin/time", "-v", "-o", timing, args.detect_secrets, "scan", "--all-files", *dirs],
                               cwd=args.tree, stdout=out, check=True)
            result.with_suffix(".part").rename(result)
            print(f"shard {k} of {len(shards)} done", file=sys.stderr)
        reported |= {os.path.normpath(n) for n in json.loads(result.read_text())["results"]}
        t = time_v(timing)
        cpu, rss = cpu + t["cpu"], max(rss, t["rss_mib"])
    truth = set().union(*(live for _f, _d, live in scan_peer.planted(args.copies)))
    run = subprocess.run(["/usr/bin/time", "-v", "-o", args.out / "kcred.time", args.kcred, "scan", ".",
                          "--format", "json", "--now", scan_peer.NOW], cwd=args.tree, capture_output=True)
    assert run.returncode in (0, 1), run.stderr.decode()[-2000:]
    found, k = scan_peer.kcred_reports(run.stdout, args.tree), time_v(args.out / "kcred.time")
    mb = sum(p.stat().st_size for p in args.tree.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    print("| tool | CPU s (user + sys) | MB per CPU s | peak RSS | true findings | false findings (files) |")
    print("|---|---|---|---|---|---|")
    for name, secs, peak, got in [
        (f"detect-secrets scan --all-files ({len(shards)} shards)", cpu, rss, reported),
        ("kcred scan", k["cpu"], k["rss_mib"], found),
    ]:
        print(f"| {name} | {secs:,.1f} | {mb / secs:,.2f} | {peak:.0f} MiB | {len(got & truth)} of {len(truth)} | {len(got - truth)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
