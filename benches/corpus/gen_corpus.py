#!/usr/bin/env python3
"""Deterministic benchmark corpus for kcred (benches/compare.py runs it).

Writes, under OUT (default: target/bench-corpus):
  users-2000.yaml / users-2000.json  one kubeconfig, 2,000 users with inline client
                                     certificates and keys (plus 200 JWT users),
                                     20 clusters with inline CA data, 2,000 contexts
  pki/                               a kubeadm-like /etc/kubernetes: 30 certificates
                                     under pki/ and pki/etcd/, their keys, 5 kubeconfigs
  tree/                              10,000 files for `kcred scan`: kubeconfigs, PEM
                                     files, manifests (Secrets, CSRs) and noise
  MANIFEST                           the generator's version; a rerun with the same
                                     version and files present does nothing

Deterministic: keys are derived from fixed seeds (RSA primes from a seeded PRNG,
EC keys from fixed scalars), RSA signatures are PKCS#1 v1.5 and ECDSA ones
RFC 6979, and every date is relative to NOW. Few keys, reused, so it takes seconds.
Needs `cryptography` and `PyYAML`. Test material only: these keys protect nothing.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import shutil
import sys
from pathlib import Path

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VERSION = "kcred-bench-corpus 2"
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)  # the benches' fixed instant
USERS = 2000
JWT_EVERY = 10  # every 10th user holds a JWT instead of a certificate
CLUSTERS = 20
TREE_FILES = 10_000


# --- deterministic keys -------------------------------------------------------


def _is_probable_prime(n: int, rng: random.Random) -> bool:
    if n < 2:
        return False
    for p in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def rsa_key(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key from a seed: same seed, same key, on any machine."""
    rng = random.Random(seed)
    e = 65537

    def prime() -> int:
        while True:
            c = rng.getrandbits(bits // 2) | (3 << (bits // 2 - 2)) | 1
            if (c - 1) % e and _is_probable_prime(c, rng):
                return c

    p, q = prime(), prime()
    if p < q:
        p, q = q, p
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), rsa.RSAPublicNumbers(e, p * q)
    )
    return numbers.private_key()


def ec_key(seed: str) -> ec.EllipticCurvePrivateKey:
    scalar = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big") % (2**255)
    return ec.derive_private_key(scalar + 1, ec.SECP256R1())


def pem_key(key) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        fmt = serialization.PrivateFormat.TraditionalOpenSSL  # RSA PRIVATE KEY, as kubeadm
    else:
        fmt = serialization.PrivateFormat.TraditionalOpenSSL  # EC PRIVATE KEY
    return key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())


# --- certificates -------------------------------------------------------------


def name(cn: str, orgs: tuple[str, ...] = ()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    return x509.Name(attrs + [x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def certificate(
    subject: x509.Name,
    public_key,
    issuer: x509.Name,
    issuer_key,
    serial: int,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = False,
    client: bool = True,
    dns: tuple[str, ...] = (),
) -> x509.Certificate:
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        b = b.add_extension(
            x509.KeyUsage(True, False, True, False, False, True, False, False, False),
            critical=True,
        )
    else:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        b = b.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if dns:
        b = b.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False
        )
    deterministic = True if isinstance(issuer_key, ec.EllipticCurvePrivateKey) else None
    return b.sign(issuer_key, hashes.SHA256(), ecdsa_deterministic=deterministic)


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def validity(i: int) -> tuple[dt.datetime, dt.datetime]:
    """Varied validity around NOW: expired, expiring within days, a year, ten years."""
    days = dt.timedelta(days=1)
    kind = i % 8
    issued = NOW - (i % 400) * days - dt.timedelta(seconds=i * 37 % 86400)
    lifetime = {
        0: 30 * days,  # mostly expired
        1: 365 * days,  # kubeadm default
        2: 365 * days,
        3: 90 * days,
        4: 3650 * days,  # AKS-style ten-year
        5: 7 * days,
        6: 730 * days,
        7: 365 * days + (i % 30) * days,
    }[kind]
    return issued, issued + lifetime


# --- JWTs ---------------------------------------------------------------------


def jwt_hs256(claims: dict, secret: bytes = b"kcred-bench") -> str:
    def enc(obj) -> str:
        raw = json.dumps(obj, separators=(",", ":"), sort_keys=True).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    head = enc({"alg": "HS256", "typ": "JWT", "kid": "bench"})
    body = enc(claims)
    sig = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def sa_token(i: int) -> str:
    iat = int(NOW.timestamp()) - (i % 50) * 3600
    return jwt_hs256(
        {
            "aud": ["https://kubernetes.default.svc"],
            "exp": iat + (3607 if i % 3 else 86400 * 365),
            "iat": iat,
            "nbf": iat,
            "iss": "https://kubernetes.default.svc.cluster.local",
            "kubernetes.io": {
                "namespace": f"team-{i % 40}",
                "serviceaccount": {"name": f"deployer-{i}", "uid": f"00000000-0000-4000-8000-{i:012d}"},
            },
            "sub": f"system:serviceaccount:team-{i % 40}:deployer-{i}",
        }
    )


# --- the 2,000-user kubeconfig -----------------------------------------------


class Keys:
    def __init__(self) -> None:
        self.ca = rsa_key("kcred-bench ca")
        self.ca_name = name("kubernetes")
        self.ca_cert = certificate(
            self.ca_name,
            self.ca.public_key(),
            self.ca_name,
            self.ca,
            1,
            NOW - dt.timedelta(days=700),
            NOW + dt.timedelta(days=3000),
            ca=True,
        )
        self.ec = [ec_key(f"kcred-bench client {n}") for n in range(4)]
        self.rsa_client = rsa_key("kcred-bench rsa client")
        self.ec_pem = [pem_key(k) for k in self.ec]
        self.rsa_client_pem = pem_key(self.rsa_client)


def kubeconfig(keys: Keys) -> dict:
    ca_data = b64(pem(keys.ca_cert))
    clusters = [
        {
            "name": f"cluster-{c:02d}",
            "cluster": {
                "server": f"https://10.{c}.0.1:6443",
                "certificate-authority-data": ca_data,
            },
        }
        for c in range(CLUSTERS)
    ]
    users, contexts = [], []
    for i in range(USERS):
        user_name = f"user-{i:04d}"
        if i % JWT_EVERY == JWT_EVERY - 1:
            user = {"token": sa_token(i)}
        else:
            # one user in 16 holds an RSA-2048 key, the rest P-256 (four keys reused)
            if i % 16 == 5:
                key, key_pem = keys.rsa_client, keys.rsa_client_pem
            else:
                key, key_pem = keys.ec[i % 4], keys.ec_pem[i % 4]
            orgs = ("system:masters",) if i % 25 == 0 else (f"team-{i % 40}", "developers")
            nb, na = validity(i)
            cert = certificate(
                name(user_name, orgs), key.public_key(), keys.ca_name, keys.ca, 1000 + i, nb, na
            )
            user = {"client-certificate-data": b64(pem(cert)), "client-key-data": b64(key_pem)}
        users.append({"name": user_name, "user": user})
        contexts.append(
            {
                "name": f"ctx-{i:04d}",
                "context": {
                    "cluster": f"cluster-{i % CLUSTERS:02d}",
                    "user": user_name,
                    "namespace": f"team-{i % 40}",
                },
            }
        )
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "preferences": {},
        "clusters": clusters,
        "users": users,
        "contexts": contexts,
        "current-context": "ctx-0000",
    }


def write_kubeconfigs(out: Path, keys: Keys) -> dict:
    config = kubeconfig(keys)
    # kubectl's style: block YAML, long base64 on one line.
    text = yaml.dump(config, Dumper=yaml.CSafeDumper, sort_keys=False, width=1 << 20)
    (out / "users-2000.yaml").write_text(text)
    (out / "users-2000.json").write_text(json.dumps(config, indent=2) + "\n")
    return config


# --- a kubeadm-like PKI folder -------------------------------------------------


def write_pki(out: Path, keys: Keys) -> None:
    root = out / "pki"
    (root / "pki" / "etcd").mkdir(parents=True, exist_ok=True)
    serial = iter(range(5000, 6000))
    leaf_key = keys.rsa_client  # kubeadm issues RSA-2048 keys; one reused here
    leaf_pem = pem_key(leaf_key)
    issued = NOW - dt.timedelta(days=200)
    year = dt.timedelta(days=365)
    cas = {}
    for ca_file, cn in [("ca", "kubernetes"), ("front-proxy-ca", "front-proxy-ca"), ("etcd/ca", "etcd-ca")]:
        ca_key = rsa_key(f"kcred-bench pki {ca_file}")
        ca_cert = certificate(
            name(cn), ca_key.public_key(), name(cn), ca_key, next(serial), issued, issued + 10 * year, ca=True
        )
        cas[ca_file] = (name(cn), ca_key)
        (root / "pki" / f"{ca_file}.crt").write_bytes(pem(ca_cert))
        (root / "pki" / f"{ca_file}.key").write_bytes(pem_key(ca_key))
    leaves = [
        ("apiserver", "ca", "kube-apiserver", (), False),
        ("apiserver-kubelet-client", "ca", "kube-apiserver-kubelet-client", ("kubeadm:cluster-admins",), True),
        ("apiserver-etcd-client", "etcd/ca", "kube-apiserver-etcd-client", (), True),
        ("front-proxy-client", "front-proxy-ca", "front-proxy-client", (), True),
        ("etcd/server", "etcd/ca", "cp-1", (), False),
        ("etcd/peer", "etcd/ca", "cp-1", (), False),
        ("etcd/healthcheck-client", "etcd/ca", "kube-etcd-healthcheck-client", (), True),
    ]
    # 3 CAs + 7 kubeadm leaves + 20 more (webhooks, aggregated APIs, ingress) = 30
    leaves += [(f"webhook-{n:02d}", "ca", f"webhook-{n:02d}.kube-system.svc", (), False) for n in range(20)]
    for i, (file, ca_file, cn, orgs, client) in enumerate(leaves):
        ca_name, ca_key = cas[ca_file]
        start = issued + dt.timedelta(days=i)
        cert = certificate(
            name(cn, orgs), leaf_key.public_key(), ca_name, ca_key, next(serial), start, start + year,
            client=client, dns=() if client else (cn, "localhost"),
        )
        (root / "pki" / f"{file}.crt").write_bytes(pem(cert))
        (root / "pki" / f"{file}.key").write_bytes(leaf_pem)
    ca_name, ca_key = cas["ca"]
    ca_data = b64((root / "pki" / "ca.crt").read_bytes())
    for conf, cn, orgs in [
        ("admin", "kubernetes-admin", ("kubeadm:cluster-admins",)),
        ("super-admin", "kubernetes-super-admin", ("system:masters",)),
        ("controller-manager", "system:kube-controller-manager", ()),
        ("scheduler", "system:kube-scheduler", ()),
        ("kubelet", "system:node:cp-1", ("system:nodes",)),
    ]:
        cert = certificate(name(cn, orgs), leaf_key.public_key(), ca_name, ca_key, next(serial), issued, issued + year)
        doc = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "kubernetes", "cluster": {"server": "https://10.0.0.10:6443", "certificate-authority-data": ca_data}}],
            "users": [{"name": cn, "user": {"client-certificate-data": b64(pem(cert)), "client-key-data": b64(leaf_pem)}}],
            "contexts": [{"name": f"{cn}@kubernetes", "context": {"cluster": "kubernetes", "user": cn}}],
            "current-context": f"{cn}@kubernetes",
        }
        (root / f"{conf}.conf").write_text(yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, width=1 << 20))


# --- the 10,000-file tree -------------------------------------------------------


NOISE_GO = """package main

import "fmt"

// Handler {n} does nothing of interest to kcred.
func Handler{n}(x int) int {{
\tfmt.Println("handler", x)
\treturn x * {n}
}}
"""

NOISE_MD = "# Notes {n}\n\nThe cluster runbook, page {n}. Rotate certificates yearly.\n\n" + "Lorem ipsum dolor sit amet. " * 20 + "\n"


def manifest_secret_tls(i: int, cert_pem: bytes, key_pem: bytes) -> str:
    return yaml.dump(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": f"tls-{i}", "namespace": f"team-{i % 40}"},
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": b64(cert_pem), "tls.key": b64(key_pem)},
        },
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        width=1 << 20,
    )


def manifest_sa_secret(i: int) -> str:
    return yaml.dump(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": f"deployer-{i}-token", "namespace": f"team-{i % 40}",
                         "annotations": {"kubernetes.io/service-account.name": f"deployer-{i}"}},
            "type": "kubernetes.io/service-account-token",
            "data": {"token": b64(sa_token(i).encode()), "namespace": b64(f"team-{i % 40}".encode())},
        },
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        width=1 << 20,
    )


def manifest_deployment(i: int) -> str:
    docs = [
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": f"app-{i}", "namespace": f"team-{i % 40}"},
         "spec": {"replicas": 2, "selector": {"matchLabels": {"app": f"app-{i}"}},
                  "template": {"metadata": {"labels": {"app": f"app-{i}"}},
                               "spec": {"containers": [{"name": "app", "image": f"registry.example/app:{i}",
                                                        "ports": [{"containerPort": 8080}]}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"app-{i}"},
         "spec": {"selector": {"app": f"app-{i}"}, "ports": [{"port": 80, "targetPort": 8080}]}},
    ]
    return yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False)


def manifest_csr(i: int, cert_pem: bytes) -> str:
    return yaml.dump(
        {
            "apiVersion": "certificates.k8s.io/v1",
            "kind": "CertificateSigningRequest",
            "metadata": {"name": f"csr-{i}"},
            "spec": {"request": b64(b"-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n"),
                     "signerName": "kubernetes.io/kube-apiserver-client", "expirationSeconds": 86400,
                     "usages": ["client auth"]},
            "status": {"certificate": b64(cert_pem)},
        },
        Dumper=yaml.CSafeDumper,
        sort_keys=False,
        width=1 << 20,
    )


def small_kubeconfig(i: int, ca_pem: bytes, cert_pem: bytes, key_pem: bytes) -> str:
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": f"c{i}", "cluster": {"server": f"https://c{i}.example:6443", "certificate-authority-data": b64(ca_pem)}}],
        "users": [
            {"name": f"u{i}", "user": {"client-certificate-data": b64(cert_pem), "client-key-data": b64(key_pem)}},
            {"name": f"sa{i}", "user": {"token": sa_token(i)}},
        ],
        "contexts": [{"name": f"x{i}", "context": {"cluster": f"c{i}", "user": f"u{i}"}}],
        "current-context": f"x{i}",
    }
    return yaml.dump(doc, Dumper=yaml.CSafeDumper, sort_keys=False, width=1 << 20)


def write_tree(out: Path, keys: Keys, big_yaml: Path) -> None:
    root = out / "tree"
    root.mkdir(parents=True, exist_ok=True)
    ca_pem = pem(keys.ca_cert)
    # a pool of 64 leaf certificates, reused across files (file content differs by name/metadata)
    pool = []
    for n in range(64):
        nb, na = validity(n)
        key = keys.ec[n % 4]
        cert = certificate(name(f"svc-{n}.example", ()), key.public_key(), keys.ca_name, keys.ca, 9000 + n, nb, na,
                           client=False, dns=(f"svc-{n}.example",))
        pool.append((pem(cert), keys.ec_pem[n % 4]))
    (root / ".gitignore").write_text("build/\n*.log\n")
    # the largest input: a copy of the 2,000-user kubeconfig, as a repo might hold
    (root / "ops" / "kubeconfigs").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(big_yaml, root / "ops" / "kubeconfigs" / "fleet.yaml")
    written = 2  # .gitignore and fleet.yaml
    i = 0
    while written < TREE_FILES:
        team = f"services/team-{i % 40:02d}/app-{i % 250:03d}"
        folder = root / team
        folder.mkdir(parents=True, exist_ok=True)
        cert_pem, key_pem = pool[i % len(pool)]
        kind = i % 20
        if kind == 0:
            path, text = folder / f"kubeconfig-{i}", small_kubeconfig(i, ca_pem, cert_pem, key_pem)
        elif kind in (1, 2):
            path, text = folder / f"cert-{i}.pem", (cert_pem + (ca_pem if kind == 2 else b"")).decode()
        elif kind == 3:
            path, text = folder / f"secret-tls-{i}.yaml", manifest_secret_tls(i, cert_pem, key_pem)
        elif kind == 4:
            path, text = folder / f"secret-sa-{i}.yaml", manifest_sa_secret(i)
        elif kind == 5:
            path, text = folder / f"csr-{i}.yaml", manifest_csr(i, cert_pem)
        elif kind in (6, 7, 8, 9):
            path, text = folder / f"deploy-{i}.yaml", manifest_deployment(i)
        elif kind in (10, 11, 12, 13):
            path, text = folder / f"handler_{i}.go", NOISE_GO.format(n=i)
        elif kind in (14, 15, 16):
            path, text = folder / f"notes-{i}.md", NOISE_MD.format(n=i)
        elif kind == 17:
            path, text = folder / f"config-{i}.json", json.dumps({"name": f"app-{i}", "replicas": i % 7, "tags": list(range(i % 20))})
        elif kind == 18:
            path = folder / f"blob-{i}.bin"
            path.write_bytes(hashlib.sha256(str(i).encode()).digest() * (4 + i % 60))
            written += 1
            i += 1
            continue
        else:
            path, text = folder / f"script-{i}.sh", f"#!/bin/sh\necho deploy {i}\nkubectl apply -f deploy-{i}.yaml\n"
        path.write_text(text)
        written += 1
        i += 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="target/bench-corpus", type=Path)
    ap.add_argument("--force", action="store_true", help="regenerate even if up to date")
    args = ap.parse_args()
    out: Path = args.out
    manifest = out / "MANIFEST"
    if not args.force and manifest.exists() and manifest.read_text().strip() == VERSION:
        print(f"corpus up to date in {out}")
        return 0
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    keys = Keys()
    write_kubeconfigs(out, keys)
    write_pki(out, keys)
    write_tree(out, keys, out / "users-2000.yaml")
    manifest.write_text(VERSION + "\n")
    sizes = {p: os.path.getsize(out / p) for p in ("users-2000.yaml", "users-2000.json")}
    print(f"corpus written to {out}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
