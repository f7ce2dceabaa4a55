"""The canary matrix, Python side: every secret-bearing kubeconfig field holds a
unique canary, and no repr, str, property value, JSON, table, SARIF, Prometheus
text or exception message shows any of them. (kcred-cli/tests/canary.rs covers
the command line's outputs with the same fields.)"""

from __future__ import annotations

import base64
import json
import pathlib
import pickle
from typing import Any

import pytest

import kcred
from conftest import CERTS, NOW


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64url(obj: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def jwt(claims: dict[str, Any], canary: str) -> str:
    """A JWT whose signature segment is the canary (claims stay readable)."""
    return f"{b64url({'alg': 'RS256', 'kid': 'k'})}.{b64url(claims)}.{canary}"


CANARIES = {
    name: f"CANARY-{name}-7f3a"
    for name in [
        "token", "password", "key-data", "key-file", "token-file", "jwt-sig",
        "id-token-sig", "refresh-token", "client-secret", "azure-access",
        "azure-refresh", "gcp-access", "exec-arg", "exec-env",
        # Exec args in every secret form, scripts, commands, URL credentials.
        "exec-p", "exec-pass", "exec-pwd", "exec-auth", "exec-one-arg",
        "exec-glued-p", "exec-colon", "exec-slash", "exec-url-user",
        "exec-url-query", "exec-script", "cmd-env", "cmd-flag", "cmd-url-user",
        "cmd-url-query", "server-user", "server-query", "server-fragment",
        "proxy-user", "proxy-query", "idp-user", "idp-query",
        # First keys of files a policy extends.
        "policy-yaml-key", "policy-toml-key", "policy-json-key",
    ]
}


def kubeconfig(tmp: pathlib.Path) -> pathlib.Path:
    c = CANARIES
    (tmp / "token").write_text(c["token-file"])
    (tmp / "client.key").write_text(
        f"-----BEGIN PRIVATE KEY-----\n{b64(c['key-file'].encode())}\n-----END PRIVATE KEY-----\n"
    )
    key_pem = f"-----BEGIN PRIVATE KEY-----\n{b64(c['key-data'].encode())}\n-----END PRIVATE KEY-----\n"
    cert = b64((CERTS / "expired.crt").read_bytes())
    claims = {"iss": "https://issuer.example", "sub": "ci", "exp": 1767229200, "iat": 1767225600}
    text = f"""\
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: "https://admin:{c["server-user"]}@10.0.0.1:6443/?token={c["server-query"]}#{c["server-fragment"]}"
    proxy-url: "http://p:{c["proxy-user"]}@proxy.example:3128/?key={c["proxy-query"]}"
contexts:
- name: x
  context: {{cluster: c, user: static}}
users:
- name: static
  user:
    token: {c["token"]}
- name: basic
  user:
    username: alice
    password: {c["password"]}
- name: keyed
  user:
    client-certificate-data: {cert}
    client-key-data: {b64(key_pem.encode())}
- name: keyed-file
  user:
    client-certificate-data: {cert}
    client-key: client.key
- name: token-file
  user:
    tokenFile: token
- name: jwt
  user:
    token: {jwt(claims, c["jwt-sig"])}
- name: oidc
  user:
    auth-provider:
      name: oidc
      config:
        idp-issuer-url: "https://u:{c["idp-user"]}@issuer.example/?token={c["idp-query"]}"
        client-id: kube
        id-token: {jwt(claims, c["id-token-sig"])}
        refresh-token: {c["refresh-token"]}
        client-secret: {c["client-secret"]}
- name: azure
  user:
    auth-provider:
      name: azure
      config:
        access-token: {c["azure-access"]}
        refresh-token: {c["azure-refresh"]}
        expires-on: "1767229200"
- name: gcp
  user:
    auth-provider:
      name: gcp
      config:
        access-token: {c["gcp-access"]}
        expiry: "2026-01-01T01:00:00Z"
- name: exec
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: kubelogin
      args: [get-token, --client-secret, {c["exec-arg"]}, "--password={c["exec-arg"]}"]
      env:
      - {{name: AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, value: {c["exec-env"]}}}
- name: exec-flags
  user:
    exec:
      command: kubelogin
      args: [get-token, --login, spn, -p, "{c["exec-p"]}", --pass, "{c["exec-pass"]}", "--pwd={c["exec-pwd"]}", "--auth={c["exec-auth"]}", "--client-secret {c["exec-one-arg"]}", "-p{c["exec-glued-p"]}", "--password:{c["exec-colon"]}", /password, "{c["exec-slash"]}", "--oidc-issuer-url=https://u:{c["exec-url-user"]}@issuer.example/?t={c["exec-url-query"]}"]
- name: exec-script
  user:
    exec:
      command: /bin/sh
      args: ["-c", "echo {c["exec-script"]}"]
- name: exec-command
  user:
    exec:
      command: "AWS_SECRET_ACCESS_KEY={c["cmd-env"]} kubelogin --client-secret={c["cmd-flag"]}"
- name: exec-url
  user:
    exec:
      command: "https://u:{c["cmd-url-user"]}@plugins.example/plugin?sig={c["cmd-url-query"]}"
"""
    path = tmp / "config"
    path.write_text(text)
    return path


def shown(value: Any, seen: set[int], out: list[str], depth: int = 0) -> None:
    """repr and str of `value`, and of everything reachable through its public
    properties (kcred objects), items (tuples, lists, dicts)."""
    if id(value) in seen or depth > 8:
        return
    seen.add(id(value))
    out.append(repr(value))
    out.append(str(value))
    if isinstance(value, dict):
        for k, v in value.items():
            shown(k, seen, out, depth + 1)
            shown(v, seen, out, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            shown(v, seen, out, depth + 1)
    elif type(value).__module__.startswith("kcred"):
        for name in dir(value):
            if name.startswith("_"):
                continue
            attr = getattr(value, name)
            if callable(attr):
                # Methods that take `now` are called with the fixed instant.
                if name in ("remaining", "status"):
                    shown(attr(NOW), seen, out, depth + 1)
                elif name in ("to_json", "to_table"):
                    # Inventory renders at an instant; reports were computed at one.
                    shown(attr(NOW) if isinstance(value, kcred.Inventory) else attr(), seen, out, depth + 1)
                elif name == "to_dict":
                    shown(attr(), seen, out, depth + 1)
                elif name in ("to_exception",):
                    shown(attr(), seen, out, depth + 1)
                continue
            shown(attr, seen, out, depth + 1)


def assert_no_canary(texts: list[str]) -> None:
    joined = "\n".join(texts)
    leaked = [c for c in CANARIES.values() if c in joined]
    assert not leaked, f"canaries leaked: {leaked}"
    assert "CANARY" not in joined


def test_every_secret_field_is_read_and_none_is_shown(tmp_path: pathlib.Path) -> None:
    inv = kcred.load(kubeconfig(tmp_path))
    # The matrix sees every user, so a leak could not hide behind a skipped entry.
    users = {c.user for c in inv}
    assert users == {"static", "basic", "keyed", "keyed-file", "token-file", "jwt",
                     "oidc", "azure", "gcp", "exec", "exec-flags", "exec-script",
                     "exec-command", "exec-url"}
    out: list[str] = []
    shown(inv, set(), out)
    # Pickles carry the core values' serde form: it holds the redacted text too.
    for value in [inv, *inv.credentials, *inv.clusters]:
        out.append(repr(value.to_dict()))
        out.append(repr(pickle.dumps(value)))
        out.append(repr(pickle.loads(pickle.dumps(value))))
    out.append(inv.to_json(NOW))
    out.append(inv.to_table(NOW))
    for policy in ("baseline", "strict"):
        findings = kcred.check(inv, policy, now=NOW)
        assert findings, policy
        shown(findings, set(), out)
        out.append(kcred.findings_json(findings, policy=policy, now=NOW))
        out.append(kcred.findings_sarif(findings))
        out.append(kcred.findings_table(findings))
        out.append(kcred.prometheus_text(inv, findings, now=NOW))
    assert len(out) > 200
    assert_no_canary(out)


@pytest.mark.parametrize(
    "bad",
    [
        "users:\n- name: u\n  user:\n    token: {CANARY}\n    token: again\n",
        "users:\n- name: u\n  user: [CANARY-in-a-list\n",
        "users:\n- name: u\n  user:\n    client-certificate-data: CANARY!!notbase64\n",
        "users:\n- name: u\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.CANARY!!.sig\n",
        "{\"users\": [{\"name\": \"u\", \"user\": {\"token\": CANARY}}]}",
    ],
)
def test_errors_from_bad_input_never_quote_it(bad: str) -> None:
    inv = kcred.loads(bad.replace("CANARY", CANARIES["token"]))
    out: list[str] = []
    shown(inv, set(), out)
    for problem in inv.problems:
        exc = problem.to_exception()
        out.extend([str(exc), repr(exc), repr(exc.args)])
    assert inv.problems, "each input is broken somewhere"
    assert_no_canary(out)


def test_exceptions_raised_directly_never_quote_the_input() -> None:
    out: list[str] = []
    with pytest.raises(kcred.KcredError) as err:
        kcred.decode_token(f"eyJhbGciOiJSUzI1NiJ9.{CANARIES['jwt-sig']}!!.sig")
    out.extend([str(err.value), repr(err.value)])
    with pytest.raises(kcred.KcredError) as err:
        kcred.parse_policy(f"rules:\n  {CANARIES['password']}: [\n")
    out.extend([str(err.value), repr(err.value)])
    with pytest.raises(kcred.KcredError) as err:
        kcred.decode_certificates(CANARIES["key-data"].encode())
    out.extend([str(err.value), repr(err.value)])
    assert_no_canary(out)


@pytest.mark.parametrize(
    ("ext", "victim"),
    [
        ("yaml", f"{CANARIES['policy-yaml-key']}: v\nother: 1\n"),
        ("toml", f"{CANARIES['policy-toml-key']} = \"v\"\n"),
        ("json", f"{{\"{CANARIES['policy-json-key']}\": \"v\"}}"),
    ],
)
@pytest.mark.parametrize("main_ext", ["yaml", "toml", "json"])
def test_a_policy_extending_a_file_never_shows_that_file(
    tmp_path: pathlib.Path, ext: str, victim: str, main_ext: str
) -> None:
    """`extends: /etc/shadow` must not print the file's first key (its root hash)."""
    (tmp_path / f"victim.{ext}").write_text(victim)
    main = {
        "yaml": f"version: 1\nextends: victim.{ext}\n",
        "toml": f"version = 1\nextends = \"victim.{ext}\"\n",
        "json": f"{{\"version\": 1, \"extends\": \"victim.{ext}\"}}",
    }[main_ext]
    (tmp_path / f"main.{main_ext}").write_text(main)
    out: list[str] = []
    for spec in (tmp_path / f"main.{main_ext}", tmp_path / f"victim.{ext}"):
        with pytest.raises(kcred.KcredError) as err:
            kcred.load_policy(spec)
        out.extend([str(err.value), repr(err.value), repr(err.value.args)])
        assert err.value.line == 1
    with pytest.raises(kcred.KcredError) as err:
        kcred.parse_policy(victim, source=f"p.{ext}")
    out.extend([str(err.value), repr(err.value)])
    assert_no_canary(out)


RBAC = """\
kind: ClusterRoleBinding
metadata: {name: everyone}
roleRef: {kind: ClusterRole, name: all}
subjects: [{kind: Group, name: "system:authenticated"}]
---
kind: ClusterRole
metadata: {name: all}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
"""


def test_rights_exposure_scan_and_pki_never_show_a_secret(tmp_path: pathlib.Path) -> None:
    """Every new output: privileges, the exposure, scan and pki reports (repr,
    str, properties, to_dict, JSON, tables, pickles)."""
    config = kubeconfig(tmp_path)
    (tmp_path / "rbac.yaml").write_text(RBAC)
    inv = kcred.load(config, rbac=tmp_path / "rbac.yaml")
    rights = [c.privileges for c in inv if c.privileges is not None]
    assert rights and any(r.cluster_admin for r in rights)
    # A kubeadm folder whose admin.conf is the canary kubeconfig.
    node = tmp_path / "node"
    (node / "pki").mkdir(parents=True)
    (node / "admin.conf").write_text(config.read_text())
    reports: list[Any] = [
        kcred.exposure(config, home=tmp_path, now=NOW, rbac=tmp_path / "rbac.yaml", policy="strict"),
        kcred.scan(tmp_path, now=NOW, rbac=tmp_path / "rbac.yaml", policy="strict"),
        kcred.pki(node, kubelet_dir=tmp_path / "no-kubelet", now=NOW, rbac=tmp_path / "rbac.yaml", policy="strict"),
    ]
    assert reports[0].contexts and reports[1].credentials and reports[2].certificates
    assert any(c.privileges is not None for c in reports[1].credentials)
    out: list[str] = []
    shown([*rights, *reports], set(), out)
    for value in [*rights, *reports]:
        out.append(repr(pickle.dumps(value)))
        out.append(json.dumps(value.to_dict()))
    for report in reports:
        out.extend([report.to_json(), report.to_table()])
    assert len(out) > 100
    assert_no_canary(out)
