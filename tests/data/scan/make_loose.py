#!/usr/bin/env python3
"""Generate the tree of credentials that leak outside kubeconfigs and manifests
(issue 15): tokens in configuration text, a file holding only a token, a saved
ExecCredential; each live and expired, beside look-alikes that must stay quiet.

How to run (Python >= 3.9, `pip install cryptography`):

    python3 tests/data/scan/make_loose.py

Tokens are real RS256 JWTs signed with a fresh RSA key (cryptography), shaped as
the API server (service-account tokens) and Entra ID (AKS, kubelogin) issue them;
an EKS token is `k8s-aws-v1.` + a base64url presigned STS URL as
`aws eks get-token` writes it; an OpenShift token is `sha256~` + 43 characters.
Every date is fixed relative to NOW = 2026-01-01T00:00:00Z (Unix 1767225600).

  loose/.env                       KUBE_TOKEN= a live bound service-account token
  loose/ci/deploy.sh               kubectl --token=<live Entra token>; an expired SA token
  loose/.github/workflows/ci.yml   K8S_AUTH_API_KEY: a live OpenShift token
  loose/deploy/sa.token            a file holding only a live SA token (newline ended)
  loose/tokens/get-token.json      kubelogin get-token output (ExecCredential, live)
  loose/tokens/eks-token.json      aws eks get-token output (ExecCredential, expired)
  loose/docs/README.md             look-alikes: placeholders, a truncated JWT, a JWT
                                   of another system, base64 that is no token
  loose-expected.json              findings (file, line, code) and the records
                                   (file, line, entry, format, status)
"""
from __future__ import annotations

import json
import secrets
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fixturelib import b64url  # noqa: E402  (tests/data/fixturelib.py)

from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import padding, rsa  # noqa: E402

NOW = 1767225600
DAY = 86400
TREE = HERE / "loose"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630"


def jwt(claims: dict) -> str:
    header = b64url(json.dumps({"alg": "RS256", "kid": "k1", "typ": "JWT"}))
    body = b64url(json.dumps(claims))
    signed = f"{header}.{body}".encode()
    signature = KEY.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64url(signature)}"


def sa_token(exp: int) -> str:
    return jwt({
        "aud": ["https://kubernetes.default.svc.cluster.local"],
        "exp": exp, "iat": exp - 3650 * DAY // 10, "nbf": exp - 3650 * DAY // 10,
        "iss": "https://kubernetes.default.svc.cluster.local",
        "jti": secrets.token_hex(8),
        "kubernetes.io": {"namespace": "ci", "serviceaccount": {"name": "deployer", "uid": "2c8f0d7e-1b3a-4c5d-9e6f-7a8b9c0d1e2f"}},
        "sub": "system:serviceaccount:ci:deployer",
    })


def entra_token(exp: int) -> str:
    return jwt({
        "aud": AKS_SERVER_APP, "iss": "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
        "iat": exp - 3600, "nbf": exp - 3600, "exp": exp,
        "oid": "0b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "upn": "alice@contoso.example", "sub": "alice-sub",
    })


def eks_token(signed_at: str) -> str:
    url = ("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"
           "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20251231%2Fus-east-1%2Fsts%2Faws4_request"
           f"&X-Amz-Date={signed_at}&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id"
           f"&X-Amz-Signature={secrets.token_hex(32)}")
    return "k8s-aws-v1." + b64url(url)


def exec_credential(api: str, status: dict) -> str:
    return json.dumps({"kind": "ExecCredential", "apiVersion": api, "spec": {"interactive": False}, "status": status}, indent=2) + "\n"


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def main() -> None:
    shutil.rmtree(TREE, ignore_errors=True)
    findings, records = [], []

    def put(rel: str, text: str) -> str:
        path = TREE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return text

    def expect(rel, text, needle, entry, fmt, status, live):
        line = line_of(text, needle)
        records.append([rel, line, entry, fmt, status])
        if live:
            findings.append([rel, line, "KC501"])

    live_sa, old_sa = sa_token(NOW + 30 * DAY), sa_token(NOW - DAY)
    text = put(".env", f"# local settings\nAPP_PORT=8080\nKUBE_TOKEN={live_sa}\n")
    expect(".env", text, live_sa, "KUBE_TOKEN", "service-account-bound", "valid", True)

    live_entra = entra_token(NOW + 3600)
    text = put("ci/deploy.sh", "#!/bin/sh\nset -eu\n"
               f"kubectl --server https://aks.example:443 --token={live_entra} apply -f k8s/\n"
               f"# old: export K8S_TOKEN=\"{old_sa}\"\n")
    expect("ci/deploy.sh", text, live_entra, "--token", "jwt", "valid", True)
    expect("ci/deploy.sh", text, old_sa, "K8S_TOKEN", "service-account-bound", "expired", False)

    openshift = "sha256~" + b64url(secrets.token_bytes(32))
    text = put(".github/workflows/ci.yml", "name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
               f"    env:\n      K8S_AUTH_API_KEY: {openshift}\n    steps:\n      - run: oc apply -f k8s/\n")
    expect(".github/workflows/ci.yml", text, openshift, "K8S_AUTH_API_KEY", "openshift-oauth", "unknown", True)

    text = put("deploy/sa.token", live_sa + "\n")
    expect("deploy/sa.token", text, live_sa, "token", "service-account-bound", "valid", True)

    text = put("tokens/get-token.json", exec_credential("client.authentication.k8s.io/v1beta1", {
        "expirationTimestamp": "2026-01-01T01:00:00Z", "token": entra_token(NOW + 3600)}))
    expect("tokens/get-token.json", text, '"token"', "ExecCredential", "jwt", "valid", True)

    text = put("tokens/eks-token.json", exec_credential("client.authentication.k8s.io/v1beta1", {
        "expirationTimestamp": "2025-12-31T23:14:00Z", "token": eks_token("20251231T230000Z")}))
    expect("tokens/eks-token.json", text, '"token"', "ExecCredential", "eks-presigned", "expired", False)

    other = jwt({"iss": "https://auth.example.com", "sub": "user-42", "exp": NOW + DAY})
    put("docs/README.md", "# Deploying\n\nSet `KUBE_TOKEN=<your-token>` or pass `--token=${KUBE_TOKEN}`.\n"
        "A token looks like `eyJhbGciOiJSUzI1NiIsImtpZCI6Ij...`.\n\n"
        f"Our web session cookie, for comparison: SESSION={other}\n"
        "Checksum: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
        "Encoded settings: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXlKemRXSWlPaUo0SW4w\n")

    findings.sort()
    records.sort()
    (HERE / "loose-expected.json").write_text(json.dumps({"findings": findings, "records": records}, indent=2) + "\n")


if __name__ == "__main__":
    main()
