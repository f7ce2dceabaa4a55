import os
import pathlib
from datetime import datetime, timedelta
from typing import (
    Any,
    Final,
    Iterable,
    Iterator,
    Mapping,
    Optional,
    Sequence,
    SupportsIndex,
    Union,
    final,
    overload,
)

from kcred._types import (
    KcredError,
    KcredFileNotFoundError,
    KcredIOError,
    KcredIsADirectoryError,
    KcredPermissionError,
    Kind,
    ParseError,
    PolicyError,
    Severity,
    Status,
)

_StrPath = Union[str, os.PathLike[str]]

__all__ = [
    "CacheEntry",
    "Certificate",
    "Cluster",
    "ContextExposure",
    "Credential",
    "EXPOSURE_SCHEMA",
    "ExecCredential",
    "ExposedCredential",
    "Exposure",
    "FINDINGS_SCHEMA",
    "FileWarning",
    "Finding",
    "FindingLocation",
    "INVENTORY_SCHEMA",
    "Inventory",
    "KcredError",
    "KcredFileNotFoundError",
    "KcredIOError",
    "KcredIsADirectoryError",
    "KcredPermissionError",
    "KeyInfo",
    "Kind",
    "Location",
    "MintPath",
    "PRESETS",
    "ParseError",
    "Pki",
    "PkiEntry",
    "Policy",
    "PolicyError",
    "Privileges",
    "Problem",
    "Reach",
    "SCAN_SCHEMA",
    "Scan",
    "ScanCredential",
    "ServiceAccount",
    "Severity",
    "Skipped",
    "Status",
    "Token",
    "Unreadable",
    "Until",
    "__version__",
    "check",
    "decode_certificates",
    "decode_token",
    "default_paths",
    "exposure",
    "findings_json",
    "findings_sarif",
    "findings_table",
    "load",
    "load_policy",
    "loads",
    "parse_exec_credential",
    "parse_policy",
    "pki",
    "prometheus_text",
    "scan",
    "worst_severity",
]

__version__: str
INVENTORY_SCHEMA: str
FINDINGS_SCHEMA: str
EXPOSURE_SCHEMA: str
SCAN_SCHEMA: str
PRESETS: tuple[str, ...]

class _Value:
    """What every kcred object offers: a JSON-compatible, secret-free dict of
    its facts (the core's serde form), equality and hashing by those facts."""

    def to_dict(self) -> Any: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

class _Window(_Value):
    """The bounds of a validity window, as read (or as a scan reports them)."""

    not_before: Final[Optional[datetime]]
    not_after: Final[Optional[datetime]]
    never_expires: Final[bool]

class _Dated(_Window):
    """The validity window shared by certificates, tokens and credentials."""

    lifetime: Final[Optional[timedelta]]
    def remaining(self, now: Optional[datetime] = None) -> Optional[timedelta]: ...
    def status(self, now: Optional[datetime] = None) -> Status: ...

class _Entry(_Value):
    """When known, the entry, field and line of a file."""

    entry: Final[Optional[str]]
    field: Final[Optional[str]]
    line: Final[Optional[int]]

class _Where(_Entry):
    """A file and, when known, the entry, field and line in it."""

    file: Final[str]

@final
class Location(_Where): ...

@final
class Problem(_Entry):
    kind: Final[str]
    message: Final[str]
    location: Final[Optional[Location]]
    file: Final[Optional[str]]
    def to_exception(self) -> KcredError: ...

@final
class KeyInfo(_Value):
    algorithm: Final[str]
    bits: Final[Optional[int]]
    curve: Final[Optional[str]]

@final
class Certificate(_Dated):
    subject: Final[str]
    common_name: Final[Optional[str]]
    groups: Final[tuple[str, ...]]
    issuer: Final[str]
    issuer_common_name: Final[Optional[str]]
    serial: Final[str]
    sha256_fingerprint: Final[str]
    key: Final[KeyInfo]
    signature_algorithm: Final[str]
    has_weak_signature: Final[bool]
    is_ca: Final[bool]
    self_issued: Final[bool]

@final
class ServiceAccount(_Value):
    namespace: Final[Optional[str]]
    name: Final[Optional[str]]
    uid: Final[Optional[str]]
    secret: Final[Optional[str]]
    bound_pod: Final[Optional[str]]
    bound_node: Final[Optional[str]]
    bound_secret: Final[Optional[str]]
    warn_after: Final[Optional[datetime]]

@final
class Token(_Dated):
    format: Final[str]
    algorithm: Final[Optional[str]]
    key_id: Final[Optional[str]]
    issuer: Final[Optional[str]]
    subject: Final[Optional[str]]
    audience: Final[tuple[str, ...]]
    expires_at: Final[Optional[datetime]]
    issued_at: Final[Optional[datetime]]
    jwt_id: Final[Optional[str]]
    claims: Final[Optional[dict[str, Any]]]
    verified: Final[bool]
    service_account: Final[Optional[ServiceAccount]]

@final
class ExecCredential(_Dated):
    api_version: Final[Optional[str]]
    expiration: Final[Optional[datetime]]
    token: Final[Optional[Token]]
    client_certificate: Final[Optional[Certificate]]
    has_client_key: Final[bool]

@final
class Credential(_Dated):
    kind: Final[Kind]
    user: Final[str]
    contexts: Final[tuple[str, ...]]
    clusters: Final[tuple[str, ...]]
    location: Final[Location]
    platform: Final[str]
    identity: Final[str]
    subject: Final[Optional[str]]
    groups: Final[tuple[str, ...]]
    issuer: Final[Optional[str]]
    key: Final[Optional[KeyInfo]]
    certificate: Final[Optional[Certificate]]
    chain: Final[tuple[Certificate, ...]]
    key_matches: Final[Optional[bool]]
    signed_by_cluster_ca: Final[Optional[bool]]
    token: Final[Optional[Token]]
    claims: Final[Optional[dict[str, Any]]]
    exec_plugin: Final[Optional[str]]
    login_mode: Final[Optional[str]]
    exec_command: Final[Optional[str]]
    exec_args: Final[tuple[str, ...]]
    auth_provider: Final[Optional[str]]
    has_refresh_token: Final[bool]
    source_file: Final[Optional[pathlib.Path]]
    is_system_masters: Final[bool]
    privileges: Final[Optional[Privileges]]
    details: Final[dict[str, Any]]

@final
class Cluster(_Value):
    name: Final[str]
    server: Final[Optional[str]]
    contexts: Final[tuple[str, ...]]
    location: Final[Location]
    insecure_skip_tls_verify: Final[bool]
    ca_source_file: Final[Optional[pathlib.Path]]
    ca: Final[tuple[Certificate, ...]]

@final
class Inventory(_Value):
    credentials: Final[tuple[Credential, ...]]
    clusters: Final[tuple[Cluster, ...]]
    problems: Final[tuple[Problem, ...]]
    files: Final[tuple[pathlib.Path, ...]]
    current_context: Final[Optional[str]]
    contexts: Final[tuple[tuple[str, str, str, Optional[str]], ...]]
    def __len__(self) -> int: ...
    @overload
    def __getitem__(self, index: SupportsIndex, /) -> Credential: ...
    @overload
    def __getitem__(self, index: slice, /) -> tuple[Credential, ...]: ...
    def __iter__(self) -> Iterator[Credential]: ...
    def to_json(self, now: Optional[datetime] = None, *, indent: bool = True) -> str: ...
    def to_table(self, now: Optional[datetime] = None, *, color: bool = False) -> str: ...

def _main(argv: Sequence[str]) -> int:
    """The `kcred` command line on `argv` (no program name); its exit code."""

def default_paths() -> list[pathlib.Path]: ...
_Paths = Union[_StrPath, Iterable[_StrPath]]
_Oidc = Mapping[str, Optional[str]]

def load(
    paths: Optional[_Paths] = None,
    *,
    strict: bool = False,
    rbac: Optional[_Paths] = None,
    oidc: Optional[_Oidc] = None,
) -> Inventory: ...
def loads(
    data: Union[str, bytes],
    *,
    source: str = "<string>",
    read_files: bool = False,
    strict: bool = False,
    rbac: Optional[_Paths] = None,
    oidc: Optional[_Oidc] = None,
) -> Inventory: ...
def decode_certificates(
    data: Union[bytes, str], *, source: str = "<bytes>"
) -> list[Certificate]: ...
def decode_token(token: str, *, source: str = "<string>") -> Token: ...
def parse_exec_credential(
    data: Union[str, bytes], *, source: str = "<string>"
) -> ExecCredential: ...

@final
class Policy:
    name: Final[str]
    description: Final[Optional[str]]
    enabled_rules: Final[list[str]]
    def to_dict(self) -> Any: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class FindingLocation(_Where):
    context: Final[Optional[str]]
    user: Final[Optional[str]]
    cluster: Final[Optional[str]]

@final
class Finding(_Value):
    code: Final[str]
    name: Final[str]
    severity: Final[Severity]
    message: Final[str]
    remediation: Final[str]
    location: Final[FindingLocation]
    kind: Final[Optional[Kind]]
    platform: Final[str]
    suppressed: Final[bool]
    suppression_reason: Final[Optional[str]]

def load_policy(spec: _StrPath) -> Policy: ...
def parse_policy(text: str, *, source: str = "<string>") -> Policy: ...
def check(
    inventory: Inventory,
    policy: Union[Policy, _StrPath, None] = None,
    *,
    now: Optional[datetime] = None,
) -> list[Finding]: ...
def worst_severity(findings: Sequence[Finding]) -> Optional[Severity]: ...
def findings_json(
    findings: Sequence[Finding],
    *,
    policy: str = "baseline",
    now: Optional[datetime] = None,
    indent: bool = True,
) -> str: ...
def findings_sarif(findings: Sequence[Finding], *, indent: bool = True) -> str: ...
def findings_table(findings: Sequence[Finding], *, color: bool = False) -> str: ...
def prometheus_text(
    inventory: Inventory, findings: Sequence[Finding], *, now: Optional[datetime] = None
) -> str: ...

@final
class Reach(_Value):
    cluster_wide: Final[bool]
    namespaces: Final[tuple[str, ...]]
    def __bool__(self) -> bool: ...

@final
class MintPath(_Value):
    how: Final[str]
    reach: Final[Reach]

@final
class Privileges(_Value):
    user: Final[str]
    groups: Final[tuple[str, ...]]
    cluster_admin: Final[bool]
    can_mint_credentials: Final[bool]
    mint_paths: Final[tuple[MintPath, ...]]
    can_read_secrets: Final[Reach]
    can_exec_pods: Final[Reach]
    can_impersonate: Final[bool]
    can_escalate: Final[bool]
    bindings: Final[list[dict[str, Any]]]
    summary: Final[str]

@final
class Until(_Value):
    state: Final[str]
    at: Final[Optional[datetime]]
    at_least: Final[Optional[datetime]]

@final
class ExposedCredential(_Value):
    what: Final[str]
    source: Final[str]
    location: Final[Location]
    until: Final[Until]
    access_token_until: Final[Optional[datetime]]
    renewable: Final[bool]
    revocability: Final[dict[str, Any]]
    revoke: Final[str]

@final
class ContextExposure(_Value):
    context: Final[str]
    user: Final[str]
    cluster: Final[Optional[str]]
    platform: Final[str]
    credentials: Final[tuple[ExposedCredential, ...]]
    until: Final[Until]
    until_text: Final[str]
    irrevocable: Final[bool]
    system_masters: Final[bool]
    steps: Final[tuple[str, ...]]

@final
class CacheEntry(_Value):
    kind: Final[str]
    location: Final[Location]
    key: Final[dict[str, Any]]
    token: Final[Optional[Token]]
    expires_at: Final[Optional[datetime]]
    issued_at: Final[Optional[datetime]]
    has_refresh_token: Final[bool]
    has_long_term_key: Final[bool]
    tokens_in_secret_store: Final[bool]
    file: Final[Optional[dict[str, Any]]]
    users: Final[tuple[str, ...]]

@final
class FileWarning(_Value):
    path: Final[str]
    mode: Final[str]
    fix: Final[str]

class _Report(_Value):
    """A report computed once by the core: its JSON document and table."""

    findings: Final[tuple[Finding, ...]]
    def to_json(self, *, indent: bool = True) -> str: ...
    def to_table(self) -> str: ...
    def __len__(self) -> int: ...

class _Versioned(_Report):
    """A report whose document names its schema and instant, and the problems met."""

    schema: Final[str]
    now: Final[datetime]
    problems: Final[tuple[Problem, ...]]

@final
class Exposure(_Versioned):
    contexts: Final[tuple[ContextExposure, ...]]
    caches: Final[tuple[CacheEntry, ...]]
    file_warnings: Final[tuple[FileWarning, ...]]
    lifetime_defaults: Final[tuple[dict[str, str], ...]]
    files: Final[tuple[str, ...]]

@final
class ScanCredential(_Window):
    user: Final[str]
    kind: Final[str]
    identity: Final[str]
    platform: Final[str]
    location: Final[Location]
    contexts: Final[tuple[str, ...]]
    clusters: Final[tuple[str, ...]]
    status: Final[str]
    lifetime_seconds: Final[Optional[int]]
    remaining_seconds: Final[Optional[int]]
    details: Final[dict[str, Any]]
    privileges: Final[Optional[Privileges]]

@final
class Skipped(_Value):
    file: Final[str]
    reason: Final[str]

@final
class Unreadable(_Value):
    location: Final[Location]
    looks_like: Final[str]
    reason: Final[str]

@final
class Scan(_Versioned):
    files_scanned: Final[int]
    credentials: Final[tuple[ScanCredential, ...]]
    skipped: Final[tuple[Skipped, ...]]
    unreadable: Final[tuple[Unreadable, ...]]
    # `scan(history=True)`: commits, blobs, blob_bytes, since (None otherwise).
    history: Final[Optional[dict[str, Any]]]

@final
class PkiEntry(_Value):
    name: Final[str]
    expiration_date: Final[Optional[datetime]]
    residual_time: Final[int]
    ca_name: Final[Optional[str]]
    externally_managed: Final[bool]
    missing: Final[bool]
    file: Final[str]
    listed_by_kubeadm: Final[bool]
    subject: Final[Optional[str]]

@final
class Pki(_Report):
    kind: Final[str]
    api_version: Final[str]
    certificates: Final[tuple[PkiEntry, ...]]
    certificate_authorities: Final[tuple[PkiEntry, ...]]

def exposure(
    paths: Optional[_Paths] = None,
    *,
    home: Optional[_StrPath] = None,
    cache_dir: Optional[_StrPath] = None,
    lifetimes: Optional[Mapping[str, str]] = None,
    now: Optional[datetime] = None,
    rbac: Optional[_Paths] = None,
    oidc: Optional[_Oidc] = None,
    policy: Union[Policy, _StrPath, None] = None,
) -> Exposure: ...
def scan(
    paths: _Paths,
    *,
    history: bool = False,
    since: Optional[str] = None,
    policy: Union[Policy, _StrPath, None] = None,
    now: Optional[datetime] = None,
    rbac: Optional[_Paths] = None,
    oidc: Optional[_Oidc] = None,
) -> Scan: ...
def pki(
    dir: Optional[_StrPath] = None,
    *,
    kubelet_dir: Optional[_StrPath] = None,
    policy: Union[Policy, _StrPath, None] = None,
    now: Optional[datetime] = None,
    rbac: Optional[_Paths] = None,
    oidc: Optional[_Oidc] = None,
) -> Pki: ...
