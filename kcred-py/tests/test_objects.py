"""Objects: datetimes in and out, naive rejection, status enum, repr, pickling,
exceptions, and the GIL released during loading."""

from __future__ import annotations

import datetime as dt
import pickle
import threading
import time
from typing import Any, Callable

import pytest

import kcred
from conftest import CERTS, DEMO, NOW, PLATFORMS


@pytest.fixture(scope="module")
def demo() -> kcred.Inventory:
    return kcred.load(DEMO)


def now_methods(inv: kcred.Inventory) -> list[Callable[..., Any]]:
    cert = kcred.decode_certificates((CERTS / "chain.crt").read_bytes())[0]
    token = kcred.decode_token("abc.def")
    exec_cred = kcred.parse_exec_credential('{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}}')
    c = inv.credentials[0]
    return [
        c.status, c.remaining, cert.status, cert.remaining, token.status, token.remaining,
        exec_cred.status, exec_cred.remaining, inv.to_json, inv.to_table,
    ]  # fmt: skip


def test_naive_datetime_is_rejected_everywhere(demo: kcred.Inventory) -> None:
    naive = dt.datetime(2026, 1, 1)
    for method in now_methods(demo):
        with pytest.raises(ValueError, match="timezone-aware"):
            method(naive)
        with pytest.raises(TypeError):
            method("2026-01-01T00:00:00Z")


def test_aware_datetimes_in_any_zone(demo: kcred.Inventory) -> None:
    cet = dt.timezone(dt.timedelta(hours=1))
    same_instant = dt.datetime(2026, 1, 1, 1, 0, tzinfo=cet)
    c = demo.credentials[0]
    assert c.remaining(same_instant) == c.remaining(NOW) == dt.timedelta(days=630)
    assert demo.to_json(same_instant) == demo.to_json(NOW)
    # None reads the clock: a 2027 certificate is valid today
    assert c.status() in (kcred.Status.VALID, kcred.Status.EXPIRED)
    assert c.not_after is not None
    assert c.not_after.tzinfo == dt.timezone.utc and c.not_after.utcoffset() == dt.timedelta(0)


def test_status_and_kind_are_str_enums(demo: kcred.Inventory) -> None:
    statuses = [c.status(NOW) for c in demo]
    assert statuses == ["valid", "unknown", "unknown", "unknown", "valid", "expired"]
    assert all(isinstance(s, str) and isinstance(s, kcred.Status) for s in statuses)
    assert str(kcred.Status.NOT_YET_VALID) == "not-yet-valid"
    assert kcred.Status("never-expires") is kcred.Status.NEVER_EXPIRES
    assert [c.kind for c in demo][:3] == ["client-certificate", "token", "exec"]
    assert demo.credentials[0].kind is kcred.Kind.CLIENT_CERTIFICATE


def test_credential_attributes(demo: kcred.Inventory) -> None:
    admin, static, kubelogin, eks, kind, sa = demo.credentials
    assert admin.is_system_masters and admin.platform == "aks"
    assert admin.identity == "CN=masterclient O=system:masters"
    assert admin.groups == ("system:masters",)
    assert admin.subject is not None and "CN=masterclient" in admin.subject
    assert admin.issuer == "CN=ca"
    assert admin.key is not None and (admin.key.algorithm, admin.key.bits) == ("RSA", 2048)
    assert admin.key_matches is True and admin.signed_by_cluster_ca is True
    assert admin.chain == () and admin.source_file is None
    assert admin.lifetime == dt.timedelta(days=730)
    assert admin.not_before == dt.datetime(2025, 9, 23, tzinfo=dt.timezone.utc)
    assert admin.details["key_matches"] is True
    assert admin.location.line == 53 and admin.location.field == "client-certificate-data"
    assert static.token is not None and static.token.format == "opaque"
    assert static.claims is None and static.subject is None
    assert kubelogin.exec_plugin == "azure-kubelogin" and kubelogin.login_mode == "devicecode"
    assert eks.exec_plugin == "aws-eks-get-token" and eks.login_mode is None
    assert kind.platform == "kind" and not kind.is_system_masters
    assert sa.identity == "sa:ci/deployer"
    assert sa.claims is not None and sa.claims["sub"] == "system:serviceaccount:ci:deployer"
    assert sa.remaining(NOW) == dt.timedelta(hours=-1)
    assert sa.auth_provider is None and not sa.has_refresh_token
    cluster = demo.clusters[2]
    assert (cluster.name, cluster.server) == ("kind-kind", "https://127.0.0.1:40127")
    assert cluster.contexts == ("kind-kind",) and not cluster.insecure_skip_tls_verify
    assert cluster.ca[0].is_ca and cluster.ca_source_file is None
    assert cluster.location.entry == "clusters[kind-kind]"


def test_auth_provider_attributes() -> None:
    (c,) = kcred.load(PLATFORMS / "oidc-auth-provider" / "config").credentials
    assert c.kind is kcred.Kind.AUTH_PROVIDER and c.auth_provider == "oidc"
    assert c.has_refresh_token
    assert c.issuer is not None and c.issuer.startswith("https://")
    assert c.token is not None and c.claims is not None


def test_reprs_are_useful(demo: kcred.Inventory) -> None:
    assert repr(demo) == "<Inventory 6 credentials, 4 clusters, 0 problems from 1 file>"
    r = repr(demo.credentials[0])
    assert r.startswith("<Credential client-certificate user=")
    assert "not_after=2027-09-23T00:00:00Z" in r and "line 53" in r
    assert repr(demo.clusters[2]).startswith('<Cluster name="kind-kind"')
    assert repr(demo.credentials[0].key) == "<KeyInfo RSA 2048 bits>"
    assert repr(demo.credentials[5].token).startswith("<Token service-account-bound")
    assert repr(demo.credentials[0].location).startswith("<Location ")
    problem = kcred.loads("users: [").problems[0]
    assert repr(problem).startswith("<Problem syntax ")


def test_every_object_pickles(demo: kcred.Inventory) -> None:
    broken = kcred.loads(
        "users:\n- name: a\n  user: {client-certificate-data: '!!'}\n"
        "- name: a\n  user: {}\ncontexts:\n- name: c\n  context: {user: ghost, cluster: x}\n",
        source="mem",
    )
    assert {p.kind for p in broken.problems} == {
        "not-base64", "duplicate-name", "missing-reference"
    }  # fmt: skip
    cred = demo.credentials[0]
    objects: list[Any] = [
        demo, broken, *demo.credentials, *demo.clusters, *broken.problems,
        cred.certificate, cred.key, cred.location, demo.credentials[5].token,
        demo.credentials[5].token.service_account,  # type: ignore[union-attr]
        kcred.parse_exec_credential('{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"x"}}'),
    ]  # fmt: skip
    for obj in objects:
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(obj, protocol=protocol))
            assert type(back) is type(obj)
            assert back == obj, type(obj)
            assert repr(back) == repr(obj)
    back = pickle.loads(pickle.dumps(broken))
    assert back.to_json(NOW) == broken.to_json(NOW)
    assert [p.message for p in back.problems] == [p.message for p in broken.problems]
    back = pickle.loads(pickle.dumps(demo))
    assert back.to_table(NOW) == demo.to_table(NOW) and back.files == demo.files
    assert [c.status(NOW) for c in back] == [c.status(NOW) for c in demo]


def test_to_json_and_table(demo: kcred.Inventory) -> None:
    import json

    doc = json.loads(demo.to_json(NOW))
    assert doc["schema"] == kcred.INVENTORY_SCHEMA == "kcred.inventory/v1"
    assert doc["now"] == "2026-01-01T00:00:00Z"
    assert doc["files"] == [str(DEMO)]
    assert [c["status"] for c in doc["credentials"]] == [c.status(NOW) for c in demo]
    assert "\n" not in demo.to_json(NOW, indent=False)
    table = demo.to_table(NOW)
    assert "masterclient" in table and "\x1b[" not in table
    assert "\x1b[" in demo.to_table(NOW, color=True)


def test_exception_hierarchy_and_attributes() -> None:
    assert issubclass(kcred.KcredError, ValueError)
    for cls in (kcred.ParseError, kcred.KcredIOError, kcred.PolicyError):
        assert issubclass(cls, kcred.KcredError)
    assert issubclass(kcred.KcredIOError, OSError)
    err = kcred.ParseError("m", kind="syntax", file="f", entry="users[a]", field="token", line=3)
    back = pickle.loads(pickle.dumps(err))
    assert (back.kind, back.file, back.entry, back.field, back.line) == (
        "syntax", "f", "users[a]", "token", 3
    )  # fmt: skip
    inv = kcred.loads("users:\n- name: u\n  user:\n    client-certificate-data: '!!'\n", source="x")
    exc = inv.problems[0].to_exception()
    assert isinstance(exc, kcred.ParseError)
    assert (exc.kind, exc.file, exc.entry, exc.field, exc.line) == (
        "not-base64", "x", "users[u]", "client-certificate-data", 2
    )  # fmt: skip


def test_objects_are_frozen(demo: kcred.Inventory) -> None:
    with pytest.raises(AttributeError):
        demo.credentials[0].user = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        kcred.Credential()  # type: ignore[call-arg]


def test_loading_releases_the_gil(tmp_path: Any) -> None:
    # A 3,000-user kubeconfig takes long enough to load that a Python thread
    # spinning meanwhile shows whether the GIL was released.
    users = "".join(
        f"- name: u{i}\n  user:\n    token: CANARY-{i:06d}-{'x' * 40}\n" for i in range(3000)
    )
    big = tmp_path / "big.yaml"
    big.write_text("users:\n" + users)
    ticks = 0
    done = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0)

    thread = threading.Thread(target=spin)
    thread.start()
    try:
        start = time.perf_counter()
        before = ticks
        inv = kcred.load(big)
        elapsed = time.perf_counter() - start
        during = ticks - before
    finally:
        done.set()
        thread.join()
    print(f"ticks during load: {during} in {elapsed:.3f}s")
    assert len(inv) == 3000
    assert "CANARY" not in inv.to_json(NOW) and "CANARY" not in repr(list(inv))
    # With the GIL held for the whole call the other thread could not run at all.
    # (Without it, at most a tick or two slip in around the call.)
    assert during > 20, f"{during} ticks in {elapsed:.3f}s"


def test_version() -> None:
    assert kcred.__version__ == "0.1.0"
    assert set(kcred.__all__) <= set(dir(kcred))
