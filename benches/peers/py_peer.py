#!/usr/bin/env python3
"""The inventory an operator would write in Python: PyYAML with the C loader,
`cryptography` for certificates and keys, PyJWT for token claims.

It computes the facts `kcred inspect --format json` reports for client
certificates and tokens: subject, CN, groups, issuer, serial, SHA-256
fingerprint, validity and status at NOW, key algorithm and size, signature
algorithm, CA flag, whether the private key matches, whether the cluster CA
signed the certificate; JWT subject, issuer, audience, expiry.

    py_peer.py FILE [--now 2026-01-01T00:00:00Z]      prints a JSON inventory
    from py_peer import inventory; inventory(path, now) -> list of dicts
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sys

import jwt
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

import peer_cli


def _status(not_before: dt.datetime, not_after: dt.datetime, now: dt.datetime) -> str:
    if now < not_before:
        return "not-yet-valid"
    if now >= not_after:
        return "expired"
    return "valid"


def _key_info(public_key) -> dict:
    if isinstance(public_key, rsa.RSAPublicKey):
        return {"algorithm": "RSA", "bits": public_key.key_size, "curve": None}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return {"algorithm": "EC", "bits": public_key.key_size, "curve": public_key.curve.name}
    return {"algorithm": type(public_key).__name__, "bits": None, "curve": None}


def _public_der(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def certificate_facts(cert: x509.Certificate, now: dt.datetime) -> dict:
    subject = cert.subject
    cn = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    issuer_cn = cert.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    return {
        "subject": subject.rfc4514_string(),
        "common_name": cn[0].value if cn else None,
        "organizations": [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)],
        "issuer": cert.issuer.rfc4514_string(),
        "issuer_common_name": issuer_cn[0].value if issuer_cn else None,
        "serial": format(cert.serial_number, "x"),
        "sha256_fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
        "not_before": not_before.isoformat(),
        "not_after": not_after.isoformat(),
        "status": _status(not_before, not_after, now),
        "remaining_seconds": int((not_after - now).total_seconds()),
        "key": _key_info(cert.public_key()),
        "signature_algorithm": cert.signature_algorithm_oid._name,
        "is_ca": is_ca,
        "self_issued": cert.subject == cert.issuer,
    }


def inventory(path: str, now: dt.datetime) -> list[dict]:
    with open(path, "rb") as f:
        config = yaml.load(f, Loader=yaml.CSafeLoader) or {}
    cas = {}
    for named in config.get("clusters") or []:
        data = (named.get("cluster") or {}).get("certificate-authority-data")
        if data:
            cas[named["name"]] = x509.load_pem_x509_certificate(base64.b64decode(data))
    clusters_of_user: dict[str, list[str]] = {}
    contexts_of_user: dict[str, list[str]] = {}
    for named in config.get("contexts") or []:
        ctx = named.get("context") or {}
        contexts_of_user.setdefault(ctx.get("user", ""), []).append(named["name"])
        clusters_of_user.setdefault(ctx.get("user", ""), []).append(ctx.get("cluster", ""))
    out = []
    for named in config.get("users") or []:
        user = named.get("user") or {}
        name = named["name"]
        record = {"user": name, "contexts": contexts_of_user.get(name, []), "clusters": clusters_of_user.get(name, [])}
        if user.get("client-certificate-data"):
            cert = x509.load_pem_x509_certificate(base64.b64decode(user["client-certificate-data"]))
            facts = certificate_facts(cert, now)
            key_matches = None
            if user.get("client-key-data"):
                key = serialization.load_pem_private_key(
                    base64.b64decode(user["client-key-data"]), password=None, unsafe_skip_rsa_key_validation=True
                )
                key_matches = _public_der(key.public_key()) == _public_der(cert.public_key())
            signed = None
            verdicts = []
            for cluster in record["clusters"]:
                ca = cas.get(cluster)
                if ca is not None:
                    try:
                        cert.verify_directly_issued_by(ca)
                        verdicts.append(True)
                    except Exception:
                        verdicts.append(False)
            if verdicts:
                signed = all(verdicts)
            out.append({**record, "kind": "client-certificate", **facts, "key_matches": key_matches,
                        "signed_by_cluster_ca": signed})
        if user.get("token"):
            token = user["token"]
            try:
                claims = jwt.decode(token, options={"verify_signature": False})
                header = jwt.get_unverified_header(token)
            except jwt.PyJWTError:
                out.append({**record, "kind": "token", "format": "opaque", "status": "unknown"})
                continue
            exp = claims.get("exp")
            not_after = dt.datetime.fromtimestamp(exp, dt.timezone.utc) if exp is not None else None
            iat = claims.get("iat")
            out.append({
                **record,
                "kind": "token",
                "format": "jwt",
                "algorithm": header.get("alg"),
                "subject": claims.get("sub"),
                "issuer": claims.get("iss"),
                "audience": claims.get("aud"),
                "not_before": dt.datetime.fromtimestamp(iat, dt.timezone.utc).isoformat() if iat else None,
                "not_after": not_after.isoformat() if not_after else None,
                "status": "unknown" if not_after is None else ("expired" if now >= not_after else "valid"),
                "remaining_seconds": int((not_after - now).total_seconds()) if not_after else None,
            })
    return out


def main(argv: list[str]) -> int:
    args, now = peer_cli.parse(argv)
    json.dump({"now": args.now, "credentials": inventory(args.file, now)}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
