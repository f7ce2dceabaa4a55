#!/usr/bin/env python3
"""Generate the kubeadm control-plane fixture for `kcred pki`.

How to run (Python >= 3.9, `pip install cryptography`):

    python3 tests/data/pki/make_pki.py

What it makes, from scratch on each run (keys and serials are random; every date
is fixed relative to NOW = 2026-01-01T00:00:00Z, Unix 1767225600):

  tests/data/pki/kubeadm/etc-kubernetes/     a kubeadm /etc/kubernetes of node cp-1:
      pki/{ca,front-proxy-ca}.crt, pki/etcd/ca.crt      the three CAs
      pki/ca.key, pki/etcd/ca.key                       ...front-proxy-ca.key is absent:
                                                        front-proxy-ca is externally managed
      pki/apiserver*.crt, pki/front-proxy-client.crt, pki/etcd/{server,peer}.crt
                                                        leaves with kubeadm's CN/O
      pki/etcd/healthcheck-client.crt                   absent: the missing-file case
      pki/audit-webhook-client.crt                      a certificate kubeadm does not list
      pki/sa.key, pki/sa.pub                            not certificates: ignored
      {admin,super-admin,controller-manager,scheduler,kubelet}.conf
                                                        kubeconfigs as kubeadm writes them
  tests/data/pki/kubeadm/var-lib-kubelet/pki/kubelet-client-current.pem
                                                        symlink to the dated cert+key file
  tests/data/pki/kubeadm/expected.json                  the facts the Rust tests assert

kubelet.conf names /var/lib/kubelet/pki/kubelet-client-current.pem, as kubeadm
writes it; `kcred pki --kubelet-dir` reads that path from the copy.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = 1767225600  # 2026-01-01T00:00:00Z
DAY = 86400
HERE = Path(__file__).resolve().parent
ROOT = HERE / "kubeadm"
ETC = ROOT / "etc-kubernetes"
KUBELET = ROOT / "var-lib-kubelet"
NODE = "cp-1"
SERVER = "https://10.0.0.10:6443"


def t(unix: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(unix, dt.timezone.utc)


def key_rsa():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def name(cn: str, orgs: list[str] = ()) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def make_ca(cn: str, not_before: int, not_after: int):
    key = key_rsa()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(cn))
        .issuer_name(name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(t(not_before))
        .not_valid_after(t(not_after))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, True, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return cert, key


def make_leaf(ca, ca_key, cn, orgs, not_before, not_after, usages, sans=()):
    key = key_rsa()
    b = (
        x509.CertificateBuilder()
        .subject_name(name(cn, orgs))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(t(not_before))
        .not_valid_after(t(not_after))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    )
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(list(sans)), critical=False)
    return b.sign(ca_key, hashes.SHA256()), key


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write(path: Path, data: bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def kubeconfig(user: str, ca, cert=None, key=None, cert_file=None) -> bytes:
    b64 = lambda b: base64.b64encode(b).decode()
    if cert is not None:
        creds = (
            f"    client-certificate-data: {b64(pem(cert))}\n"
            f"    client-key-data: {b64(key_pem(key))}\n"
        )
    else:
        creds = f"    client-certificate: {cert_file}\n    client-key: {cert_file}\n"
    return (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        f"    certificate-authority-data: {b64(pem(ca))}\n"
        f"    server: {SERVER}\n"
        "  name: kubernetes\n"
        "contexts:\n"
        "- context:\n"
        "    cluster: kubernetes\n"
        f"    user: {user}\n"
        f"  name: {user}@kubernetes\n"
        f"current-context: {user}@kubernetes\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users:\n"
        f"- name: {user}\n"
        "  user:\n" + creds
    ).encode()


def main() -> None:
    shutil.rmtree(ROOT, ignore_errors=True)
    expected: dict = {"now": NOW, "certificates": {}, "authorities": {}}

    # CAs: kubeadm makes them for 10 years; init was on 2025-06-15T10:20:30Z.
    init = NOW - 200 * DAY + 10 * 3600 + 20 * 60 + 30
    ca_end = init + 3650 * DAY
    cas = {}
    for ca_name, cn, crt, keyfile, has_key in [
        ("ca", "kubernetes", "pki/ca.crt", "pki/ca.key", True),
        ("etcd-ca", "etcd-ca", "pki/etcd/ca.crt", "pki/etcd/ca.key", True),
        ("front-proxy-ca", "front-proxy-ca", "pki/front-proxy-ca.crt", "pki/front-proxy-ca.key", False),
    ]:
        cert, key = make_ca(cn, init, ca_end)
        cas[ca_name] = (cert, key)
        write(ETC / crt, pem(cert))
        if has_key:
            write(ETC / keyfile, key_pem(key), 0o600)
        expected["authorities"][ca_name] = {
            "file": crt,
            "not_after": ca_end,
            "residual": ca_end - NOW,
            "externally_managed": not has_key,
            "missing": False,
        }

    client = [ExtendedKeyUsageOID.CLIENT_AUTH]
    server = [ExtendedKeyUsageOID.SERVER_AUTH]
    both = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    sans = [x509.DNSName(NODE), x509.DNSName("localhost")]
    year = init + 365 * DAY  # kubeadm's default leaf lifetime
    # name, file, ca, CN, O, notAfter, usages
    leaves = [
        ("apiserver", "pki/apiserver.crt", "ca", "kube-apiserver", [], NOW + 20 * DAY + 3723, server),  # warning
        ("apiserver-etcd-client", "pki/apiserver-etcd-client.crt", "etcd-ca", "kube-apiserver-etcd-client", [], year, client),
        ("apiserver-kubelet-client", "pki/apiserver-kubelet-client.crt", "ca", "kube-apiserver-kubelet-client", ["kubeadm:cluster-admins"], NOW + 5 * DAY, client),  # error
        ("etcd-peer", "pki/etcd/peer.crt", "etcd-ca", NODE, [], NOW - DAY - 61, both),  # expired
        ("etcd-server", "pki/etcd/server.crt", "etcd-ca", NODE, [], year, both),
        ("front-proxy-client", "pki/front-proxy-client.crt", "front-proxy-ca", "front-proxy-client", [], year, client),
    ]
    for leaf_name, path, ca_name, cn, orgs, end, usages in leaves:
        ca, ca_key = cas[ca_name]
        cert, key = make_leaf(ca, ca_key, cn, orgs, init, end, usages, sans if "server" in leaf_name or "peer" in leaf_name or leaf_name == "apiserver" else ())
        write(ETC / path, pem(cert))
        write(ETC / path.replace(".crt", ".key"), key_pem(key), 0o600)
        expected["certificates"][leaf_name] = {
            "file": path,
            "not_after": end,
            "residual": end - NOW,
            "ca_name": ca_name,
            "externally_managed": ca_name == "front-proxy-ca",
            "missing": False,
            "common_name": cn,
        }
    expected["certificates"]["etcd-healthcheck-client"] = {
        "file": "pki/etcd/healthcheck-client.crt",
        "missing": True,
        "ca_name": "etcd-ca",
        "externally_managed": False,
    }

    ca, ca_key = cas["ca"]
    confs = [
        ("admin.conf", "kubernetes-admin", ["kubeadm:cluster-admins"], year + 177),
        ("super-admin.conf", "kubernetes-super-admin", ["system:masters"], year + 178),
        ("controller-manager.conf", "system:kube-controller-manager", [], year + 179),
        ("scheduler.conf", "system:kube-scheduler", [], year + 180),
    ]
    for conf, cn, orgs, end in confs:
        cert, key = make_leaf(ca, ca_key, cn, orgs, init, end, client)
        write(ETC / conf, kubeconfig(cn, ca, cert, key), 0o600)
        expected["certificates"][conf] = {
            "file": conf,
            "not_after": end,
            "residual": end - NOW,
            "ca_name": "ca",
            "externally_managed": False,
            "missing": False,
            "common_name": cn,
        }

    # The kubelet rotated its client certificate on 2025-12-01; it lasts a year.
    rotated = NOW - 31 * DAY
    kend = rotated + 365 * DAY
    cert, key = make_leaf(ca, ca_key, f"system:node:{NODE}", ["system:nodes"], rotated, kend, client)
    dated = KUBELET / "pki" / "kubelet-client-2025-12-01-00-00-00.pem"
    write(dated, pem(cert) + key_pem(key), 0o600)
    (KUBELET / "pki" / "kubelet-client-current.pem").symlink_to(dated.name)
    write(
        ETC / "kubelet.conf",
        kubeconfig(f"system:node:{NODE}", ca, cert_file="/var/lib/kubelet/pki/kubelet-client-current.pem"),
        0o600,
    )
    for row in ("kubelet.conf", "kubelet-client-current"):
        expected["certificates"][row] = {
            "file": "kubelet.conf" if row == "kubelet.conf" else "pki/kubelet-client-current.pem",
            "not_after": kend,
            "residual": kend - NOW,
            "ca_name": "ca",
            "externally_managed": False,
            "missing": False,
            "common_name": f"system:node:{NODE}",
        }

    # A certificate kubeadm does not know: an audit webhook client, signed by ca.
    wend = NOW + 90 * DAY
    cert, key = make_leaf(ca, ca_key, "audit-webhook", [], init, wend, client)
    write(ETC / "pki/audit-webhook-client.crt", pem(cert))
    write(ETC / "pki/audit-webhook-client.key", key_pem(key), 0o600)
    expected["certificates"]["audit-webhook-client"] = {
        "file": "pki/audit-webhook-client.crt",
        "not_after": wend,
        "residual": wend - NOW,
        "ca_name": "ca",
        "externally_managed": False,
        "missing": False,
        "common_name": "audit-webhook",
    }

    # The service-account signing key pair: not certificates.
    sa = ec.generate_private_key(ec.SECP256R1())
    write(ETC / "pki/sa.key", key_pem(sa), 0o600)
    write(
        ETC / "pki/sa.pub",
        sa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )

    (ROOT / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")
    print(f"wrote {ROOT}")


if __name__ == "__main__":
    main()
