"""kcred: every Kubernetes credential in your kubeconfigs, decoded, with when it
stops working. A thin binding over the Rust library kcred-core.

>>> import kcred
>>> inv = kcred.load()                      # $KUBECONFIG or ~/.kube/config
>>> for cred in inv:
...     print(cred.user, cred.kind, cred.not_after, cred.status())

kcred reads files only: it never runs an exec plugin and never opens a network
connection. No object, `repr`, `str` or rendered output holds a secret.
"""

from kcred._kcred import (
    FINDINGS_SCHEMA,
    INVENTORY_SCHEMA,
    PRESETS,
    Certificate,
    Cluster,
    Credential,
    ExecCredential,
    Finding,
    FindingLocation,
    Inventory,
    KeyInfo,
    Location,
    Policy,
    Problem,
    ServiceAccount,
    Token,
    check,
    decode_certificates,
    decode_token,
    default_paths,
    findings_json,
    findings_sarif,
    findings_table,
    load,
    load_policy,
    loads,
    parse_exec_credential,
    parse_policy,
    prometheus_text,
    worst_severity,
    __version__,
)
from kcred._types import (
    KcredError,
    KcredIOError,
    Kind,
    ParseError,
    PolicyError,
    Severity,
    Status,
)

__all__ = [
    "Certificate",
    "Cluster",
    "Credential",
    "ExecCredential",
    "FINDINGS_SCHEMA",
    "Finding",
    "FindingLocation",
    "INVENTORY_SCHEMA",
    "Inventory",
    "KcredError",
    "KcredIOError",
    "KeyInfo",
    "Kind",
    "Location",
    "PRESETS",
    "ParseError",
    "Policy",
    "PolicyError",
    "Problem",
    "ServiceAccount",
    "Severity",
    "Status",
    "Token",
    "__version__",
    "check",
    "decode_certificates",
    "decode_token",
    "default_paths",
    "findings_json",
    "findings_sarif",
    "findings_table",
    "load",
    "load_policy",
    "loads",
    "parse_exec_credential",
    "parse_policy",
    "prometheus_text",
    "worst_severity",
]
