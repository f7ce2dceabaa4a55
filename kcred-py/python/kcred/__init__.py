"""kcred: every Kubernetes credential in your kubeconfigs, decoded, with when it
stops working. A thin binding over the Rust library kcred-core.

>>> import kcred
>>> inv = kcred.load()                      # $KUBECONFIG or ~/.kube/config
>>> for cred in inv:
...     print(cred.user, cred.kind, cred.not_after, cred.status())

kcred reads files only: it never runs an exec plugin and never opens a network
connection. No object, `repr`, `str` or rendered output holds a secret.
"""

from kcred import _kcred, _types
from kcred._kcred import *  # noqa: F403  (classes, functions, constants)
from kcred._types import *  # noqa: F403  (enums, exceptions)

# `_main` (the command line, for `python -m kcred`) is not part of the API.
__all__ = sorted(n for n in [*_kcred.__all__, *_types.__all__] if n != "_main")
