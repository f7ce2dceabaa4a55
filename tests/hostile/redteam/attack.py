#!/usr/bin/env python3
"""Red-team attack on the kcred CLI: generates hostile inputs in a temp dir,
runs every case under `timeout 20` and `/usr/bin/time -v`, and prints a table
(case, command, exit code, wall, peak RSS, verdict).

    tests/hostile/redteam/attack.py                # uses target/release/kcred
    KCRED=/path/to/kcred tests/hostile/redteam/attack.py
    tests/hostile/redteam/attack.py -k canary      # only cases whose name contains 'canary'
    KEEP=1 ...                                     # keep the temp dir

Verdicts: ok, PANIC (exit 101 / "panicked"), HANG (timeout), SLOW (> 10 s),
MEM (> 500 MB), LEAK:<canary> (a planted secret in stdout/stderr), CTRL:<char>
(a raw control / bidi / zero-width character in output), WFCMD (a line that
starts a GitHub Actions workflow command), PWNED (a suggested command, run in a
sandbox shell, executed a planted payload), MISS:<what> (scan/exposure did not
report a planted credential), plus case-specific checks.
"""
import base64
import datetime as dt
import json
import os
import pathlib
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[3]
KCRED = os.environ.get("KCRED") or str(ROOT / "target" / "release" / "kcred")
W = pathlib.Path(tempfile.mkdtemp(prefix="kcred-redteam-"))
FILTER = sys.argv[sys.argv.index("-k") + 1] if "-k" in sys.argv else ""
NOW = ["--now", "2026-01-01T00:00:00Z"]
CANARIES = {}
# Planted where kcred shows the value by design (names, paths, ids, claims): kept
# in the inputs, not counted as leaks.
NOT_SECRET = {"env-name-is-secret", "t-eq", "t-sep", "idtoken-claim", "pol-first-key", "extends-missing",
              "extends-preset", "exec-after-dashdash-secret"}
RESULTS = []

b64 = lambda b: base64.b64encode(b if isinstance(b, bytes) else b.encode()).decode()
b64u = lambda b: base64.urlsafe_b64encode(b if isinstance(b, bytes) else b.encode()).rstrip(b"=").decode()


def canary(tag):
    c = f"CANARY{len(CANARIES)}x{secrets.token_hex(5)}"
    CANARIES[c] = tag
    return c


def put(rel, data, mode=None):
    p = W / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode())
    if mode is not None:
        os.chmod(p, mode)
    return p


def jwt(claims, header=None):
    h = header or {"alg": "RS256", "typ": "JWT"}
    hs = b64u(json.dumps(h)) if isinstance(h, dict) else b64u(h)
    cs = b64u(claims) if isinstance(claims, str) else b64u(json.dumps(claims))
    return f"{hs}.{cs}.{b64u(b'sig')}"


# ---- certificates (cryptography) -------------------------------------------
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

EC_KEY = ec.generate_private_key(ec.SECP256R1())


def cert(cn="u", org=None, nb=dt.datetime(2050, 1, 1), na=dt.datetime(2051, 1, 1), key=EC_KEY, ca=None, is_ca=False):
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    name = x509.Name(attrs)
    issuer_name, signer = (ca[0].subject, ca[1]) if ca else (name, key)
    b = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(nb).not_valid_after(na))
    if is_ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    return b.sign(signer, hashes.SHA256())


def pem(c):
    return c.public_bytes(serialization.Encoding.PEM)


def keypem(k=EC_KEY):
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                           serialization.NoEncryption())


def patched_cert(nb_text, na_text, cn="patched"):
    """A certificate whose validity strings are replaced byte-for-byte (15-char GeneralizedTime)."""
    c = cert(cn=cn, nb=dt.datetime(2050, 1, 1), na=dt.datetime(2051, 1, 1))
    der = c.public_bytes(serialization.Encoding.DER)
    der = der.replace(b"20500101000000Z", nb_text.encode(), 1).replace(b"20510101000000Z", na_text.encode(), 1)
    return b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der) + b"-----END CERTIFICATE-----\n"


# ---- kubeconfig builder ------------------------------------------------------
def kubeconfig(users, clusters=None, contexts=None, extra=""):
    """users: list of (name, dict). Returns YAML (as JSON, which is YAML)."""
    clusters = clusters or [{"name": "c", "cluster": {"server": "https://k8s.example.com:6443"}}]
    if contexts is None:
        contexts = [{"name": f"ctx-{n}", "context": {"cluster": clusters[0]["name"], "user": n}} for n, _ in users]
    doc = {"apiVersion": "v1", "kind": "Config", "clusters": clusters, "contexts": contexts,
           "users": [{"name": n, "user": u} for n, u in users],
           "current-context": contexts[0]["name"] if contexts else ""}
    return json.dumps(doc, indent=1) + extra


# ---- runner -----------------------------------------------------------------
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\U000e0000-\U000e007f]")
WF = re.compile(r"^\s*(::[a-z-]+|##\[)", re.M)


def run(name, args, env=None, cwd=None, checks=(), stdin=subprocess.DEVNULL, timeout=20, allow_ctrl=False):
    if FILTER and FILTER not in name:
        return None
    e = {"PATH": os.environ.get("PATH", ""), "HOME": str(W / "emptyhome"), "NO_COLOR": "1", "LANG": "C.UTF-8"}
    if env:
        e.update(env)
    tf = W / "time.out"
    cmd = ["/usr/bin/time", "-v", "-o", str(tf), "timeout", "-s", "KILL", str(timeout), KCRED] + [str(a).replace("\x00", "") for a in args]
    t0 = time.monotonic()
    p = subprocess.run(cmd, env=e, cwd=cwd or W, stdin=stdin, capture_output=True)
    wall = time.monotonic() - t0
    tv = tf.read_text(errors="replace") if tf.exists() else ""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", tv)
    rss = int(m.group(1)) // 1024 if m else -1
    rc = p.returncode
    if "Command terminated by signal 9" in tv or rc == 137:
        rc = 137
    out, err = p.stdout, p.stderr
    both = out + b"\n" + err
    text = both.decode("utf-8", "replace")
    v = []
    if rc == 101 or b"panicked" in err:
        v.append("PANIC")
    if rc in (124, 137):
        v.append("HANG")
    elif wall > 10:
        v.append("SLOW")
    if rss > 500:
        v.append("MEM")
    for c, tag in CANARIES.items():
        if tag in NOT_SECRET:
            continue
        if c in text or c.split("x")[1] in text:
            v.append(f"LEAK:{tag}")
    if not allow_ctrl:
        hs = sorted({repr(ch) for ch in HIDDEN.findall(text)})
        if hs:
            v.append("CTRL:" + ",".join(hs)[:40])
    if WF.search(text):
        v.append("WFCMD")
    if rc not in (0, 1, 2, 124, 137, 101):
        v.append(f"RC{rc}")
    for chk in checks:
        r = chk(rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
        if r:
            v.append(r)
    verdict = " ".join(v) or "ok"
    RESULTS.append((name, " ".join(str(a) for a in args)[:90], rc, wall, rss, verdict, text))
    print(f"{name[:38]:38} {rc:>3} {wall:6.2f}s {rss:5d}MB  {verdict[:110]}", flush=True)
    return out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def has(s, label):
    return lambda rc, o, e: None if s in o + e else f"MISS:{label}"


def lacks(s, label):
    return lambda rc, o, e: f"{label}" if s in o + e else None


def all_formats(sub, name, args, **kw):
    fmts = {"inspect": ["table", "json"], "check": ["table", "json", "sarif", "prometheus"],
            "exposure": ["table", "json"], "pki": ["table", "json"], "scan": ["table", "json", "sarif"]}[sub]
    for f in fmts:
        run(f"{name}/{sub}/{f}", [sub] + args + ["--format", f], **kw)


def kc_all(name, path, extra=(), **kw):
    """inspect, check (strict), exposure over one kubeconfig, every format."""
    all_formats("inspect", name, ["--kubeconfig", path, *NOW, *extra], **kw)
    all_formats("check", name, ["--kubeconfig", path, "--policy", "strict", *NOW, *extra], **kw)
    all_formats("exposure", name, ["--kubeconfig", path, *NOW, *extra], **kw)


# ============================================================================
# 1. panics: dates, durations, encodings
# ============================================================================
def dates():
    nums = [0, -1, 1, 2**31, 2**53, 2**63 - 1, -(2**63), 2**63, 2**64, 10**30, -10**30, 253402300799, 253402300800,
            -62135596800, -62135596801, 1.5, 1e308, -1e308, 1e-300, "1e400", "NaN", "Infinity", "-0", "9" * 400]
    users = []
    for i, n in enumerate(nums):
        claims = '{"exp": %s, "iat": %s, "nbf": %s, "sub": "system:serviceaccount:ns:sa"}' % (n, n, n) if not isinstance(n, str) \
            else '{"exp": %s, "iat": %s, "nbf": %s}' % (n, n, n)
        users.append((f"jwt{i}", {"token": jwt(claims)}))
        users.append((f"jwts{i}", {"token": jwt({"exp": str(n), "iat": str(n), "nbf": str(n)})}))
    # expired-at-now extremes: exp far future with iat far past (lifetime overflow)
    users.append(("life", {"token": jwt('{"exp": 9223372036854775807, "iat": -9223372036854775808}')}))
    users.append(("life2", {"token": jwt('{"exp": 253402300799, "iat": -62135596800}')}))
    # EKS presigned tokens
    for i, (d, x) in enumerate([("99991231T235959Z", "9223372036854775807"), ("00000101T000000Z", "-1"),
                                 ("20261301T000000Z", "900"), ("2026", "1e9"), ("", ""), ("20260101T000000Z", "99999999999999999999999"),
                                 ("+1000001231T235959Z", "900"), ("20260101T000000Z", "-9223372036854775808")]):
        url = f"https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Feu-west-1%2Fsts%2Faws4_request&X-Amz-Date={d}&X-Amz-Expires={x}&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=abc"
        users.append((f"eks{i}", {"token": "k8s-aws-v1." + b64u(url)}))
    # cert validity extremes
    pats = [("00000101000000Z", "99991231235959Z"), ("99991231235959Z", "00000101000000Z"), ("20501301000000Z", "20500230000000Z"),
            ("2050010100000aZ", "20510101000000+"), ("20500101000060Z", "20510101246000Z"), ("19000101000000Z", "99991231235960Z")]
    for i, (a, b) in enumerate(pats):
        users.append((f"cert{i}", {"client-certificate-data": b64(patched_cert(a, b)), "client-key-data": b64(keypem())}))
    users.append(("certmax", {"client-certificate-data": b64(pem(cert(nb=dt.datetime(1950, 1, 1), na=dt.datetime(9999, 12, 31, 23, 59, 59)))),
                              "client-key-data": b64(keypem())}))
    p = put("dates/kubeconfig.json", kubeconfig(users))
    kc_all("dates-kubeconfig", p)
    for now in ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "2026-01-01T00:00:00.999999999999Z", "2026-02-30T00:00:00Z", "1970-01-01T00:00:00+23:59", "x" * 5000]:
        run(f"dates-now {now[:20]}", ["check", "--kubeconfig", p, "--policy", "strict", "--now", now, "--format", "json"])
        run(f"dates-now-exp {now[:20]}", ["exposure", "--kubeconfig", p, "--now", now])
    for lt in ["entra-refresh-token=9999999999999999999999d", "entra-refresh-token=-1d", "entra-refresh-token=0s",
               "entra-refresh-token=1.5d", "eks-token=365000d", "eks-token=365001d", "gke-access-token=1y1y1y1y1y1y1y1y1y1y",
               "x=1d", "=", "entra-refresh-token=" + "9" * 5000 + "s", "aws-sts-session=9223372036854775807s"]:
        run(f"lifetime {lt[:25]}", ["exposure", "--home", W / "homes/aks-extreme", "--now", "9999-12-31T23:59:59Z", "--lifetime", lt])


def caches_extreme():
    """Every cache format with extreme expiry values, in a copied home."""
    exps = ["99999999999999999999", "-9223372036854775808", "9223372036854775807", "1e20", "1.5", "-1", "", "NaN",
            "253402300800", "0x10", " 1767228300 "]
    tstamps = ["9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
               "2026-01-01T00:00:00.9999999999999Z", "2026-13-01T00:00:00Z", "", "now", "9" * 300]
    for i, e in enumerate(exps + tstamps):
        h = W / f"homes/cache{i}"
        src = ROOT / "tests/data/exposure"
        for plat in ["home-aks", "home-eks", "home-gke", "home-oidc"]:
            shutil.copytree(src / plat, h / plat, dirs_exist_ok=True)
        tok = jwt({"exp": e, "iat": e, "nbf": e}) if i % 2 else jwt('{"exp": %s}' % (e if e and e[0] in "-0123456789" else '"x"'))
        put(f"homes/cache{i}/home-aks/.kube/cache/kubelogin/AzurePublicCloud-6dae42f8-4368-4678-94ff-3960e28e3630-80faf920-1908-4b52-b5ef-a8e7bedfc67a-408aa735-c096-4138-9246-cd19cd965624.json",
            json.dumps({"access_token": tok, "refresh_token": canary("kubelogin-refresh"), "expires_in": e, "expires_on": e, "not_before": e}))
        put(f"homes/cache{i}/home-aks/.kube/cache/custom/exec-credential.json",
            json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1", "status": {"expirationTimestamp": e, "token": canary("execcred")}}))
        put(f"homes/cache{i}/home-eks/.kube/cache/aws-iam-authenticator/credentials.yaml",
            f"clusters:\n  payments-prod:\n    default:\n      arn:aws:iam::1:role/x:\n        secretaccesskey: {canary('aws-secret')}\n        sessiontoken: {canary('aws-session')}\n        expires: {json.dumps(e)}\n        canexpire: true\n")
        put(f"homes/cache{i}/home-gke/.kube/gke_gcloud_auth_plugin_cache",
            json.dumps({"current_context": "gke_acme-platform_europe-west1_web-prod", "access_token": "ya29." + canary("gke"), "token_expiry": e}))
        put(f"homes/cache{i}/home-oidc/.kube/cache/oidc-login/ee70240a67c11db847c01cc187d03c662861106a466238bedf0ef70f9b99fdb4",
            json.dumps({"id_token": tok, "refresh_token": canary("oidc-refresh")}))
        put(f"homes/cache{i}/home-aks/.azure/msal_token_cache.json",
            json.dumps({"AccessToken": {"k": {"credential_type": "AccessToken", "secret": canary("msal-at"), "expires_on": e, "cached_at": e, "extended_expires_on": e}},
                        "RefreshToken": {"k2": {"credential_type": "RefreshToken", "secret": canary("msal-rt"), "expires_on": e}}}))
        for plat in ["home-aks", "home-eks", "home-gke", "home-oidc"]:
            for f in ["table", "json"]:
                run(f"cache-extreme{i}-{plat}-{f}", ["exposure", "--home", h / plat, *NOW, "--format", f])
    # aks-extreme home used by lifetime cases
    shutil.copytree(ROOT / "tests/data/exposure/home-aks", W / "homes/aks-extreme", dirs_exist_ok=True)


def encodings():
    base = kubeconfig([("u", {"token": canary("enc-token")})])
    variants = {
        "utf16le-bom": b"\xff\xfe" + base.encode("utf-16-le"), "utf16be-bom": b"\xfe\xff" + base.encode("utf-16-be"),
        "utf16le": base.encode("utf-16-le"), "utf8-bom": b"\xef\xbb\xbf" + base.encode(), "utf32": base.encode("utf-32"),
        "nul-mid": base.encode().replace(b'"u"', b'"u\x00"', 1), "nul-only": b"\x00" * 1000, "empty": b"",
        "ws": b" \n\t\r\n  \n", "latin1": base.replace('"c"', '"\xe9"').encode("latin-1"), "cr-only": base.replace("\n", "\r").encode(),
        "bad-utf8": base.encode().replace(b'"c"', b'"\xff\xfe\xc3"'), "huge-cell": kubeconfig([("u" * 5_000_000, {"token": "x" * 5_000_000})]).encode(),
        "deep-flow": b"users: " + b"[" * 100000 + b"]" * 100000, "deep-json": b'{"users":' + b"[" * 100000 + b"]" * 100000 + b"}",
        "deep-map": b"users:\n" + b"".join(b"  " * i + b"a:\n" for i in range(3000)),
        "many-docs": b"---\n" * 200000, "yaml-tags": b"users: !!binary " + b"A" * 100 + b"\n",
        "anchors": b"a: &a [" + b",".join([b'"x"'] * 100) + b"]\n" + b"".join(b"%s: &%s [%s]\n" % (bytes([97 + i]), bytes([97 + i]), b",".join([b"*" + bytes([96 + i])] * 100)) for i in range(1, 8)),
        "merge-bomb": b"base: &b {name: u, user: {token: t}}\nusers:\n" + b"".join(b"- <<: *b\n" for _ in range(100000)),
    }
    for k, v in variants.items():
        p = put(f"enc/{k}.yaml", v)
        all_formats("inspect", f"enc-{k}", ["--kubeconfig", p, *NOW])
        all_formats("check", f"enc-{k}", ["--kubeconfig", p, *NOW])
        run(f"enc-{k}/exposure", ["exposure", "--kubeconfig", p, *NOW])


# ============================================================================
# 2. hangs: special files
# ============================================================================
def special_files():
    fifo = W / "sp/fifo"
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    (W / "sp/loop1").symlink_to(W / "sp/loop2")
    (W / "sp/loop2").symlink_to(W / "sp/loop1")
    (W / "sp/tozero").symlink_to("/dev/zero")
    (W / "sp/tofifo").symlink_to(fifo)
    bigf = put("sp/big.pem", b"-----BEGIN CERTIFICATE-----\n" + b"A" * (19 * 1024 * 1024) + b"\n")
    targets = [fifo, "/dev/zero", "/dev/urandom", "/dev/stdin", "/dev/tty", "/proc/self/mem", "/proc/kmsg", "/proc/self/fd/0",
               "/sys/kernel/debug", "/proc/self/pagemap", "/sys/devices/system/cpu/cpu0/cpufreq", W / "sp/loop1",
               W / "sp/tozero", W / "sp/tofifo", "/", "/proc", bigf, "/dev/full"]
    for i, t in enumerate(targets):
        u = {"tokenFile": str(t), "client-certificate": str(t), "client-key": str(t)}
        cl = [{"name": "c", "cluster": {"server": "https://x:6443", "certificate-authority": str(t)}}]
        p = put(f"sp/kc{i}.yaml", kubeconfig([("u", u)], cl))
        for sub in ["inspect", "check", "exposure"]:
            run(f"special-{i}-{sub} {str(t)[-20:]}", [sub, "--kubeconfig", p, *NOW])
        run(f"special-{i}-policy {str(t)[-20:]}", ["check", "--kubeconfig", W / "sp/kc0.yaml", "--policy", t, *NOW])
        put(f"sp/pol{i}.yaml", f"version: 1\nextends: {t}\n")
        run(f"special-{i}-extends", ["check", "--kubeconfig", W / "sp/kc0.yaml", "--policy", W / f"sp/pol{i}.yaml", *NOW])
        run(f"special-{i}-KUBECONFIG", ["inspect", *NOW], env={"KUBECONFIG": f"{t}:{p}"})
        run(f"special-{i}-direct-kubeconfig", ["inspect", "--kubeconfig", t, *NOW])
        # home with the special file as every cache/config
        h = W / f"sp/home{i}"
        for rel in [".kube/config", ".kube/cache/kubelogin/x.json", ".kube/cache/kubelogin/auth.json",
                    ".kube/cache/oidc-login/abc", ".kube/gke_gcloud_auth_plugin_cache", ".kube/cache/aws-iam-authenticator/credentials.yaml",
                    ".azure/msal_token_cache.json", ".azure/msal_token_cache.bin", ".config/gcloud/credentials.db", ".aws/credentials",
                    ".kube/cache/kubelogin/pop_tokens.cache", ".kube/cache/custom/exec.json"]:
            (h / rel).parent.mkdir(parents=True, exist_ok=True)
            (h / rel).symlink_to(t)
        run(f"special-{i}-home", ["exposure", "--home", h, *NOW])
        run(f"special-{i}-cachedir", ["exposure", "--kubeconfig", p, "--cache-dir", t, *NOW])
        # pki tree
        pk = W / f"sp/pki{i}"
        for rel in ["admin.conf", "kubelet.conf", "super-admin.conf", "controller-manager.conf", "scheduler.conf",
                    "pki/ca.crt", "pki/ca.key", "pki/apiserver.crt", "pki/etcd/ca.crt", "pki/front-proxy-ca.crt", "pki/extra.crt", "pki/sa.pub"]:
            (pk / rel).parent.mkdir(parents=True, exist_ok=True)
            (pk / rel).symlink_to(t)
        (W / f"sp/kl{i}/pki").mkdir(parents=True, exist_ok=True)
        (W / f"sp/kl{i}/pki/kubelet-client-current.pem").symlink_to(t)
        for f in ["table", "json"]:
            run(f"special-{i}-pki-{f}", ["pki", pk, "--kubelet-dir", W / f"sp/kl{i}", *NOW, "--format", f])
        run(f"special-{i}-pki-as-dir", ["pki", t, "--kubelet-dir", t, *NOW])
        # scan with --follow-links
        s = W / f"sp/scan{i}"
        s.mkdir(parents=True, exist_ok=True)
        (s / "link.yaml").symlink_to(t)
        (s / "dirlink").symlink_to(t)
        run(f"special-{i}-scan-follow", ["scan", s, "--follow-links", *NOW])
        run(f"special-{i}-scan", ["scan", s, *NOW])
        run(f"special-{i}-scan-direct", ["scan", t, *NOW], timeout=20)
    # stdin tricks: kubeconfig -/dev/stdin with an endless producer
    run("stdin-kubeconfig-dash", ["inspect", "--kubeconfig", "-", *NOW])


def fanout():
    # 2,000-cert CA bundle x 500 clusters/users; one big file named by many users
    ca_key = ec.generate_private_key(ec.SECP256R1())
    bundle = b"".join(pem(cert(cn=f"ca{i}", key=ca_key, is_ca=True, nb=dt.datetime(2020, 1, 1), na=dt.datetime(2040, 1, 1))) for i in range(2000))
    cab = put("fan/bundle.pem", bundle)
    uk = ec.generate_private_key(ec.SECP256R1())
    leaf = cert(cn="leaf", org="system:masters", key=uk, ca=(cert(cn="ca1999", key=ca_key, is_ca=True), ca_key), nb=dt.datetime(2020, 1, 1), na=dt.datetime(2040, 1, 1))
    put("fan/leaf.crt", pem(leaf))
    put("fan/leaf.key", keypem(uk))
    n = 500
    clusters = [{"name": f"c{i}", "cluster": {"server": f"https://x{i}:6443", "certificate-authority": str(cab)}} for i in range(n)]
    users = [(f"u{i}", {"client-certificate": str(W / "fan/leaf.crt"), "client-key": str(W / "fan/leaf.key")}) for i in range(n)]
    contexts = [{"name": f"x{i}", "context": {"cluster": f"c{i}", "user": f"u{i}"}} for i in range(n)]
    p = put("fan/kc.json", kubeconfig(users, clusters, contexts))
    kc_all("fanout-bundle", p)
    cad = b64(bundle)
    clusters2 = [{"name": f"c{i}", "cluster": {"server": f"https://x{i}:6443", "certificate-authority-data": cad}} for i in range(60)]
    users2 = [(f"u{i}", {"client-certificate-data": b64(pem(leaf)), "client-key-data": b64(keypem(uk))}) for i in range(60)]
    contexts2 = [{"name": f"x{i}-{j}", "context": {"cluster": f"c{i}", "user": f"u{j}"}} for i in range(60) for j in range(60)]
    p2 = put("fan/kc-inline.json", kubeconfig(users2, clusters2, contexts2))
    kc_all("fanout-inline-3600ctx", p2)
    big = put("fan/big.pem", b"".join(pem(cert(cn=f"b{i}")) for i in range(30000))[: 19 * 1024 * 1024])
    users3 = [(f"u{i}", {"client-certificate": str(big), "client-key": str(big), "tokenFile": str(big)}) for i in range(20000)]
    cl3 = [{"name": "c", "cluster": {"server": "https://x:6443", "certificate-authority": str(big)}}]
    p3 = put("fan/kc-big.json", kubeconfig(users3, cl3))
    kc_all("fanout-bigfile-20k", p3)
    # KUBECONFIG with 5,000 entries naming the same big file
    run("fanout-KUBECONFIG-5000", ["inspect", *NOW], env={"KUBECONFIG": ":".join([str(p3)] * 5000)})
    run("fanout-kubeconfig-flag-2000", ["exposure", *sum([["--kubeconfig", str(p3)] for _ in range(200)], []), *NOW])
    # many contexts
    users4 = [(f"u{i}", {"token": "t"}) for i in range(100000)]
    p4 = put("fan/kc-100k.json", kubeconfig(users4))
    kc_all("many-100k-users", p4)
    # policy/ cache alias bombs
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for c in "bcdefghij":
        bomb += f"{c}: &{c} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = c
    put("fan/bomb-policy.yaml", "version: 1\n" + bomb)
    run("bomb-policy", ["check", "--kubeconfig", p, "--policy", W / "fan/bomb-policy.yaml", *NOW])
    put("fan/bomb-ext.yaml", "version: 1\nextends: bomb-policy.yaml\n")
    run("bomb-policy-extends", ["check", "--kubeconfig", p, "--policy", W / "fan/bomb-ext.yaml", *NOW])
    run("bomb-policy-pki", ["pki", ROOT / "tests/data/pki/kubeadm/etc-kubernetes", "--policy", W / "fan/bomb-policy.yaml", *NOW])
    run("bomb-policy-scan", ["scan", ROOT / "tests/data/scan", "--policy", W / "fan/bomb-policy.yaml", *NOW])
    h = W / "fan/bombhome"
    shutil.copytree(ROOT / "tests/data/exposure/home-eks", h)
    put("fan/bombhome/.kube/cache/aws-iam-authenticator/credentials.yaml", bomb + "clusters: *j\n")
    run("bomb-aws-cache", ["exposure", "--home", h, *NOW])
    h2 = W / "fan/bombhome2"
    shutil.copytree(ROOT / "tests/data/exposure/home-eks", h2)
    put("fan/bombhome2/.aws/credentials", "[default]\n" + "".join(f"k{i} = {'v' * 100}\n" for i in range(200000)))
    run("big-aws-credentials", ["exposure", "--home", h2, *NOW])
    # extends chain / loop / diamond
    for i in range(12):
        put(f"fan/ext{i}.yaml", f"version: 1\nextends: ext{i + 1}.yaml\n" if i < 11 else "version: 1\nextends: ext0.yaml\n")
    run("extends-loop", ["check", "--kubeconfig", p, "--policy", W / "fan/ext0.yaml", *NOW])
    # huge folders
    hf = W / "fan/huge"
    hf.mkdir()
    for i in range(100000):
        (hf / f"f{i}.yaml").write_bytes(b"a: 1\n")
    run("scan-100k-files", ["scan", hf, *NOW])
    kcd = W / "fan/hugehome/.kube/cache/kubelogin"
    kcd.mkdir(parents=True)
    shutil.copy(ROOT / "tests/data/exposure/home-aks/.kube/config", W / "fan/hugehome/.kube/config")
    for i in range(100000):
        (kcd / f"AzurePublicCloud-{i}.json").write_bytes(b'{"access_token":"x"}')
    run("exposure-100k-cache-files", ["exposure", "--home", W / "fan/hugehome", *NOW])
    pkd = W / "fan/hugepki/pki"
    pkd.mkdir(parents=True)
    one = pem(cert(cn="x"))
    for i in range(20000):
        (pkd / f"c{i}.crt").write_bytes(one)
    run("pki-20k-certs", ["pki", W / "fan/hugepki", "--kubelet-dir", W / "nonexist", *NOW])
    # deep directory nesting
    d = W / "fan/deep"
    cur = d
    for i in range(300):
        cur = cur / "d"
    cur.mkdir(parents=True)
    put(str(cur.relative_to(W)) + "/kc.yaml", kubeconfig([("u", {"token": "deep-token-abcdefghijklmnop"})]))
    run("scan-deep-dirs", ["scan", d, *NOW])
    # follow-links fan-out: 30 links to the same huge dir
    fl = W / "fan/links"
    fl.mkdir()
    for i in range(30):
        (fl / f"l{i}").symlink_to(hf)
    run("scan-follow-30-links-100k", ["scan", fl, "--follow-links", *NOW])
    # symlink to parent
    (W / "fan/links2").mkdir()
    (W / "fan/links2/up").symlink_to(W / "fan/links2")
    (W / "fan/links2/up2").symlink_to(W / "fan")
    run("scan-follow-parent-loop", ["scan", W / "fan/links2", "--follow-links", *NOW])


# ============================================================================
# 3. secrets
# ============================================================================
def canaries():
    c = canary
    exec_args = ["-p", c("exec-p"), f"--password={c('exec-password-eq')}", f"--token:{c('exec-token-colon')}", "/password", c("exec-slash-password"),
                 f"--client-secret {c('exec-onearg')}", "--secret", c("exec-secret"), f"-p{c('exec-pV')}", "--api-key", c("exec-apikey"),
                 f"--private-key={c('exec-pk')}", "--refresh-token", c("exec-rt"), f"--access_token={c('exec-at')}", f"--bearer={c('exec-bearer')}",
                 "--credentials", c("exec-credentials"), f"-Dpassword={c('exec-D')}", f"password={c('exec-kv')}", f"--oidc-client-secret={c('oidc-cs')}",
                 "--client-secret", c("exec-cs-sep"), "-P", c("exec-P"), "--auth", c("exec-auth"), f"--pass:{c('exec-pass')}", "--key", c("exec-key"),
                 f"https://user:{c('exec-url-pw')}@host/path?token={c('exec-url-q')}", f"--header=Authorization: Bearer {c('exec-header')}",
                 f"--kv=token={c('exec-kv2')}", "--session-token", c("exec-session"), "--SECRET", c("exec-upper"), f"--PASSWORD={c('exec-upper-eq')}",
                 "--", c("exec-after-dashdash-secret")]
    users = [
        ("tok", {"token": c("token"), "username": "admin", "password": c("password")}),
        ("tokf", {"tokenFile": str(put("can/tokenfile", c("tokenfile-content") + "\n"))}),
        ("tokf-bad", {"tokenFile": str(put("can/tokenfile2", b"\x00\xff" + c("tokenfile-bin").encode() + b"\n\n\nmore lines " + c("tokenfile-line2").encode()))}),
        ("key", {"client-certificate-data": b64(pem(cert())), "client-key-data": b64(keypem() + c("keydata-tail").encode())}),
        ("badkey", {"client-certificate-data": b64(c("certdata-garbage")), "client-key-data": b64(c("keydata-garbage"))}),
        ("badkey2", {"client-certificate-data": c("certdata-notb64"), "client-key-data": c("keydata-notb64") + "!!"}),
        ("keyfile", {"client-certificate": str(put("can/c.crt", pem(cert()))), "client-key": str(put("can/k.key", c("keyfile-content") + "\n"))}),
        ("exec1", {"exec": {"apiVersion": "client.authentication.k8s.io/v1beta1", "command": "kubelogin", "args": exec_args,
                            "env": [{"name": "AWS_SECRET_ACCESS_KEY", "value": c("env-aws")}, {"name": "X", "value": c("env-x")},
                                    {"name": c("env-name-is-secret"), "value": "y"}], "installHint": c("installhint")}}),
        ("exec2", {"exec": {"command": f"sh", "args": ["-c", f"kubelogin get-token --client-secret {c('sh-c')} | cat"]}}),
        ("exec3", {"exec": {"command": f"/usr/bin/env TOKEN={c('cmd-env')} kubelogin --password {c('cmd-flag')} https://u:{c('cmd-url')}@h/"}}),
        ("exec4", {"exec": {"command": "bash", "args": ["-lc", f"export T={c('bash-lc')}; kubectl"]}}),
        ("exec5", {"exec": {"command": "python3", "args": ["-c", f"print('{c('py-c')}')"]}}),
        ("exec6", {"exec": {"command": "kubelogin", "args": [f"--token={c('tokeq')}", f"-t={c('t-eq')}", "-t", c("t-sep")]}}),
        ("ap", {"auth-provider": {"name": "oidc", "config": {"id-token": jwt({"exp": 1, "sub": c("idtoken-claim")}), "refresh-token": c("ap-rt"),
                                                            "client-secret": c("ap-cs"), "access-token": c("ap-at"), "idp-certificate-authority-data": c("ap-ca"),
                                                            "idp-issuer-url": f"https://u:{c('ap-iss-pw')}@idp/?secret={c('ap-iss-q')}#{c('ap-iss-frag')}",
                                                            "extra-field": c("ap-extra"), "cmd-args": f"--password {c('ap-cmd-args')}",
                                                            "expiry": "9999-99-99", "cmd-path": f"/bin/x --token={c('ap-cmd-path')}"}}}),
        ("ap-gcp", {"auth-provider": {"name": "gcp", "config": {"access-token": c("gcp-at"), "expiry": "x" * 100, "cmd-args": f"config-helper --format=json --secret={c('gcp-cmd')}"}}}),
        ("ap-azure", {"auth-provider": {"name": "azure", "config": {"access-token": c("az-at"), "refresh-token": c("az-rt"), "expires-on": "99999999999999999999", "expires-in": "-1"}}}),
        ("imp", {"as": "admin", "as-user-extra": {"reason": [c("as-extra")]}, "token": c("tok2")}),
        ("ext", {"token": "x", "extensions": [{"name": "e", "extension": {"secret": c("user-ext"), "token": c("user-ext-tok")}}], c("unknown-key-name"): c("unknown-key-val"),
                 "unknownfield": c("unknown-field")}),
        ("tok-ws", {"token": "  " + c("token-ws") + "\n"}),
        ("tok-ctrl", {"token": c("token-ctrl") + "\x1b[31m\r\n"}),
        ("tok-jwt-bad", {"token": "eyJ" + c("jwt-bad") + ".eyJ.x"}),
        ("tok-jwt-claimsbad", {"token": b64u('{"alg":"none"}') + "." + b64u('{"exp": "' + c("jwt-claim") + '"}') + ".x"}),
        ("tok-short", {"token": c("s")[:12]}),
        ("pw-only", {"password": c("pw-only")}),
        ("user-pw", {"username": c("basic-user-is-secret?"), "password": "p"}),
    ]
    del CANARIES[[k for k, v in CANARIES.items() if v == "basic-user-is-secret?"][0]]
    del CANARIES[[k for k, v in CANARIES.items() if v == "s"][0]]
    clusters = [
        {"name": "c", "cluster": {"server": f"https://admin:{c('server-pw')}@k8s.example.com:6443/p?token={c('server-q')}#{c('server-frag')}",
                                  "proxy-url": f"http://u:{c('proxy-pw')}@proxy:3128/?access_token={c('proxy-q')}",
                                  "tls-server-name": f"x?token={c('tls-sn')}", "certificate-authority-data": b64(c("ca-garbage")),
                                  "extensions": [{"name": "x", "extension": {"password": c("cluster-ext")}}]}},
        {"name": "c2", "cluster": {"server": f"https://{c('server-user-only')}@h", "proxy-url": f"socks5://:{c('proxy-pw-nouser')}@p"}},
        {"name": "c3", "cluster": {"server": f"https://h/%2F?X-Amz-Signature={c('amz-sig')}&X-Amz-Security-Token={c('amz-st')}"}},
        {"name": "c4", "cluster": {"server": f"not a url {c('server-nonurl')}", "proxy-url": f"{c('proxy-nonurl')}"}},
        {"name": "c5", "cluster": {"server": f"https://h:99999999/?password={c('server-badport')}"}},
        {"name": "c6", "cluster": {"server": f"https://[::1:{c('server-badipv6')}]/"}},
    ]
    del CANARIES[[k for k, v in CANARIES.items() if v == "server-nonurl"][0]]  # a non-URL server is not a secret shape
    del CANARIES[[k for k, v in CANARIES.items() if v == "proxy-nonurl"][0]]
    del CANARIES[[k for k, v in CANARIES.items() if v == "server-badipv6"][0]]
    contexts = [{"name": f"x-{n}-{cl['name']}", "context": {"cluster": cl["name"], "user": n}} for n, _ in users for cl in clusters[:1]] + \
               [{"name": f"y-{cl['name']}", "context": {"cluster": cl["name"], "user": "tok"}} for cl in clusters]
    doc = json.loads(kubeconfig(users, clusters, contexts))
    doc["preferences"] = {"colors": True, "extensions": [{"name": "p", "extension": {"token": c("pref-ext")}}]}
    doc["extensions"] = [{"name": "top", "extension": {"secret": c("top-ext")}}]
    doc[c("top-unknown-key")] = c("top-unknown-val")
    p = put("can/kc.json", json.dumps(doc, indent=1))
    kc_all("canary-kc", p)
    run("canary-scan", ["scan", W / "can", *NOW, "--format", "json"])
    run("canary-scan-sarif", ["scan", W / "can", *NOW, "--format", "sarif"])
    # YAML variant with parse errors after the secret
    yml = f"apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: {c('yaml-err-token')}\n    password: {c('yaml-err-pw')}\n  bad: [\n"
    p2 = put("can/err.yaml", yml)
    kc_all("canary-parse-error", p2)
    for i, bad in enumerate([f"users:\n- name: u\n  user:\n    token: {c('dup-tok')}\n    token: {c('dup-tok2')}\n",
                             f"users:\n- name: u\n  user: {{token: {c('flow-tok')}, token: x}}\n",
                             f"users: {c('scalar-users')}\n", f"users:\n- {c('scalar-user')}\n", f"users:\n- name: [{c('name-seq')}]\n  user: {{token: 1}}\n",
                             f"users:\n- name: u\n  user:\n    token: [{c('tok-seq')}]\n    client-key-data: {{k: {c('ckd-map')}}}\n",
                             f"users:\n- name: u\n  user:\n    token: \"{c('tok-unterminated')}\n",
                             f"users:\n- name: u\n  user:\n    token: {c('tok-tab')}\t\t: x\n",
                             f"users:\n- name: u\n  user:\n    token: !!binary {b64(c('tok-binary'))}\n",
                             f"users:\n- name: u\n  user:\n    password: &p {c('pw-anchor')}\n    token: *p\n- name: *p\n  user: {{}}\n",
                             f"{{\"users\": [{{\"name\": \"u\", \"user\": {{\"token\": \"{c('json-trailing')}\"}}}}]}} trailing {c('json-trailing2')}",
                             f"{{\"users\": [{{\"name\": \"u\", \"user\": {{\"token\": \"{c('json-bad')}\", }}]",
                             f"users:\n- name: u\n  user:\n    token: {c('deep-tok')}\n    x: " + "[" * 2000 + "]" * 2000 + "\n"]):
        pb = put(f"can/bad{i}.yaml", bad)
        kc_all(f"canary-bad{i}", pb)
        run(f"canary-bad{i}-KUBECONFIG", ["inspect", *NOW], env={"KUBECONFIG": str(pb)})
    # policies
    pol_y = f"version: 1\nrules:\n  {c('pol-key')}: {{threshold: 1d}}\n  expiring-soon:\n    threshold: {c('pol-thr')}\nsecret: {c('pol-unknown')}\n"
    pol_t = f"version = 1\n[rules.{c('pol-toml-key')}]\nthreshold = \"{c('pol-toml-val')}\"\n"
    pol_j = json.dumps({"version": 1, "rules": {"expiring-soon": {"threshold": c("pol-json-thr")}}, c("pol-json-key"): 1})
    pol_first = f"{c('pol-first-key')}: x\nversion: 1\n"
    for ext, body in [("yaml", pol_y), ("toml", pol_t), ("json", pol_j), ("yml", pol_first), ("toml", f"{c('toml-first')} = 1\n"),
                      ("json", f"{{\"{c('json-first')}\": "), ("yaml", f"version: 1\nsuppressions:\n- rule: '*'\n  reason: {c('supp-reason')}\n  expires: {c('supp-exp')}\n"),
                      ("yaml", f"version: 1\nrules:\n  max-remaining: {{threshold: \"{c('thr-quoted')}\"}}\n"),
                      ("yaml", f"version: 1\nrules:\n  exec-plugin-not-allowed: {{allow: [\"{c('allow-glob')}[\"]}}\n"),
                      ("yaml", f"version: 1\nrules:\n  irrevocable-admin: {{include: {{clusters: [\"{c('inc-glob')}[z-a]\"]}}}}\n"),
                      ("yaml", f"version: 1\nextends: {c('extends-missing')}.yaml\n"), ("yaml", f"version: 1\nextends: {c('extends-preset')}\n"),
                      ("yaml", f"version: 1\nname: {c('pol-name')}\ndescription: {c('pol-desc')}\nrules: {{nope: {{threshold: 1d}}}}\n")]:
        pp = put(f"can/pol-{secrets.token_hex(3)}.{ext}", body)
        run(f"canary-policy-{ext}", ["check", "--kubeconfig", ROOT / "examples/kubeconfigs/demo.yaml", "--policy", pp, *NOW])
        run(f"canary-policy-{ext}-sarif", ["check", "--kubeconfig", ROOT / "examples/kubeconfigs/demo.yaml", "--policy", pp, *NOW, "--format", "sarif"])
        run(f"canary-policy-{ext}-rules", ["rules", "--policy", pp])
        run(f"canary-policy-{ext}-pki", ["pki", ROOT / "tests/data/pki/kubeadm/etc-kubernetes", "--policy", pp, *NOW])
        run(f"canary-policy-{ext}-scan", ["scan", ROOT / "tests/data/scan/", "--policy", pp, *NOW])
        pe = put(f"can/ext-{secrets.token_hex(3)}.yaml", f"version: 1\nextends: {pp.name}\n")
        run(f"canary-extends-{ext}", ["check", "--kubeconfig", ROOT / "examples/kubeconfigs/demo.yaml", "--policy", pe, *NOW])
    # cache files with parse errors
    h = W / "can/home"
    shutil.copytree(ROOT / "tests/data/exposure/home-aks", h)
    kl = h / ".kube/cache/kubelogin"
    for f in kl.iterdir():
        f.unlink()
    put(str((kl / "AzurePublicCloud-6dae42f8-4368-4678-94ff-3960e28e3630-80faf920-1908-4b52-b5ef-a8e7bedfc67a-408aa735-c096-4138-9246-cd19cd965624.json").relative_to(W)),
        f'{{"access_token": "{c("kl-at-err")}", "refresh_token": "{c("kl-rt-err")}", "expires_on": ')
    put("can/home/.kube/cache/kubelogin/auth.json", f'{{"homeAccountId": "{c("auth-json")}", "x": [}}')
    put("can/home/.kube/cache/kubelogin/pop_tokens.cache", c("pop"))
    put("can/home/.kube/cache/custom/exec-credential.json", f'{{"kind": "ExecCredential", "status": {{"token": "{c("ec-err")}", "clientKeyData": "{c("ec-key")}", "expirationTimestamp": "{c("ec-exp")}"}}}}')
    put("can/home/.kube/cache/custom/ec2.json", f'{{"kind": "ExecCredential", "status": {{"token": "{c("ec2")}", "expirationTimestamp": 5}}')
    put("can/home/.azure/msal_token_cache.json", f'{{"AccessToken": {{"k": {{"secret": "{c("msal-err")}", "expires_on": [1]}}}}, "RefreshToken": "{c("msal-rt-str")}"}}')
    put("can/home/.azure/msal_token_cache.bin", c("msal-bin"))
    put("can/home/.aws/credentials", f"[default]\naws_secret_access_key = {c('aws-ini')}\n[broken\naws_session_token={c('aws-ini2')}\n{c('aws-noeq')}\n")
    put("can/home/.kube/cache/oidc-login/abc", f'{{"id_token": "{c("oidc-err")}", "refresh_token": {c("oidc-rt-err")}}}')
    put("can/home/.kube/gke_gcloud_auth_plugin_cache", f'{{"access_token": "{c("gke-err")}", "token_expiry": {{}}}}')
    put("can/home/.kube/cache/aws-iam-authenticator/credentials.yaml", f"clusters:\n  x:\n    secretaccesskey: {c('aws-yaml-err')}\n   bad: [\n")
    put("can/home/.config/gcloud/credentials.db", b"SQLite format 3\x00" + c("gcloud-db").encode() + b"\x00" * 100)
    put("can/home/.config/gcloud/application_default_credentials.json", json.dumps({"client_secret": c("adc-cs"), "refresh_token": c("adc-rt"), "type": "authorized_user"}))
    for f in ["table", "json"]:
        run(f"canary-cache-errors-{f}", ["exposure", "--home", h, *NOW, "--format", f])
    run("canary-cache-errors-scan", ["scan", h, *NOW, "--format", "json"])


# ============================================================================
# 4. output safety
# ============================================================================
EVIL = ["\x1b]0;pwn\x07\x1b[2J", "a\rFAKE", "line\n::warning::planted", "##[error]planted", "\u202egnp.exe", "\u2066x\u2069", "z\u200bw",
        "\x00nul", "\x9b31m", "\u2028ls", "::add-mask::x", "\ufeffbom"]
PAY = ["$(echo>PWNED1)", "`echo>PWNED2`", ";echo>PWNED3;", "|echo>PWNED4", "&&echo>PWNED5", "\necho>PWNED6\n", "'$(echo>PWNED7)'", "x'\"$(echo>PWNED8)\"'"]


def sandbox_commands(text, label):
    """Run each suggested command line (after 'steps now' / backticks / chmod) in a shell with no PATH."""
    cmds = []
    for line in text.splitlines():
        m = re.match(r"\s*\d+\.\s+(.*)$", line)
        if m:
            cmds.append(m.group(1).split("   #")[0])
    cmds += re.findall(r"`([^`]+)`", text)
    cmds += re.findall(r"(chmod 600 .*)$", text, re.M)
    try:
        doc = json.loads(text)
    except Exception:
        doc = None

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in ("steps", "fix", "revoke", "remediation", "command") and isinstance(v, str):
                    cmds.extend(re.findall(r"`([^`]+)`", v) or [v.split("   #")[0]])
                elif k == "steps" and isinstance(v, list):
                    cmds.extend(s.split("   #")[0] for s in v if isinstance(s, str))
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(doc)
    sb = W / f"sandbox-{label}"
    sb.mkdir(exist_ok=True)
    for cmd in cmds:
        if "\x00" in cmd:
            continue
        subprocess.run(["env", "-i", "PATH=/nonexistent", "bash", "-c", "command_not_found_handle(){ :; }\n" + cmd],
                       cwd=sb, capture_output=True, timeout=5)
    made = [p.name for p in sb.iterdir()]
    return f"PWNED:{','.join(made)}" if made else None


def output_safety():
    for i, ev in enumerate(EVIL + PAY):
        evs = ev
        users = [(f"clusterAdmin_rg{evs}_aks{evs}", {"client-certificate-data": b64(pem(cert(cn="masterclient" + evs, org="system:masters", nb=dt.datetime(2020, 1, 1), na=dt.datetime(2030, 1, 1)))),
                                                     "client-key-data": b64(keypem()), "token": "static-token-abcdefghijklmnop"}),
                 (f"clusterUser_rg{evs}_aks{evs}", {"exec": {"command": f"kubelogin{evs}", "args": ["get-token", "--server-id", evs, "--environment", evs]}}),
                 (f"gke_proj{evs}_zone_name{evs}", {"exec": {"command": "gke-gcloud-auth-plugin"}}),
                 (f"eks{evs}", {"exec": {"command": "aws", "args": ["eks", "get-token", "--cluster-name", evs, "--region", evs, "--role-arn", evs]}}),
                 (f"sa{evs}", {"token": jwt({"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": f"ns{evs}",
                                             "kubernetes.io/serviceaccount/secret.name": f"sec{evs}", "kubernetes.io/serviceaccount/service-account.name": f"sa{evs}",
                                             "sub": f"system:serviceaccount:ns{evs}:sa{evs}"})}),
                 (f"bound{evs}", {"token": jwt({"iss": f"https://kubernetes.default.svc{evs}", "exp": 1893456000, "iat": 1767225600, "sub": f"system:serviceaccount:ns{evs}:sa{evs}",
                                                "kubernetes.io": {"namespace": f"ns{evs}", "pod": {"name": f"pod{evs}", "uid": "u"}, "serviceaccount": {"name": f"sa{evs}", "uid": "u"}}})}),
                 (f"oidc{evs}", {"auth-provider": {"name": f"oidc{evs}", "config": {"idp-issuer-url": f"https://idp{evs}/", "refresh-token": "r", "id-token": jwt({"iss": f"https://idp{evs}", "exp": 1893456000})}}}),
                 (f"basic{evs}", {"username": f"user{evs}", "password": "p"}),
                 ("plain", {"tokenFile": f"/nonexistent/tok{evs}", "client-certificate": f"/nonexistent/c{evs}", "client-key": f"/no/k{evs}"})]
        clusters = [{"name": f"cl{evs}", "cluster": {"server": f"https://aks{evs}.hcp.westeurope.azmk8s.io:443", "certificate-authority": f"/no/ca{evs}", "proxy-url": f"http://p{evs}:1"}},
                    {"name": f"gke_proj{evs}_zone_name{evs}", "cluster": {"server": "https://34.1.1.1", "tls-server-name": evs}},
                    {"name": f"eks{evs}", "cluster": {"server": f"https://ABC.gr7.eu-west-1{evs}.eks.amazonaws.com"}}]
        contexts = [{"name": f"ctx{evs}{j}", "context": {"cluster": clusters[j % 3]["name"], "user": u, "namespace": evs}} for j, (u, _) in enumerate(users)]
        d = W / f"out/case{i}"
        d.mkdir(parents=True, exist_ok=True)
        fname = f"kube{evs.replace('/', '_').replace(chr(0), '')}.yaml"
        try:
            p = d / fname
            p.write_text(kubeconfig(users, clusters, contexts))
            os.chmod(p, 0o644)
        except (ValueError, OSError):
            p = d / "kube.yaml"
            p.write_text(kubeconfig(users, clusters, contexts))
        for sub, fmts in [("inspect", ["table", "json"]), ("check", ["table", "json", "sarif", "prometheus"]), ("exposure", ["table", "json"])]:
            for f in fmts:
                extra = ["--policy", "strict"] if sub == "check" else []
                res = run(f"out{i}-{sub}-{f}", [sub, "--kubeconfig", p, *extra, *NOW, "--format", f],
                          checks=[lambda rc, o, e, lab=f"{i}{sub}{f}": sandbox_commands(o, lab)])
        run(f"out{i}-scan", ["scan", d, *NOW], checks=[lambda rc, o, e, lab=f"{i}scan": sandbox_commands(o, lab)])
        run(f"out{i}-scan-sarif", ["scan", d, *NOW, "--format", "sarif"])
        run(f"out{i}-context", ["inspect", "--kubeconfig", p, "--context", f"nope{evs}", *NOW])
        run(f"out{i}-badnow", ["inspect", "--kubeconfig", p, "--now", f"bad{evs}"])
        run(f"out{i}-rule", ["rule", f"KC{evs}"])
        run(f"out{i}-policy-path", ["check", "--kubeconfig", p, "--policy", d / f"pol{evs.replace('/', '_').replace(chr(0), '')}.yaml", *NOW])
        pp = d / "evil-policy.yaml"
        pp.write_text(f"version: 1\nname: {json.dumps(evs)}\nrules:\n  {json.dumps('x' + evs)}: {{}}\n")
        run(f"out{i}-policy-key", ["check", "--kubeconfig", p, "--policy", pp, *NOW])
        pp.write_text(f"version: 1\nsuppressions:\n- rule: '*'\n  reason: {json.dumps(evs)}\n  users: [{json.dumps(evs)}]\n  expires: 2020-01-01\n")
        run(f"out{i}-policy-supp", ["check", "--kubeconfig", p, "--policy", pp, *NOW])
        run(f"out{i}-policy-supp-sarif", ["check", "--kubeconfig", p, "--policy", pp, *NOW, "--format", "sarif"])
        # exposure home with evil names in cache files and file permissions
        h = W / f"out/home{i}"
        shutil.copytree(ROOT / "tests/data/exposure/home-aks", h, dirs_exist_ok=True)
        (h / ".kube/config").write_text(kubeconfig(users, clusters, contexts))
        os.chmod(h / ".kube/config", 0o644)
        try:
            q = h / f".kube/cache/kubelogin/AzurePublicCloud{evs.replace('/', '_').replace(chr(0), '')}.json"
            q.write_text(json.dumps({"access_token": jwt({"upn": f"alice{evs}", "iss": f"https://sts.windows.net/{evs}/", "exp": 1893456000}), "refresh_token": "r", "expires_on": "1893456000"}))
            os.chmod(q, 0o644)
        except (ValueError, OSError):
            pass
        for f in ["table", "json"]:
            run(f"out{i}-home-{f}", ["exposure", "--home", h, *NOW, "--format", f], checks=[lambda rc, o, e, lab=f"{i}home{f}": sandbox_commands(o, lab)])
        # pki with evil file names
        pk = W / f"out/pki{i}"
        (pk / "pki").mkdir(parents=True, exist_ok=True)
        try:
            (pk / f"pki/x{evs.replace('/', '_').replace(chr(0), '')}.crt").write_bytes(pem(cert(cn=f"cn{evs}", nb=dt.datetime(2020, 1, 1), na=dt.datetime(2026, 1, 2))))
        except (ValueError, OSError):
            pass
        (pk / "admin.conf").write_text(kubeconfig(users[:1], clusters, contexts[:1]))
        for f in ["table", "json"]:
            run(f"out{i}-pki-{f}", ["pki", pk, "--kubelet-dir", W / "nonexist", *NOW, "--format", f])


# ============================================================================
# 5. silent misses in scan / exposure
# ============================================================================
def scan_misses():
    r = W / "repo"
    r.mkdir()
    sk = ec.generate_private_key(ec.SECP256R1())
    live = pem(cert(cn="live", org="system:masters", key=sk, nb=dt.datetime(2020, 1, 1), na=dt.datetime(2040, 1, 1)))
    kc = lambda t: f"apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: {t}\n    client-certificate-data: {b64(live)}\n    client-key-data: {b64(keypem(sk))}\nclusters:\n- name: c\n  cluster: {{server: 'https://h'}}\n"
    files = {
        "plain.yaml": kc("plain-token-abcdefghijklmnopqrstuvwxyz"),
        "deep.yaml": kc("deep-token-abcdefghijklmnopqrstuvwxyz") + "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "alias.yaml": kc("alias-token-abcdefghijklmnopqrstuvwxyz") + 'a: &a ["l","l","l","l","l","l","l","l","l"]\n' + "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefghi", "bcdefghij")),
        "dup.yaml": kc("dup-token-abcdefghijklmnopqrstuvwxyz") + "kind: Config\n",
        "big.yaml": kc("big-token-abcdefghijklmnopqrstuvwxyz") + "# " + "x" * (17 * 1024 * 1024) + "\n",
        "bigmid.yaml": "# " + "x" * (9 * 1024 * 1024) + "\n" + kc("bigmid-token-abcdefghijklmnopqrstuvwxyz") + "# " + "x" * (9 * 1024 * 1024) + "\n",
        "nul.yaml": kc("nul-token-abcdefghijklmnopqrstuvwxyz") + "\x00\n",
        "utf16.yaml": None, "utf16bom.yaml": None, "utf8bom.yaml": None,
        "ignored.yaml": kc("ignored-token-abcdefghijklmnopqrstuvwxyz"),
        "sub/dotignore.yaml": kc("dotignore-token-abcdefghijklmnopqrstuvwxyz"),
        "noext": kc("noext-token-abcdefghijklmnopqrstuvwxyz"),
        "config.json": json.dumps({"kind": "Config", "users": [{"name": "u", "user": {"token": "json-token-abcdefghijklmnopqrstuvwxyz"}}], "clusters": []}),
        "secret.yaml": "apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata: {name: s}\ndata:\n  token: " + b64(jwt({"iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:a:b"})) + "\n",
        "secret-kc.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  config: |\n" + "".join("    " + l + "\n" for l in kc("secretkc-token-abcdefghijklmnopqrstuvwxyz").splitlines()),
        "multi.yaml": "---\nkind: ConfigMap\n---\n" + kc("multidoc-token-abcdefghijklmnopqrstuvwxyz") + "---\n{bad: [\n",
        "tabs.yaml": kc("tabs-token-abcdefghijklmnopqrstuvwxyz").replace("  ", "\t", 1),
        "crlf.yaml": kc("crlf-token-abcdefghijklmnopqrstuvwxyz").replace("\n", "\r\n"),
        "cr.yaml": kc("cr-token-abcdefghijklmnopqrstuvwxyz").replace("\n", "\r"),
        "list.json": json.dumps({"kind": "List", "items": [{"kind": "Secret", "type": "kubernetes.io/tls", "data": {"tls.crt": b64(live), "tls.key": b64(keypem(sk))}}]}),
        "helm.yaml": "{{- if .Values.x }}\n" + kc("helm-token-abcdefghijklmnopqrstuvwxyz") + "{{- end }}\n",
        "key.pem": keypem(sk).decode() + live.decode(),
        "deep-users.yaml": "apiVersion: v1\nkind: Config\nusers:\n" + "- name: u\n  user:\n    token: deepusers-token-abcdefghijklmnopqrstuvwxyz\n" * 1 + "x:\n" + "".join("  " * i + "a:\n" for i in range(1, 400)),
        "manyusers.yaml": "apiVersion: v1\nkind: Config\nclusters: []\nusers:\n" + "".join(f"- name: u{i}\n  user: {{token: t{i}}}\n" for i in range(200000)) + "- name: last\n  user:\n    token: last-token-abcdefghijklmnopqrstuvwxyz\n",
    }
    for k, v in files.items():
        if v is not None:
            put(f"repo/{k}", v)
    base = kc("utf16-token-abcdefghijklmnopqrstuvwxyz")
    put("repo/utf16.yaml", base.encode("utf-16-le"))
    put("repo/utf16bom.yaml", b"\xff\xfe" + kc("utf16bom-token-abcdefghijklmnopqrstuvwxyz").encode("utf-16-le"))
    put("repo/utf8bom.yaml", b"\xef\xbb\xbf" + kc("utf8bom-token-abcdefghijklmnopqrstuvwxyz").encode())
    put("repo/.gitignore", "ignored.yaml\n")
    put("repo/sub/.ignore", "*\n")
    put("repo/.ignore", "*\n!.ignore\n")
    put("repo/zz/.gitattributes", "* binary\n")
    subprocess.run(["git", "init", "-q", str(r)], check=True)
    subprocess.run(["git", "-C", str(r), "add", "-f", "."], check=True)
    tokens = [(k, k.split("/")[-1].split(".")[0]) for k in files]
    tokmap = {"plain.yaml": "plain", "deep.yaml": "deep", "alias.yaml": "alias", "dup.yaml": "dup", "big.yaml": "big", "bigmid.yaml": "bigmid",
              "nul.yaml": "nul", "utf16.yaml": "utf16", "utf16bom.yaml": "utf16bom", "utf8bom.yaml": "utf8bom", "ignored.yaml": "ignored",
              "sub/dotignore.yaml": "dotignore", "noext": "noext", "config.json": "config", "secret.yaml": "secret", "secret-kc.yaml": "secret-kc",
              "multi.yaml": "multi", "tabs.yaml": "tabs", "crlf.yaml": "crlf", "cr.yaml": "cr", "list.json": "list", "helm.yaml": "helm",
              "key.pem": "key", "deep-users.yaml": "deep-users", "manyusers.yaml": "manyusers"}

    def checkall(rc, o, e):
        try:
            doc = json.loads(o)
        except Exception:
            return "NOJSON"
        s = json.dumps(doc)
        missing = []
        for f in tokmap:
            # Each planted file must appear with KC501 or KC905.
            hit = False
            for fi in re.finditer(re.escape(f), s):
                window = s[max(0, fi.start() - 2000): fi.end() + 2000]
                if "KC501" in window or "KC905" in window or "credential-in-repository" in window or "credential-unreadable" in window:
                    hit = True
                    break
            if not hit:
                missing.append(f)
        return ("MISS:" + ",".join(missing)) if missing else None
    run("scan-repo-json", ["scan", r, *NOW, "--format", "json"], checks=[checkall])
    o = run("scan-repo-table", ["scan", r, *NOW])
    run("scan-repo-sarif", ["scan", r, *NOW, "--format", "sarif"])
    run("scan-repo-threads1", ["scan", r, *NOW, "--threads", "1", "--format", "json"], checks=[checkall])
    run("scan-repo-maxsize0", ["scan", r, *NOW, "--max-file-size", "0", "--format", "json"], checks=[checkall])
    run("scan-repo-maxsize-huge", ["scan", r, *NOW, "--max-file-size", "18446744073709551615"])
    run("scan-repo-threads-huge", ["scan", r, *NOW, "--threads", "100000"])
    run("scan-repo-threads0", ["scan", r, *NOW, "--threads", "0"])
    # scan with subdir of repo / file path directly
    run("scan-repo-file-direct", ["scan", r / "utf16.yaml", *NOW, "--format", "json"],
        checks=[lambda rc, o, e: None if ("KC501" in o or "KC905" in o) else "MISS:utf16-direct"])
    # exposure: real kubelogin cache among decoys
    h = W / "decoy"
    shutil.copytree(ROOT / "tests/data/exposure/home-aks", h)
    kl = h / ".kube/cache/kubelogin"
    real = next(kl.glob("AzurePublicCloud-*.json"))
    data = real.read_bytes()
    for i in range(3000):
        (kl / f"AzurePublicCloud-decoy{i}.json").write_text("{" + "\"x\":1," * 10 + "\"y\":1}")
    for i in range(50):
        (kl / f"AzurePublicCloud-6dae42f8-{i}.json").write_bytes(data.replace(b"access_token", b"access_tokem"))
    run("exposure-decoys", ["exposure", "--home", h, *NOW], checks=[has("2026-03-31T23:30:00Z", "real-kubelogin-cache")])
    # real cache as a symlink, with BOM, CRLF, huge whitespace
    h2 = W / "decoy2"
    shutil.copytree(ROOT / "tests/data/exposure/home-aks", h2)
    real2 = next((h2 / ".kube/cache/kubelogin").glob("AzurePublicCloud-*.json"))
    real2.write_bytes(b"\xef\xbb\xbf" + data)
    run("exposure-cache-bom", ["exposure", "--home", h2, *NOW], checks=[has("2026-03-31T23:30:00Z", "bom-kubelogin-cache")])
    real2.write_bytes(b" " * (5 * 1024 * 1024) + data)
    run("exposure-cache-ws", ["exposure", "--home", h2, *NOW], checks=[has("2026-03-31T23:30:00Z", "ws-kubelogin-cache")])
    real2.write_bytes(data.decode().encode("utf-16"))
    run("exposure-cache-utf16", ["exposure", "--home", h2, *NOW], checks=[has("2026-03-31T23:30:00Z", "utf16-kubelogin-cache")])


def main():
    os.makedirs(W / "emptyhome", exist_ok=True)
    print(f"kcred: {KCRED}\nwork: {W}\n")
    print(f"{'case':38} {'rc':>3} {'wall':>7} {'rss':>7}  verdict")
    groups = [("caches", caches_extreme), ("dates", dates), ("enc", encodings), ("canary", canaries), ("out", output_safety),
              ("scanmiss", scan_misses), ("special", special_files), ("fan", fanout)]
    only = os.environ.get("ONLY", "")
    for g, f in groups:
        if only and g not in only.split(","):
            continue
        try:
            f()
        except Exception as ex:  # a generator bug must not hide the rest
            import traceback
            traceback.print_exc()
            print(f"GENERATOR ERROR in {g}: {ex}")
    bad = [r for r in RESULTS if r[5] != "ok"]
    print(f"\n{len(RESULTS)} cases, {len(bad)} with a verdict")
    for r in bad:
        print(f"  {r[0]} | {r[1]} | rc={r[2]} wall={r[3]:.2f}s rss={r[4]}MB | {r[5]}")
    if os.environ.get("KEEP"):
        print("kept", W)
    else:
        shutil.rmtree(W, ignore_errors=True)


if __name__ == "__main__":
    main()
