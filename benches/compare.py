#!/usr/bin/env python3
"""kcred side by side with what users run today, in one run.

    python3 benches/compare.py            # everything, then rewrites BENCHMARKS.md
    python3 benches/compare.py --runs 3 --no-write

Idempotent: creates the bench virtualenv (target/bench-venv: PyYAML, cryptography,
PyJWT, kubernetes, and kcred-py when the repository has it), generates the corpus
if missing (target/bench-corpus), builds the release binaries, then measures.
Whole processes are timed; runs of the commands being compared alternate
(A B C A B C ...) after one warm-up each, so a noisy machine slows all of them
alike and the ratios hold. Reports median and min-max wall time and peak RSS
(from wait4). A comparison whose command does not exist yet is skipped with the
reason. Nothing here passes or fails: it measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
VENV = TARGET / "bench-venv"
VPY = VENV / "bin" / "python"
CORPUS = TARGET / "bench-corpus"
KCRED = TARGET / "release" / "kcred"
FLOOR = TARGET / "release" / "kcred-floor"
PEERS = ROOT / "benches" / "peers"
NOW = "2026-01-01T00:00:00Z"
PY_DEPS = ["pyyaml", "cryptography", "pyjwt", "kubernetes"]
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
BEGIN, END = "<!-- compare.py:begin -->", "<!-- compare.py:end -->"

TARGETS = {  # issue 19's targets
    "peer": 15.0,  # kcred CLI vs the Python peer
    "k8s": 150.0,  # kcred CLI vs the kubernetes client loader
    "inproc": 10.0,  # import kcred vs the peer in-process
    "floor": 1.5,  # kcred <= 1.5x the unavoidable-work floor
    "kubectl_100k": 12.0,  # 100,000 users: kcred vs kubectl config view --raw -o json
    "seconds_100k": 0.5,  # ... and kcred under 0.5 s
    "scan": 1.8,  # scan 2 threads vs 1
    "rss_inspect": (2.0, 8),  # peak RSS <= 2x the input + 8 MiB
    "rss_scan": (3.0, 16),  # peak RSS <= 3x the largest file + 16 MiB
    "cert_us": 1.5,  # cert decode median per certificate
}


def log(msg: str) -> None:
    print(f"[compare] {msg}", file=sys.stderr, flush=True)


def run(cmd: list, **kw) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


# --- setup --------------------------------------------------------------------


def ensure_venv() -> None:
    if not VPY.exists():
        run([sys.executable, "-m", "venv", VENV])
    probe = subprocess.run([VPY, "-c", "import yaml, cryptography, jwt, kubernetes"], capture_output=True)
    if probe.returncode != 0:
        run([VPY, "-m", "pip", "install", "-q", *PY_DEPS])


def kcred_py_state() -> str | None:
    """A stamp of the kcred-py and kcred-core sources, or None without kcred-py."""
    if not (ROOT / "kcred-py" / "pyproject.toml").exists():
        return None
    out = subprocess.run(
        ["git", "-C", ROOT, "ls-files", "-s", "kcred-py", "kcred-core", "Cargo.lock"],
        capture_output=True, text=True,
    ).stdout
    dirty = subprocess.run(
        ["git", "-C", ROOT, "status", "--porcelain", "kcred-py", "kcred-core"], capture_output=True, text=True
    ).stdout
    import hashlib

    return hashlib.sha256((out + dirty).encode()).hexdigest()


def ensure_kcred_py() -> str | None:
    """Installs ./kcred-py into the venv when present and changed; None if unavailable."""
    state = kcred_py_state()
    if state is None:
        return "kcred-py/ is not in this checkout yet"
    stamp = VENV / "kcred-py.stamp"
    installed = subprocess.run([VPY, "-c", "import kcred"], capture_output=True).returncode == 0
    if not installed or not stamp.exists() or stamp.read_text() != state:
        try:
            run([VPY, "-m", "pip", "install", "-q", ROOT / "kcred-py"])
        except subprocess.CalledProcessError as e:
            return f"pip install ./kcred-py failed ({e.returncode})"
        stamp.write_text(state)
    return None


def ensure_corpus() -> None:
    run([VPY, ROOT / "benches" / "corpus" / "gen_corpus.py", "--out", CORPUS])


def build() -> None:
    run(["cargo", "build", "--release", "-p", "kcred", "-p", "kcred-benches", "--bins"], cwd=ROOT)


def has_subcommand(name: str) -> str | None:
    """None when `kcred NAME` exists, else why not."""
    p = subprocess.run([KCRED, name, "--help"], capture_output=True, text=True)
    if p.returncode != 0:
        return f"`kcred {name}` does not exist in this build yet"
    return None


def with_now(name: str) -> list[str]:
    """`--format json --now NOW` as far as `kcred NAME` has those options."""
    help_text = subprocess.run([KCRED, name, "--help"], capture_output=True, text=True).stdout
    extra = ["--format", "json"] if re.search(r"--format\b[^\n]*", help_text) and "json" in help_text else []
    return extra + (["--now", NOW] if "--now" in help_text else [])


# --- measuring ------------------------------------------------------------------


def once(cmd: list, env: dict | None = None, ok=(0,)) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of cmd."""
    import tempfile

    # wait4's ru_maxrss counts the forked copy of this Python process too, so
    # the peak RSS comes from GNU time (a small C parent) when it is installed.
    with tempfile.TemporaryFile() as err_file, tempfile.NamedTemporaryFile("r") as rss_file:
        argv = [str(c) for c in cmd]
        if GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *argv]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err_file, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            err_file.seek(0)
            err = err_file.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(map(str, cmd))} exited {code}: {err[-500:]}")
        rss = usage.ru_maxrss
        if GNU_TIME:
            lines = [line for line in rss_file.read().split() if line.isdigit()]
            rss = int(lines[-1]) if lines else rss
    return wall, rss


def measure(cases: dict[str, dict], runs: int) -> dict[str, dict]:
    """Alternates the cases' runs; each case: cmd, runs (optional), env, ok."""
    results = {name: {"times": [], "rss": []} for name in cases}
    for name, case in cases.items():
        once(case["cmd"], case.get("env"), case.get("ok", (0,)))  # warm-up: page cache, imports
    total = max(case.get("runs", runs) for case in cases.values())
    for i in range(total):
        for name, case in cases.items():
            if i >= case.get("runs", runs):
                continue
            wall, rss = once(case["cmd"], case.get("env"), case.get("ok", (0,)))
            results[name]["times"].append(wall)
            results[name]["rss"].append(rss)
        log(f"  round {i + 1}/{total}")
    for name, r in results.items():
        r["median"] = statistics.median(r["times"])
        r["min"], r["max"] = min(r["times"]), max(r["times"])
        r["rss_max"] = max(r["rss"])
        r["cmd"] = " ".join(shell_word(c) for c in cases[name]["cmd"])
        r["n"] = len(r["times"])
    return results


def shell_word(c) -> str:
    s = str(c)
    try:
        s = str(Path(s).relative_to(ROOT)) if s.startswith(str(ROOT)) else s
    except ValueError:
        pass
    return s if re.fullmatch(r"[\w./=:+-]+", s) else f"'{s}'"


INPROC = r"""
import datetime as dt, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
import kcred, py_peer
path, runs = sys.argv[2], int(sys.argv[3])
now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
def k():
    inv = kcred.load(path)
    return len(list(inv))
def p():
    return len(py_peer.inventory(path, now))
k(); p()
t = {"kcred": [], "peer": []}
for _ in range(runs):
    for name, f in (("kcred", k), ("peer", p)):
        s = time.perf_counter(); f(); t[name].append(time.perf_counter() - s)
print(json.dumps(t))
"""


# --- report ---------------------------------------------------------------------


def fmt_s(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"


def row(name: str, r: dict) -> str:
    return (
        f"| {name} | {fmt_s(r['median'])} | {fmt_s(r['min'])} – {fmt_s(r['max'])} | "
        f"{r['rss_max'] / 1024:.1f} MiB | {r['n']} |"
    )


def verdict(measured: float, target: float, higher_is_better: bool = True) -> str:
    met = measured >= target if higher_is_better else measured <= target
    return "met" if met else "**missed**"


def machine() -> str:
    def sh(cmd: str) -> str:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

    model = sh("lscpu | sed -n 's/^Model name: *//p'")
    mem = sh("free -g | awk '/Mem:/ {print $2}'")
    dirty = sh(f"git -C {ROOT} status --porcelain --untracked-files=no")
    commit = sh(f"git -C {ROOT} rev-parse --short HEAD") + (" (with uncommitted changes)" if dirty else "")
    pyver = sh(f"{VPY} -c 'import sys; print(sys.version.split()[0])'")
    pkgs = sh(f"{VPY} -m pip list --format=freeze 2>/dev/null")
    wanted = ("pyyaml==", "cryptography==", "pyjwt==", "kubernetes==", "kcred==")
    pkgs = " ".join(line for line in pkgs.splitlines() if line.lower().startswith(wanted))
    loadavg = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "\n".join(
        [
            f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M UTC}",
            f"- commit: `{commit}`",
            f"- CPU: {model}; `nproc` = {sh('nproc')}; memory (`free -g`): {mem} GiB",
            f"- load average at start: {loadavg}",
            f"- kernel: {platform.release()}; {sh('rustc --version')}; Python {pyver}",
            f"- Python packages: {pkgs}",
            f"- openssl: {sh('openssl version')}",
        ]
    )


def main() -> int:
    ap = argparse.ArgumentParser(description="kcred side by side; rewrites BENCHMARKS.md")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    ap.add_argument("--slow-runs", type=int, default=3, help="runs of the kubernetes loader (default 3)")
    ap.add_argument("--no-write", action="store_true", help="print, do not rewrite BENCHMARKS.md")
    ap.add_argument("--no-micro", action="store_true", help="skip the divan micro-benches")
    ap.add_argument("--no-build", action="store_true", help="use the binaries as they are")
    args = ap.parse_args()
    t0 = time.time()

    ensure_venv()
    ensure_corpus()
    if not args.no_build:
        build()
    py_skip = ensure_kcred_py()
    host = machine()
    yaml_file = CORPUS / "users-2000.yaml"
    json_file = CORPUS / "users-2000.json"
    out = [BEGIN, "", "## Figures", "", host, ""]
    summary = []  # (target text, measured text, verdict)
    hdr = ["| command | median | min – max | peak RSS | runs |", "|---|---|---|---|---|"]

    # (1) + (4): the 2,000-user kubeconfig, whole process, with the floor
    log("(1)+(4) 2,000-user kubeconfig")
    inspect = [KCRED, "inspect", "--kubeconfig", yaml_file, "--format", "json", "--now", NOW]
    cases = {
        "kcred inspect (YAML)": {"cmd": inspect},
        "kcred inspect (JSON input)": {"cmd": [KCRED, "inspect", "--kubeconfig", json_file, "--format", "json", "--now", NOW]},
        "floor (read + parse + base64)": {"cmd": [FLOOR, yaml_file]},
        "floor, unavoidable work (events + base64 + parse + verify once)": {"cmd": [FLOOR, "--work", yaml_file]},
        "Python peer (CSafeLoader + cryptography + PyJWT)": {"cmd": [VPY, PEERS / "py_peer.py", yaml_file, "--now", NOW]},
        "kubernetes client loader": {"cmd": [VPY, PEERS / "k8s_loader.py", yaml_file, "--now", NOW], "runs": args.slow_runs},
    }
    r1 = measure(cases, args.runs)
    size = yaml_file.stat().st_size
    out += [
        f"### 1. `kcred inspect --format json` on the 2,000-user kubeconfig ({size / 1e6:.2f} MB YAML, "
        f"{json_file.stat().st_size / 1e6:.2f} MB JSON; 1,800 certificates with keys, 200 JWTs, 20 clusters)",
        "",
        *hdr,
        *(row(n, r) for n, r in r1.items()),
        "",
    ]
    k = r1["kcred inspect (YAML)"]
    peer = r1["Python peer (CSafeLoader + cryptography + PyJWT)"]
    k8s = r1["kubernetes client loader"]
    floor = r1["floor (read + parse + base64)"]
    work_floor = r1["floor, unavoidable work (events + base64 + parse + verify once)"]
    ratio_peer = peer["median"] / k["median"]
    ratio_k8s = k8s["median"] / k["median"]
    ratio_floor = k["median"] / floor["median"]
    ratio_work = k["median"] / work_floor["median"]
    rss_ratio = k["rss_max"] * 1024 / size
    base_rss = min(once([KCRED, "--version"])[1] for _ in range(3))  # a bare process, for reference
    times, plus = TARGETS["rss_inspect"]
    summary += [
        (f"kcred CLI ≥ {TARGETS['peer']:.0f}× faster than the Python peer", f"{ratio_peer:.1f}×", verdict(ratio_peer, TARGETS["peer"])),
        (f"kcred CLI ≥ {TARGETS['k8s']:.0f}× faster than the kubernetes client loader", f"{ratio_k8s:.1f}×", verdict(ratio_k8s, TARGETS["k8s"])),
        (f"kcred ≤ {TARGETS['floor']}× the unavoidable-work floor", f"{ratio_work:.2f}×", verdict(ratio_work, TARGETS["floor"], False)),
        ("kcred / the parse-only floor (no target; today's floor kept as a second row)", f"{ratio_floor:.2f}×", "—"),
        (
            f"peak RSS of (1) ≤ {times:.0f}× the input + {plus} MiB",
            f"{k['rss_max'] / 1024:.1f} MiB = {rss_ratio:.1f}× the {size / 2**20:.1f} MiB input "
            f"(bare `kcred --version`: {base_rss / 1024:.1f} MiB; floor: {floor['rss_max'] / 1024:.1f} MiB)",
            verdict(k["rss_max"] * 1024, times * size + plus * 2**20, False),
        ),
    ]
    out += [
        f"kcred vs Python peer: **{ratio_peer:.1f}×**; vs kubernetes loader: **{ratio_k8s:.1f}×**; "
        f"kcred / unavoidable-work floor: **{ratio_work:.2f}×**; kcred / parse-only floor: "
        f"**{ratio_floor:.2f}×** (kcred's own work on top of the parse: {fmt_s(k['median'] - floor['median'])}).",
        "",
    ]

    # (2) in-process
    log("(2) in-process")
    out += ["### 2. In-process: `kcred.load(path)` vs the Python peer's `inventory(path, now)`", ""]
    if py_skip:
        out += [f"Skipped: {py_skip}.", ""]
        summary.append(("in-process `import kcred` ≥ 10× faster than the peer", "skipped", py_skip))
    else:
        p = subprocess.run(
            [VPY, "-c", INPROC, PEERS, yaml_file, str(args.runs)], capture_output=True, text=True
        )
        if p.returncode != 0:
            why = f"the in-process run failed: {p.stderr.strip().splitlines()[-1] if p.stderr.strip() else p.returncode}"
            out += [f"Skipped: {why}.", ""]
            summary.append(("in-process `import kcred` ≥ 10× faster than the peer", "skipped", why))
        else:
            t = json.loads(p.stdout)
            kr, pr = statistics.median(t["kcred"]), statistics.median(t["peer"])
            out += [
                "| call | median | min – max | runs |",
                "|---|---|---|---|",
                f"| `kcred.load(path)` + iterate | {fmt_s(kr)} | {fmt_s(min(t['kcred']))} – {fmt_s(max(t['kcred']))} | {len(t['kcred'])} |",
                f"| `py_peer.inventory(path, now)` | {fmt_s(pr)} | {fmt_s(min(t['peer']))} – {fmt_s(max(t['peer']))} | {len(t['peer'])} |",
                "",
                f"Ratio: **{pr / kr:.1f}×** (imports excluded, one warm-up call each).",
                "",
            ]
            summary.append(("in-process `import kcred` ≥ 10× faster than the peer", f"{pr / kr:.1f}×", verdict(pr / kr, TARGETS["inproc"])))

    # (3) PKI folder
    log("(3) PKI folder")
    pki = CORPUS / "pki"
    out += ["### 3. kubeadm-like PKI folder (30 certificates, their keys, 5 kubeconfigs)", ""]
    why = has_subcommand("pki")
    if why:
        out += [f"Skipped: {why}.", ""]
        summary.append(("PKI: `kcred pki` vs the openssl loop", "skipped", why))
    else:
        r3 = measure(
            {
                "kcred pki": {"cmd": [KCRED, "pki", pki, *with_now("pki")], "ok": (0, 1)},
                "openssl x509 -noout -enddate loop": {"cmd": ["sh", PEERS / "openssl_pki.sh", pki]},
            },
            args.runs,
        )
        ratio = r3["openssl x509 -noout -enddate loop"]["median"] / r3["kcred pki"]["median"]
        out += [*hdr, *(row(n, r) for n, r in r3.items()), "", f"kcred pki vs the openssl loop: **{ratio:.1f}×**.", ""]
        summary.append(("PKI: `kcred pki` vs the openssl loop (no target set)", f"{ratio:.1f}×", "—"))

    # (4) floor, from the same rounds as (1)
    out += [
        "### 4. The floor",
        "",
        "`kcred-floor` (benches/src/bin/floor.rs) reads the file, parses it with serde-saphyr into a "
        "minimal model and base64-decodes every blob. `kcred-floor --work` does the unavoidable work "
        "instead: granit-parser events with no model, base64 of every blob, each certificate "
        "PEM-decoded and parsed with x509-parser, each client certificate verified once against "
        "the CA whose subject is its issuer. Both measured in the same rounds as (1).",
        "",
        *hdr,
        row("floor, parse only", floor),
        row("floor, unavoidable work", work_floor),
        row("kcred inspect --format json", k),
        "",
        f"kcred / unavoidable-work floor: **{ratio_work:.2f}×**; kcred / parse-only floor: **{ratio_floor:.2f}×**.",
        "",
    ]

    # (5) scan
    log("(5) scan")
    tree = CORPUS / "tree"
    largest = max(p.stat().st_size for p in tree.rglob("*") if p.is_file())
    nfiles = sum(1 for p in tree.rglob("*") if p.is_file())
    out += [f"### 5. `kcred scan` on the {nfiles:,}-file tree (largest file {largest / 2**20:.2f} MiB)", ""]
    why = has_subcommand("scan")
    if why:
        out += [f"Skipped: {why}.", ""]
        summary.append((f"scan: 2 threads ≥ {TARGETS['scan']}× faster than 1", "skipped", why))
        summary.append(("scan: peak RSS ≤ 3× the largest file + 16 MiB", "skipped", why))
    else:
        help_text = subprocess.run([KCRED, "scan", "--help"], capture_output=True, text=True).stdout
        cases = {}
        for n in (1, 2):
            env = dict(os.environ, RAYON_NUM_THREADS=str(n))
            extra = ["--threads", str(n)] if "--threads" in help_text else []
            cases[f"kcred scan, {n} thread{'s' if n > 1 else ''}"] = {
                "cmd": [KCRED, "scan", tree, *extra, *with_now("scan")],
                "env": env,
                "ok": (0, 1),
            }
        r5 = measure(cases, args.runs)
        one, two = r5["kcred scan, 1 thread"], r5["kcred scan, 2 threads"]
        speedup = one["median"] / two["median"]
        rss = max(one["rss_max"], two["rss_max"]) * 1024
        how = "`--threads N`" if "--threads" in help_text else "RAYON_NUM_THREADS=N (no --threads option)"
        out += [
            *hdr,
            *(row(n, r) for n, r in r5.items()),
            "",
            f"Threads set with {how}. 2 threads vs 1: **{speedup:.2f}×**; peak RSS "
            f"{rss / 2**20:.1f} MiB = {rss / largest:.1f}× the largest file.",
            "",
        ]
        summary.append((f"scan: 2 threads ≥ {TARGETS['scan']}× faster than 1", f"{speedup:.2f}×", verdict(speedup, TARGETS["scan"])))
        times, plus = TARGETS["rss_scan"]
        summary.append(
            (
                f"scan: peak RSS ≤ {times:.0f}× the largest file + {plus} MiB",
                f"{rss / 2**20:.1f} MiB ({rss / largest:.1f}× {largest / 2**20:.2f} MiB; bare process: {base_rss / 1024:.1f} MiB)",
                verdict(rss, times * largest + plus * 2**20, False),
            )
        )

    # (6) 100,000 users beside kubectl
    log("(6) 100,000 users")
    many = CORPUS / "users-100k.yaml"
    if not many.exists():
        # The shape of tests/hostile/measure.sh's users-100k.yaml: one token user per entry.
        many.write_text("users:\n" + "".join(
            f"- name: user-{i}\n  user:\n    token: sha256~t{i:043}\n" for i in range(100_000)
        ))
    out += [f"### 6. 100,000 users ({many.stat().st_size / 1e6:.1f} MB): `kcred inspect --format json` beside `kubectl config view --raw -o json`", ""]
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        out += ["Skipped: kubectl is not installed.", ""]
        summary.append((f"100,000 users: kcred ≥ {TARGETS['kubectl_100k']:.0f}× faster than kubectl, < {TARGETS['seconds_100k']} s", "skipped", "kubectl not installed"))
    else:
        r6 = measure(
            {
                "kcred inspect --format json": {"cmd": [KCRED, "inspect", "--kubeconfig", many, "--format", "json", "--now", NOW]},
                "kubectl config view --raw -o json": {"cmd": [kubectl, "config", "view", "--raw", "-o", "json"], "env": dict(os.environ, KUBECONFIG=str(many))},
            },
            args.runs,
        )
        kc, kt = r6["kcred inspect --format json"], r6["kubectl config view --raw -o json"]
        ratio = kt["median"] / kc["median"]
        out += [*hdr, *(row(n, r) for n, r in r6.items()), "", f"kubectl / kcred: **{ratio:.1f}×**; kcred {fmt_s(kc['median'])}.", ""]
        ok = ratio >= TARGETS["kubectl_100k"] and kc["median"] < TARGETS["seconds_100k"]
        summary.append(
            (
                f"100,000 users: kcred ≥ {TARGETS['kubectl_100k']:.0f}× faster than kubectl, < {TARGETS['seconds_100k']} s",
                f"{ratio:.1f}×, {fmt_s(kc['median'])}",
                "met" if ok else "**missed**",
            )
        )

    # micro-benches
    micro = ""
    if not args.no_micro:
        log("divan micro-benches")
        p = subprocess.run(
            ["cargo", "bench", "-q", "-p", "kcred-benches", "--bench", "core"],
            cwd=ROOT, capture_output=True, text=True,
            env=dict(os.environ, KCRED_BENCH_CORPUS=str(CORPUS)),
        )
        micro = p.stdout if p.returncode == 0 else f"(cargo bench failed: {p.stderr[-800:]})"
        m = re.search(r"rsa-2048\s+│\s*[\d.]+ \S+\s+│\s*[\d.]+ \S+\s+│\s*([\d.]+) (ns|µs|ms)", micro)
        if m:
            us = float(m.group(1)) * {"ns": 1e-3, "µs": 1.0, "ms": 1e3}[m.group(2)]
            summary.append((f"certificate decode ≤ {TARGETS['cert_us']} µs median per certificate (RSA-2048 PEM)", f"{us:.2f} µs", verdict(us, TARGETS["cert_us"], False)))
        out += [
            "### Micro-benchmarks (divan, in-process, fixed `now`)",
            "",
            "```",
            micro.strip(),
            "```",
            "",
        ]

    out[6:6] = [
        "### Targets",
        "",
        "| target | measured | verdict |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in summary),
        "",
    ]
    out += [
        "### Reproduce",
        "",
        "```sh",
        "python3 benches/compare.py      # venv + corpus + release build + all comparisons; rewrites this section",
        "cargo bench -p kcred-benches --bench core   # the micro-benches alone",
        "```",
        "",
        "Commands timed (paths relative to the repository):",
        "",
        *(f"- `{r['cmd']}`" for r in r1.values()),
        f"- `sh benches/peers/openssl_pki.sh {shell_word(pki)}`",
        "",
        f"This section took {time.time() - t0:.0f} s to produce.",
        "",
        END,
    ]
    text = "\n".join(out) + "\n"
    print(text)
    if not args.no_write:
        bench_md = ROOT / "BENCHMARKS.md"
        old = bench_md.read_text() if bench_md.exists() else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
        if BEGIN in old and END in old:
            new = old[: old.index(BEGIN)] + text.rstrip("\n") + old[old.index(END) + len(END):]
        else:
            new = old.rstrip("\n") + "\n\n" + text
        bench_md.write_text(new)
        log(f"wrote {bench_md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
