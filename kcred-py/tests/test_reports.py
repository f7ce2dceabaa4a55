"""The whole product from Python: rights by RBAC snapshots, exposure, scan and
pki reports (the same facts as the CLI's JSON documents), typed OS errors,
Inventory indexing, hashing and to_dict."""

from __future__ import annotations

import json
import os
import pathlib
import pickle
import subprocess
import sys
from typing import Any

import pytest

import kcred
from conftest import DEMO, NOW, PLATFORMS, REPO

KUBEADM_RBAC = REPO / "tests" / "data" / "rbac" / "kubeadm-defaults.yaml"
EXPOSURE = REPO / "tests" / "data" / "exposure"
PKI = REPO / "tests" / "data" / "pki" / "kubeadm"
SCAN = REPO / "tests" / "data" / "scan" / "repo"
# The kcred binary to compare with: $KCRED_BIN, else the one scripts/test built.
_BUILT = REPO / os.environ.get("CARGO_TARGET_DIR", "target") / "debug" / "kcred"
KCRED = os.environ.get("KCRED_BIN") or (str(_BUILT) if _BUILT.exists() else None)


def by_identity(inv: kcred.Inventory, part: str) -> kcred.Credential:
    return next(c for c in inv if part in c.identity)


def test_rbac_gives_each_credential_its_rights() -> None:
    inv = kcred.load(DEMO, rbac=KUBEADM_RBAC)
    kind = by_identity(inv, "O=kubeadm:cluster-admins").privileges
    assert kind is not None
    assert kind.cluster_admin and kind.can_mint_credentials and kind.summary == "cluster-admin"
    assert kind.user == "kubernetes-admin" and "system:authenticated" in kind.groups
    assert kind.can_read_secrets.cluster_wide and bool(kind.can_read_secrets)
    assert kind.mint_paths and all(isinstance(m, kcred.MintPath) for m in kind.mint_paths)
    assert kind.bindings[0]["grants"][0]["binding"] == "ClusterRoleBinding/kubeadm:cluster-admins"
    masters = by_identity(inv, "O=system:masters").privileges
    assert masters is not None and masters.cluster_admin
    sa = by_identity(inv, "sa:ci/deployer").privileges
    assert sa is not None and not sa.cluster_admin and not sa.can_read_secrets
    assert sa.user == "system:serviceaccount:ci:deployer"
    # Exec plugins: the identity lives in the cloud, so the rights are unknown.
    assert by_identity(inv, "aws-eks-get-token").privileges is None
    # Without a snapshot: None everywhere; the same through loads.
    assert all(c.privileges is None for c in kcred.load(DEMO))
    again = kcred.loads(DEMO.read_bytes(), rbac=[KUBEADM_RBAC])
    assert by_identity(again, "O=kubeadm:cluster-admins").privileges == kind
    # The privileges pickle, hash and agree with the CLI's JSON document.
    assert pickle.loads(pickle.dumps(kind)) == kind and hash(kind) == hash(pickle.loads(pickle.dumps(kind)))
    doc = json.loads(inv.to_json(NOW))
    cred = next(c for c in doc["credentials"] if "O=kubeadm:cluster-admins" in c["identity"])
    assert cred["privileges"] == kind.to_dict()


def test_rbac_problems_and_oidc_settings() -> None:
    missing = REPO / "no-such-snapshot.yaml"
    with pytest.raises(kcred.KcredFileNotFoundError):
        kcred.load(DEMO, rbac=missing)
    # One unreadable snapshot among readable ones: a problem, the rights still count.
    inv = kcred.load(DEMO, rbac=[KUBEADM_RBAC, missing])
    assert any(p.kind == "missing-file" for p in inv.problems)
    assert by_identity(inv, "O=kubeadm:cluster-admins").privileges is not None
    with pytest.raises(ValueError, match="unknown key"):
        kcred.load(DEMO, rbac=KUBEADM_RBAC, oidc={"user_claim": "email"})
    with pytest.raises(ValueError, match="needs rbac"):
        kcred.load(DEMO, oidc={"username_claim": "email"})
    kcred.load(DEMO, rbac=KUBEADM_RBAC, oidc={"username_claim": "email", "groups_claim": "groups"})


def test_exposure_has_the_facts_of_the_cli_document() -> None:
    report = kcred.exposure(home=EXPOSURE / "home-aks", now=NOW)
    assert isinstance(report, kcred.Exposure) and len(report) == len(report.contexts) == 1
    context = report.contexts[0]
    assert context.context == "aks-prod-weu" and context.platform == "aks"
    assert context.until.state == "at" and context.until.at is not None
    assert context.until.at.tzinfo is not None and context.until.at > NOW
    cred = context.credentials[0]
    assert cred.renewable and cred.revocability["class"] == "idp-backed"
    assert isinstance(cred.location, kcred.Location)
    assert report.caches and report.caches[0].token is not None and report.caches[0].has_refresh_token
    assert report.now == NOW and report.schema == kcred.EXPOSURE_SCHEMA
    assert all(w.mode.startswith("0") for w in report.file_warnings)
    assert "CONTEXT aks-prod-weu" in report.to_table()
    doc = json.loads(report.to_json())
    assert doc == report.to_dict() and doc["contexts"][0]["until"] == context.until.to_dict()
    assert json.dumps(report.to_dict())  # JSON-compatible
    # Frozen values: picklable, hashable, equal by their facts.
    assert pickle.loads(pickle.dumps(report)) == report
    assert {report, context, cred, context.until}
    with pytest.raises(AttributeError):
        context.user = "x"  # type: ignore[misc]
    longer = kcred.exposure(home=EXPOSURE / "home-aks", now=NOW, lifetimes={"entra-refresh-token": "7d"})
    assert longer.contexts[0].until.at is not None and longer.contexts[0].until.at < context.until.at
    with pytest.raises(ValueError):
        kcred.exposure(home=EXPOSURE / "home-aks", now=NOW, lifetimes={"no-such": "1d"})
    # Without a policy no findings; with one, `kcred exposure --policy`'s.
    assert report.findings == () and "findings" not in report.to_dict()
    strict = kcred.exposure(home=EXPOSURE / "home-aks", now=NOW, policy="strict")
    assert strict.findings and strict.to_dict()["findings"]["policy"] == "strict"
    assert any(f.name == "max-exposure" for f in strict.findings)


@pytest.mark.skipif(KCRED is None, reason="KCRED_BIN (the kcred binary) not given")
def test_exposure_json_equals_the_cli() -> None:
    home = EXPOSURE / "home-aks"
    cli = subprocess.run(
        [str(KCRED), "exposure", "--home", str(home), "--now", "2026-01-01T00:00:00Z", "--format", "json"],
        capture_output=True, check=True,
    )  # fmt: skip
    assert json.loads(cli.stdout) == kcred.exposure(home=home, now=NOW).to_dict()
    cli = subprocess.run(
        [str(KCRED), "exposure", "--home", str(home), "--now", "2026-01-01T00:00:00Z", "--format", "json",
         "--policy", "strict"],
        capture_output=True,
    )  # fmt: skip
    assert json.loads(cli.stdout) == kcred.exposure(home=home, now=NOW, policy="strict").to_dict()


def test_scan_finds_committed_credentials() -> None:
    report = kcred.scan(SCAN, now=NOW)
    assert isinstance(report, kcred.Scan) and len(report) == len(report.credentials) > 0
    assert report.files_scanned > 0 and report.schema == kcred.SCAN_SCHEMA
    first = report.credentials[0]
    assert first.kind == "client-certificate" and first.status == "expired"
    assert first.not_after is not None and first.not_after < NOW
    assert any(s.reason == "binary" for s in report.skipped)
    assert report.findings and all(isinstance(f, kcred.Finding) for f in report.findings)
    doc = json.loads(report.to_json(indent=False))
    assert doc["findings"]["findings"][0]["code"] == report.findings[0].code
    assert "LOCATION" in report.to_table()
    strict = kcred.scan([SCAN], policy="strict", now=NOW)
    assert len(strict.findings) >= len(report.findings)
    assert pickle.loads(pickle.dumps(report)) == report
    with pytest.raises(FileNotFoundError) as err:
        kcred.scan(REPO / "nowhere", now=NOW)
    assert err.value.errno == 2 and err.value.filename == str(REPO / "nowhere")


def git(repo: pathlib.Path, *argv: str) -> None:
    env = {"GIT_AUTHOR_DATE": "2025-06-01T00:00:00Z", "GIT_COMMITTER_DATE": "2025-06-01T00:00:00Z",
           "HOME": str(repo), "PATH": os.environ.get("PATH", "")}  # fmt: skip
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *argv],
                   cwd=repo, env=env, check=True, capture_output=True)  # fmt: skip


def test_scan_history_finds_a_deleted_credential(tmp_path: pathlib.Path) -> None:
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("SKIPPED: git is not installed: no repository to scan")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    token = (REPO / "tests" / "data" / "scan" / "loose" / "deploy" / "sa.token").read_text()
    (repo / "sa.token").write_text(token)
    git(repo, "add", "sa.token")
    git(repo, "commit", "-q", "-m", "add")
    git(repo, "rm", "-q", "sa.token")
    git(repo, "commit", "-q", "-m", "remove")
    assert kcred.scan(repo, now=NOW).credentials == ()  # the work tree no longer holds it
    report = kcred.scan(repo, history=True, now=NOW)
    assert report.history is not None and report.history["commits"] == 2
    (found,) = report.credentials
    assert found.location.file.startswith(str(repo / "sa.token") + "@")
    doc = report.to_dict()
    assert doc["credentials"][0]["history"]["in_head"] is False
    assert any(f.code == "KC501" for f in report.findings)
    assert token.strip() not in report.to_json() and token.strip() not in repr(report)
    with pytest.raises(ValueError, match="since= needs history=True"):
        kcred.scan(repo, since="main", now=NOW)


def test_pki_reads_a_kubeadm_node() -> None:
    report = kcred.pki(PKI / "etc-kubernetes", kubelet_dir=PKI / "var-lib-kubelet", now=NOW)
    names = [e.name for e in report.certificates]
    assert "apiserver" in names and "admin.conf" in names
    assert [a.name for a in report.certificate_authorities][:1] == ["ca"]
    entry = report.certificates[names.index("apiserver")]
    assert entry.ca_name == "ca" and entry.expiration_date is not None
    assert entry.residual_time == int((entry.expiration_date - NOW).total_seconds())
    assert report.api_version.startswith("output.kubeadm.k8s.io/")
    assert report.findings and "CERTIFICATE AUTHORITY" in report.to_table()
    assert json.loads(report.to_json())["findings"]["policy"] == "baseline"
    assert pickle.loads(pickle.dumps(report)) == report and hash(entry)
    assert len(report) == len(report.certificates)
    with pytest.raises(FileNotFoundError):
        kcred.pki(PKI / "nowhere")
    with pytest.raises(kcred.KcredIOError):
        kcred.pki(DEMO)  # a file, not a folder


def test_scan_and_pki_take_rbac_snapshots() -> None:
    """`rbac=` gives the credentials a scan or a node holds their rights, and the
    rights rules (KC6xx) their input, as `load` and `exposure` do."""
    scan = kcred.scan(SCAN, now=NOW, policy="strict", rbac=KUBEADM_RBAC)
    rights = [c.privileges for c in scan.credentials if c.privileges is not None]
    assert rights and any(r.cluster_admin for r in rights)
    assert all(c.privileges is None for c in kcred.scan(SCAN, now=NOW).credentials)
    doc = json.loads(scan.to_json())
    assert [c["privileges"] for c in doc["credentials"]] == [
        None if c.privileges is None else c.privileges.to_dict() for c in scan.credentials
    ]
    # The repository's one cluster-admin (system:masters) is expired: no rights finding.
    admin = next(c for c in scan.credentials if c.privileges is not None and c.privileges.cluster_admin)
    assert "O=system:masters" in admin.identity and admin.status == "expired"
    plain = kcred.scan(SCAN, now=NOW, policy="strict")
    assert [f.code for f in scan.findings] == [f.code for f in plain.findings]
    node = {"dir": PKI / "etc-kubernetes", "kubelet_dir": PKI / "var-lib-kubelet", "now": NOW, "policy": "strict"}
    pki = kcred.pki(**node, rbac=[KUBEADM_RBAC])  # type: ignore[arg-type]
    assert any(f.code.startswith("KC6") for f in pki.findings)
    assert not any(f.code.startswith("KC6") for f in kcred.pki(**node).findings)  # type: ignore[arg-type]
    assert pki.certificates == kcred.pki(**node).certificates  # type: ignore[arg-type]
    with pytest.raises(kcred.KcredFileNotFoundError):
        kcred.scan(SCAN, now=NOW, rbac=REPO / "no-such-snapshot.yaml")
    with pytest.raises(ValueError, match="needs rbac"):
        kcred.pki(PKI / "etc-kubernetes", oidc={"username_claim": "email"})


def test_io_errors_are_the_builtin_os_errors(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "missing"
    with pytest.raises(FileNotFoundError) as err:
        kcred.load(missing)
    exc: Any = err.value
    assert isinstance(exc, kcred.KcredIOError) and isinstance(exc, kcred.KcredError)
    assert exc.errno == 2 and exc.filename == str(missing)
    assert "os error" not in str(exc) and str(missing) in str(exc)
    with pytest.raises(IsADirectoryError) as err:
        kcred.load(tmp_path)
    assert err.value.errno == 21 and err.value.filename == str(tmp_path)
    # A problem's message and exception have no Rust text either.
    inv = kcred.loads("users:\n- name: u\n  user:\n    tokenFile: /nonexistent/token\n", read_files=True)
    assert inv.problems and all("os error" not in p.message for p in inv.problems)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_permission_error(tmp_path: pathlib.Path) -> None:
    locked = tmp_path / "config"
    locked.write_text("users: []\n")
    locked.chmod(0)
    with pytest.raises(PermissionError) as err:
        kcred.load(locked)
    assert err.value.errno == 13 and isinstance(err.value, kcred.KcredIOError)


def test_inventory_len_index_slice() -> None:
    inv = kcred.load(DEMO)
    creds = inv.credentials
    assert len(inv) == len(creds) > 2
    assert inv[0] == creds[0] and inv[-1] == creds[-1]
    assert inv[1:3] == creds[1:3] and inv[::-1] == creds[::-1]
    with pytest.raises(IndexError):
        inv[len(inv)]
    with pytest.raises(TypeError):
        inv["a"]  # type: ignore[call-overload]


def test_every_value_is_hashable_and_has_to_dict() -> None:
    inv = kcred.load(PLATFORMS / "kind" / "config")
    findings = kcred.check(kcred.load(DEMO), now=NOW)
    values: list[Any] = [inv, *inv, *inv.clusters, inv[0].location, inv[0].certificate, inv[0].key]
    values += [*findings, findings[0].location, kcred.decode_token("abc")]
    for v in values:
        assert hash(v) == hash(pickle.loads(pickle.dumps(v))), v
        d = v.to_dict()
        assert json.loads(json.dumps(d)) == d, v
    assert len({*findings}) == len(findings)
    assert findings[0].to_dict()["code"] == findings[0].code
    assert inv[0].to_dict()["user"] == inv[0].user
    assert kcred.load_policy("strict").to_dict()
