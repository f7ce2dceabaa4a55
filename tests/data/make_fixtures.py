#!/usr/bin/env python3
"""Generate kcred's kubeconfig test fixtures.

How to run (from anywhere; Python >= 3.11):

    pip install cryptography pyjwt      # pyjwt optional: JWTs are hand-signed without it
    python3 tests/data/make_fixtures.py

What it makes (everything below is regenerated from scratch on each run; keys,
serials and token values are random, while the layout, names and every date are
fixed relative to NOW = 2026-01-01T00:00:00Z, Unix 1767225600):

  tests/data/platforms/<fixture>/config     one kubeconfig per fixture, in the shape
                                            the real tool writes (see README.md there)
  tests/data/platforms/<fixture>/...        side files some fixtures refer to
                                            (minikube cert files, a tokenFile)
  tests/data/platforms/expected.json        facts the Rust tests assert, per file / user
  tests/data/platforms/README.md            the expected.json schema and one line per
                                            fixture: what it mimics, the source checked
  tests/data/certs/*.crt|*.key|*.pem|*.b64  standalone PEM edge cases (+ their CAs)
  tests/data/certs/*-jwt-signer.pub.pem     public keys that verify the fixture JWTs
  examples/kubeconfigs/demo.yaml            multi-context kubeconfig for the README demo

Nothing else in the repository is touched.  All certificates and JWTs carry real
signatures.  All credentials are throw-away test values.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import string
import subprocess
import sys
import uuid
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fixturelib import b64, b64url  # tests/data/fixturelib.py, beside this script

try:  # PyJWT is preferred; a hand-rolled RS256 signer is the fallback.
    import jwt as pyjwt  # type: ignore
except ImportError:  # pragma: no cover
    pyjwt = None

# --------------------------------------------------------------------------- constants
NOW_UNIX = 1767225600
NOW = dt.datetime.fromtimestamp(NOW_UNIX, dt.timezone.utc)
assert NOW.isoformat() == "2026-01-01T00:00:00+00:00"
DAY = dt.timedelta(days=1)
YEAR = 365 * DAY  # "1 year" in this file always means 365 days

DATA = Path(__file__).resolve().parent          # tests/data
REPO = DATA.parent.parent
PLAT = DATA / "platforms"
CERTS = DATA / "certs"
EXAMPLES = REPO / "examples" / "kubeconfigs"

AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630"   # AKS AAD server app (same everywhere)
AKS_CLIENT_APP = "80faf920-1908-4b52-b5ef-a8e7bedfc67a"   # AKS AAD public client app
AKS_INSTALL_HINT = (
    "\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n"
    "\nTo learn more, please go to https://aka.ms/aks/kubelogin\n"
)
GKE_INSTALL_HINT = (
    "Install gke-gcloud-auth-plugin for use with kubectl by following "
    "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin"
)


def ts(t: dt.datetime) -> dict:
    """RFC 3339 UTC to the second + Unix seconds."""
    t = t.astimezone(dt.timezone.utc)
    return {"rfc3339": t.strftime("%Y-%m-%dT%H:%M:%SZ"), "unix": int(t.timestamp())}


def rfc3339(t: dt.datetime) -> str:
    return ts(t)["rfc3339"]


# --------------------------------------------------------------------------- keys & certs
def gen_key(kind: str = "rsa2048"):
    if kind == "rsa2048":
        return rsa.generate_private_key(65537, 2048)
    if kind == "rsa1024":
        return rsa.generate_private_key(65537, 1024)
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(kind)


def key_pem(key) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL   # "RSA PRIVATE KEY", as kubeadm writes
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL   # "EC PRIVATE KEY", as k3s writes
    else:
        fmt = serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption()).decode()


def pub_pem(key) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def rand_serial(nbytes: int = 16) -> int:
    """Random positive serial whose first byte is 0x10..0x7f, so the minimal lowercase
    hex of the integer equals the hex of the DER content bytes (no leading 00, no
    odd nibble)."""
    first = secrets.randbelow(0x70) + 0x10
    return int.from_bytes(bytes([first]) + secrets.token_bytes(nbytes - 1), "big")


def name(cn: str, orgs: list[str] | tuple = ()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def sign_hash(key, h):
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    return h or hashes.SHA256()


class CA:
    def __init__(self, cn: str, key_kind: str, not_before: dt.datetime, validity: dt.timedelta,
                 parent: "CA | None" = None, h=None, serial_bytes=16):
        self.key = gen_key(key_kind)
        self.cn = cn
        issuer_name = parent.cert.subject if parent else name(cn)
        signer = parent.key if parent else self.key
        b = (x509.CertificateBuilder()
             .subject_name(name(cn)).issuer_name(issuer_name)
             .public_key(self.key.public_key())
             .serial_number(rand_serial(serial_bytes))
             .not_valid_before(not_before).not_valid_after(not_before + validity)
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=isinstance(self.key, rsa.RSAPrivateKey),
                                          data_encipherment=False, key_agreement=False,
                                          key_cert_sign=True, crl_sign=False,
                                          encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False))
        if parent:
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()),
                                critical=False)
        self.cert = b.sign(signer, sign_hash(signer, h))
        self.pem = cert_pem(self.cert)

    def issue(self, cn, orgs=(), key=None, key_kind="rsa2048", not_before=None, not_after=None,
              validity=YEAR, h=None, serial_bytes=16):
        key = key or gen_key(key_kind)
        nb = not_before
        na = not_after or (nb + validity)
        cert = (x509.CertificateBuilder()
                .subject_name(name(cn, orgs)).issuer_name(self.cert.subject)
                .public_key(key.public_key())
                .serial_number(rand_serial(serial_bytes))
                .not_valid_before(nb).not_valid_after(na)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                             key_encipherment=isinstance(key, rsa.RSAPrivateKey),
                                             data_encipherment=False, key_agreement=False,
                                             key_cert_sign=False, crl_sign=False,
                                             encipher_only=False, decipher_only=False), critical=True)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                               critical=False)
                .sign(self.key, sign_hash(self.key, h if not isinstance(h, hashes.SHA1) else None)))
        if isinstance(h, hashes.SHA1):
            cert = resign_sha1(cert, self.key)
        return cert, key


def _der_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def _der(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + _der_len(len(body)) + body


def resign_sha1(cert: x509.Certificate, ca_key) -> x509.Certificate:
    """cryptography refuses to *build* SHA-1 certificates, so re-sign one by hand: patch the
    signature OID inside the TBS (sha256WithRSAEncryption ...1.11 -> sha1WithRSAEncryption
    ...1.5, same length), sign the TBS with RSA PKCS#1 v1.5 + SHA-1 and re-assemble the DER."""
    sha256_oid = bytes.fromhex("06092a864886f70d01010b")
    sha1_oid = bytes.fromhex("06092a864886f70d010105")
    tbs = cert.tbs_certificate_bytes
    assert tbs.count(sha256_oid) == 1
    tbs = tbs.replace(sha256_oid, sha1_oid)
    sig = ca_key.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    alg = _der(0x30, sha1_oid + b"\x05\x00")
    der = _der(0x30, tbs + alg + _der(0x03, b"\x00" + sig))
    out = x509.load_der_x509_certificate(der)
    assert out.signature_algorithm_oid.dotted_string == "1.2.840.113549.1.1.5"
    ca_key.public_key().verify(out.signature, out.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA1())
    return out


SIG_NAMES = {
    "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
    "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
    "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
    "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
    "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
    "1.3.101.112": "Ed25519",
}
CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


def verifies(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except Exception:
        pass
    if cert.signature_algorithm_oid.dotted_string == "1.2.840.113549.1.1.5" and cert.issuer == issuer.subject:
        try:
            issuer.public_key().verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(),
                                       hashes.SHA1())
            return True
        except Exception:
            return False
    return False


def chain_to(leaf, intermediates, roots) -> bool:
    """True if leaf chains to one of roots, optionally through intermediates."""
    frontier = [leaf]
    seen = set()
    while frontier:
        c = frontier.pop()
        if any(verifies(c, r) for r in roots):
            return True
        for i in intermediates:
            fp = i.fingerprint(hashes.SHA256())
            if fp not in seen and verifies(c, i):
                seen.add(fp)
                frontier.append(i)
    return False


def cert_facts(cert: x509.Certificate, key=None, ca_certs=(), intermediates=()) -> dict:
    def attrs(n, oid):
        return [a.value for a in n.get_attributes_for_oid(oid)]
    pk = cert.public_key()
    if isinstance(pk, rsa.RSAPublicKey):
        alg, size, curve = "RSA", pk.key_size, None
    elif isinstance(pk, ec.EllipticCurvePublicKey):
        alg, size, curve = "EC", pk.curve.key_size, CURVES[pk.curve.name]
    elif isinstance(pk, ed25519.Ed25519PublicKey):
        alg, size, curve = "Ed25519", 256, None
    else:  # pragma: no cover
        raise ValueError(pk)
    oid = cert.signature_algorithm_oid.dotted_string
    raw_pub = lambda k: k.public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)
    facts = {
        "subject_cn": (attrs(cert.subject, NameOID.COMMON_NAME) or [None])[0],
        "subject_o": attrs(cert.subject, NameOID.ORGANIZATION_NAME),
        "issuer_cn": (attrs(cert.issuer, NameOID.COMMON_NAME) or [None])[0],
        "serial": format(cert.serial_number, "x"),
        "sha256_fingerprint": cert.fingerprint(hashes.SHA256()).hex(),
        "not_before": ts(cert.not_valid_before_utc),
        "not_after": ts(cert.not_valid_after_utc),
        "key_algorithm": alg,
        "key_size": size,
        "key_curve": curve,
        "signature_algorithm": SIG_NAMES[oid],
        "signature_algorithm_oid": oid,
        "key_matches": None if key is None else raw_pub(key.public_key()) == raw_pub(pk),
        "signed_by_cluster_ca": None if not ca_certs else chain_to(cert, list(intermediates), list(ca_certs)),
        "chain_len": 1 + len(intermediates),
    }
    return facts


def cert_status(nb: dt.datetime, na: dt.datetime) -> str:
    if NOW < nb:
        return "not-yet-valid"
    if NOW >= na:
        return "expired"
    return "valid"


# --------------------------------------------------------------------------- JWTs
def sign_jwt(claims: dict, key, kid: str | None, typ: str | None = None) -> str:
    headers = {}
    if kid is not None:
        headers["kid"] = kid
    if pyjwt is not None:
        headers["typ"] = typ  # None removes PyJWT's default "typ": "JWT"
        tok = pyjwt.encode(claims, key, algorithm="RS256", headers=headers)
        # self-check: verify the signature (exp/nbf/aud not checked here)
        pyjwt.decode(tok, key.public_key(), algorithms=["RS256"],
                     options={"verify_exp": False, "verify_nbf": False, "verify_iat": False,
                              "verify_aud": False})
        return tok
    hdr = {"alg": "RS256"}
    hdr.update({k: v for k, v in headers.items() if v is not None})
    if typ:
        hdr["typ"] = typ
    signing_input = b64url(json.dumps(hdr, separators=(",", ":"))) + "." + \
        b64url(json.dumps(claims, separators=(",", ":")))
    sig = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(sig)


def jwt_facts(token: str, claims: dict, kid: str | None, signer_file: str, typ=None) -> dict:
    hdr = {"alg": "RS256"}
    if kid is not None:
        hdr["kid"] = kid
    if typ:
        hdr["typ"] = typ
    f = {"header": hdr}
    for c in ("iss", "sub", "aud", "exp", "iat", "nbf", "jti"):
        f[c] = claims.get(c)
    f["claims"] = claims
    f["signing_key"] = signer_file
    f["signature_valid"] = True
    return f


def jwt_expiry(claims: dict):
    if "exp" not in claims:
        return None, "no-expiry"
    exp = dt.datetime.fromtimestamp(claims["exp"], dt.timezone.utc)
    nbf = dt.datetime.fromtimestamp(claims["nbf"], dt.timezone.utc) if "nbf" in claims else None
    if nbf and NOW < nbf:
        return exp, "not-yet-valid"
    return exp, ("expired" if NOW >= exp else "valid")


# --------------------------------------------------------------------------- YAML emitter
class Lit(str):
    """Emit as a YAML literal block scalar."""


class Raw(str):
    """Emit verbatim (already YAML)."""


_NON_STR = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|0x[0-9a-fA-F_]+|0o?[0-7_]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*|[0-9]+(?::[0-5]?[0-9])+)$")


def _needs_quote(s: str) -> bool:
    if s == "" or s != s.strip() or "\t" in s:
        return True
    if s[0] in "?:,[]{}#&*!|>'\"%@`":
        return True
    if s[0] == "-" and (len(s) == 1 or s[1] == " "):
        return True
    if ": " in s or " #" in s or s.endswith(":"):
        return True
    return bool(_NON_STR.match(s))


def y_scalar(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if _needs_quote(s):
        return "'" + s.replace("'", "''") + "'"
    return s


def _lit_header(s: str) -> str:
    h = "|"
    if s.startswith(("\n", " ")):
        h += "2"
    if not s.endswith("\n"):
        h += "-"
    elif s.endswith("\n\n"):
        h += "+"
    return h


def emit(obj, indent: int = 0) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, dict):
                if v:
                    out.append(f"{pad}{k}:")
                    out += emit(v, indent + 2)
                else:
                    out.append(f"{pad}{k}: {{}}")
            elif isinstance(v, list):
                if v:
                    out.append(f"{pad}{k}:")
                    out += emit(v, indent)      # Go/PyYAML style: "- " at the key's indent
                else:
                    out.append(f"{pad}{k}: []")
            elif isinstance(v, Raw):
                out.append(f"{pad}{k}: {v}")
            elif isinstance(v, Lit):
                out.append(f"{pad}{k}: {_lit_header(v)}")
                body = v[:-1] if v.endswith("\n") else v
                for line in body.split("\n"):
                    out.append(f"{pad}  {line}" if line else "")
            else:
                out.append(f"{pad}{k}: {y_scalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, (dict, list)) and item:
                sub = emit(item, indent + 2)
                sub[0] = pad + "- " + sub[0][indent + 2:]
                out += sub
            else:
                out.append(f"{pad}- {y_scalar(item)}")
    else:
        out.append(pad + y_scalar(obj))
    return out


def to_yaml(obj, header: str = "") -> str:
    return header + "\n".join(emit(obj)) + "\n"


# --------------------------------------------------------------------------- kubeconfig helpers
def kubeconfig(clusters, contexts, users, current, preferences=True) -> dict:
    """Top-level layout written by client-go's clientcmd (keys in alphabetical order)."""
    d = {"apiVersion": "v1", "clusters": clusters, "contexts": contexts,
         "current-context": current, "kind": "Config"}
    if preferences:
        d["preferences"] = {}
    d["users"] = users
    return d


def cluster(name_, server, ca_pem=None, **extra):
    c = {}
    if ca_pem is not None:
        c["certificate-authority-data"] = b64(ca_pem)
    c.update({k.replace("_", "-"): v for k, v in extra.items() if k not in ("extensions",)})
    c["server"] = server
    return {"cluster": dict(sorted(c.items())), "name": name_}


def context(name_, cluster_, user, namespace=None):
    c = {"cluster": cluster_}
    if namespace:
        c["namespace"] = namespace
    c["user"] = user
    return {"context": c, "name": name_}


def cert_user(name_, cert, key, token=None):
    u = {"client-certificate-data": b64(cert_pem(cert)), "client-key-data": b64(key_pem(key))}
    if token:
        u["token"] = token
    return {"name": name_, "user": u}


# --------------------------------------------------------------------------- state
FILES: dict[str, dict] = {}     # expected.json "files"
CERT_FILES: dict[str, dict] = {}  # expected.json "certs"
README_ROWS: list[tuple[str, str, str]] = []


def write(path: Path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


def add_fixture(fixture: str, cfg: dict, users: dict, mimics: str, source: str,
                secrets_: list[str], filename: str = "config", notes: str | None = None,
                header: str = ""):
    rel = f"{fixture}/{filename}"
    text = to_yaml(cfg, header)
    write(PLAT / rel, text)
    ctxs = [{"name": c["name"], "cluster": c["context"].get("cluster"),
             "user": c["context"].get("user"), "namespace": c["context"].get("namespace")}
            for c in cfg.get("contexts", [])]
    for uname, u in users.items():
        u["referenced_by_contexts"] = [c["name"] for c in ctxs if c["user"] == uname]
    entry = {
        "mimics": mimics,
        "current_context": cfg.get("current-context"),
        "contexts": ctxs,
        "users": users,
        "secrets": sorted(set(s for s in secrets_ if s)),
    }
    if notes:
        entry["notes"] = notes
    FILES[rel] = entry
    README_ROWS.append((rel, mimics, source))
    return text


def summarize(creds: dict) -> dict:
    """Combine per-credential expiry into the user-level "expiry"/"status"."""
    exps = [c["expiry"] for c in creds["credentials"] if c.get("expiry")]
    stats = [c["status"] for c in creds["credentials"]]
    creds["kinds"] = [c["kind"] for c in creds["credentials"]]
    creds["expiry"] = min(exps, key=lambda e: e["unix"]) if exps else None
    order = ["invalid", "expired", "not-yet-valid", "valid", "no-expiry", "unknown"]
    if "invalid" in stats:
        creds["status"] = "invalid"
    elif creds["expiry"] is not None:
        # the earliest-expiring dated credential decides
        first = [c for c in creds["credentials"] if c.get("expiry") == creds["expiry"]][0]
        creds["status"] = first["status"] if "not-yet-valid" not in stats else "not-yet-valid"
    else:
        creds["status"] = min(stats, key=order.index) if stats else "unknown"
    return creds


def cred_cert(cert, key, ca_certs, intermediates=(), **extra) -> dict:
    f = cert_facts(cert, key, ca_certs, intermediates)
    c = {"kind": "client-certificate", "certificate": f,
         "expiry": f["not_after"],
         "status": cert_status(cert.not_valid_before_utc, cert.not_valid_after_utc)}
    c.update(extra)
    return c


def cred_jwt_token(tok, claims, kid, signer, kind="token", typ=None, **extra) -> dict:
    exp, status = jwt_expiry(claims)
    c = {"kind": kind, "format": "jwt", "jwt": jwt_facts(tok, claims, kid, signer, typ),
         "expiry": ts(exp) if exp else None, "status": status}
    c.update(extra)
    return c


def cred_opaque(kind="token", fmt="opaque", **extra) -> dict:
    c = {"kind": kind, "format": fmt, "expiry": None, "status": "unknown"}
    c.update(extra)
    return c


def cred_exec(exec_: dict, facts: dict) -> dict:
    env = {e["name"]: e["value"] for e in (exec_.get("env") or [])}
    return {"kind": "exec", "expiry": None, "status": "unknown",
            "exec": {"command": exec_["command"], "args": exec_.get("args", []),
                     "api_version": exec_["apiVersion"], "env": env,
                     "install_hint": exec_.get("installHint"),
                     "provide_cluster_info": exec_.get("provideClusterInfo", False),
                     "interactive_mode": exec_.get("interactiveMode"),
                     **facts}}


def invalid(kind: str, error: str, **extra) -> dict:
    c = {"kind": kind, "expiry": None, "status": "invalid", "error": error}
    c.update(extra)
    return c


# =========================================================================== fixtures
def fx_kubeadm():
    ca = CA("kubernetes", "rsa2048", NOW - 30 * DAY, 10 * YEAR, serial_bytes=8)
    server = "https://192.168.56.10:6443"
    for fixture, uname, orgs, fname in (
            ("kubeadm-admin", "kubernetes-admin", ["kubeadm:cluster-admins"], "admin.conf"),
            ("kubeadm-super-admin", "kubernetes-super-admin", ["system:masters"], "super-admin.conf")):
        cert, key = ca.issue(uname, orgs, not_before=NOW - 30 * DAY, validity=YEAR, serial_bytes=8)
        ctx = f"{uname}@kubernetes"
        cfg = kubeconfig([cluster("kubernetes", server, ca.pem)],
                         [context(ctx, "kubernetes", uname)],
                         [cert_user(uname, cert, key)], ctx)
        u = cert_user(uname, cert, key)
        users = {uname: summarize({"credentials": [cred_cert(cert, key, [ca.cert])]})}
        add_fixture(fixture, cfg, users,
                    f"kubeadm >= 1.29 /etc/kubernetes/{fname}",
                    "kubernetes.io kubeadm docs (admin.conf: O=kubeadm:cluster-admins, CN=kubernetes-admin; super-admin.conf: "
                    "O=system:masters, CN=kubernetes-super-admin), seen via code search",
                    [u["user"]["client-key-data"]])


def aks_names():
    return "rg-platform", "aks-prod-weu"


def fx_aks_admin():
    rg, nm = aks_names()
    ca = CA("ca", "rsa2048", NOW - 100 * DAY, 30 * YEAR)
    server = f"https://{nm}-dns-7f3a1c2e.hcp.westeurope.azmk8s.io:443"
    cert, key = ca.issue("masterclient", ["system:masters"], not_before=NOW - 100 * DAY, validity=2 * YEAR)
    token = secrets.token_hex(32)
    uname = f"clusterAdmin_{rg}_{nm}"
    u = cert_user(uname, cert, key, token=token)
    cfg = kubeconfig([cluster(nm, server, ca.pem)], [context(f"{nm}-admin", nm, uname)], [u], f"{nm}-admin")
    users = {uname: summarize({"credentials": [
        cred_cert(cert, key, [ca.cert]),
        cred_opaque(token_length=64, token_charset="hex")]})}
    add_fixture("aks-admin", cfg, users, "az aks get-credentials --admin (AKS local admin: cert CN=masterclient "
                "O=system:masters + static 64-hex token)",
                "Azure/kubelogin docs/book/src/concepts/aks.md (app IDs); user/context naming and masterclient cert + "
                "token from AKS knowledge, not re-checked against a live file",
                [token, u["user"]["client-key-data"]])


def kubelogin_exec(args, env=None, hint=AKS_INSTALL_HINT):
    """exec block as written back by kubelogin convert-kubeconfig (clientcmd.ModifyConfig)."""
    return {"apiVersion": "client.authentication.k8s.io/v1beta1", "args": args, "command": "kubelogin",
            "env": env, "installHint": Lit(hint), "interactiveMode": "IfAvailable",
            "provideClusterInfo": False}


def fx_aks_kubelogin():
    rg, nm = aks_names()
    tenant = str(uuid.uuid4())
    ca = CA("ca", "rsa2048", NOW - 100 * DAY, 30 * YEAR)
    server = f"https://{nm}-dns-7f3a1c2e.hcp.westeurope.azmk8s.io:443"
    uname = f"clusterUser_{rg}_{nm}"
    spn_id = str(uuid.uuid4())
    spn_secret = "Xq8Q~" + "".join(secrets.choice(string.ascii_letters + string.digits + "~._-") for _ in range(35))
    msi_id = str(uuid.uuid4())
    base = ["get-token", "--login"]
    modes = {
        "devicecode": (base + ["devicecode", "--server-id", AKS_SERVER_APP, "--client-id", AKS_CLIENT_APP,
                               "--tenant-id", tenant, "--environment", "AzurePublicCloud"], None, []),
        "interactive": (base + ["interactive", "--server-id", AKS_SERVER_APP, "--client-id", AKS_CLIENT_APP,
                                "--tenant-id", tenant, "--environment", "AzurePublicCloud"], None, []),
        "spn": (base + ["spn", "--server-id", AKS_SERVER_APP, "--client-id", spn_id, "--tenant-id", tenant,
                        "--environment", "AzurePublicCloud"],
                [{"name": "AAD_SERVICE_PRINCIPAL_CLIENT_ID", "value": spn_id},
                 {"name": "AAD_SERVICE_PRINCIPAL_CLIENT_SECRET", "value": spn_secret}], [spn_secret]),
        "azurecli": (base + ["azurecli", "--server-id", AKS_SERVER_APP], None, []),
        "msi": (base + ["msi", "--server-id", AKS_SERVER_APP, "--client-id", msi_id], None, []),
        "workloadidentity": (base + ["workloadidentity", "--server-id", AKS_SERVER_APP], None, []),
        # --login omitted; kubelogin reads AAD_LOGIN_METHOD from the environment instead
        "envlogin": (["get-token", "--server-id", AKS_SERVER_APP, "--client-id", AKS_CLIENT_APP,
                      "--tenant-id", tenant, "--environment", "AzurePublicCloud"],
                     [{"name": "AAD_LOGIN_METHOD", "value": "azurecli"}], []),
    }
    for mode, (args, env, sec) in modes.items():
        ex = kubelogin_exec(args, env)
        cfg = kubeconfig([cluster(nm, server, ca.pem)], [context(nm, nm, uname)],
                         [{"name": uname, "user": {"exec": ex}}], nm)
        argv = dict(zip(args[1::1], args[2::1]))
        login = argv.get("--login") or {e["name"]: e["value"] for e in env or []}.get("AAD_LOGIN_METHOD")
        facts = {"plugin": "kubelogin", "login_mode": login, "login_mode_source":
                 "args" if "--login" in args else "env:AAD_LOGIN_METHOD",
                 "server_id": AKS_SERVER_APP, "tenant_id": argv.get("--tenant-id"),
                 "client_id": argv.get("--client-id"),
                 "secret_env": [e["name"] for e in env or [] if "SECRET" in e["name"]]}
        users = {uname: summarize({"credentials": [cred_exec(ex, facts)]})}
        add_fixture(f"aks-kubelogin-{mode}", cfg, users,
                    f"kubelogin convert-kubeconfig -l {mode} output" if mode != "envlogin" else
                    "kubelogin exec with --login omitted, login method from env AAD_LOGIN_METHOD",
                    "Azure/kubelogin pkg/internal/converter/convert.go (arg order, v1beta1, installHint kept, "
                    "--server-id always); docs/book/src/concepts/login-modes/*.md"
                    + ("; env block hand-added as in login-modes/sp.md" if env else ""),
                    sec)
    # az aks get-credentials (non-admin, AAD cluster) as newer az writes it: kubelogin devicecode
    args = ["get-token", "--environment", "AzurePublicCloud", "--server-id", AKS_SERVER_APP,
            "--client-id", AKS_CLIENT_APP, "--tenant-id", tenant, "--login", "devicecode"]
    ex = {"apiVersion": "client.authentication.k8s.io/v1beta1", "args": args, "command": "kubelogin",
          "env": None, "installHint": Lit(AKS_INSTALL_HINT), "provideClusterInfo": False}
    cfg = kubeconfig([cluster(nm, server, ca.pem)], [context(nm, nm, uname)],
                     [{"name": uname, "user": {"exec": ex}}], nm)
    facts = {"plugin": "kubelogin", "login_mode": "devicecode", "login_mode_source": "args",
             "server_id": AKS_SERVER_APP, "tenant_id": tenant, "client_id": AKS_CLIENT_APP, "secret_env": []}
    add_fixture("aks-user-devicecode", cfg, {uname: summarize({"credentials": [cred_exec(ex, facts)]})},
                "az aks get-credentials (user, AAD-enabled cluster) -> exec kubelogin devicecode",
                "Azure/kubelogin docs (concepts/aks.md, cli/get-token.md); az/AKS arg order from knowledge", [])


def eks_presigned_token(cluster_name: str, region: str, amz: dt.datetime):
    """A real SigV4 presigned STS GetCallerIdentity URL, wrapped as aws-iam-authenticator does."""
    ak = "AKIA" + "".join(secrets.choice(string.ascii_uppercase + "234567") for _ in range(16))
    sk = b64(secrets.token_bytes(30))
    host = f"sts.{region}.amazonaws.com"
    amz_date = amz.strftime("%Y%m%dT%H%M%SZ")
    scope = f"{amz_date[:8]}/{region}/sts/aws4_request"
    q = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15"),
         ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Credential", f"{ak}/{scope}"),
         ("X-Amz-Date", amz_date), ("X-Amz-Expires", "60"), ("X-Amz-SignedHeaders", "host;x-k8s-aws-id")]
    from urllib.parse import quote
    cq = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(q))
    creq = "\n".join(["GET", "/", cq, f"host:{host}", f"x-k8s-aws-id:{cluster_name}", "",
                      "host;x-k8s-aws-id", hashlib.sha256(b"").hexdigest()])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(creq.encode()).hexdigest()])
    k = ("AWS4" + sk).encode()
    for part in (amz_date[:8], region, "sts", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    url = f"https://{host}/?{cq}&X-Amz-Signature={sig}"
    return "k8s-aws-v1." + b64url(url), url, ak


def fx_eks():
    region, nm, acct = "eu-west-1", "payments-prod", "111122223333"
    arn = f"arn:aws:eks:{region}:{acct}:cluster/{nm}"
    ca = CA("kubernetes", "rsa2048", NOW - 200 * DAY, 10 * YEAR)
    server = f"https://9A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.{region}.eks.amazonaws.com"
    role = f"arn:aws:iam::{acct}:role/eks-admins"

    def aws_user(uname, role_flag, profile):
        args = ["--region", region, "eks", "get-token", "--cluster-name", nm, "--output", "json"]
        if role_flag:
            args += [role_flag, role]
        ex = {"apiVersion": "client.authentication.k8s.io/v1beta1", "args": args, "command": "aws"}
        if profile:
            ex["env"] = [{"name": "AWS_PROFILE", "value": profile}]
        facts = {"plugin": "aws-eks-get-token", "cluster_name": nm, "region": region,
                 "role_arn": role if role_flag else None, "aws_profile": profile}
        return {"name": uname, "user": {"exec": ex}}, cred_exec(ex, facts)

    u1, c1 = aws_user(arn, "--role-arn", "prod")
    u2, c2 = aws_user(f"{arn}-legacy-role-flag", "--role", None)
    cfg = kubeconfig([cluster(arn, server, ca.pem)],
                     [context(arn, arn, arn), context(f"{arn}-legacy-role-flag", arn, f"{arn}-legacy-role-flag")],
                     [u1, u2], arn)
    add_fixture("eks", cfg, {u1["name"]: summarize({"credentials": [c1]}),
                             u2["name"]: summarize({"credentials": [c2]})},
                "aws eks update-kubeconfig --name payments-prod --region eu-west-1 --role-arn ... (AWS_PROFILE=prod)",
                "aws/aws-cli awscli/customizations/eks/update_kubeconfig.py (ARN names, args order, env AWS_PROFILE; "
                "older CLIs write the role as '--role', second user; newer add '--output json')", [],
                notes="user 1 uses --role-arn (get-token's documented flag); user 2 uses --role as older "
                      "update-kubeconfig wrote it (argparse prefix of --role-arn)")

    # aws-iam-authenticator
    ex = {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "aws-iam-authenticator",
          "args": ["token", "-i", nm]}
    cfg = kubeconfig([cluster("kubernetes", server, ca.pem)], [context("aws", "kubernetes", "aws")],
                     [{"name": "aws", "user": {"exec": ex}}], "aws")
    add_fixture("eks-iam-authenticator", cfg, {"aws": summarize({"credentials": [cred_exec(ex, {
        "plugin": "aws-iam-authenticator", "cluster_name": nm, "region": None, "role_arn": None,
        "aws_profile": None})]})},
        "aws-iam-authenticator token -i <cluster> exec (EKS docs / terraform kubeconfig templates)",
        "public EKS kubeconfig.tpl templates (code corpus: exec aws-iam-authenticator token -i <cluster>)", [])

    # static k8s-aws-v1. token
    amz = NOW - dt.timedelta(minutes=5)
    tok, url, ak = eks_presigned_token(nm, region, amz)
    cfg = kubeconfig([cluster(arn, server, ca.pem)], [context(arn, arn, "eks-token")],
                     [{"name": "eks-token", "user": {"token": tok}}], arn)
    cred = {"kind": "token", "format": "eks-presigned-url",
            "eks": {"presigned_url": url, "sts_host": f"sts.{region}.amazonaws.com", "cluster_id": nm,
                    "x_amz_date": ts(amz), "x_amz_expires": 60, "access_key_id": ak,
                    "region": region},
            "expiry": ts(amz + dt.timedelta(minutes=15)), "status": "valid"}
    add_fixture("eks-static-token", cfg, {"eks-token": summarize({"credentials": [cred]})},
                "static bearer token from 'aws eks get-token' (k8s-aws-v1.<base64url presigned STS URL>)",
                "aws-iam-authenticator token format (k8s-aws-v1. prefix, X-Amz-Expires=60, 15 min server-side "
                "validity, x-k8s-aws-id signed header) from knowledge; not re-checked this session", [tok],
                notes="expiry = X-Amz-Date + 15 min (server-side limit), not X-Amz-Expires")


def fx_gke():
    proj, loc, nm = "acme-platform", "europe-west1", "web-prod"
    full = f"gke_{proj}_{loc}_{nm}"
    ca = CA("b7c1e6a2-5f0d-4b8e-9a31-2c4d6e8f0a1b", "rsa2048", NOW - 300 * DAY, 30 * YEAR)
    ex = {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "gke-gcloud-auth-plugin",
          "installHint": GKE_INSTALL_HINT, "provideClusterInfo": True}
    cfg = kubeconfig([cluster(full, "https://34.78.12.201", ca.pem)], [context(full, full, full)],
                     [{"name": full, "user": {"exec": ex}}], full)
    add_fixture("gke", cfg, {full: summarize({"credentials": [cred_exec(ex, {
        "plugin": "gke-gcloud-auth-plugin", "project": proj, "location": loc, "cluster_name": nm})]})},
        "gcloud container clusters get-credentials web-prod --region europe-west1 (gke-gcloud-auth-plugin)",
        "public GKE kubeconfig templates in code corpus (exec gke-gcloud-auth-plugin, installHint, "
        "provideClusterInfo: true); cloud.google.com 'kubectl auth changes in GKE'", [])


def fx_oidc(signer):
    issuer, client_id = "https://dex.example.com", "kubernetes"
    client_secret = secrets.token_urlsafe(24)
    ca = CA("kubernetes", "rsa2048", NOW - 30 * DAY, 10 * YEAR)
    server = "https://k8s.example.com:6443"
    ex = {"apiVersion": "client.authentication.k8s.io/v1beta1",
          "args": ["oidc-login", "get-token", f"--oidc-issuer-url={issuer}", f"--oidc-client-id={client_id}",
                   f"--oidc-client-secret={client_secret}"],
          "command": "kubectl", "env": None, "interactiveMode": "IfAvailable", "provideClusterInfo": False}
    cfg = kubeconfig([cluster("k8s", server, ca.pem)], [context("oidc@k8s", "k8s", "oidc")],
                     [{"name": "oidc", "user": {"exec": ex}}], "oidc@k8s")
    add_fixture("oidc-login", cfg, {"oidc": summarize({"credentials": [cred_exec(ex, {
        "plugin": "kubelogin-oidc", "issuer_url": issuer, "client_id": client_id,
        "secret_args": ["--oidc-client-secret"]})]})},
        "int128/kubelogin 'kubectl oidc-login setup' output (exec kubectl oidc-login get-token)",
        "int128/kubelogin README setup output (from knowledge; not re-checked this session)",
        [client_secret])

    claims = {"iss": issuer, "sub": "CiQ5MmY0ZjFjMi1hMWIyLTQzYzQtOGQ1ZS02ZjdhOGI5YzBkMWUSBWxvY2Fs",
              "aud": client_id, "exp": NOW_UNIX + 3600, "iat": NOW_UNIX, "nonce": secrets.token_hex(8),
              "at_hash": b64url(secrets.token_bytes(16)), "email": "jane@example.com", "email_verified": True,
              "groups": ["platform-admins"], "name": "Jane Doe"}
    kid = secrets.token_hex(20)
    idt = sign_jwt(claims, signer[0], kid)
    refresh = "ChlvY" + secrets.token_urlsafe(40)
    ap = {"config": {"client-id": client_id, "client-secret": client_secret, "id-token": idt,
                     "idp-issuer-url": issuer, "refresh-token": refresh}, "name": "oidc"}
    cfg = kubeconfig([cluster("k8s", server, ca.pem)], [context("jane@k8s", "k8s", "jane@example.com")],
                     [{"name": "jane@example.com", "user": {"auth-provider": ap}}], "jane@k8s")
    add_fixture("oidc-auth-provider", cfg, {"jane@example.com": summarize({"credentials": [
        cred_jwt_token(idt, claims, kid, signer[1], kind="auth-provider", provider="oidc", token_field="id-token",
                       idp_issuer_url=issuer, client_id=client_id)]})},
        "kubectl config set-credentials --auth-provider=oidc (legacy client-go oidc auth-provider)",
        "kubernetes.io 'Authenticating' OIDC auth-provider keys (from knowledge; not re-checked this session)",
        [client_secret, idt, refresh])


def fx_legacy(signer):
    tenant = str(uuid.uuid4())
    ca = CA("ca", "rsa2048", NOW - 400 * DAY, 30 * YEAR)
    nm = "aks-legacy"
    server = f"https://{nm}-dns-1b2c3d4e.hcp.eastus.azmk8s.io:443"
    iat = NOW_UNIX - 600
    claims = {"aud": AKS_SERVER_APP, "iss": f"https://sts.windows.net/{tenant}/", "iat": iat, "nbf": iat,
              "exp": NOW_UNIX + 3600, "acr": "1", "amr": ["pwd", "mfa"], "appid": AKS_CLIENT_APP,
              "appidacr": "0", "family_name": "Doe", "given_name": "Jane", "name": "Jane Doe",
              "oid": str(uuid.uuid4()), "scp": "user.read", "sub": b64url(secrets.token_bytes(32)),
              "tid": tenant, "unique_name": "jane@contoso.com", "upn": "jane@contoso.com",
              "uti": b64url(secrets.token_bytes(16)), "ver": "1.0"}
    kid = b64url(secrets.token_bytes(20))
    at = sign_jwt(claims, signer[0], kid, typ="JWT")
    refresh = "0.AXoA" + secrets.token_urlsafe(180)
    ap = {"config": {"access-token": at, "apiserver-id": AKS_SERVER_APP, "client-id": AKS_CLIENT_APP,
                     "config-mode": "1", "environment": "AzurePublicCloud", "expires-in": str(NOW_UNIX + 3600 - iat),
                     "expires-on": str(NOW_UNIX + 3600), "refresh-token": refresh, "tenant-id": tenant},
          "name": "azure"}
    uname = f"clusterUser_rg-legacy_{nm}"
    cfg = kubeconfig([cluster(nm, server, ca.pem)], [context(nm, nm, uname)],
                     [{"name": uname, "user": {"auth-provider": ap}}], nm)
    c = cred_jwt_token(at, claims, kid, signer[1], kind="auth-provider", typ="JWT", provider="azure",
                       token_field="access-token", expires_on=ts(NOW + dt.timedelta(hours=1)),
                       tenant_id=tenant, apiserver_id=AKS_SERVER_APP, client_id=AKS_CLIENT_APP,
                       environment="AzurePublicCloud")
    add_fixture("legacy-azure-auth-provider", cfg, {uname: summarize({"credentials": [c]})},
                "pre-1.25 az aks get-credentials (auth-provider azure, after first login wrote tokens)",
                "Azure/kubelogin convert.go + client-go plugin/pkg/client/auth/azure constants (client-id, tenant-id, "
                "access-token, refresh-token, expires-in, expires-on, environment, apiserver-id, config-mode)",
                [at, refresh])

    proj, loc = "acme-platform", "us-central1-a"
    full = f"gke_{proj}_{loc}_legacy"
    ca = CA("5e4f3a2b-legacy", "rsa2048", NOW - 900 * DAY, 30 * YEAR)
    access = "ya29.a0AfB_by" + "".join(secrets.choice(string.ascii_letters + string.digits + "-_")
                                       for _ in range(150))
    exp = NOW + dt.timedelta(hours=1)
    ap = {"config": {"access-token": access, "cmd-args": "config config-helper --format=json",
                     "cmd-path": "/usr/lib/google-cloud-sdk/bin/gcloud", "expiry": rfc3339(exp),
                     "expiry-key": "{.credential.token_expiry}", "token-key": "{.credential.access_token}"},
          "name": "gcp"}
    cfg = kubeconfig([cluster(full, "https://35.202.18.44", ca.pem)], [context(full, full, full)],
                     [{"name": full, "user": {"auth-provider": ap}}], full)
    c = {"kind": "auth-provider", "provider": "gcp", "format": "opaque", "token_field": "access-token",
         "cmd_path": "/usr/lib/google-cloud-sdk/bin/gcloud", "cmd_args": "config config-helper --format=json",
         "expiry": ts(exp), "status": "valid"}
    add_fixture("legacy-gcp-auth-provider", cfg, {full: summarize({"credentials": [c]})},
                "pre-1.26 gcloud container clusters get-credentials (auth-provider gcp)",
                "client-go gcp auth-provider keys (access-token, expiry RFC3339, cmd-path, cmd-args, token-key, "
                "expiry-key) from knowledge; not re-checked this session", [access])


def fx_kind():
    ca = CA("kubernetes", "rsa2048", NOW - 10 * DAY, 10 * YEAR, serial_bytes=8)
    cert, key = ca.issue("kubernetes-admin", ["kubeadm:cluster-admins"], not_before=NOW - 10 * DAY,
                         validity=YEAR, serial_bytes=8)
    u = cert_user("kind-kind", cert, key)
    cfg = kubeconfig([cluster("kind-kind", "https://127.0.0.1:40127", ca.pem)],
                     [context("kind-kind", "kind-kind", "kind-kind")], [u], "kind-kind")
    add_fixture("kind", cfg, {"kind-kind": summarize({"credentials": [cred_cert(cert, key, [ca.cert])]})},
                "kind create cluster (kind-kind; kubeadm admin cert O=kubeadm:cluster-admins)",
                "kind's kubeconfig naming (kind-<name>) and kubeadm admin cert, from knowledge; not re-checked this session",
                [u["user"]["client-key-data"]])
    return ca, cert, key


def fx_k3s():
    t0 = NOW - 60 * DAY
    server_ca = CA(f"k3s-server-ca@{int(t0.timestamp())}", "p256", t0, 10 * YEAR)
    client_ca = CA(f"k3s-client-ca@{int(t0.timestamp())}", "p256", t0, 10 * YEAR)
    cert, key = client_ca.issue("system:admin", ["system:masters"], key_kind="p256", not_before=t0, validity=YEAR)
    bundle = cert_pem(cert) + client_ca.pem   # k3s bundles the client CA after the leaf
    u = {"name": "default", "user": {"client-certificate-data": b64(bundle), "client-key-data": b64(key_pem(key))}}
    cfg = kubeconfig([cluster("default", "https://127.0.0.1:6443", server_ca.pem)],
                     [context("default", "default", "default")], [u], "default")
    c = cred_cert(cert, key, [server_ca.cert], [client_ca.cert])
    add_fixture("k3s", cfg, {"default": summarize({"credentials": [c]})},
                "k3s /etc/rancher/k3s/k3s.yaml (ECDSA P-256; client cert + k3s-client-ca bundled)",
                "techmarmot.com k3s.yaml page (path, system:admin / system:masters); 'default' names, EC CAs "
                "k3s-server-ca@/k3s-client-ca@ and bundled client CA from knowledge",
                [u["user"]["client-key-data"]],
                notes="certificate-authority-data is the *server* CA; the client cert is issued by the separate "
                      "client CA bundled as 2nd PEM block, so signed_by_cluster_ca is false (true k3s behaviour)")


def fx_minikube():
    t0 = NOW - 200 * DAY
    ca = CA("minikubeCA", "rsa2048", t0, 10 * YEAR)
    cert, key = ca.issue("minikube-user", ["system:masters"], not_before=t0, validity=3 * YEAR)
    d = PLAT / "minikube" / "profiles" / "minikube"
    write(d / "client.crt", cert_pem(cert))
    write(d / "client.key", key_pem(key))
    write(d / "ca.crt", ca.pem)
    ext = [{"extension": {"last-update": "Sat, 14 Jun 2025 10:00:00 UTC", "provider": "minikube.sigs.k8s.io",
                          "version": "v1.36.0"}, "name": "cluster_info"}]
    cext = [{"extension": {"last-update": "Sat, 14 Jun 2025 10:00:00 UTC", "provider": "minikube.sigs.k8s.io",
                           "version": "v1.36.0"}, "name": "context_info"}]
    cfg = kubeconfig(
        [{"cluster": {"certificate-authority": "profiles/minikube/ca.crt", "extensions": ext,
                      "server": "https://192.168.49.2:8443"}, "name": "minikube"}],
        [{"context": {"cluster": "minikube", "extensions": cext, "namespace": "default", "user": "minikube"},
          "name": "minikube"}],
        [{"name": "minikube", "user": {"client-certificate": "profiles/minikube/client.crt",
                                       "client-key": "profiles/minikube/client.key"}}], "minikube")
    c = cred_cert(cert, key, [ca.cert], client_certificate_path="profiles/minikube/client.crt",
                  client_key_path="profiles/minikube/client.key", certificate_authority_path="profiles/minikube/ca.crt")
    add_fixture("minikube", cfg, {"minikube": summarize({"credentials": [c]})},
                "minikube start (file refs ~/.minikube/profiles/minikube/client.{crt,key}, ca.crt; extensions block)",
                "pet2cattle.com 'kubeconfig format' (minikube example); deepwiki kubernetes/minikube certificate "
                "management (minikubeCA, minikube-user, 3y CertExpiration)",
                [b64(key_pem(key)), key_pem(key).splitlines()[1]],
                notes="paths are relative to the kubeconfig's directory (kubectl resolves them so)")


def fx_openshift():
    tok = "sha256~" + b64url(secrets.token_bytes(32))
    assert len(tok) == 7 + 43
    cl = "api-crc-testing:6443"
    u = f"admin/{cl}"
    ctx = f"default/{cl}/admin"
    cfg = kubeconfig([cluster(cl, "https://api.crc.testing:6443", insecure_skip_tls_verify=True)],
                     [context(ctx, cl, u, namespace="default")], [{"name": u, "user": {"token": tok}}], ctx)
    add_fixture("openshift", cfg, {u: summarize({"credentials": [cred_opaque(fmt="openshift-sha256")]})},
                "oc login -u admin https://api.crc.testing:6443 (CRC; sha256~ OAuth access token)",
                "docs.openshift.com 'Managing CLI profiles' (user <name>/<cluster>, context <ns>/<cluster>/<user>)",
                [tok])


def sa_signer():
    k = gen_key("rsa2048")
    der = k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = b64url(hashlib.sha256(der).digest())   # kube-apiserver's kid = base64url(sha256(SPKI DER))
    return k, kid


def fx_sa(sa_key, sa_kid, sa_file):
    ca = CA("kubernetes", "rsa2048", NOW - 30 * DAY, 10 * YEAR)
    server = "https://10.0.0.1:6443"
    ns, sa, sa_uid = "ci", "deployer", str(uuid.uuid4())
    legacy = {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": ns,
              "kubernetes.io/serviceaccount/secret.name": f"{sa}-token-x7k2p",
              "kubernetes.io/serviceaccount/service-account.name": sa,
              "kubernetes.io/serviceaccount/service-account.uid": sa_uid,
              "sub": f"system:serviceaccount:{ns}:{sa}"}
    tok = sign_jwt(legacy, sa_key, sa_kid)
    cfg = kubeconfig([cluster("kubernetes", server, ca.pem)], [context(f"{sa}@kubernetes", "kubernetes", sa, ns)],
                     [{"name": sa, "user": {"token": tok}}], f"{sa}@kubernetes")
    add_fixture("sa-legacy", cfg, {sa: summarize({"credentials": [cred_jwt_token(tok, legacy, sa_kid, sa_file)]})},
                "legacy Secret-based ServiceAccount token (kubernetes.io/service-account-token), no exp",
                "legacy SA claims (kubernetes.io/serviceaccount/*) from knowledge of pkg/serviceaccount/legacy.go", [tok])

    def bound(iat, exp, warn):
        return {"aud": ["https://kubernetes.default.svc.cluster.local"], "exp": exp, "iat": iat,
                "iss": "https://kubernetes.default.svc.cluster.local", "jti": str(uuid.uuid4()),
                "kubernetes.io": {"namespace": ns,
                                  "node": {"name": "worker-1", "uid": str(uuid.uuid4())},
                                  "pod": {"name": "deployer-7d9f8b6c5-qx2lm", "uid": str(uuid.uuid4())},
                                  "serviceaccount": {"name": sa, "uid": sa_uid},
                                  "warnafter": warn},
                "nbf": iat, "sub": f"system:serviceaccount:{ns}:{sa}"}

    variants = {
        "sa-bound": bound(NOW_UNIX, NOW_UNIX + 3600, NOW_UNIX + 2700),
        "sa-bound-expired": bound(NOW_UNIX - 7200, NOW_UNIX - 3600, NOW_UNIX - 4500),
    }
    toks = {}
    for fixture, claims in variants.items():
        t = sign_jwt(claims, sa_key, sa_kid)
        toks[fixture] = (t, claims)
        cfg = kubeconfig([cluster("kubernetes", server, ca.pem)],
                         [context(f"{sa}@kubernetes", "kubernetes", sa, ns)],
                         [{"name": sa, "user": {"token": t}}], f"{sa}@kubernetes")
        add_fixture(fixture, cfg, {sa: summarize({"credentials": [cred_jwt_token(t, claims, sa_kid, sa_file)]})},
                    "bound ServiceAccount token (TokenRequest / projected volume) pasted as user.token"
                    + (", expired" if "expired" in fixture else ""),
                    "decoded real bound token in a public write-up (aud/exp/iat/iss/kubernetes.io{namespace,pod,"
                    "serviceaccount,warnafter}/nbf/sub); node + jti as added in k8s 1.29/1.30", [t])
    # tokenFile
    t, claims = toks["sa-bound"]
    write(PLAT / "sa-tokenfile" / "token", t)   # no trailing newline, like a projected token file
    cfg = kubeconfig([cluster("kubernetes", server, ca.pem)], [context(f"{sa}@kubernetes", "kubernetes", sa, ns)],
                     [{"name": sa, "user": {"tokenFile": "token"}}], f"{sa}@kubernetes")
    add_fixture("sa-tokenfile", cfg, {sa: summarize({"credentials": [
        cred_jwt_token(t, claims, sa_kid, sa_file, kind="token-file", token_file="token")]})},
        "user.tokenFile pointing at a projected SA token (relative path, resolved next to the kubeconfig)",
        "client-go AuthInfo.tokenFile; relative path checked with kubectl v1.32.4", [t],
        notes="same JWT as sa-bound; file has no trailing newline")
    return toks["sa-bound-expired"]


def fx_basic():
    ca = CA("kubernetes", "rsa2048", NOW - 30 * DAY, 10 * YEAR)
    server = "https://10.0.0.2:6443"
    pw = "pw-" + secrets.token_urlsafe(18)
    cfg = kubeconfig([cluster("legacy", server, ca.pem)], [context("admin@legacy", "legacy", "admin")],
                     [{"name": "admin", "user": {"password": pw, "username": "admin"}}], "admin@legacy")
    add_fixture("basic-auth", cfg, {"admin": summarize({"credentials": [
        {"kind": "basic-auth", "username": "admin", "expiry": None, "status": "unknown"}]})},
        "kubectl config set-credentials admin --username=admin --password=... (basic auth)",
        "client-go AuthInfo.username/password; loads in kubectl v1.32.4", [pw])
    tok = secrets.token_hex(16)
    pw2 = "pw-" + secrets.token_urlsafe(18)
    cfg = kubeconfig([cluster("legacy", server, ca.pem)], [context("ops@legacy", "legacy", "ops")],
                     [{"name": "ops", "user": {"password": pw2, "token": tok, "username": "ops"}}], "ops@legacy")
    add_fixture("token-and-basic", cfg, {"ops": summarize({"credentials": [
        cred_opaque(), {"kind": "basic-auth", "username": "ops", "expiry": None, "status": "unknown"}]})},
        "one user carrying both token and username/password",
        "kubectl v1.32.4 run on the file ('more than one authentication method found')",
        [tok, pw2], notes="client-go validation rejects token + basic auth in one user; kcred should still "
                          "inventory both")


# --------------------------------------------------------------------------- edge cases
def save_cert(fname, cert, key=None, ca_name=None, ca_certs=(), intermediates=(), extra=None):
    write(CERTS / f"{fname}.crt", cert_pem(cert) + "".join(cert_pem(i) for i in intermediates))
    if key is not None:
        write(CERTS / f"{fname}.key", key_pem(key))
    facts = cert_facts(cert, key, ca_certs, intermediates)
    entry = {"kind": "certificate", "certificate": facts, "key_file": f"{fname}.key" if key is not None else None,
             "ca_file": ca_name}
    if extra:
        entry.update(extra)
    CERT_FILES[f"{fname}.crt"] = entry


def edge_kubeconfig(fixture, uname, user_fields, ca_pem, cred, mimics, secrets_, notes=None, extra_users=(),
                    contexts=None, extra_cred_users=None, kubectl=None):
    users = [{"name": uname, "user": user_fields}] + list(extra_users)
    ctxs = contexts if contexts is not None else [context(f"{uname}@edge", "edge", uname)]
    cfg = kubeconfig([cluster("edge", "https://edge.example.test:6443", ca_pem)], ctxs, users, ctxs[0]["name"])
    exp_users = {uname: summarize({"credentials": [cred]})} if cred is not None else {}
    if extra_cred_users:
        exp_users.update(extra_cred_users)
    add_fixture(fixture, cfg, exp_users, mimics,
                "synthetic; encodings checked with openssl asn1parse/verify, kubectl v1.32.4 run on the file",
                secrets_, notes=notes)
    if kubectl:
        FILES[f"{fixture}/config"]["kubectl"] = kubectl


def asn1_time_tags(cert: x509.Certificate) -> list[str]:
    """Return the ASN.1 types of notBefore/notAfter using `openssl asn1parse`."""
    p = subprocess.run(["openssl", "asn1parse", "-inform", "DER"],
                       input=cert.public_bytes(serialization.Encoding.DER), capture_output=True, check=True)
    lines = [l for l in p.stdout.decode().splitlines() if "UTCTIME" in l or "GENERALIZEDTIME" in l]
    return [l.split("prim:")[1].split()[0] for l in lines]


def fx_edges():
    t0 = NOW - 30 * DAY
    edge_ca = CA("edge-cluster-ca", "rsa2048", NOW - 400 * DAY, 10 * YEAR)
    other_ca = CA("other-ca", "rsa2048", NOW - 400 * DAY, 10 * YEAR)
    root = CA("edge-root-ca", "rsa2048", NOW - 400 * DAY, 10 * YEAR)
    inter = CA("edge-intermediate-ca", "rsa2048", NOW - 400 * DAY, 5 * YEAR, parent=root)
    p384_ca = CA("edge-p384-ca", "p384", NOW - 400 * DAY, 10 * YEAR, h=hashes.SHA384())
    ed_ca = CA("edge-ed25519-ca", "ed25519", NOW - 400 * DAY, 10 * YEAR)
    for fname, ca in (("edge-ca", edge_ca), ("other-ca", other_ca), ("root-ca", root),
                      ("intermediate-ca", inter), ("p384-ca", p384_ca), ("ed25519-ca", ed_ca)):
        write(CERTS / f"{fname}.crt", ca.pem)

    def simple(fixture, fname, cert, key, ca, ca_file, mimics, intermediates=(), notes=None, extra=None,
               key_for_user=None, ca_for_check=None):
        ukey = key_for_user or key
        save_cert(fname, cert, ukey, ca_file, [ca_for_check or ca.cert], intermediates, extra)
        bundle = cert_pem(cert) + "".join(cert_pem(i) for i in intermediates)
        fields = {"client-certificate-data": b64(bundle), "client-key-data": b64(key_pem(ukey))}
        cred = cred_cert(cert, ukey, [ca_for_check or ca.cert], intermediates)
        if extra:
            cred.update(extra)
        edge_kubeconfig(fixture, fname, fields, ca.pem, cred, mimics, [fields["client-key-data"]], notes=notes)

    # far-future & time encodings
    # (name, groups, notBefore, notAfter, notAfter's ASN.1 type, what it mimics)
    for name, groups, not_before, not_after, asn1, mimics in [
        ("never-expires", ["system:masters"], NOW - DAY, (9999, 12, 31, 23, 59, 59), "GeneralizedTime",
         "client cert with notAfter 99991231235959Z (RFC 5280 'no well-defined expiration')"),
        ("utctime-2049", [], t0, (2049, 12, 31, 23, 59, 59), "UTCTime",
         "notAfter 2049-12-31T23:59:59Z encoded as UTCTime 491231235959Z"),
        ("gentime-2050", [], t0, (2050, 1, 1, 0, 0, 0), "GeneralizedTime",
         "notAfter 2050-01-01T00:00:00Z encoded as GeneralizedTime 20500101000000Z"),
    ]:
        c, k = edge_ca.issue(name, groups, not_before=not_before,
                             not_after=dt.datetime(*not_after, tzinfo=dt.timezone.utc))
        tags = asn1_time_tags(c)
        assert tags == ["UTCTIME", asn1.upper()], tags
        simple(f"edge-{name}", name, c, k, edge_ca, "edge-ca.crt", mimics, extra={"not_after_asn1": asn1})
    # algorithms
    c, k = edge_ca.issue("weak-rsa1024-sha1", ["system:masters"], key_kind="rsa1024", not_before=t0,
                         h=hashes.SHA1())
    simple("edge-rsa1024-sha1", "rsa1024-sha1", c, k, edge_ca, "edge-ca.crt",
           "RSA-1024 key, sha1WithRSAEncryption signature (weak)")
    c, k = p384_ca.issue("ecdsa-p384-user", ["devs"], key_kind="p384", not_before=t0, h=hashes.SHA384())
    simple("edge-ecdsa-p384", "ecdsa-p384", c, k, p384_ca, "p384-ca.crt", "ECDSA P-384 key, ecdsa-with-SHA384")
    c, k = ed_ca.issue("ed25519-user", ["devs"], key_kind="ed25519", not_before=t0)
    simple("edge-ed25519", "ed25519", c, k, ed_ca, "ed25519-ca.crt", "Ed25519 key and Ed25519 signature")
    # validity window
    c, k = edge_ca.issue("not-yet-valid", [], not_before=NOW + DAY, validity=YEAR)
    simple("edge-not-yet-valid", "not-yet-valid", c, k, edge_ca, "edge-ca.crt", "notBefore = NOW + 1 day")
    c, k = edge_ca.issue("expired", [], not_before=NOW - 366 * DAY, not_after=NOW - DAY)
    simple("edge-expired", "expired", c, k, edge_ca, "edge-ca.crt", "notAfter = NOW - 1 day")
    # key / CA mismatches
    c, k = edge_ca.issue("key-mismatch", [], not_before=t0)
    simple("edge-key-mismatch", "key-mismatch", c, k, edge_ca, "edge-ca.crt",
           "client-key-data is a different RSA key than the certificate's", key_for_user=gen_key("rsa2048"))
    c, k = other_ca.issue("wrong-ca", [], not_before=t0)
    simple("edge-wrong-ca", "wrong-ca", c, k, edge_ca, "edge-ca.crt",
           "cert signed by other-ca, certificate-authority-data holds edge-cluster-ca")
    c, k = inter.issue("chained-user", ["system:masters"], not_before=t0)
    simple("edge-chain", "chain", c, k, root, "root-ca.crt",
           "client-certificate-data = leaf + intermediate PEM bundle; CA data = root",
           intermediates=[inter.cert],
           notes="signed_by_cluster_ca is true via the bundled intermediate; the leaf is the FIRST block")

    # broken inputs
    c, k = edge_ca.issue("truncated", [], not_before=t0)
    pem = cert_pem(c)
    lines = pem.splitlines()
    trunc = "\n".join(lines[: len(lines) // 2]) + "\n"          # no END line, half the body
    write(CERTS / "truncated.pem", trunc)
    CERT_FILES["truncated.pem"] = {"kind": "invalid", "error": "truncated-pem"}
    edge_kubeconfig("edge-truncated-pem", "truncated",
                    {"client-certificate-data": b64(trunc), "client-key-data": b64(key_pem(k))}, edge_ca.pem,
                    invalid("client-certificate", "truncated-pem"), "PEM cut in half (no END line)",
                    [b64(key_pem(k))])

    kk = gen_key("rsa2048")
    write(CERTS / "key-as-cert.pem", key_pem(kk))
    CERT_FILES["key-as-cert.pem"] = {"kind": "invalid", "error": "private-key-not-certificate",
                                     "pem_label": "RSA PRIVATE KEY"}
    edge_kubeconfig("edge-key-as-cert", "key-as-cert",
                    {"client-certificate-data": b64(key_pem(kk)), "client-key-data": b64(key_pem(kk))},
                    edge_ca.pem, invalid("client-certificate", "private-key-not-certificate",
                                         pem_label="RSA PRIVATE KEY"),
                    "client-certificate-data holds a PEM private key", [b64(key_pem(kk))],
                    notes="the key must not be echoed: both fields carry the same secret")

    garbage = bytes([0x30, 0x82, 0x01, 0x0a]) + secrets.token_bytes(262)
    write(CERTS / "der-garbage.b64", b64(garbage) + "\n")
    CERT_FILES["der-garbage.b64"] = {"kind": "invalid", "error": "not-pem"}
    k2 = gen_key("rsa2048")
    edge_kubeconfig("edge-der-garbage", "der-garbage",
                    {"client-certificate-data": b64(garbage), "client-key-data": b64(key_pem(k2))},
                    edge_ca.pem, invalid("client-certificate", "not-pem"),
                    "client-certificate-data = base64 of random bytes that start like DER (30 82 ...)",
                    [b64(key_pem(k2))])

    # base64 with embedded whitespace: one file each, since kubectl rejects the whole file on bad base64
    c, k = edge_ca.issue("b64-whitespace", [], not_before=t0)
    data = b64(cert_pem(c))
    with_nl = "\n".join(data[i:i + 76] for i in range(0, len(data), 76)) + "\n"
    with_sp = " ".join(data[i:i + 64] for i in range(0, len(data), 64))
    kd = b64(key_pem(k))
    edge_kubeconfig("edge-base64-newlines", "b64-newlines",
                    {"client-certificate-data": Lit(with_nl), "client-key-data": kd}, edge_ca.pem,
                    cred_cert(c, k, [edge_ca.cert]),
                    "client-certificate-data base64 wrapped at 76 columns (YAML literal block, embedded newlines)",
                    [kd], kubectl={"loads": True, "error": None},
                    notes="Go's encoding/base64 (kubectl's []byte decoding) skips \\r and \\n")
    edge_kubeconfig("edge-base64-spaces", "b64-spaces",
                    {"client-certificate-data": with_sp, "client-key-data": kd}, edge_ca.pem,
                    cred_cert(c, k, [edge_ca.cert]),
                    "client-certificate-data base64 with a space every 64 characters",
                    [kd], kubectl={"loads": False, "error": "illegal base64 data at input byte 64"},
                    notes="kubectl rejects the whole file (spaces are not skipped by Go's base64); the "
                          "credential facts describe what a lenient decoder (whitespace stripped) finds")

    # references
    c, k = edge_ca.issue("present-user", [], not_before=t0)
    fields = {"client-certificate-data": b64(cert_pem(c)), "client-key-data": b64(key_pem(k))}
    edge_kubeconfig("edge-missing-user", "present-user", fields, edge_ca.pem, cred_cert(c, k, [edge_ca.cert]),
                    "a context names user 'ghost' that has no users[] entry", [fields["client-key-data"]],
                    contexts=[context("ghost@edge", "edge", "ghost"), context("present-user@edge", "edge",
                                                                              "present-user")],
                    notes="current-context is ghost@edge; its user is missing")
    c, k = edge_ca.issue("orphan", [], not_before=t0)
    c2, k2 = edge_ca.issue("used", [], not_before=t0)
    f_orphan = {"client-certificate-data": b64(cert_pem(c)), "client-key-data": b64(key_pem(k))}
    f_used = {"client-certificate-data": b64(cert_pem(c2)), "client-key-data": b64(key_pem(k2))}
    edge_kubeconfig("edge-orphan-user", "used", f_used, edge_ca.pem, cred_cert(c2, k2, [edge_ca.cert]),
                    "user 'orphan' not referenced by any context",
                    [f_used["client-key-data"], f_orphan["client-key-data"]],
                    extra_users=[{"name": "orphan", "user": f_orphan}],
                    extra_cred_users={"orphan": summarize({"credentials": [cred_cert(c, k, [edge_ca.cert])]})})
    FILES["edge-missing-user/config"]["missing_users"] = ["ghost"]


# --------------------------------------------------------------------------- demo
def demo(sa_expired, sa_key, sa_kid):
    rg, nm = aks_names()
    aks_ca = CA("ca", "rsa2048", NOW - 100 * DAY, 30 * YEAR)
    aks_server = f"https://{nm}-dns-7f3a1c2e.hcp.westeurope.azmk8s.io:443"
    cert, key = aks_ca.issue("masterclient", ["system:masters"], not_before=NOW - 100 * DAY, validity=2 * YEAR)
    token = secrets.token_hex(32)
    tenant = str(uuid.uuid4())
    kind_ca = CA("kubernetes", "rsa2048", NOW - 10 * DAY, 10 * YEAR, serial_bytes=8)
    kcert, kkey = kind_ca.issue("kubernetes-admin", ["kubeadm:cluster-admins"], not_before=NOW - 10 * DAY,
                                validity=YEAR, serial_bytes=8)
    eks_ca = CA("kubernetes", "rsa2048", NOW - 200 * DAY, 10 * YEAR)
    arn = "arn:aws:eks:eu-west-1:111122223333:cluster/payments-prod"
    sa_ca = CA("kubernetes", "rsa2048", NOW - 30 * DAY, 10 * YEAR)
    t, claims = sa_expired
    clusters = [cluster(nm, aks_server, aks_ca.pem),
                cluster(arn, "https://9A1B2C3D4E5F60718293A4B5C6D7E8F9.gr7.eu-west-1.eks.amazonaws.com", eks_ca.pem),
                cluster("kind-kind", "https://127.0.0.1:40127", kind_ca.pem),
                cluster("staging", "https://10.0.0.1:6443", sa_ca.pem)]
    contexts = [context(f"{nm}-admin", nm, f"clusterAdmin_{rg}_{nm}"),
                context(nm, nm, f"clusterUser_{rg}_{nm}"),
                context(arn, arn, arn),
                context("kind-kind", "kind-kind", "kind-kind"),
                context("ci-deployer@staging", "staging", "ci-deployer", namespace="ci")]
    kl = kubelogin_exec(["get-token", "--login", "devicecode", "--server-id", AKS_SERVER_APP, "--client-id",
                         AKS_CLIENT_APP, "--tenant-id", tenant, "--environment", "AzurePublicCloud"])
    eks_exec = {"apiVersion": "client.authentication.k8s.io/v1beta1",
                "args": ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "payments-prod",
                         "--output", "json"], "command": "aws",
                "env": [{"name": "AWS_PROFILE", "value": "prod"}]}
    users = [cert_user(f"clusterAdmin_{rg}_{nm}", cert, key, token=token),
             {"name": f"clusterUser_{rg}_{nm}", "user": {"exec": kl}},
             {"name": arn, "user": {"exec": eks_exec}},
             cert_user("kind-kind", kcert, kkey),
             {"name": "ci-deployer", "user": {"token": t}}]
    cfg = kubeconfig(clusters, contexts, users, f"{nm}-admin")
    header = ("# GENERATED by tests/data/make_fixtures.py -- do not edit by hand.\n"
              "# Demo kubeconfig for the README: view it with `kcred --now 2026-01-01T00:00:00Z`.\n"
              "# All keys, certificates and tokens are throw-away test values; dates are relative to\n"
              "# NOW = 2026-01-01T00:00:00Z: AKS admin cert (2 y, expires 2027-09-23) + static token,\n"
              "# kubelogin devicecode (exec), EKS aws eks get-token (exec), kind admin cert (1 y),\n"
              "# and a bound ServiceAccount token that expired at 2025-12-31T23:00:00Z.\n")
    text = to_yaml(cfg, header)
    write(EXAMPLES / "demo.yaml", text)
    return text


# --------------------------------------------------------------------------- README
SCHEMA_DOC = """\
## expected.json

```
{
  "generated_by": "tests/data/make_fixtures.py",
  "now": {"rfc3339": "2026-01-01T00:00:00Z", "unix": 1767225600},
  "files": {                         // key: kubeconfig path relative to tests/data/platforms/
    "<fixture>/config": {
      "mimics": str,                 // the real tool output this file imitates
      "current_context": str|null,
      "contexts": [{"name", "cluster", "user", "namespace"}],   // in file order
      "missing_users": [str],        // only in edge-missing-user
      "notes": str,                  // optional
      "secrets": [str],              // values that must NEVER appear in kcred output
      "users": {
        "<user name>": {
          "kinds": [str],            // credential kinds in this user, see below
          "referenced_by_contexts": [str],
          "expiry": {"rfc3339", "unix"} | null,   // earliest dated credential
          "status": str,             // user-level status at NOW (see below)
          "credentials": [ <credential>, ... ]
        }
      }
    }
  },
  "certs": {                         // key: file name in tests/data/certs/
    "<name>.crt": {"kind": "certificate", "certificate": <cert facts>, "key_file": str|null,
                   "ca_file": str, ...},
    "<name>.pem|.b64": {"kind": "invalid", "error": str, ...}
  }
}
```

`<credential>` always has `kind`, `expiry` ({"rfc3339","unix"} or null) and `status`; then per kind:

| kind | extra fields |
| --- | --- |
| `client-certificate` | `certificate`: cert facts (below); minikube adds `client_certificate_path`, `client_key_path`, `certificate_authority_path` (relative to the kubeconfig); |
| `token` | `format`: `jwt` \\| `opaque` \\| `openshift-sha256` \\| `eks-presigned-url`; `jwt` (if jwt); `eks` {presigned_url, sts_host, cluster_id, x_amz_date, x_amz_expires, access_key_id, region} (if eks) |
| `token-file` | `token_file` (relative path), `format`, `jwt` |
| `basic-auth` | `username` (the password is in `secrets`) |
| `exec` | `exec`: {command, args, api_version, env (name->value), install_hint, provide_cluster_info, interactive_mode, plugin, ...plugin facts: kubelogin: login_mode, login_mode_source (`args` \\| `env:AAD_LOGIN_METHOD`), server_id, tenant_id, client_id, secret_env; aws: cluster_name, region, role_arn, aws_profile; gke: project, location, cluster_name; oidc-login: issuer_url, client_id, secret_args} |
| `auth-provider` | `provider` (`oidc`\\|`azure`\\|`gcp`), `token_field`, `format`, `jwt` (oidc id-token / azure access-token), azure: `expires_on`, `tenant_id`, `apiserver_id`, `client_id`, `environment`; gcp: `cmd_path`, `cmd_args` |
| any, broken | `status: "invalid"`, `error`: `truncated-pem` \\| `private-key-not-certificate` \\| `not-pem` |

Optional per-file `kubectl`: {"loads": bool, "error": str|null[, "note"]} -- what kubectl v1.32.4
did with the file (`kubectl --kubeconfig F get --raw /version`), recorded by hand; present on
the edge cases where kubectl refuses the credential or the file.

Cert facts: `subject_cn`, `subject_o` (list), `issuer_cn`, `serial` (lowercase hex of the serial
integer, no colons, no leading zeros; serials are generated so this equals the hex of the DER
content bytes), `sha256_fingerprint` (lowercase hex of SHA-256 over the DER), `not_before`,
`not_after` ({"rfc3339","unix"}), `key_algorithm` (`RSA`\\|`EC`\\|`Ed25519`), `key_size` (bits; 256
for Ed25519), `key_curve` (`P-256`\\|`P-384`\\|null), `signature_algorithm`
(`sha256WithRSAEncryption`, `sha1WithRSAEncryption`, `ecdsa-with-SHA256`, `ecdsa-with-SHA384`,
`Ed25519`), `signature_algorithm_oid`, `key_matches` (client key's public key == cert's),
`signed_by_cluster_ca` (the leaf chains to certificate-authority-data, through intermediates
bundled after the leaf if any), `chain_len` (PEM blocks in client-certificate data). Edge time
fixtures add `not_after_asn1` (`UTCTime`\\|`GeneralizedTime`, checked with `openssl asn1parse`).

JWT facts (`jwt`): `header` {alg, kid[, typ]}, `iss`, `sub`, `aud` (string or list, as in the
token), `exp`, `iat`, `nbf`, `jti` (null when absent), `claims` (full payload), `signing_key`
(public key PEM under tests/data/certs/ that verifies the RS256 signature), `signature_valid`.

Status at NOW: `valid` (NOW in [notBefore/nbf, expiry)), `expired` (NOW >= expiry),
`not-yet-valid` (NOW < notBefore/nbf), `no-expiry` (the credential says it never expires: JWT
without `exp`), `unknown` (nothing in the file dates it: opaque tokens, basic auth, exec
plugins), `invalid` (unparseable). User-level `status`: `invalid` if any credential is invalid,
else that of the earliest-expiring dated credential (`not-yet-valid` wins), else the most
informative undated one (`no-expiry` before `unknown`). "1 year" = 365 days throughout.
EKS presigned tokens expire 15 min after X-Amz-Date (aws-iam-authenticator's server-side limit),
not after X-Amz-Expires=60.
"""


def write_readme():
    rows = "\n".join(f"| `{rel}` | {m} | {s} |" for rel, m, s in README_ROWS)
    text = f"""# Platform kubeconfig fixtures

GENERATED by `tests/data/make_fixtures.py` -- do not edit; re-run the script instead
(`python3 tests/data/make_fixtures.py`; needs `cryptography`, optional `pyjwt`, and the
`openssl` CLI for the ASN.1 time-encoding self-check).

Fixed time: **NOW = 2026-01-01T00:00:00Z = Unix 1767225600**. Every date is relative to it;
keys, serials and token values are random on each run, so tests must read facts from
`expected.json` rather than hard-code fingerprints or tokens.

Each `<fixture>/config` is a kubeconfig in the shape the real tool writes (key order and
quoting as client-go / the tool emits them). Side files: `minikube/profiles/minikube/` (cert
files referenced by relative paths), `sa-tokenfile/token`. Standalone PEM edge cases and their
CAs are in `../certs/`, plus `sa-jwt-signer.pub.pem` / `idp-jwt-signer.pub.pem` that verify the
JWT signatures. `examples/kubeconfigs/demo.yaml` is generated by the same script.

| file | mimics | source checked |
| --- | --- | --- |
{rows}

{SCHEMA_DOC}"""
    write(PLAT / "README.md", text)


# What kubectl v1.32.4 did with these files (`kubectl --kubeconfig F get --raw /version`), recorded
# by hand when the fixtures were made; "loads" = got past config loading and TLS client setup.
KUBECTL_OBSERVED = {
    "token-and-basic/config": {"loads": False, "error": "more than one authentication method found for ops; "
                                                         "found [token basicAuth], only one is allowed"},
    "edge-key-mismatch/config": {"loads": False, "error": "tls: private key does not match public key"},
    "edge-truncated-pem/config": {"loads": False, "error": "tls: failed to find any PEM data in certificate input"},
    "edge-key-as-cert/config": {"loads": False, "error": "tls: failed to find certificate PEM data in certificate "
                                                          "input, but did find a private key; PEM inputs may have "
                                                          "been switched"},
    "edge-der-garbage/config": {"loads": False, "error": "tls: failed to find any PEM data in certificate input"},
    "edge-missing-user/config": {"loads": True, "error": None,
                                 "note": "context user 'ghost' is missing: kubectl uses an empty user and prompts "
                                         "for a username"},
}


# --------------------------------------------------------------------------- main
def self_check():
    try:
        import yaml  # type: ignore
    except ImportError:  # pragma: no cover
        print("PyYAML not installed: skipping YAML round-trip check", file=sys.stderr)
        return
    for rel in FILES:
        doc = yaml.safe_load((PLAT / rel).read_text())
        assert doc["kind"] == "Config", rel
        names = [u["name"] for u in doc["users"]]
        for uname in FILES[rel]["users"]:
            assert uname in names, (rel, uname)
    yaml.safe_load((EXAMPLES / "demo.yaml").read_text())


def main():
    for d in (PLAT, CERTS):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    EXAMPLES.mkdir(parents=True, exist_ok=True)

    sa_key, sa_kid = sa_signer()
    write(CERTS / "sa-jwt-signer.pub.pem", pub_pem(sa_key))
    idp_key = gen_key("rsa2048")
    write(CERTS / "idp-jwt-signer.pub.pem", pub_pem(idp_key))
    idp = (idp_key, "idp-jwt-signer.pub.pem")

    fx_kubeadm()
    fx_aks_admin()
    fx_aks_kubelogin()
    fx_eks()
    fx_gke()
    fx_oidc(idp)
    fx_legacy(idp)
    fx_kind()
    fx_k3s()
    fx_minikube()
    fx_openshift()
    sa_exp = fx_sa(sa_key, sa_kid, "sa-jwt-signer.pub.pem")
    fx_basic()
    fx_edges()
    demo(sa_exp, sa_key, sa_kid)
    for rel, obs in KUBECTL_OBSERVED.items():
        FILES[rel]["kubectl"] = obs

    expected = {"generated_by": "tests/data/make_fixtures.py", "now": ts(NOW),
                "files": dict(sorted(FILES.items())), "certs": dict(sorted(CERT_FILES.items()))}
    write(PLAT / "expected.json", json.dumps(expected, indent=2) + "\n")
    write_readme()
    self_check()
    print(f"wrote {len(FILES)} kubeconfigs, {len(CERT_FILES)} cert entries, demo.yaml")


if __name__ == "__main__":
    main()
