#!/usr/bin/env python3
"""Generate the repository tree that `kcred scan` tests walk.

How to run (Python >= 3.9, `pip install cryptography`):

    python3 tests/data/scan/make_repo.py
    git add -f tests/data/scan/repo      # -f: the .gitignore'd files are fixtures too

What it makes, from scratch on each run (keys and serials are random; every date
is fixed relative to NOW = 2026-01-01T00:00:00Z, Unix 1767225600):

  repo/.gitignore                  ignores ignored/ and *.local.yaml
  repo/ignored/admin.conf          a kubeconfig the scan must skip (gitignored)
  repo/dev.local.yaml              a TLS Secret the scan must skip (gitignored)
  repo/ops/cluster-access.txt      a kubeconfig under an odd name: a client
                                   certificate (NOW+10d) and an opaque token
  repo/.kube/config                a hidden kubeconfig with an expired certificate
  repo/manifests/secrets.yaml      multi-document YAML: a ConfigMap, a legacy
                                   service-account token Secret, a TLS Secret, an
                                   Opaque Secret whose data.kubeconfig is a kubeconfig
  repo/manifests/list.json         a JSON List: a Secret whose stringData holds a
                                   kubeconfig, and an issued CSR that has expired
  repo/manifests/csr.yaml          an issued CSR (expirationSeconds 86400) and a pending one
  repo/certs/server.pem            a server certificate and its CA (PEM bundle)
  repo/values.yaml                 Helm-like values with `users:` and `clusters:`: noise
  repo/README.md, repo/src/app.py  noise
  repo/bin/tool.bin                binary (NUL bytes) with a PEM block inside: skipped
  repo/links/loop -> ..            a symbolic link loop
  scan/expected.json               findings (file, line, code), credentials per file,
                                   the canaries that no output may contain
"""
from __future__ import annotations

import json
import secrets
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pki"))
import make_pki as pki  # noqa: E402  (the certificate helpers)

sys.path.insert(0, str(HERE.parent))
from fixturelib import b64, b64url  # noqa: E402  (tests/data/fixturelib.py)

from cryptography import x509  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID  # noqa: E402

NOW = pki.NOW
DAY = pki.DAY
REPO = HERE / "repo"
CLIENT = [ExtendedKeyUsageOID.CLIENT_AUTH]
SERVER = [ExtendedKeyUsageOID.SERVER_AUTH]

CANARIES = {
    "ignored": "CANARY-scan-ignored-token",
    "kubeconfig_token": "CANARY-scan-kubeconfig-token",
    "opaque_kubeconfig_token": "CANARY-scan-opaque-kubeconfig-token",
    "password": "CANARY-scan-password",
    "list_token": "CANARY-scan-list-token",
    "sa_signature": "CANARYscanSAtokenSignature",
}


def write(rel: str, text: str | bytes) -> str:
    path = REPO / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text)
    else:
        path.write_bytes(text)
    return text if isinstance(text, str) else ""


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based line of the first line containing `needle` (after `after`)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, l in enumerate(lines) if after in l)
    return next(i + 1 for i, l in enumerate(lines) if i >= start and needle in l)


def kubeconfig(users: str, header: str = "") -> str:
    return (
        header + "apiVersion: v1\n"
        "kind: Config\n"
        "clusters:\n"
        "- name: prod\n"
        "  cluster:\n"
        "    server: https://prod.example.com:6443\n"
        "contexts:\n"
        "- name: prod\n"
        "  context: {cluster: prod, user: deployer}\n"
        "current-context: prod\n"
        "users:\n" + users
    )


def cert_user(name: str, cert, key) -> str:
    return (
        f"- name: {name}\n"
        "  user:\n"
        f"    client-certificate-data: {b64(pki.pem(cert))}\n"
        f"    client-key-data: {b64(pki.key_pem(key))}\n"
    )


def token_user(name: str, token: str) -> str:
    return f"- name: {name}\n  user:\n    token: {token}\n"


def main() -> None:
    shutil.rmtree(REPO, ignore_errors=True)
    REPO.mkdir(parents=True)
    ca, ca_key = pki.make_ca("repo-ca", NOW - 100 * DAY, NOW + 3000 * DAY)
    exp: dict = {"now": NOW, "findings": [], "credentials": {}, "skipped": {}, "canaries": []}

    def leaf(cn, orgs, nb, na, usages=CLIENT):
        return pki.make_leaf(ca, ca_key, cn, orgs, nb, na, usages)

    write(".gitignore", "ignored/\n*.local.yaml\n")
    write("ignored/admin.conf", kubeconfig(token_user("deployer", CANARIES["ignored"])))
    tls, tls_key = leaf("dev.local", [], NOW - DAY, NOW + 5 * DAY, SERVER)
    write(
        "dev.local.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: dev-tls}\ntype: kubernetes.io/tls\n"
        f"data:\n  tls.crt: {b64(pki.pem(tls))}\n  tls.key: {b64(pki.key_pem(tls_key))}\n",
    )

    # A kubeconfig under a name no tool would guess.
    c, k = leaf("deployer", ["deployers"], NOW - 355 * DAY, NOW + 10 * DAY)
    text = write(
        "ops/cluster-access.txt",
        kubeconfig(
            cert_user("deployer", c, k) + token_user("ci", CANARIES["kubeconfig_token"]),
            header="# access for the deploy job; do not commit (too late)\n",
        ),
    )
    # Findings about a field are at the field's line (issue 16), not the entry's.
    cert_line = line_of(text, "client-certificate-data:", "- name: deployer")
    exp["findings"].append(["ops/cluster-access.txt", cert_line, "KC003"])
    # KC501: a certificate with its key, and a token, both still usable.
    exp["findings"].append(["ops/cluster-access.txt", cert_line, "KC501"])
    exp["findings"].append(["ops/cluster-access.txt", line_of(text, "token:", "- name: ci"), "KC501"])
    # KC008 (baseline since issue 14): the ci token is opaque, its lifetime unknown.
    exp["findings"].append(["ops/cluster-access.txt", line_of(text, "token:", "- name: ci"), "KC008"])
    exp["credentials"]["ops/cluster-access.txt"] = 2
    exp["canaries"].append(pki.key_pem(k).decode().splitlines()[1])

    # Hidden: .kube/config with an expired certificate.
    c, k = leaf("old-admin", ["system:masters"], NOW - 400 * DAY, NOW - 35 * DAY)
    text = write(".kube/config", kubeconfig(cert_user("deployer", c, k)))
    cert_line = line_of(text, "client-certificate-data:", "- name: deployer")
    # KC502, not KC001 (issue 15): in a scan an expired credential is a leak of lower severity.
    exp["findings"].append([".kube/config", cert_line, "KC502"])
    # KC101 (baseline since issue 14): the certificate is in system:masters.
    exp["findings"].append([".kube/config", cert_line, "KC101"])
    exp["credentials"][".kube/config"] = 1

    # Multi-document manifests.
    sa_claims = {
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": "build",
        "kubernetes.io/serviceaccount/secret.name": "deployer-token",
        "kubernetes.io/serviceaccount/service-account.name": "deployer",
        "kubernetes.io/serviceaccount/service-account.uid": "6f1c0d3e-5b7a-4c2e-9d1f-2a3b4c5d6e7f",
        "sub": "system:serviceaccount:build:deployer",
    }
    sig = CANARIES["sa_signature"] + b64url(secrets.token_bytes(240))
    sig = sig[: len(sig) - len(sig) % 4]
    sa_token = f"{b64url(json.dumps({'alg': 'RS256', 'kid': 'k1'}))}.{b64url(json.dumps(sa_claims))}.{sig}"
    srv, srv_key = leaf("web.example.com", [], NOW - DAY, NOW + 60 * DAY, SERVER)
    kc, kk = leaf("robot", [], NOW - 30 * DAY, NOW + 3 * DAY)
    inner = kubeconfig(cert_user("deployer", kc, kk) + token_user("robot", CANARIES["opaque_kubeconfig_token"]))
    text = write(
        "manifests/secrets.yaml",
        "# Generated manifests\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: production\n"
        "---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: deployer-token\n  namespace: build\n"
        "  annotations:\n    kubernetes.io/service-account.name: deployer\n"
        "type: kubernetes.io/service-account-token\n"
        f"data:\n  ca.crt: {b64(pki.pem(ca))}\n  namespace: {b64('build')}\n  token: {b64(sa_token)}\n"
        "---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-tls\n  namespace: web\n"
        "type: kubernetes.io/tls\n"
        f"data:\n  tls.crt: {b64(pki.pem(srv))}\n  tls.key: {b64(pki.key_pem(srv_key))}\n"
        "---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: robot-kubeconfig\n  namespace: ci\n"
        "type: Opaque\n"
        f"data:\n  kubeconfig: {b64(inner)}\n  password: {b64(CANARIES['password'])}\n",
    )
    token_line = line_of(text, "  token: ", "name: deployer-token")
    kubeconfig_line = line_of(text, "  kubeconfig: ", "name: robot-kubeconfig")
    exp["findings"].append(["manifests/secrets.yaml", token_line, "KC006"])
    exp["findings"].append(["manifests/secrets.yaml", kubeconfig_line, "KC003"])
    # KC501: the SA token, and the robot kubeconfig's certificate+key and token.
    exp["findings"].append(["manifests/secrets.yaml", token_line, "KC501"])
    exp["findings"] += [["manifests/secrets.yaml", kubeconfig_line, "KC501"]] * 2
    # KC008 (baseline since issue 14): the robot kubeconfig's token is opaque.
    exp["findings"].append(["manifests/secrets.yaml", kubeconfig_line, "KC008"])
    # KC502: the TLS Secret's server certificate pairs with its tls.key (a leak,
    # but no client credential: its extendedKeyUsage is serverAuth only).
    exp["findings"].append(["manifests/secrets.yaml", line_of(text, "  tls.crt: ", "name: web-tls"), "KC502"])
    exp["credentials"]["manifests/secrets.yaml"] = 4  # SA token, tls.crt, robot cert + token
    exp["lines"] = {
        "sa_token": token_line,
        "tls_crt": line_of(text, "  tls.crt: ", "name: web-tls"),
        "opaque_kubeconfig": kubeconfig_line,
    }
    exp["canaries"] += [sa_token, b64(sa_token), pki.key_pem(srv_key).decode().splitlines()[1], b64(inner)[:60]]

    # A JSON List: a Secret with a kubeconfig in stringData, an expired issued CSR.
    old, _ = leaf("bob", ["dev"], NOW - 10 * DAY, NOW - 9 * DAY)
    list_doc = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}},
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "list-kubeconfig", "namespace": "ci"},
                "type": "Opaque",
                "stringData": {"config": kubeconfig(token_user("deployer", CANARIES["list_token"]))},
            },
            {
                "apiVersion": "certificates.k8s.io/v1",
                "kind": "CertificateSigningRequest",
                "metadata": {"name": "bob"},
                "spec": {
                    "signerName": "kubernetes.io/kube-apiserver-client",
                    "expirationSeconds": 86400,
                    "usages": ["client auth"],
                    "request": b64("-----BEGIN CERTIFICATE REQUEST-----\n...\n"),
                },
                "status": {"certificate": b64(pki.pem(old))},
            },
        ],
    }
    text = write("manifests/list.json", json.dumps(list_doc, indent=2) + "\n")
    # bob's certificate is expired and its key is not in the tree: no finding in a scan (issue 15).
    exp["credentials"]["manifests/list.json"] = 2
    exp["lines"]["list_config"] = line_of(text, '"config": ')
    exp["findings"].append(["manifests/list.json", exp["lines"]["list_config"], "KC501"])
    # KC008 (baseline since issue 14): the list's kubeconfig token is opaque.
    exp["findings"].append(["manifests/list.json", exp["lines"]["list_config"], "KC008"])
    exp["canaries"].append(CANARIES["list_token"])

    # CSRs: one issued for 24h (22h left), one pending.
    alice, _ = leaf("alice", ["dev"], NOW - 2 * 3600, NOW + 22 * 3600)
    text = write(
        "manifests/csr.yaml",
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: alice\n"
        "spec:\n  signerName: kubernetes.io/kube-apiserver-client\n  expirationSeconds: 86400\n"
        "  usages: [client auth]\n  request: TFMwdExTMUNSVWRKVGlCRFJWSlVTVVpKUTBGVVJTQlNSVkZWUlZOVUxTMHRMUzBL\n"
        "status:\n  conditions:\n  - type: Approved\n    status: \"True\"\n"
        f"  certificate: {b64(pki.pem(alice))}\n"
        "---\n"
        "apiVersion: certificates.k8s.io/v1\nkind: CertificateSigningRequest\nmetadata:\n  name: pending\n"
        "spec:\n  signerName: kubernetes.io/kube-apiserver-client\n  request: AAAA\n",
    )
    exp["findings"].append(["manifests/csr.yaml", line_of(text, "  certificate: "), "KC003"])
    exp["credentials"]["manifests/csr.yaml"] = 1
    exp["not_after"] = {"alice": NOW + 22 * 3600, "bob": NOW - 9 * DAY}

    # A PEM bundle: server certificate and its CA.
    s2, _ = leaf("api.example.com", [], NOW - DAY, NOW + 400 * DAY, SERVER)
    text = write("certs/server.pem", "# served by the ingress\n" + pki.pem(s2).decode() + pki.pem(ca).decode())
    exp["credentials"]["certs/server.pem"] = 2
    exp["lines"]["server_pem"] = [line_of(text, "BEGIN CERTIFICATE"), line_of(text, "BEGIN CERTIFICATE", "END CERTIFICATE")]

    # Noise.
    write("values.yaml", "replicaCount: 2\nusers:\n  - alice\n  - bob\nclusters: 3\nkind: of\n")
    write("README.md", "# demo repo\n\nNothing to see: kind regards, the users.\n")
    write("src/app.py", "print('hello')\n")
    write("bin/tool.bin", b"\x7fELF\x00\x00\x01" + pki.pem(s2) + b"\x00" * 64)
    exp["skipped"]["bin/tool.bin"] = "binary"
    (REPO / "links").mkdir()
    (REPO / "links" / "loop").symlink_to("..")

    exp["findings"].sort()
    (HERE / "expected.json").write_text(json.dumps(exp, indent=2, sort_keys=True) + "\n")
    print(f"wrote {REPO}")


if __name__ == "__main__":
    main()
