#!/usr/bin/env python3
"""Regenerates the seed corpora in fuzz/corpus/<target>/seed-* from the test fixtures.

Run from anywhere: `python3 fuzz/seed.py`. Only `seed-*` files are rewritten; minimized
crashers (`crash-*`, kept as regression inputs) are left alone. Standard library only.
Seeds are capped at 16 KiB each so the checked-in corpus stays small.
"""
import base64
import json
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "fuzz" / "corpus"
MAX = 16 * 1024


def target(name):
    d = CORPUS / name
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed-*"):
        old.unlink()
    return d


def put(d, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) <= MAX:
        (d / f"seed-{name}").write_bytes(data)


def pem_blocks(text):
    return re.findall(r"-----BEGIN ([A-Z0-9 ]+)-----\s+(.*?)-----END \1-----", text, re.S)


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=")


# Kubeconfigs: platform fixtures, merge cases, the demo.
configs = []
for f in sorted((DATA / "platforms").glob("*/config")):
    configs.append((f"platform-{f.parent.name}", f.read_bytes()))
for f in sorted((DATA / "merge").rglob("*")):
    if f.is_file() and f.name != "case.json" and f.suffix != ".py":
        rel = f.relative_to(DATA / "merge").as_posix().replace("/", "_")
        configs.append((f"merge-{rel}", f.read_bytes()))
configs.append(("demo", (ROOT / "examples" / "kubeconfigs" / "demo.yaml").read_bytes()))
# The YAML/JSON parser gets the merge cases and the tool-shaped platform files; the
# inventory (certificates, tokens, platforms) gets every platform file, edge cases too.
d = target("kubeconfig")
for seed, data in configs:
    if not seed.startswith("platform-edge-"):
        put(d, seed, data)
d = target("inventory")
for seed, data in configs:
    if not seed.startswith("merge-"):
        put(d, seed, data)

# Certificates: every PEM file as is, the first certificate as DER, the garbage.
d = target("certificate")
for f in sorted((DATA / "certs").iterdir()):
    text = f.read_text(errors="replace")
    put(d, f.name, f.read_bytes())
    for label, body in pem_blocks(text)[:1]:
        if label == "CERTIFICATE":
            put(d, f.stem + ".der", base64.b64decode(body))
put(d, "der-garbage.der", base64.b64decode((DATA / "certs" / "der-garbage.b64").read_text()))

# Private keys: selector byte (0 RSA, 1 EC, 2 PKCS#8) + DER body; see tests/src/fuzz.rs.
d = target("private_key")
selector = {"RSA PRIVATE KEY": 0, "EC PRIVATE KEY": 1, "PRIVATE KEY": 2}
for f in sorted((DATA / "certs").glob("*.key")):
    for label, body in pem_blocks(f.read_text()):
        if label in selector:
            put(d, f.stem, bytes([selector[label]]) + base64.b64decode(body))
put(d, "raw-pem", (DATA / "certs" / "ed25519.key").read_bytes())

# Tokens: every token in the fixtures, and JWTs built from JSON (mode 0) for the
# claim edge cases, and an EKS URL (mode 1).
d = target("token")
tokens = set()
for _, data in configs:
    for m in re.finditer(rb"(?:token|id-token|access-token|refresh-token):\s*(\S+)", data):
        tokens.add(m.group(1).strip(b"\"'"))
tokens.add((DATA / "platforms" / "sa-tokenfile" / "token").read_bytes().strip())
for i, t in enumerate(sorted(tokens)):
    put(d, f"fixture-{i:03}", t)
header = b'{"alg":"RS256","kid":"k"}'
claims = {
    "int": b'{"exp":1767229200,"iat":1767225600,"sub":"system:serviceaccount:ci:deployer"}',
    "float": b'{"exp":1767229200.75}',
    "string": b'{"exp":"1767229200"}',
    "negative": b'{"exp":-62135596801}',
    "year-10000": b'{"exp":253402300800}',
    "huge": b'{"exp":1e300}',
    "bound-sa": json.dumps({"exp": 1767229200, "kubernetes.io": {"namespace": "ci", "serviceaccount": {"name": "d", "uid": "u"}, "pod": {"name": "p"}, "warnafter": 1767228000}}).encode(),
    "legacy-sa": b'{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"ci"}',
    "aud-list": b'{"aud":["a","b"],"nbf":1767225600}',
}
for name, c in claims.items():
    put(d, f"jwt-{name}", b"\x00" + header + b"\x00" + c)
put(d, "jwt-alg-none", b"\x00" + b'{"alg":"none"}' + b"\x00" + claims["int"])
put(d, "eks", b"\x01https://sts.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Date=20251231T235500Z&X-Amz-Expires=60")
put(d, "bootstrap", "abcdef.0123456789abcdef")

# ExecCredentials.
d = target("exec_credential")
cert = (DATA / "certs" / "expired.crt").read_text()
docs = {
    "v1-token": {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                 "status": {"token": "opaque-token", "expirationTimestamp": "2026-01-01T01:00:00Z"}},
    "v1beta1-no-expiry": {"apiVersion": "client.authentication.k8s.io/v1beta1", "kind": "ExecCredential",
                          "status": {"token": sorted(t for t in tokens if t.startswith(b"eyJ"))[0].decode()}},
    "cert": {"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
             "status": {"clientCertificateData": cert, "clientKeyData": "x"}},
    "bad-timestamp": {"kind": "ExecCredential", "status": {"expirationTimestamp": "tomorrow"}},
    "wrong-kind": {"kind": "Config"},
}
for name, doc in docs.items():
    put(d, name, json.dumps(doc, indent=1))

# Policies: the presets (string constants in kcred-core/src/policy/presets.rs) and
# the YAML blocks of docs/policy.md.
d = target("policy")
presets = (ROOT / "kcred-core" / "src" / "policy" / "presets.rs").read_text()
for name, body in re.findall(r'pub const ([A-Z]+): &str = "\\\n(.*?)";\n', presets, re.S):
    put(d, f"preset-{name.lower()}", body.replace('\\"', '"').replace("\\\\", "\\"))
doc = ROOT / "docs" / "policy.md"
if doc.exists():
    for i, block in enumerate(re.findall(r"```ya?ml\n(.*?)```", doc.read_text(), re.S)):
        put(d, f"doc-{i:02}", block)

# Cache files: selector byte (index into CACHE_KINDS in tests/src/fuzz.rs) + the file.
KINDS = ["AzureKubeloginToken", "AzureAuthRecord", "AzurePopTokenCache", "AzureCliTokenCache",
         "OidcLogin", "GkeGcloudAuthPlugin", "GcloudCredentials", "AwsIamAuthenticator",
         "AwsSharedCredentials", "ExecCredential"]
d = target("cache_file")
exposure = DATA / "exposure"
def kind_of(f):
    n, parts = f.name, f.parts
    if n == "auth.json": return "AzureAuthRecord"
    if n == "pop_tokens.cache": return "AzurePopTokenCache"
    if n == "msal_token_cache.json": return "AzureCliTokenCache"
    if n == "aws-credentials": return "AwsSharedCredentials"
    if n == "credentials.yaml": return "AwsIamAuthenticator"
    if n == "gke_gcloud_auth_plugin_cache": return "GkeGcloudAuthPlugin"
    if n == "exec-credential.json": return "ExecCredential"
    if "oidc-login" in parts and not n.endswith(".lock"): return "OidcLogin"
    if "kubelogin" in parts and n.endswith(".json"): return "AzureKubeloginToken"
    return None
if exposure.exists():
    for f in sorted(exposure.rglob("*")):
        kind = f.is_file() and kind_of(f)
        if kind:
            put(d, f"{kind}-{f.name[:40]}", bytes([KINDS.index(kind)]) + f.read_bytes())
for i, name in enumerate(sorted((CORPUS / "exec_credential").glob("seed-*"))):
    put(d, f"ExecCredential-{name.name[5:]}", bytes([KINDS.index("ExecCredential")]) + name.read_bytes())

# Manifest scan: every file of the scan fixture tree (Secrets, CSRs, Lists, a
# kubeconfig inside notes, PEM files, a binary) as `kcred scan` meets them.
d = target("scan")
for f in sorted((DATA / "scan" / "repo").rglob("*")):
    if f.is_file():
        put(d, f.relative_to(DATA / "scan" / "repo").as_posix().replace("/", "_"), f.read_bytes())

# Git indexes: made by git itself in a scratch repository (versions 2, 3 and 4, a
# SHA-256 repository, a symlink and a submodule entry), plus a truncated one.
# Skipped when git is not installed.
def git_index_seeds():
    import subprocess
    import tempfile
    d = target("git_index")
    if shutil.which("git") is None:
        return
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    for fmt in ["sha1", "sha256"]:
        with tempfile.TemporaryDirectory() as tmp:
            repo = pathlib.Path(tmp)
            def git(*args):
                subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                               cwd=repo, env=env, check=True, capture_output=True)
            git("init", "-q", f"--object-format={fmt}")
            for rel in ["README.md", "deploy/kubeconfig", "deploy/kubeconfig.bak", "src/a/b/c.rs"]:
                (repo / rel).parent.mkdir(parents=True, exist_ok=True)
                (repo / rel).write_text(rel + "\n")
            (repo / "link").symlink_to("README.md")
            git("add", ".")
            sha = "1" * (40 if fmt == "sha1" else 64)
            git("update-index", "--add", "--cacheinfo", f"160000,{sha},vendor/sub")
            put(d, f"{fmt}-v2", (repo / ".git" / "index").read_bytes())
            (repo / "later.txt").write_text("later\n")
            git("add", "-N", "later.txt")
            put(d, f"{fmt}-v3", (repo / ".git" / "index").read_bytes())
            git("update-index", "--index-version", "4")
            index = (repo / ".git" / "index").read_bytes()
            put(d, f"{fmt}-v4", index)
            if fmt == "sha1":
                put(d, "truncated", index[:70])
                put(d, "skiphash", index[:-20] + b"\0" * 20)


git_index_seeds()


# Git objects (the history scan's parsers), first byte = which parser (see
# kcred_tests::fuzz::git_objects): loose objects, commit, tree and tag bodies
# and a pack with its index made by git; hand-built deltas (good, a copy outside
# the base, a size overflow) and a zlib bomb. Git-made seeds need git.
def git_objects_seeds():
    import struct
    import subprocess
    import tempfile
    import zlib
    d = target("git_objects")
    base = b"apiVersion: v1\nkind: Config\n"
    put(d, "delta", b"\x04" + struct.pack(">H", len(base)) + base
        + bytes([len(base), 20, 0x91, 0, 15, 5]) + b"xyzzy")
    put(d, "delta-outside", b"\x04" + struct.pack(">H", len(base)) + base
        + bytes([len(base), 20, 0x91, 200, 20]))
    put(d, "delta-overflow", b"\x04\x00\x00" + b"\xff" * 12)
    put(d, "zlib-bomb", b"\x00" + zlib.compress(b"blob 99999999\0" + b"\0" * (4 << 20), 9))
    if shutil.which("git") is None:
        return
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        def git(*args):
            return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                                  cwd=repo, env=env, check=True, capture_output=True).stdout
        git("init", "-q")
        for step in range(3):
            for rel in ["README.md", "deploy/kubeconfig", "src/a/b/c.rs"]:
                (repo / rel).parent.mkdir(parents=True, exist_ok=True)
                (repo / rel).write_text(f"{rel} step {step}\n" * (20 + step))
            git("add", ".")
            git("commit", "-q", "-m", f"step {step}")
        git("tag", "-a", "v1", "-m", "v1")
        for name, rev in [("commit", "HEAD"), ("tree", "HEAD^{tree}"), ("blob", "HEAD:README.md"),
                          ("tag", "v1")]:
            oid = git("rev-parse", rev).decode().strip()
            put(d, f"loose-{name}", b"\x00" + (repo / ".git/objects" / oid[:2] / oid[2:]).read_bytes())
            kind = git("cat-file", "-t", oid).decode().strip()
            which = {"commit": 1, "tree": 2, "tag": 3}.get(kind)
            if which is not None:
                put(d, f"body-{name}", bytes([which]) + git("cat-file", kind, oid))
        git("gc", "-q", "--aggressive")
        packs = sorted((repo / ".git/objects/pack").glob("*.pack"))
        for pack in packs:
            idx = pack.with_suffix(".idx").read_bytes()
            put(d, "pack", b"\x05" + struct.pack(">I", len(idx)) + idx + pack.read_bytes())


git_objects_seeds()

for d in sorted(CORPUS.iterdir()):
    n = sum(1 for _ in d.iterdir())
    size = sum(f.stat().st_size for f in d.iterdir())
    print(f"{d.name:16} {n:4} files {size / 1024:7.1f} KiB")
