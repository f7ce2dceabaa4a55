"""The Python scripts in examples/ run as a user would run them."""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

from conftest import DEMO, PLATFORMS, REPO

NOW = "2026-01-01T00:00:00Z"


def run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "examples" / script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_expiring_soon_lists_the_next_week() -> None:
    configs = [str(PLATFORMS / n / "config") for n in ("sa-bound", "kind", "eks-static-token")]
    out = run("expiring_soon.py", *configs, str(DEMO), "--now", NOW)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Expiring within 7 days: 2"
    assert "in 0:10:00  token  eks-token" in lines[1]  # soonest first
    assert "in 1:00:00  token  deployer" in lines[2]
    assert lines[3] == "Already expired: 1"
    assert "ci-deployer" in lines[4]
    assert "kind-kind" not in out.stdout  # a year left
    wider = run("expiring_soon.py", str(DEMO), "--days", "400", "--now", NOW)
    assert "Expiring within 400 days: 1" in wider.stdout and "kind-kind" in wider.stdout


def test_expiring_soon_reads_kubeconfig_env() -> None:
    env = {"KUBECONFIG": str(DEMO), "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    out = subprocess.run(
        [sys.executable, str(REPO / "examples" / "expiring_soon.py"), "--now", NOW],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Already expired: 1" in out.stdout
    missing = run("expiring_soon.py", "/nonexistent/config")
    assert missing.returncode == 2 and "no kubeconfig could be read" in missing.stderr


def test_ci_max_lifetime_fails_on_long_lived(tmp_path: pathlib.Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(PLATFORMS / "aks-admin", repo / "deploy" / "aks")
    shutil.copytree(PLATFORMS / "sa-bound", repo / "ci")
    (repo / "manifest.yaml").write_text("apiVersion: apps/v1\nkind: Deployment\n")
    out = run("ci_max_lifetime.py", str(repo), "--now", NOW)
    assert out.returncode == 1, out.stdout + out.stderr
    errors = [l for l in out.stdout.splitlines() if l.startswith("error:")]
    assert len(errors) == 1
    assert "client-certificate of user clusterAdmin_rg-platform_aks-prod-weu" in errors[0]
    assert "is valid for 730 days, 0:00:00" in errors[0]
    assert "note:" in out.stdout and "token of user clusterAdmin" in out.stdout
    assert "deployer" not in out.stdout  # a 1 h token is fine
    assert out.stdout.splitlines()[-1] == "1 credential(s) over 1 day, 0:00:00, 1 of unknown lifetime"


def test_ci_max_lifetime_passes_short_lived(tmp_path: pathlib.Path) -> None:
    shutil.copytree(PLATFORMS / "sa-bound", tmp_path / "ci")
    shutil.copytree(PLATFORMS / "sa-bound-expired", tmp_path / "old")
    out = run("ci_max_lifetime.py", str(tmp_path), "--now", NOW)
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip() == "0 credential(s) over 1 day, 0:00:00, 0 of unknown lifetime"
    shutil.copytree(PLATFORMS / "sa-legacy", tmp_path / "legacy")
    out = run("ci_max_lifetime.py", str(tmp_path), "--now", NOW, "--max-hours", "1")
    assert out.returncode == 1 and "never expires" in out.stdout
    shutil.copytree(PLATFORMS / "oidc-login", tmp_path / "oidc")
    shutil.rmtree(tmp_path / "legacy")
    assert run("ci_max_lifetime.py", str(tmp_path), "--now", NOW).returncode == 0
    strict = run("ci_max_lifetime.py", str(tmp_path), "--now", NOW, "--fail-on-unknown")
    assert strict.returncode == 1


def test_fleet_audits_copied_homes_into_one_csv(tmp_path: pathlib.Path) -> None:
    import csv

    homes = tmp_path / "homes"
    for name in ("home-aks", "home-eks", "home-gke", "home-oidc"):
        shutil.copytree(REPO / "tests" / "data" / "exposure" / name, homes / name)
    admin = homes / "laptop-admin" / ".kube"
    admin.mkdir(parents=True)
    shutil.copy(PLATFORMS / "aks-admin" / "config", admin / "config")
    (homes / "not-a-home").mkdir()
    rbac = REPO / "tests" / "data" / "rbac" / "kubeadm-defaults.yaml"
    out_csv = tmp_path / "fleet.csv"
    out = run("python/fleet.py", str(homes), "--out", str(out_csv), "--now", NOW,
              "--workers", "3", "--rbac", str(rbac))  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "fleet: 6 homes, 6 rows" in out.stderr
    rows = list(csv.DictReader(out_csv.open()))
    by_home = {pathlib.Path(r["home"]).name: r for r in rows}
    assert sorted(by_home) == ["home-aks", "home-eks", "home-gke", "home-oidc", "laptop-admin", "not-a-home"]
    assert "no kubeconfig found" in by_home["not-a-home"]["error"]
    aks = by_home["home-aks"]
    assert aks["platform"] == "aks" and aks["usable_until"] == "2026-03-31T23:30:00+00:00"
    assert by_home["home-eks"]["usable_until"] == "2026-01-01T00:50:00+00:00"
    admin_row = by_home["laptop-admin"]
    assert admin_row["system_masters"] == "True" and admin_row["irrevocable"] == "True"
    assert admin_row["can_mint_credentials"] == "True" and admin_row["worst_severity"] == "error"
    assert all(r["error"] == "" for n, r in by_home.items() if n != "not-a-home")
    # The same rows with one worker: the pool changes nothing but the speed.
    one = run("python/fleet.py", str(homes), "--now", NOW, "--workers", "1", "--rbac", str(rbac))
    assert list(csv.DictReader(one.stdout.splitlines())) == rows
    assert run("python/fleet.py", str(tmp_path / "nothing")).returncode == 2
