"""Pure-Python parts of kcred: the `Status` and `Kind` enums and the exceptions.

The native module (`kcred._kcred`) imports these at call time, so they are the
same classes users import from `kcred`.
"""

from __future__ import annotations

import enum
from typing import Any

__all__ = [
    "Status",
    "Kind",
    "Severity",
    "KcredError",
    "ParseError",
    "KcredIOError",
    "KcredFileNotFoundError",
    "KcredPermissionError",
    "KcredIsADirectoryError",
    "PolicyError",
]


class _StrEnum(str, enum.Enum):
    """An enum whose members are their string values (`str()` included)."""

    def __str__(self) -> str:
        return self.value


class Status(_StrEnum):
    """A credential's state at an instant; compares equal to its string value."""

    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    NEVER_EXPIRES = "never-expires"
    UNKNOWN = "unknown"


class Kind(_StrEnum):
    """The kind of a credential; compares equal to its string value."""

    CLIENT_CERTIFICATE = "client-certificate"
    TOKEN = "token"
    BASIC_AUTH = "basic-auth"
    EXEC = "exec"
    AUTH_PROVIDER = "auth-provider"
    NONE = "none"  # `user: {}`: no credential, requests go out anonymous


class Severity(_StrEnum):
    """How bad a finding is; compares equal to its string value."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class KcredError(ValueError):
    """An input kcred could not read or decode. Messages never quote input bytes.

    `kind` is the core's stable name of the problem (`not-base64`, `io`, ...),
    or `internal` for a bug in kcred caught at the binding's boundary;
    `file`, `entry`, `field` and `line` say where it is, when known.
    """

    kind: str
    file: str | None
    entry: str | None
    field: str | None
    line: int | None

    def __init__(
        self,
        message: str,
        *,
        kind: str = "error",
        file: str | None = None,
        entry: str | None = None,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.file = file
        self.entry = entry
        self.field = field
        self.line = line


class ParseError(KcredError):
    """Not a valid kubeconfig, certificate, token or ExecCredential."""


class KcredIOError(KcredError, OSError):
    """A file could not be read (missing, not a regular file, too large), or no
    kubeconfig was found. Also an `OSError`, with `errno` (when the operating
    system said why) and `filename`; raised as `KcredFileNotFoundError`,
    `KcredPermissionError` or `KcredIsADirectoryError` (also the built-in
    `FileNotFoundError`, `PermissionError`, `IsADirectoryError`) for those causes."""

    def __init__(
        self,
        message: str,
        *,
        errno: int | None = None,
        filename: str | None = None,
        **where: Any,
    ) -> None:
        super().__init__(message, **where)
        self.errno = errno
        self.filename = filename

    def __str__(self) -> str:
        # OSError's own text would be `[Errno 2] None: 'file'`.
        return str(self.args[0]) if self.args else ""


class KcredFileNotFoundError(KcredIOError, FileNotFoundError):
    """A file (or every kubeconfig candidate) does not exist."""


class KcredPermissionError(KcredIOError, PermissionError):
    """A file may not be read by this user."""


class KcredIsADirectoryError(KcredIOError, IsADirectoryError):
    """A folder where a file was expected."""


class PolicyError(KcredError):
    """A policy that does not parse or names an unknown rule, preset or key."""
