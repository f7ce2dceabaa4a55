"""The command line inside the wheel: `python -m kcred` and the `kcred`
console command run kcred-cli's code through the extension module."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

import kcred
from conftest import DEMO, REPO
from conftest import NOW as CNOW

NOW = "2026-01-01T00:00:00Z"


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=REPO)


def test_python_m_kcred_is_the_command_line() -> None:
    version = run(sys.executable, "-m", "kcred", "--version")
    assert version.returncode == 0 and version.stdout.strip() == f"kcred {kcred.__version__}"
    check = run(sys.executable, "-m", "kcred", "check", "--kubeconfig", str(DEMO), "--now", NOW)
    assert check.returncode == 1, check.stderr  # the demo holds error findings
    assert "finding(s)" in check.stdout
    inspect = run(sys.executable, "-m", "kcred", "inspect", "--kubeconfig", str(DEMO),
                  "--now", NOW, "--format", "json")  # fmt: skip
    assert inspect.returncode == 0
    assert json.loads(inspect.stdout)["credentials"] == json.loads(kcred.load(DEMO).to_json(CNOW))["credentials"]
    usage = run(sys.executable, "-m", "kcred", "no-such-command")
    assert usage.returncode == 2 and "Usage: kcred" in usage.stderr
    missing = run(sys.executable, "-m", "kcred", "check", "--kubeconfig", "/nonexistent/config")
    assert missing.returncode == 2 and missing.stderr.startswith("kcred: ")


def test_the_console_command_is_installed() -> None:
    script = pathlib.Path(sys.executable).parent / "kcred"
    if not script.exists():
        pytest.skip("no kcred console script beside this Python")
    out = run(str(script), "--version")
    assert out.returncode == 0 and out.stdout.startswith("kcred ")
    rules = run(str(script), "rules")
    assert rules.returncode == 0 and "KC001" in rules.stdout
