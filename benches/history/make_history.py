#!/usr/bin/env python3
"""Makes a git repository with a long history for `kcred scan --history` timing.

    python3 benches/history/make_history.py target/bench-history [--commits 5000]

Deterministic (seeded; fixed dates): a tree of 600 text files in 60 folders
(YAML, Go, Markdown, shell; 1-12 KiB each), then one commit per step editing
1-3 files, with planted credentials from tests/data/scan/loose: a service-account
token committed at step 1,000 and deleted at step 1,200, the same token copied to
a second path at step 3,000, a CI script with tokens at step 4,500 (kept). Built
with `git fast-import` (fast, no work tree), then `git gc` packs it as a real
clone would be. Needs git; prints the repository's size.
"""
import argparse
import pathlib
import random
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
LOOSE = ROOT / "tests" / "data" / "scan" / "loose"
WORDS = ("replicas image name namespace labels selector port target value config "
         "service deploy return func error nil string int map append range if else").split()
EXT = ["yaml", "go", "md", "sh"]


def text(rng, size, ext):
    lines = []
    n = 0
    while n < size:
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
        line = {"yaml": f"  {words.replace(' ', '_')}: {rng.randint(0, 9999)}",
                "go": f"\t{words}()", "md": words.capitalize() + ".", "sh": f"echo {words}"}[ext]
        lines.append(line)
        n += len(line) + 1
    return ("\n".join(lines) + "\n").encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("repo")
    ap.add_argument("--commits", type=int, default=5000)
    args = ap.parse_args()
    repo = pathlib.Path(args.repo)
    if (repo / ".git").exists():
        print(f"{repo} exists: reusing it")
        return
    repo.mkdir(parents=True, exist_ok=True)
    git = lambda *a, **k: subprocess.run(["git", *a], cwd=repo, check=True, **k)
    git("init", "-q", "-b", "main")
    rng = random.Random(15)
    files = [f"pkg{d:02}/file{i:02}.{EXT[(d + i) % 4]}" for d in range(60) for i in range(10)]
    token = (LOOSE / "deploy" / "sa.token").read_bytes()
    script = (LOOSE / "ci" / "deploy.sh").read_bytes()
    out = []
    mark = 0

    def blob(data):
        nonlocal mark
        mark += 1
        out.append(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n")
        return mark

    prev = None
    for step in range(args.commits):
        changes = []
        if step == 0:
            for f in files:
                changes.append(("M", f, blob(text(rng, rng.randint(1024, 12288), f.rsplit(".", 1)[1]))))
        else:
            for f in rng.sample(files, rng.randint(1, 3)):
                changes.append(("M", f, blob(text(rng, rng.randint(1024, 12288), f.rsplit(".", 1)[1]))))
        plant = {1000: [("M", "deploy/sa.token", token)], 1200: [("D", "deploy/sa.token", None)],
                 3000: [("M", "backup/old/sa.token", token)], 4500: [("M", "ci/deploy.sh", script)]}
        for op, path, data in plant.get(step, []):
            changes.append((op, path, blob(data) if data is not None else None))
        mark += 1
        when = 1_700_000_000 + step * 3600
        msg = b"step %d\n" % step
        out.append(b"commit refs/heads/main\nmark :%d\ncommitter Bench <bench@example.invalid> %d +0000\n"
                   b"data %d\n%s" % (mark, when, len(msg), msg))
        if prev is not None:
            out.append(b"from :%d\n" % prev)
        for op, path, m in changes:
            out.append(b"M 100644 :%d %s\n" % (m, path.encode()) if op == "M" else b"D %s\n" % path.encode())
        out.append(b"\n")
        prev = mark
    git("fast-import", "--quiet", input=b"".join(out))
    git("reset", "-q", "--hard", "main")
    git("gc", "-q")
    size = sum(p.stat().st_size for p in (repo / ".git").rglob("*") if p.is_file())
    print(f"{repo}: {args.commits} commits, .git {size / 1e6:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
