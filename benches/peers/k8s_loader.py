#!/usr/bin/env python3
"""What the `kubernetes` Python client gives an operator: its kubeconfig loader
(the same path as `config.load_kube_config` / `new_client_from_config`), run
for every context of one file, and the expiry of each client certificate read
with `cryptography` from the file the loader wrote (the loader itself reports
no expiry). The file is parsed once, as `KubeConfigMerger` does.

    k8s_loader.py FILE [--now 2026-01-01T00:00:00Z]    prints a JSON summary
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

from cryptography import x509
from kubernetes.client import Configuration
from kubernetes.config.kube_config import KubeConfigLoader, KubeConfigMerger

import peer_cli


def main(argv: list[str]) -> int:
    args, now = peer_cli.parse(argv)
    merged = KubeConfigMerger(args.file)
    base = os.path.dirname(os.path.abspath(args.file))
    out = []
    for ctx in merged.config["contexts"]:
        loader = KubeConfigLoader(config_dict=merged.config, active_context=ctx["name"], config_base_path=base)
        cfg = Configuration()
        loader.load_and_set(cfg)
        entry = {"context": ctx["name"], "user": ctx["context"]["user"]}
        if cfg.cert_file:
            with open(cfg.cert_file, "rb") as f:
                cert = x509.load_pem_x509_certificate(f.read())
            entry["not_after"] = cert.not_valid_after_utc.isoformat()
            entry["status"] = "expired" if now >= cert.not_valid_after_utc else "valid"
        elif cfg.api_key.get("authorization"):
            entry["kind"] = "token"
        out.append(entry)
    json.dump({"now": args.now, "contexts": out}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
