#!/usr/bin/env python3
"""Generate kcred's exposure fixtures: copied home folders with token caches.

How to run (from anywhere; Python >= 3.9, `pip install cryptography`):

    python3 tests/data/exposure/make_exposure_fixtures.py

Fixed time: NOW = 2026-01-01T00:00:00Z (Unix 1767225600); every date below is
relative to it, so tests assert exposure windows to the second.  Kubeconfigs are
copied from ../platforms/ (made by ../make_fixtures.py); the cache files are in
the shapes the tools write (sources per file below).  Every token value contains
CANARY so tests can prove no output prints one.  Nothing outside this folder is
touched.

  home-aks/    .kube/config = platforms/aks-kubelogin-devicecode/config
               .kube/cache/kubelogin/<env>-<server>-<client>-<tenant>.json
                 Azure/kubelogin pkg/internal/token/tokenCache.go (adal.SaveToken:
                 access_token, refresh_token, expires_in, expires_on, not_before as
                 strings) and the file name from getCacheFileName
               .kube/cache/custom/exec-credential.json  an ExecCredential (v1), unlinked
  home-oidc/   .kube/config = platforms/oidc-login/config
               .kube/cache/oidc-login/<sha256>  int128/kubelogin
                 pkg/tokencache/repository/repository.go ({"id_token","refresh_token"})
  home-gke/    .kube/config = platforms/gke/config
               .kube/gke_gcloud_auth_plugin_cache  current_context, access_token,
                 token_expiry (RFC 3339), extra_args: cloud-provider-gcp's
                 gke-gcloud-auth-plugin, from knowledge (not re-checked)
  home-eks/    .kube/config = platforms/eks-iam-authenticator/config
               .kube/cache/aws-iam-authenticator/credentials.yaml
                 kubernetes-sigs/aws-iam-authenticator pkg/filecache/filecache.go
                 (clusters -> cluster id -> profile -> role ARN -> aws.Credentials,
                 yaml.v2 lower-cased field names)
  caches/      kubelogin auth.json (azidentity AuthenticationRecord) and
               pop_tokens.cache (presence only), a plaintext MSAL cache, an AWS
               shared credentials file
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import shutil
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

NOW = 1767225600
HERE = Path(__file__).resolve().parent
PLATFORMS = HERE.parent / "platforms"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def jwt(claims: dict) -> str:
    head = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "fixture-kid"}).encode())
    body = b64url(json.dumps(claims).encode())
    sig = KEY.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64url(sig)}"


def rfc3339(unix: int) -> str:
    return dt.datetime.fromtimestamp(unix, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(mode)


def copy_config(home: Path, platform: str) -> str:
    src = PLATFORMS / platform / "config"
    dst = home / ".kube" / "config"
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    dst.chmod(0o600)
    return src.read_text()


def arg(config: str, flag: str) -> str:
    m = re.search(rf"- {re.escape(flag)}\n\s+- (\S+)", config)
    if not m:
        raise SystemExit(f"{flag} not found")
    return m.group(1)


def home_aks() -> dict:
    home = HERE / "home-aks"
    cfg = copy_config(home, "aks-kubelogin-devicecode")
    server, client, tenant = arg(cfg, "--server-id"), arg(cfg, "--client-id"), arg(cfg, "--tenant-id")
    iat, exp = NOW - 1800, NOW + 2700
    access = jwt({"aud": server, "iss": f"https://sts.windows.net/{tenant}/", "iat": iat, "nbf": iat,
                  "exp": exp, "oid": "00000000-0000-0000-0000-0000000000a1", "tid": tenant, "upn": "alice@example.com"})
    token = {"access_token": access, "refresh_token": "CANARY-entra-refresh-token",
             "expires_in": str(exp - iat), "expires_on": str(exp), "not_before": str(iat),
             "resource": server, "token_type": "Bearer"}
    name = f"AzurePublicCloud-{server}-{client}-{tenant}.json"
    write(home / ".kube" / "cache" / "kubelogin" / name, json.dumps(token))
    cred = {"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1", "spec": {"interactive": False},
            "status": {"expirationTimestamp": rfc3339(NOW + 600), "token": "CANARY-exec-credential-token"}}
    write(home / ".kube" / "cache" / "custom" / "exec-credential.json", json.dumps(cred))
    # Entra refresh token window: issued at iat, 90 days.
    return {"context": "aks-prod-weu", "access_until": exp, "until": iat + 90 * 86400}


def home_oidc() -> dict:
    home = HERE / "home-oidc"
    copy_config(home, "oidc-login")
    iat, exp = NOW - 600, NOW + 3600
    id_token = jwt({"iss": "https://dex.example.com", "aud": "kubernetes", "sub": "CgVhbGljZQ",
                    "email": "alice@example.com", "iat": iat, "exp": exp})
    name = hashlib.sha256(b"fixture: real name is sha256 of a gob-encoded key").hexdigest()
    write(home / ".kube" / "cache" / "oidc-login" / name,
          json.dumps({"id_token": id_token, "refresh_token": "CANARY-oidc-refresh-token"}))
    write(home / ".kube" / "cache" / "oidc-login" / f"{name}.lock", "")
    return {"context": "oidc@k8s", "access_until": exp, "issued": iat}


def home_gke() -> dict:
    home = HERE / "home-gke"
    copy_config(home, "gke")
    exp = NOW + 2400
    doc = {"current_context": "gke_acme-platform_europe-west1_web-prod",
           "access_token": "ya29.CANARY-gke-access-token", "token_expiry": rfc3339(exp), "extra_args": ""}
    write(home / ".kube" / "gke_gcloud_auth_plugin_cache", json.dumps(doc))
    return {"context": "gke_acme-platform_europe-west1_web-prod", "until": exp}


def home_eks() -> dict:
    home = HERE / "home-eks"
    copy_config(home, "eks-iam-authenticator")
    exp = NOW + 3000
    yaml = (
        "clusters:\n"
        "  payments-prod:\n"
        "    default:\n"
        "      arn:aws:iam::111122223333:role/eks-admins:\n"
        "        accesskeyid: ASIACANARYEXAMPLE\n"
        "        secretaccesskey: CANARY-aws-secret\n"
        "        sessiontoken: CANARY-aws-session\n"
        "        source: AssumeRoleProvider\n"
        "        canexpire: true\n"
        f"        expires: {rfc3339(exp)}\n"
        "        accountid: \"111122223333\"\n"
    )
    write(home / ".kube" / "cache" / "aws-iam-authenticator" / "credentials.yaml", yaml)
    return {"context": "aws", "until": exp}


def caches() -> dict:
    d = HERE / "caches"
    record = {"authority": "login.microsoftonline.com", "clientId": "80faf920-1908-4b52-b5ef-a8e7bedfc67a",
              "homeAccountId": "CANARY-oid.tenant", "tenantId": "408aa735-c096-4138-9246-cd19cd965624",
              "username": "alice@example.com", "version": "1.0"}
    write(d / "kubelogin" / "auth.json", json.dumps(record))
    write(d / "kubelogin" / "pop_tokens.cache", "CANARY-encrypted-bytes")
    msal = {"AccessToken": {"k1": {"credential_type": "AccessToken", "secret": "CANARY-az-access",
                                   "client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "realm": "t1",
                                   "expires_on": str(NOW + 3000), "cached_at": str(NOW - 600)}},
            "RefreshToken": {"k2": {"credential_type": "RefreshToken", "secret": "CANARY-az-refresh",
                                    "client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46"}},
            "Account": {"k3": {"username": "alice@example.com", "realm": "t1"}}}
    write(d / "msal_token_cache.json", json.dumps(msal))
    write(d / "aws-credentials", "[default]\naws_access_key_id = AKIACANARYEXAMPLE\n"
          "aws_secret_access_key = CANARY-aws-long-term\n\n[sso]\nregion = eu-west-1\n")
    return {"msal_access_until": NOW + 3000}


def main() -> None:
    for sub in ("home-aks", "home-oidc", "home-gke", "home-eks", "caches"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    expected = {"now": NOW, "home-aks": home_aks(), "home-oidc": home_oidc(), "home-gke": home_gke(),
                "home-eks": home_eks(), "caches": caches()}
    (HERE / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
