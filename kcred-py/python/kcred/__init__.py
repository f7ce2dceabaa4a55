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
    INVENTORY_SCHEMA,
    Certificate,
    Cluster,
    Credential,
    ExecCredential,
    Inventory,
    KeyInfo,
    Location,
    Problem,
    ServiceAccount,
    Token,
    __version__,
    decode_certificates,
    decode_token,
    default_paths,
    load,
    loads,
    parse_exec_credential,
)
from kcred._types import (
    KcredError,
    KcredIOError,
    Kind,
    ParseError,
    PolicyError,
    Status,
)

__all__ = [
    "INVENTORY_SCHEMA",
    "Certificate",
    "Cluster",
    "Credential",
    "ExecCredential",
    "Inventory",
    "KcredError",
    "KcredIOError",
    "KeyInfo",
    "Kind",
    "Location",
    "ParseError",
    "PolicyError",
    "Problem",
    "ServiceAccount",
    "Status",
    "Token",
    "__version__",
    "decode_certificates",
    "decode_token",
    "default_paths",
    "load",
    "loads",
    "parse_exec_credential",
]
