"""Decoding single items: certificates (PEM, DER, bundles), tokens, ExecCredential."""

from __future__ import annotations

import base64
import datetime as dt
import json
import pickle
from typing import Any

import pytest

import kcred
from conftest import CERTS, NOW, utc


def b64url(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def jwt(claims: dict[str, Any]) -> str:
    return f"{b64url({'alg': 'RS256', 'kid': 'k1'})}.{b64url(claims)}.CANARY-signature-part"


def test_decode_pem_and_der(expected: dict[str, Any]) -> None:
    facts = expected["certs"]["chain.crt"]["certificate"]
    pem = (CERTS / "chain.crt").read_bytes()
    certs = kcred.decode_certificates(pem)
    c = certs[0]
    assert c.common_name == facts["subject_cn"] == "chained-user"
    assert c.groups == tuple(facts["subject_o"])
    assert c.issuer_common_name == facts["issuer_cn"]
    assert c.serial == facts["serial"]
    assert c.sha256_fingerprint == facts["sha256_fingerprint"]
    assert c.not_after == utc(facts["not_after"]["rfc3339"])
    assert c.not_after is not None and c.not_after.tzinfo == dt.timezone.utc
    assert c.key == c.key and c.key.algorithm == "RSA" and c.key.bits == 2048
    assert c.signature_algorithm == facts["signature_algorithm"]
    assert c.status(NOW) is kcred.Status.VALID
    assert c.remaining(NOW) == c.not_after - NOW
    assert c.lifetime == c.not_after - c.not_before  # type: ignore[operator]
    assert not c.is_ca and not c.self_issued and not c.has_weak_signature
    # the same from str, and from DER
    assert kcred.decode_certificates(pem.decode()) == certs
    body = b"".join(pem.split(b"-----")[2].split())
    der = base64.b64decode(body)
    (from_der,) = kcred.decode_certificates(der)
    assert from_der == c


def test_decode_edge_certificates() -> None:
    (never,) = kcred.decode_certificates((CERTS / "never-expires.crt").read_bytes())
    assert never.never_expires and never.status(NOW) is kcred.Status.NEVER_EXPIRES
    assert never.remaining(NOW) is None and never.lifetime is None
    (weak,) = kcred.decode_certificates((CERTS / "rsa1024-sha1.crt").read_bytes())
    assert weak.has_weak_signature and weak.key.bits == 1024
    (p384,) = kcred.decode_certificates((CERTS / "ecdsa-p384.crt").read_bytes())
    assert (p384.key.algorithm, p384.key.curve) == ("EC", "P-384")
    (expired,) = kcred.decode_certificates((CERTS / "expired.crt").read_bytes())
    assert expired.status(NOW) == "expired"
    remaining = expired.remaining(NOW)
    assert remaining is not None and remaining < dt.timedelta(0)
    (future,) = kcred.decode_certificates((CERTS / "not-yet-valid.crt").read_bytes())
    assert future.status(NOW) is kcred.Status.NOT_YET_VALID


def test_decode_certificate_errors() -> None:
    with pytest.raises(kcred.ParseError) as err:
        kcred.decode_certificates((CERTS / "key-as-cert.pem").read_bytes(), source="k.pem")
    assert err.value.kind == "no-certificate" and err.value.file == "k.pem"
    assert "PRIVATE" not in str(err.value)
    with pytest.raises(kcred.ParseError) as err:
        kcred.decode_certificates(b"\x30\x03garbage")
    assert err.value.kind == "bad-certificate"
    with pytest.raises(kcred.ParseError):
        kcred.decode_certificates((CERTS / "truncated.pem").read_bytes())


def test_decode_token_jwt_claims_and_service_account() -> None:
    claims = {
        "iss": "https://kubernetes.default.svc.cluster.local",
        "sub": "system:serviceaccount:ci:deployer",
        "aud": "https://kubernetes.default.svc.cluster.local",
        "exp": 1767229200,
        "iat": 1767225600,
        "nbf": 1767225600,
        "kubernetes.io": {
            "namespace": "ci",
            "serviceaccount": {"name": "deployer", "uid": "u-1"},
            "pod": {"name": "p-1", "uid": "pu"},
            "warnafter": 1767228300,
        },
    }
    token = jwt(claims)
    t = kcred.decode_token(token, source="tok")
    assert t.format == "service-account-bound"
    assert (t.algorithm, t.key_id) == ("RS256", "k1")
    assert t.subject == "system:serviceaccount:ci:deployer"
    assert t.audience == ("https://kubernetes.default.svc.cluster.local",)
    assert t.claims == claims
    assert t.verified is False
    assert t.expires_at == utc("2026-01-01T01:00:00Z") == t.not_after
    assert t.issued_at == NOW == t.not_before
    assert t.lifetime == dt.timedelta(hours=1)
    assert t.remaining(NOW) == dt.timedelta(hours=1)
    assert t.status(NOW) is kcred.Status.VALID
    assert t.status(NOW + dt.timedelta(hours=2)) is kcred.Status.EXPIRED
    sa = t.service_account
    assert sa is not None
    assert (sa.namespace, sa.name, sa.uid, sa.bound_pod) == ("ci", "deployer", "u-1", "p-1")
    assert sa.warn_after == utc("2026-01-01T00:45:00Z")
    for text in (repr(t), str(t), repr(sa), pickle.dumps(t).decode("latin-1")):
        assert "CANARY" not in text and token not in text


def test_decode_token_opaque_and_errors() -> None:
    t = kcred.decode_token("CANARY-" + "ab" * 30)
    assert t.format == "opaque"
    assert t.claims is None and t.subject is None and t.service_account is None
    assert t.status(NOW) is kcred.Status.UNKNOWN
    assert t.remaining(NOW) is None and t.not_after is None
    assert "CANARY" not in repr(t)
    assert kcred.decode_token("sha256~" + "a" * 43).format == "openshift-oauth"
    with pytest.raises(kcred.ParseError) as err:
        kcred.decode_token("eyJhbGciOiJSUzI1NiJ9.CANARY!!.sig", source="t.txt")
    assert err.value.kind == "bad-token" and err.value.file == "t.txt"
    assert "CANARY" not in str(err.value)


def test_parse_exec_credential() -> None:
    pem = (CERTS / "chain.crt").read_text()
    doc = {
        "apiVersion": "client.authentication.k8s.io/v1",
        "kind": "ExecCredential",
        "status": {
            "expirationTimestamp": "2026-01-01T01:00:00Z",
            "token": "CANARY-exec-token-value",
            "clientCertificateData": pem,
            "clientKeyData": "CANARY-key-data",
        },
    }
    e = kcred.parse_exec_credential(json.dumps(doc))
    assert e == kcred.parse_exec_credential(json.dumps(doc).encode())
    assert e.api_version == "client.authentication.k8s.io/v1"
    assert e.expiration == utc("2026-01-01T01:00:00Z") == e.not_after
    assert e.token is not None and e.token.format == "opaque"
    assert e.client_certificate is not None
    assert e.client_certificate.common_name == "chained-user"
    assert e.has_client_key
    assert e.remaining(NOW) == dt.timedelta(hours=1)
    assert e.status(NOW) is kcred.Status.VALID and not e.never_expires
    for text in (repr(e), str(e), pickle.dumps(e).decode("latin-1")):
        assert "CANARY" not in text
    with pytest.raises(kcred.ParseError) as err:
        kcred.parse_exec_credential('{"kind": "Other"}', source="cache.json")
    assert err.value.kind == "bad-document" and err.value.file == "cache.json"
    with pytest.raises(kcred.ParseError) as err:
        kcred.parse_exec_credential(
            '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"expirationTimestamp":"soon"}}'
        )
    assert err.value.kind == "bad-timestamp"
    assert err.value.field == "status.expirationTimestamp"
