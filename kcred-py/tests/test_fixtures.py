"""Every platform fixture: kcred's facts match expected.json at NOW, and no secret
of any fixture appears in repr, str, details, to_json, to_table or a pickle."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import kcred
from conftest import NOW, PLATFORMS, utc

KINDS = {"token-file": "token"}
STATUS = {"no-expiry": "never-expires"}
EXCEPTIONS = json.loads((PLATFORMS / "exceptions.json").read_text())


def files() -> list[str]:
    return sorted(json.loads((PLATFORMS / "expected.json").read_text())["files"])


def check(ident: str, cred: kcred.Credential, e: dict[str, Any]) -> None:
    assert cred.kind == KINDS.get(e["kind"], e["kind"]), ident
    status = e.get("status")
    if status and status != "invalid" and f"{ident}: status" not in EXCEPTIONS:
        assert cred.status(NOW) == STATUS.get(status, status), ident
        assert isinstance(cred.status(NOW), kcred.Status)
    expiry = e.get("expiry")
    if expiry and status not in ("no-expiry", "invalid") and not cred.never_expires:
        assert cred.not_after == utc(expiry["rfc3339"]), ident
        assert cred.remaining(NOW) == utc(expiry["rfc3339"]) - NOW, ident
    cert = e.get("certificate")
    if cert and cred.certificate is not None:
        c = cred.certificate
        assert c.common_name == cert["subject_cn"], ident
        assert list(cred.groups) == cert["subject_o"], ident
        assert c.sha256_fingerprint == cert["sha256_fingerprint"], ident
        assert c.serial == cert["serial"], ident
        assert cred.key is not None and cred.key.algorithm == cert["key_algorithm"], ident
        assert cred.key.bits == cert["key_size"], ident
        assert c.not_before == utc(cert["not_before"]["rfc3339"]), ident
        assert c.not_after == utc(cert["not_after"]["rfc3339"]), ident
        if cert.get("key_matches") is not None:
            assert cred.key_matches == cert["key_matches"], ident
        if f"{ident}: signed_by_cluster_ca" not in EXCEPTIONS and "signed_by_cluster_ca" in cert:
            assert cred.signed_by_cluster_ca == cert["signed_by_cluster_ca"], ident
        if c.not_before is not None and not c.never_expires:
            assert cred.lifetime == c.not_after - c.not_before  # type: ignore[operator]
    jwt = e.get("jwt")
    if jwt:
        assert cred.token is not None
        assert cred.subject == jwt.get("sub"), ident
        assert cred.issuer == jwt.get("iss"), ident
        assert cred.claims == jwt["claims"], ident
        assert cred.token.verified is False


@pytest.mark.parametrize("name", files())
def test_fixture_matches_expected(name: str, expected: dict[str, Any]) -> None:
    e_file = expected["files"][name]
    inv = kcred.load(PLATFORMS / name)
    checked = 0
    for user, e_user in e_file["users"].items():
        creds = [c for c in inv if c.user == user]
        assert [c.kind for c in creds] == [KINDS.get(k, k) for k in e_user["kinds"]], user
        if creds:
            assert list(creds[0].contexts) == e_user["referenced_by_contexts"]
        for cred, e_cred in zip(creds, e_user["credentials"]):
            check(f"{name}#{user}", cred, e_cred)
            checked += 1
    # Secret canaries: nothing the binding renders or pickles holds a secret.
    rendered = [
        repr(inv),
        inv.to_json(NOW),
        inv.to_table(NOW),
        inv.to_table(NOW, color=True),
        pickle.dumps(inv).decode("latin-1"),
    ]
    for c in inv:
        rendered += [repr(c), str(c), repr(c.details), repr(c.claims), repr(c.token)]
        rendered += [repr(c.certificate), repr(c.location), repr(c.exec_args)]
        rendered.append(pickle.dumps(c).decode("latin-1"))
    for cl in inv.clusters:
        rendered += [repr(cl), str(cl), repr(cl.ca)]
    for p in inv.problems:
        rendered += [repr(p), str(p), p.message]
    text = "\n".join(rendered)
    for secret in e_file["secrets"]:
        assert secret not in text, f"{name}: a secret appears in an output"


def test_all_fixtures_together_and_exec_facts() -> None:
    paths = [PLATFORMS / n for n in files()]
    inv = kcred.load(paths)
    assert len(inv.files) == len(paths)
    by_user = {c.user: c for c in inv}
    devicecode = kcred.load(PLATFORMS / "aks-kubelogin-devicecode" / "config").credentials[0]
    assert devicecode.kind is kcred.Kind.EXEC
    assert devicecode.exec_plugin == "azure-kubelogin"
    assert devicecode.login_mode == "devicecode"
    assert devicecode.exec_command == "kubelogin"
    assert devicecode.exec_args[:3] == ("get-token", "--login", "devicecode")
    assert devicecode.status(NOW) is kcred.Status.UNKNOWN
    assert devicecode.remaining(NOW) is None and devicecode.lifetime is None
    assert devicecode.platform == "aks"
    assert len(by_user) > 30
