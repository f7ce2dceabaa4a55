#!/usr/bin/env python3
"""Generate the tree of credentials a repository leaks in other shapes (issue 15):
certificates and keys as separate files (paired by public key, never by name),
kubeconfigs embedded in Terraform state, Helm values, CI variables and Ansible
vars (as text and as base64), expired and not-yet-valid variants, and the
look-alikes that must stay quiet.

How to run (Python >= 3.9, `pip install cryptography`):

    python3 tests/data/scan/make_shapes.py

Certificates and keys are real (cryptography): RSA, EC P-256 and Ed25519, keys
in PKCS#1, SEC1 and PKCS#8 PEM. Every date is fixed relative to
NOW = 2026-01-01T00:00:00Z (Unix 1767225600).

  shapes/pki/admin.crt + pki/admin.key          live system:masters cert, its key (PKCS#1)
  shapes/minikube/client.crt + .minikube/k.pem  live EC cert; its key (SEC1) under another name
  shapes/kubelet/kubelet-client-current.pem     cert and key in one file (PKCS#8 EC)
  shapes/pki/ca.crt + pki/ca.key                a cluster CA with its key (mints any user)
  shapes/old/deployer.crt + backup/0001.pem     expired cert and its key: KC502
  shapes/next/rotation.crt + next/rotation.key  not-yet-valid cert and its key: KC502
  shapes/pki/apiserver.crt + pki/apiserver.key  server-only cert (EKU serverAuth) + key: KC502
  shapes/keys/signing.key                       a private key no certificate holds: KC502
  shapes/k8s/deployer-tls.yaml                  kubernetes.io/tls Secret, base64 data: live system:masters
                                                cert + its tls.key (paired in the Secret)
  shapes/k8s/old-tls.yaml                       kubernetes.io/tls Secret, plain stringData: expired: KC502
  shapes/jenkins/client.crt + k8s/jenkins-client.yaml
                                                live cert; its key in an Opaque Secret's data
  shapes/k8s/signing-key.yaml                   an Opaque Secret's key no certificate holds: KC502
  shapes/infra/terraform.tfstate                azurerm_kubernetes_cluster: kube_config_raw,
                                                kube_admin_config_raw, kube_config[0] (base64
                                                PEM cert + key), outputs.kube_config.value
  shapes/helm/values.yaml                       kubeconfig: <base64 kubeconfig> (live SA token)
  shapes/ci/variables.json                      GitLab CI variables export: a file variable
                                                holding an expired kubeconfig (text)
  shapes/ansible/group_vars/all.yml             k8s_kubeconfig: | (live client cert + key)
  shapes/helm/deployer-values.yaml              deployer.kubeconfig: a kubeconfig as a block mapping (live token)
  shapes/ansible/host_vars/ops.yml              k8s_auth: {kubeconfig: {...}} on one line (expired token): KC502
  shapes/ci/deploy-settings.json                a JSON `kubeconfig` object (live client certificate + key)
  look-alikes (quiet):
  shapes/certs/cluster-ca.crt                   a certificate without its key
  shapes/docs/kubeconfig.md                     a kubeconfig of <placeholder> values in a README
  shapes/examples/kubeconfig.yaml               a kubeconfig of <placeholder> values
  shapes/test/fixtures/expired-token.txt        an expired SA token: KC502, not KC501
  shapes/web/testdata/session.json              a JWT of a web app (iss https://example.com)
  shapes/helm/other-values.yaml                 base64 that decodes to YAML, not a kubeconfig
  shapes/helm/manifest-values.yaml              base64 of a Deployment with nested users/clusters keys
  shapes/locales/en.json                        prose naming users, clusters, contexts and tokens
  shapes/docs/helm-example.yaml                 a <placeholder> kubeconfig as text and base64 in Helm values
  shapes-expected.json                          findings (file, line, code) for KC5xx, the
                                                records (file, line, entry, kind, identity,
                                                status, not_after), and the quiet files
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fixturelib import b64, b64url  # noqa: E402  (tests/data/fixturelib.py)

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

NOW = 1767225600
DAY = 86400
TREE = HERE / "shapes"
UTC = dt.timezone.utc
PEM = serialization.Encoding.PEM
NOENC = serialization.NoEncryption()
SIGNER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


SEEDS = ["infra/terraform.tfstate", "helm/values.yaml", "ci/variables.json", "ansible/group_vars/all.yml",
         "kubelet/kubelet-client-current.pem", "examples/kubeconfig.yaml", "helm/other-values.yaml",
         "k8s/deployer-tls.yaml", "k8s/old-tls.yaml", "helm/deployer-values.yaml", "ansible/host_vars/ops.yml",
         "ci/deploy-settings.json", "helm/manifest-values.yaml"]


def when(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(NOW + seconds, UTC)


def rfc3339(seconds: int) -> str:
    return when(seconds).strftime("%Y-%m-%dT%H:%M:%SZ")


def name(cn: str, orgs: tuple[str, ...] = ()) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
                     + [x509.NameAttribute(NameOID.COMMON_NAME, cn)])


CA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
CA_NAME = name("kubernetes")


def certificate(key, cn, orgs=(), start=-30 * DAY, end=335 * DAY, eku=ExtendedKeyUsageOID.CLIENT_AUTH,
                ca=False) -> x509.Certificate:
    b = (x509.CertificateBuilder().subject_name(CA_NAME if ca else name(cn, orgs)).issuer_name(CA_NAME)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(when(start)).not_valid_after(when(end))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if eku is not None and not ca:
        b = b.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    return b.sign(CA_KEY, hashes.SHA256())


def cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(PEM).decode()


def key_pem(key, fmt=serialization.PrivateFormat.PKCS8) -> str:
    return key.private_bytes(PEM, fmt, NOENC).decode()


def jwt(claims: dict) -> str:
    header = b64url(json.dumps({"alg": "RS256", "kid": "k1", "typ": "JWT"}))
    body = b64url(json.dumps(claims))
    signature = SIGNER.sign(f"{header}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{header}.{body}.{b64url(signature)}"


def sa_token(exp: int, sa: str = "deployer") -> str:
    iss = "https://kubernetes.default.svc.cluster.local"
    iat = min(exp, NOW) - 30 * DAY
    return jwt({"aud": [iss], "exp": exp, "iat": iat, "nbf": iat, "iss": iss,
                "kubernetes.io": {"namespace": "ci", "serviceaccount": {"name": sa, "uid": "4f0e3c2a-1b3a-4c5d-9e6f-7a8b9c0d1e2f"}},
                "sub": f"system:serviceaccount:ci:{sa}"})


def kubeconfig(user: dict, cluster: str = "aks-prod") -> str:
    return (f"apiVersion: v1\nkind: Config\nclusters:\n- name: {cluster}\n  cluster:\n"
            f"    server: https://{cluster}.hcp.westeurope.azmk8s.io:443\n"
            f"    certificate-authority-data: {b64(cert_pem(CA))}\n"
            f"contexts:\n- name: {cluster}\n  context:\n    cluster: {cluster}\n    user: clusterUser\n"
            f"current-context: {cluster}\nusers:\n- name: clusterUser\n  user:\n"
            + "".join(f"    {k}: {v}\n" for k, v in user.items()))


def cert_user(key, cert) -> dict:
    return {"client-certificate-data": b64(cert_pem(cert)), "client-key-data": b64(key_pem(key))}


CA = certificate(CA_KEY, "kubernetes", start=-365 * DAY, end=9 * 365 * DAY, ca=True)


def identity(cert: x509.Certificate) -> str:
    """As kcred's JSON `identity` writes a certificate's subject."""
    cn = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    orgs = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return f"CN={cn}" + (f" O={','.join(orgs)}" if orgs else "")


def not_after(cert: x509.Certificate) -> str:
    return cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def main() -> None:
    shutil.rmtree(TREE, ignore_errors=True)
    findings, records, quiet = [], [], []

    def put(rel: str, text: str) -> str:
        path = TREE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return text

    def expect(rel, line, entry, kind, who, status, end, code, key=None):
        """A record: its file, line, entry, kind, identity, status, notAfter and
        where its private key is (`inline`, a file of the tree, or none)."""
        records.append([rel, line, entry, kind, who, status, end, key])
        if code:
            findings.append([rel, line, code])

    def pair(crt_rel, key_rel, key, cert, status, code, key_fmt=serialization.PrivateFormat.PKCS8):
        put(crt_rel, cert_pem(cert))
        put(key_rel, key_pem(key, key_fmt))
        expect(crt_rel, 1, "PEM block", "client-certificate", identity(cert), status, not_after(cert), code, key_rel)

    rsa_key = lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)  # noqa: E731
    ec_key = lambda: ec.generate_private_key(ec.SECP256R1())  # noqa: E731

    # Certificates and keys as separate files.
    k = rsa_key()
    pair("pki/admin.crt", "pki/admin.key", k, certificate(k, "kubernetes-admin", ("system:masters",)), "valid", "KC501",
         serialization.PrivateFormat.TraditionalOpenSSL)
    k = ec_key()
    pair("minikube/client.crt", ".minikube/k.pem", k, certificate(k, "minikube-user", ("developers",)), "valid", "KC501",
         serialization.PrivateFormat.TraditionalOpenSSL)
    put("pki/ca.crt", cert_pem(CA))
    put("pki/ca.key", key_pem(CA_KEY))
    expect("pki/ca.crt", 1, "PEM block", "client-certificate", identity(CA), "valid", not_after(CA), "KC501", "pki/ca.key")
    k = rsa_key()
    pair("old/deployer.crt", "backup/0001.pem", k, certificate(k, "deployer", ("ci",), start=-400 * DAY, end=-30 * DAY),
         "expired", "KC502")
    k = ec_key()
    pair("next/rotation.crt", "next/rotation.key", k, certificate(k, "rotation", ("ops",), start=10 * DAY, end=375 * DAY),
         "not-yet-valid", "KC502")
    k = rsa_key()
    pair("pki/apiserver.crt", "pki/apiserver.key", k, certificate(k, "kube-apiserver", eku=ExtendedKeyUsageOID.SERVER_AUTH),
         "valid", "KC502")
    k = ec_key()
    node = certificate(k, "system:node:worker-1", ("system:nodes",))
    put("kubelet/kubelet-client-current.pem", cert_pem(node) + key_pem(k))
    expect("kubelet/kubelet-client-current.pem", 1, "PEM block", "client-certificate", identity(node), "valid",
           not_after(node), "KC501", "kubelet/kubelet-client-current.pem")
    put("keys/signing.key", key_pem(ed25519.Ed25519PrivateKey.generate()))
    findings.append(["keys/signing.key", 1, "KC502"])

    # Kubernetes Secrets holding keys: a kubernetes.io/tls Secret (base64 `data`,
    # live client certificate), one in `stringData` (plain PEM, expired), a key in
    # an Opaque Secret whose certificate is a file elsewhere, one no certificate holds.
    def secret(name_: str, ns: str, kind: str, field: str, values: dict) -> str:
        head = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name_}\n  namespace: {ns}\ntype: {kind}\n{field}:\n"
        if field == "data":
            return head + "".join(f"  {k}: {b64(v)}\n" for k, v in values.items())
        return head + "".join(f"  {k}: |\n" + "".join(f"    {line}\n" for line in v.splitlines()) for k, v in values.items())

    k = ec_key()
    cert = certificate(k, "ci-deployer", ("system:masters",))
    text = put("k8s/deployer-tls.yaml", secret("deployer-tls", "ci", "kubernetes.io/tls", "data",
                                              {"tls.crt": cert_pem(cert), "tls.key": key_pem(k)}))
    expect("k8s/deployer-tls.yaml", line_of(text, "tls.crt:"), "Secret ci/deployer-tls", "client-certificate", identity(cert),
           "valid", not_after(cert), "KC501", "k8s/deployer-tls.yaml")
    k = rsa_key()
    cert = certificate(k, "old-deployer", ("ci",), start=-400 * DAY, end=-10 * DAY)
    text = put("k8s/old-tls.yaml", secret("old-tls", "ci", "kubernetes.io/tls", "stringData",
                                         {"tls.crt": cert_pem(cert), "tls.key": key_pem(k, serialization.PrivateFormat.TraditionalOpenSSL)}))
    expect("k8s/old-tls.yaml", line_of(text, "tls.crt: |") + 1, "Secret ci/old-tls", "client-certificate", identity(cert),
           "expired", not_after(cert), "KC502", "k8s/old-tls.yaml")
    k = rsa_key()
    cert = certificate(k, "jenkins", ("system:authenticated",))
    put("jenkins/client.crt", cert_pem(cert))
    put("k8s/jenkins-client.yaml", secret("jenkins-client", "build", "Opaque", "data",
                                          {"username": "jenkins", "client.key": key_pem(k)}))
    expect("jenkins/client.crt", 1, "PEM block", "client-certificate", identity(cert), "valid", not_after(cert), "KC501",
           "k8s/jenkins-client.yaml")
    text = put("k8s/signing-key.yaml", secret("signing", "ops", "Opaque", "data", {"signing.pem": key_pem(ec_key())}))
    findings.append(["k8s/signing-key.yaml", line_of(text, "signing.pem:"), "KC502"])

    # Terraform state of an AKS cluster (azurerm_kubernetes_cluster).
    user_key, admin_key = rsa_key(), rsa_key()
    user_cert = certificate(user_key, "clusterUser", ("system:authenticated",))
    admin_cert = certificate(admin_key, "masterclient", ("system:masters",))
    user_config, admin_config = kubeconfig(cert_user(user_key, user_cert)), kubeconfig(cert_user(admin_key, admin_cert))
    state = {
        "version": 4, "terraform_version": "1.9.5", "serial": 12, "lineage": "0d2b7c5e-6b1f-4c1e-9a57-3f0d2a8e1c44",
        "outputs": {"kube_config": {"value": user_config, "type": "string", "sensitive": True}},
        "resources": [{
            "mode": "managed", "type": "azurerm_kubernetes_cluster", "name": "aks", "provider": "provider[\"registry.terraform.io/hashicorp/azurerm\"]",
            "instances": [{"schema_version": 2, "attributes": {
                "name": "aks-prod", "kube_admin_config_raw": admin_config, "kube_config_raw": user_config,
                "kube_config": [{"client_certificate": b64(cert_pem(user_cert)), "client_key": b64(key_pem(user_key, serialization.PrivateFormat.TraditionalOpenSSL)),
                                 "cluster_ca_certificate": b64(cert_pem(CA)), "host": "https://aks-prod.hcp.westeurope.azmk8s.io:443",
                                 "username": "clusterUser_rg_aks-prod"}],
            }}],
        }],
    }
    text = put("infra/terraform.tfstate", json.dumps(state, indent=2) + "\n")
    user_id, admin_id, user_na, admin_na = identity(user_cert), identity(admin_cert), not_after(user_cert), not_after(admin_cert)
    attrs = "resources[0].instances[0].attributes"
    expect("infra/terraform.tfstate", line_of(text, '"value"'), "outputs.kube_config.value", "client-certificate", user_id, "valid", user_na, "KC501", "inline")
    expect("infra/terraform.tfstate", line_of(text, '"kube_admin_config_raw"'), f"{attrs}.kube_admin_config_raw", "client-certificate", admin_id, "valid", admin_na, "KC501", "inline")
    expect("infra/terraform.tfstate", line_of(text, '"kube_config_raw"'), f"{attrs}.kube_config_raw", "client-certificate", user_id, "valid", user_na, "KC501", "inline")
    expect("infra/terraform.tfstate", line_of(text, '"client_certificate"'), f"{attrs}.kube_config[0]", "client-certificate", user_id, "valid", user_na, "KC501", "inline")

    # Helm values: a base64 kubeconfig with a live service-account token.
    live = sa_token(NOW + 60 * DAY)
    config = kubeconfig({"token": live}, "gke-dev")
    text = put("helm/values.yaml", "replicaCount: 2\nimage:\n  repository: ghcr.io/example/deployer\n"
               f"deployer:\n  enabled: true\n  kubeconfig: {b64(config)}\n")
    expect("helm/values.yaml", line_of(text, "kubeconfig:"), "deployer.kubeconfig", "token", "sa:ci/deployer", "valid", rfc3339(60 * DAY), "KC501")

    # GitLab CI variables export: a file variable with an expired token's kubeconfig.
    config = kubeconfig({"token": sa_token(NOW - 2 * DAY, "release")}, "eks-stage")
    variables = [{"key": "DEPLOY_ENV", "value": "staging", "variable_type": "env_var"},
                 {"key": "KUBECONFIG", "value": config, "variable_type": "file", "protected": True}]
    text = put("ci/variables.json", json.dumps(variables, indent=2) + "\n")
    expect("ci/variables.json", line_of(text, '"value": "apiVersion'), "[1].value", "token", "sa:ci/release", "expired", rfc3339(-2 * DAY), "KC502")

    # Ansible group vars: a text kubeconfig with a live client certificate.
    k = ec_key()
    cert = certificate(k, "ansible", ("system:authenticated",))
    config = kubeconfig(cert_user(k, cert), "onprem")
    text = put("ansible/group_vars/all.yml", "---\nk8s_namespace: apps\nk8s_kubeconfig: |\n"
               + "".join(f"  {line}\n" for line in config.splitlines()))
    expect("ansible/group_vars/all.yml", line_of(text, "  apiVersion"), "k8s_kubeconfig", "client-certificate", identity(cert), "valid",
           not_after(cert), "KC501", "inline")

    # Kubeconfigs written as mappings inside other documents: Helm values (block
    # YAML, live token), Ansible vars (flow YAML on one line, expired token), a
    # JSON file's `kubeconfig` object (live client certificate and key).
    def cluster_yaml(indent: str) -> str:
        return (f"{indent}apiVersion: v1\n{indent}kind: Config\n{indent}clusters:\n{indent}- name: gke-dev\n"
                f"{indent}  cluster:\n{indent}    server: https://gke-dev.example:443\n"
                f"{indent}    certificate-authority-data: {b64(cert_pem(CA))}\n")
    live = sa_token(NOW + 45 * DAY, "helm")
    text = put("helm/deployer-values.yaml", "replicaCount: 1\ndeployer:\n  enabled: true\n  kubeconfig:\n" + cluster_yaml("    ")
               + f"    users:\n    - name: helm\n      user:\n        token: {live}\n    contexts:\n    - name: dev\n"
               "      context: {cluster: gke-dev, user: helm}\n")
    expect("helm/deployer-values.yaml", line_of(text, "token:"), "deployer.kubeconfig", "token", "sa:ci/helm", "valid",
           rfc3339(45 * DAY), "KC501")
    old_token = sa_token(NOW - 5 * DAY, "ansible")
    text = put("ansible/host_vars/ops.yml", "---\nansible_host: 10.0.0.5\n"
               "k8s_auth: {kubeconfig: {apiVersion: v1, clusters: [{name: onprem, cluster: {server: 'https://10.0.0.5:6443'}}], "
               f"users: [{{name: ops, user: {{token: {old_token}}}}}]}}}}\n")
    expect("ansible/host_vars/ops.yml", line_of(text, "k8s_auth:"), "k8s_auth.kubeconfig", "token", "sa:ci/ansible", "expired",
           rfc3339(-5 * DAY), "KC502")
    k = ec_key()
    cert = certificate(k, "ci-runner", ("system:authenticated",))
    doc = {"pipeline": "deploy", "kubeconfig": {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "eks-prod", "cluster": {"server": "https://eks-prod.example:443"}}],
        "users": [{"name": "runner", "user": {"client-certificate-data": b64(cert_pem(cert)), "client-key-data": b64(key_pem(k))}}],
        "contexts": [{"name": "prod", "context": {"cluster": "eks-prod", "user": "runner"}}]}}
    text = put("ci/deploy-settings.json", json.dumps(doc, indent=2) + "\n")
    expect("ci/deploy-settings.json", line_of(text, '"client-certificate-data"'), "kubeconfig", "client-certificate", identity(cert),
           "valid", not_after(cert), "KC501", "inline")

    # Look-alikes.
    other_key = rsa_key()
    alone = certificate(other_key, "etcd-ca", ("ops",))
    put("certs/cluster-ca.crt", cert_pem(alone))
    expect("certs/cluster-ca.crt", 1, "PEM block", "client-certificate", identity(alone), "valid", not_after(alone), None)
    quiet.append(["certs/cluster-ca.crt", "a certificate without its key is public: no secret part (KC501 secret_part)"])
    placeholder = ("apiVersion: v1\nkind: Config\nclusters:\n- name: <cluster-name>\n  cluster:\n    server: https://<api-server>:6443\n"
                   "    certificate-authority-data: <base64-ca>\nusers:\n- name: <user>\n  user:\n    token: <your-token>\n"
                   "contexts:\n- name: <context>\n  context: {cluster: <cluster-name>, user: <user>}\n")
    put("docs/kubeconfig.md", "# Connecting\n\nWrite this to `~/.kube/config`:\n\n```yaml\n" + placeholder + "```\n")
    quiet.append(["docs/kubeconfig.md", "a Markdown file is no YAML document (manifest starts_like_data)"])
    put("examples/kubeconfig.yaml", placeholder)
    quiet.append(["examples/kubeconfig.yaml", "a <placeholder> token is no credential (scan placeholder)"])
    old = sa_token(NOW - 90 * DAY, "fixture")
    put("test/fixtures/expired-token.txt", old + "\n")
    expect("test/fixtures/expired-token.txt", 1, "token", "token", "sa:ci/fixture", "expired", rfc3339(-90 * DAY), "KC502")
    web = jwt({"iss": "https://example.com", "sub": "user-42", "aud": "web-frontend", "exp": NOW + DAY})
    put("web/testdata/session.json", json.dumps({"session": {"id_token": web, "user": "user-42"}}, indent=2) + "\n")
    quiet.append(["web/testdata/session.json", "a JWT without Kubernetes claims, issuer or audience (loose recognised)"])
    chart = b64("apiVersion: v2\nname: chart\nusers: many\n")
    put("helm/other-values.yaml", f"settings: {chart}\n")
    quiet.append(["helm/other-values.yaml", "base64 that decodes to YAML with users but no clusters or contexts: no kubeconfig shape, never parsed (markers kubeconfig_text_marker)"])
    deployment = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: portal\nspec:\n  template:\n    spec:\n"
                  "      users:\n      - admin\n      clusters:\n      - eu-1\n      contexts: []\n")
    put("helm/manifest-values.yaml", f"bootstrap:\n  enabled: false\n  manifest: {b64(deployment)}\n")
    quiet.append(["helm/manifest-values.yaml", "base64 of a Deployment whose users and clusters are nested keys: no kubeconfig shape, never parsed (markers kubeconfig_text_marker)"])
    put("locales/en.json", json.dumps({"title": "Cluster access", "help": "Admins add users to clusters and contexts here; "
                                       "each user gets a token: ask your admin."}, indent=2) + "\n")
    quiet.append(["locales/en.json", "prose that names users, clusters and tokens: no kubeconfig shape, never parsed (markers kubeconfig_text_marker)"])
    indented = "".join(f"    {line}\n" for line in placeholder.splitlines())
    put("docs/helm-example.yaml", "# Example values: replace the placeholders\ndeployer:\n  kubeconfig: |\n" + indented
        + f"  kubeconfigBase64: {b64(placeholder)}\n")
    quiet.append(["docs/helm-example.yaml", "a kubeconfig of <placeholder> values as text and as base64 in Helm values (scan placeholder)"])

    findings.sort()
    records.sort()
    quiet.sort()
    # Seeds of the scan fuzz target (fuzz/corpus/scan): one file per new parser path.
    corpus = HERE.parents[2] / "fuzz" / "corpus" / "scan"
    for rel in SEEDS:
        shutil.copyfile(TREE / rel, corpus / ("seed-shapes-" + rel.replace("/", "_")))
    (HERE / "shapes-expected.json").write_text(json.dumps({"findings": findings, "records": records, "quiet": quiet}, indent=2) + "\n")


if __name__ == "__main__":
    main()
