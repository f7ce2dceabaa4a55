#!/usr/bin/env python3
"""`kcred scan` beside `detect-secrets scan --all-files` on one generated tree
(issue 15: throughput in MB/s, true and false findings, same tree).

    python3 -m pip install detect-secrets          # the peer (PyPI)
    python3 benches/scan_peer.py                   # 50,000 files, >= 500 MiB, in /tmp
    python3 benches/scan_peer.py --files 2000 --mib 20 --runs 1   # a quick look

The tree is made from a fixed seed: realistic noise (source, manifests, lock
files full of sha512 integrity hashes, logs with request ids, docs with
placeholder passwords and the jwt.io example token, binary files) and, planted
in it, copies of kcred's scan fixtures (tests/data/scan/repo and loose, made by
their generators), whose expected findings say which files hold a usable
Kubernetes credential at the fixtures' instant (2026-01-01T00:00:00Z).

A tool's *true findings* are the planted files holding a live credential that
it reports; its *false findings* are the other files it reports. For kcred a
report is a KC501 finding (credential-in-repository); for detect-secrets any
result (it has no notion of liveness or of Kubernetes). kcred runs with
`--now` at the fixtures' instant; detect-secrets has no clock.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import shutil
import statistics
import subprocess
import sys
import time

REPO = pathlib.Path(__file__).resolve().parent.parent
NOW = "2026-01-01T00:00:00Z"
# (fixture folder, its expected-findings file): which files hold a live credential.
FIXTURES = [
    ("tests/data/scan/repo", "tests/data/scan/expected.json"),
    ("tests/data/scan/loose", "tests/data/scan/loose-expected.json"),
]
WORDS = (
    "request response handler config value index result error client server "
    "retry timeout buffer stream parse render update delete create list watch "
    "namespace pod deployment service ingress volume metrics logger context"
).split()


def live_files(expected: pathlib.Path) -> set[str]:
    findings = json.loads(expected.read_text())["findings"]
    return {file for file, _line, code in findings if code == "KC501"}


def source(rng: random.Random, size: int) -> str:
    lines = []
    while sum(map(len, lines)) < size:
        a, b, c = rng.sample(WORDS, 3)
        lines.append(f"    {a}_{b} = {c}({rng.randint(0, 9999)}, '{b}')  # {a} {c}\n")
    return "def main():\n" + "".join(lines)


def manifest(rng: random.Random, size: int) -> str:
    parts = []
    while sum(map(len, parts)) < size:
        name = "-".join(rng.sample(WORDS, 2))
        parts.append(
            f"---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n"
            f"spec:\n  replicas: {rng.randint(1, 5)}\n  template:\n    spec:\n"
            f"      containers:\n      - name: {name}\n        image: registry.example.com/{name}:{rng.randint(1, 99)}\n"
            f"        env:\n        - name: LOG_LEVEL\n          value: info\n"
        )
    return "".join(parts)


def lockfile(rng: random.Random, size: int) -> str:
    import base64

    entries = []
    while sum(map(len, entries)) < size:
        name = rng.choice(WORDS) + "-" + rng.choice(WORDS)
        digest = base64.b64encode(rng.randbytes(64)).decode()
        entries.append(
            f'    "node_modules/{name}": {{\n      "version": "{rng.randint(1, 9)}.{rng.randint(0, 20)}.0",\n'
            f'      "integrity": "sha512-{digest}"\n    }},\n'
        )
    return '{\n  "packages": {\n' + "".join(entries) + '    "": {}\n  }\n}\n'


def log(rng: random.Random, size: int) -> str:
    lines = []
    while sum(map(len, lines)) < size:
        rid = rng.randbytes(16).hex()
        lines.append(f"2026-01-01T00:{rng.randint(0, 59):02}:00Z INFO request_id={rid} status={rng.choice([200, 404, 500])}\n")
    return "".join(lines)


# The jwt.io example token (HS256, "John Doe"): a JWT that is no one's credential.
JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


def docs(rng: random.Random, size: int) -> str:
    text = (
        "# Setup\n\nSet `password: <your-password>` in values.yaml and export "
        "KUBE_TOKEN=<token> before running the job.\n\n```sh\ncurl -H 'Authorization: Bearer "
        f"{JWT_IO}' https://api.example.com/\n```\n\n"
    )
    while len(text) < size:
        text += " ".join(rng.choices(WORDS, k=12)) + ".\n"
    return text


def binary(rng: random.Random, size: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(size)


KINDS = [  # (weight, suffix, maker, size factor)
    (40, ".py", source, 1.0),
    (20, ".yaml", manifest, 0.5),
    (5, "-lock.json", lockfile, 3.0),
    (10, ".log", log, 3.0),
    (15, ".md", docs, 0.5),
    (10, ".png", binary, 1.0),
]


def planted(copies: int) -> list[tuple[str, str, set[str]]]:
    """Each planted copy: fixture folder, its place in the tree, its live files there."""
    return [
        (folder, dest, {f"{dest}/{f}" for f in live_files(REPO / expected)})
        for i in range(copies)
        for folder, expected in FIXTURES
        for dest in [f"team-{i:02}/{pathlib.Path(folder).name}"]
    ]


def make_tree(tree: pathlib.Path, files: int, mib: int, copies: int, seed: int) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    for folder, dest, _live in planted(copies):
        shutil.copytree(REPO / folder, tree / dest, symlinks=True)
    count = sum(1 for p in tree.rglob("*") if p.is_file())
    rng = random.Random(seed)
    weights = [k[0] for k in KINDS]
    mean = mib * 2**20 / max(files - count, 1)
    # A file's expected size is its kind's factor times `scale`: the mean comes out right.
    scale = mean * sum(weights) / sum(k[0] * k[3] for k in KINDS)
    for n in range(files - count):
        _w, suffix, maker, factor = rng.choices(KINDS, weights)[0]
        size = int(rng.uniform(0.2, 1.8) * factor * scale)
        path = tree / f"svc-{n % 500:03}" / f"{rng.choice(WORDS)}-{n}{suffix}"
        path.parent.mkdir(exist_ok=True)
        body = maker(rng, size)
        path.write_bytes(body if isinstance(body, bytes) else body.encode())


def timed(argv: list[str], cwd: pathlib.Path) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    start = time.perf_counter()
    out = subprocess.run(argv, cwd=cwd, capture_output=True)
    return time.perf_counter() - start, out


def kcred_reports(stdout: bytes, tree: pathlib.Path) -> set[str]:
    doc = json.loads(stdout)
    found = set()
    for f in doc["findings"]["findings"]:
        if f["code"] == "KC501":
            file = f["location"]["file"]
            found.add(os.path.relpath(file, tree) if os.path.isabs(file) else os.path.normpath(file))
    return found


def detect_secrets_reports(stdout: bytes) -> set[str]:
    return {os.path.normpath(name) for name in json.loads(stdout)["results"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=50_000)
    ap.add_argument("--mib", type=int, default=500)
    ap.add_argument("--copies", type=int, default=10, help="copies of each planted fixture folder")
    ap.add_argument("--tree", type=pathlib.Path, default=pathlib.Path("/tmp/kcred-scan-peer"))
    ap.add_argument("--kcred", default=str(REPO / "target/release/kcred"))
    ap.add_argument("--detect-secrets", default=shutil.which("detect-secrets") or "detect-secrets")
    ap.add_argument("--runs", type=int, default=3, help="kcred runs (median); detect-secrets runs once")
    ap.add_argument("--no-make", action="store_true", help="reuse the tree --tree holds (same arguments)")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()

    if not args.no_make:
        make_tree(args.tree, args.files, args.mib, args.copies, args.seed)
    truth = set().union(*(live for _f, _d, live in planted(args.copies)))
    regular = [p for p in args.tree.rglob("*") if p.is_file() and not p.is_symlink()]
    nfiles, nbytes = len(regular), sum(p.stat().st_size for p in regular)
    mib = nbytes / 2**20
    print(f"tree: {args.tree} — {nfiles:,} files, {mib:,.1f} MiB, {len(truth)} planted live credential files")
    rows = []
    times = []
    for _ in range(args.runs):
        secs, out = timed([os.path.abspath(args.kcred), "scan", ".", "--format", "json", "--now", NOW], args.tree)
        assert out.returncode in (0, 1), out.stderr.decode()[-2000:]
        times.append(secs)
    rows.append(("kcred scan", statistics.median(times), kcred_reports(out.stdout, args.tree)))
    peer = shutil.which(args.detect_secrets)
    if peer is None:
        print("detect-secrets: SKIPPED (not installed: python3 -m pip install detect-secrets)")
    else:
        secs, out = timed([os.path.abspath(peer), "scan", "--all-files", "."], args.tree)
        assert out.returncode == 0, out.stderr.decode()[-2000:]
        rows.append(("detect-secrets scan --all-files", secs, detect_secrets_reports(out.stdout)))
    load = open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"
    print(f"\n(load average {load} at the end; kcred: median of {args.runs})\n")
    print("| tool | wall | MB/s | true findings (of planted) | false findings (files) |")
    print("|---|---|---|---|---|")
    for name, secs, reported in rows:
        true = len(reported & truth)
        false = len(reported - truth)
        print(f"| {name} | {secs:.2f} s | {nbytes / 1e6 / secs:,.1f} | {true} of {len(truth)} | {false} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
