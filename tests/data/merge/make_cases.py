#!/usr/bin/env python3
"""Writes the KUBECONFIG merge/resolve fixtures under tests/data/merge/<case>/.

Each case folder holds kubeconfig files and a case.json:
  kubeconfig   list of KUBECONFIG entries relative to the case folder ("" = empty entry),
               or null for "unset" (then `home` must name a folder with .kube/config)
  home         optional folder used as HOME (default: an empty temporary folder)
  kubectl      "ok" or "error": what `kubectl config view` does with this list
  problems     the Error kinds kcred must report, in order
  compare_with optional KUBECONFIG list for the kubectl run kcred is compared with
               (when kubectl refuses the original list)
  flatten      true: also check resolved paths against `kubectl config view --flatten`
Rerun: python3 tests/data/merge/make_cases.py (it rewrites every case folder).
"""
import base64
import json
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))


def b64(s):
    return base64.b64encode(s.encode()).decode()


CASES = {}


def case(name, files, kubeconfig, kubectl="ok", problems=(), compare_with=None,
         flatten=False, home=None, symlinks=None, description=""):
    CASES[name] = dict(files=files, symlinks=symlinks or {}, meta=dict(
        description=description, kubeconfig=kubeconfig, home=home, kubectl=kubectl,
        problems=list(problems), compare_with=compare_with, flatten=flatten))


def cfg(clusters="", users="", contexts="", current=None, extra=""):
    out = "apiVersion: v1\nkind: Config\n"
    out += "clusters:\n" + clusters if clusters else ""
    out += "users:\n" + users if users else ""
    out += "contexts:\n" + contexts if contexts else ""
    if current is not None:
        out += f"current-context: {json.dumps(current)}\n"
    return out + extra


def cluster(name, server, more=""):
    return f"- name: {name}\n  cluster:\n    server: {server}\n{more}"


def user(name, body):
    return f"- name: {name}\n  user:\n{body}"


def context(name, c, u, ns=None):
    s = f"- name: {name}\n  context:\n    cluster: {c}\n    user: {u}\n"
    return s + (f"    namespace: {ns}\n" if ns else "")


CA1 = b64("ca-one")
CA2 = b64("ca-two")

case("single-file",
     {"config": cfg(cluster("prod", "https://prod:6443", f"    certificate-authority-data: {CA1}\n"),
                    user("admin", "    token: tok-admin\n"),
                    context("prod-admin", "prod", "admin", "kube-system"), "prod-admin")},
     ["config"], description="one complete file")

case("two-files-disjoint",
     {"a.yaml": cfg(cluster("a", "https://a"), user("ua", "    username: ua\n    password: pa\n"),
                    context("ca", "a", "ua"), "ca"),
      "b.yaml": cfg(cluster("b", "https://b"), user("ub", "    token: tb\n"), context("cb", "b", "ub"), "cb")},
     ["a.yaml", "b.yaml"], description="names from both files, current-context from the first")

case("cluster-name-collision",
     {"a.yaml": cfg(cluster("shared", "https://from-a")),
      "b.yaml": cfg(cluster("shared", "https://from-b",
                            f"    certificate-authority-data: {CA2}\n    insecure-skip-tls-verify: true\n    proxy-url: http://proxy:3128\n"))},
     ["a.yaml", "b.yaml"], description="first file wins with the whole entry: no field merge")

case("user-name-collision",
     {"a.yaml": cfg(users=user("me", "    token: from-a\n")),
      "b.yaml": cfg(users=user("me", "    client-certificate-data: " + b64("cert") + "\n    client-key-data: " + b64("key") + "\n    token: from-b\n    username: bob\n"))},
     ["a.yaml", "b.yaml"], description="first user wins whole")

case("context-name-collision",
     {"a.yaml": cfg(contexts=context("dev", "c-a", "u-a")),
      "b.yaml": cfg(contexts=context("dev", "c-b", "u-b", "ns-b") + context("other", "c-b", "u-b"))},
     ["a.yaml", "b.yaml"], description="first context wins whole (no namespace from b)")

case("current-context-first-non-empty",
     {"a.yaml": cfg(users=user("a", "    token: a\n"), current=""),
      "b.yaml": cfg(users=user("b", "    token: b\n"), current="ctx-b"),
      "c.yaml": cfg(users=user("c", "    token: c\n"), current="ctx-c")},
     ["a.yaml", "b.yaml", "c.yaml"], description="an empty current-context does not win")

case("current-context-later-file-loses",
     {"a.yaml": cfg(current="ctx-a"), "b.yaml": cfg(current="ctx-b")},
     ["b.yaml", "a.yaml"], description="order of KUBECONFIG decides")

case("empty-entries-and-duplicates",
     {"a.yaml": cfg(users=user("u", "    token: a\n"), current="from-a"),
      "b.yaml": cfg(users=user("u", "    token: b\n") + user("v", "    token: v\n"), current="from-b")},
     ["", "a.yaml", "", "b.yaml", "a.yaml", ""], description="empty KUBECONFIG entries and repeats")

case("missing-files-skipped",
     {"a.yaml": cfg(users=user("u", "    token: a\n")),
      "b.yaml": cfg(users=user("v", "    token: b\n"), current="x")},
     ["nope-1.yaml", "a.yaml", "sub/nope-2.yaml", "b.yaml"], description="missing files are skipped silently")

def beside(folder, c, server, u, texts):
    """`folder`/config with cluster `c` and user `u`, whose CA, certificate and key
    are the files ca.crt, `u`.crt and `u`.key beside it, and those files (`texts`)."""
    ca, cert, key = texts
    return {
        f"{folder}/config": cfg(cluster(c, server, "    certificate-authority: ca.crt\n"),
                                user(u, f"    client-certificate: {u}.crt\n    client-key: {u}.key\n")),
        f"{folder}/ca.crt": ca + "\n", f"{folder}/{u}.crt": cert + "\n", f"{folder}/{u}.key": key + "\n",
    }


case("all-files-missing", {"README": "no kubeconfig here\n"},
     ["nope-1.yaml", "nope-2.yaml"], problems=["no-kubeconfig"],
     description="kubectl shows an empty config; kcred says no kubeconfig was found")

case("relative-paths-in-subfolders",
     {"team/config": cfg(cluster("c1", "https://c1", "    certificate-authority: certs/ca.crt\n"),
                         user("u1", "    client-certificate: ./certs/../certs/u1.crt\n    client-key: ../shared/u1.key\n")),
      "team/certs/ca.crt": "team-ca\n", "team/certs/u1.crt": "team-u1-cert\n",
      "shared/u1.key": "shared-u1-key\n",
      **beside("ops/deep", "c2", "https://c2", "u2", ("ops-ca", "ops-u2-cert", "ops-u2-key"))},
     ["team/config", "ops/deep/config"], flatten=True,
     description="each entry resolves against the folder of its own file")

case("relative-path-name-collision",
     {**beside("one", "c", "https://same", "u", ("ca-of-one", "cert-of-one", "key-of-one")),
      **beside("two", "c", "https://same", "u", ("ca-of-two", "cert-of-two", "key-of-two"))},
     ["two/config", "one/config"], flatten=True,
     description="identical entries: only the origin folder tells which file won")

case("absolute-and-empty-paths",
     {"config": cfg(cluster("abs", "https://abs", "    certificate-authority: /etc/kcred-test/ca.crt\n")
                    + cluster("empty", "https://empty", "    certificate-authority: \"\"\n"),
                    user("abs", "    client-certificate: /etc/kcred-test/u.crt\n    client-key: /etc/kcred-test/u.key\n    tokenFile: /var/run/token\n")
                    + user("empty", "    client-certificate: \"\"\n    tokenFile: \"\"\n"))},
     ["config"], description="absolute and empty paths are left as written")

case("exec-commands",
     {"sub/config": cfg(users=
         user("dot-slash", "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ./bin/plugin\n")
         + user("relative-slash", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: bin/plugin\n      interactiveMode: Never\n")
         + user("parent", "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: ../tools/plugin\n")
         + user("on-path", "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: kubelogin\n      args: [get-token, --login, devicecode]\n")
         + user("absolute", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /usr/local/bin/aws\n      interactiveMode: IfAvailable\n      provideClusterInfo: true\n"))},
     ["sub/config"], description="exec command resolved only when it contains a slash")

case("exec-env-args-hint",
     {"config": cfg(users=user("e", "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: gke-gcloud-auth-plugin\n      args: [--a, b]\n      env:\n      - name: CLIENT_SECRET\n        value: s3cr3t\n      - name: EMPTY\n        value: \"\"\n      installHint: install it\n      interactiveMode: Always\n"))},
     ["config"], description="exec env values are secrets; args and installHint kept")

case("token-file",
     {"sub/dir/config": cfg(users=user("tf", "    tokenFile: secrets/token\n") + user("tf2", "    tokenFile: ../../token\n    token: also-inline\n")),
      "sub/dir/secrets/token": "file-token\n"},
     ["sub/dir/config"], description="tokenFile resolved against the file's folder")

case("auth-provider",
     {"config": cfg(users=user("oidc", "    auth-provider:\n      name: oidc\n      config:\n        idp-issuer-url: https://issuer\n        client-id: kube\n        client-secret: cs\n        id-token: idt\n        refresh-token: rt\n        idp-certificate-authority: rel/ca.pem\n")
                    + user("gcp", "    auth-provider:\n      name: gcp\n      config:\n        access-token: at\n        cmd-path: gcloud\n        expiry: \"2030-01-01T00:00:00Z\"\n"))},
     ["config"], description="auth-provider paths are not resolved; config values are secrets")

case("json-file-merged",
     {"a.json": json.dumps({"apiVersion": "v1", "kind": "Config",
                            "clusters": [{"name": "j", "cluster": {"server": "https://json", "certificate-authority": "ca.pem"}}],
                            "users": [{"name": "shared", "user": {"token": "from-json"}}],
                            "contexts": [{"name": "jc", "context": {"cluster": "j", "user": "shared"}}],
                            "current-context": "jc"}, indent=2),
      "b.yaml": cfg(cluster("yml", "https://yaml"), user("shared", "    username: from-yaml\n"), current="yc")},
     ["a.json", "b.yaml"], description="a JSON kubeconfig merged before a YAML one")

case("utf8-bom",
     {"bom.yaml": "\ufeff" + cfg(cluster("bom", "https://bom"), user("bom", "    token: t\n"), current="bom-ctx"),
      "plain.yaml": cfg(cluster("plain", "https://plain"))},
     ["bom.yaml", "plain.yaml"], description="UTF-8 with a byte-order mark")

case("utf16-bom",
     {"le.yaml": b"\xff\xfe" + cfg(users=user("le", "    username: le\n"), current="le").encode("utf-16-le"),
      "be.yaml": b"\xfe\xff" + cfg(users=user("be", "    username: be\n")).encode("utf-16-be")},
     ["le.yaml", "be.yaml"], description="UTF-16 with byte-order marks, both endians")

case("null-and-empty-lists",
     {"a.yaml": "apiVersion: v1\nkind: Config\nclusters: null\nusers:\ncontexts: []\npreferences: {}\ncurrent-context: \"\"\n",
      "b.yaml": cfg(users=user("u", "    token: t\n"))},
     ["a.yaml", "b.yaml"], description="users: null, empty values and []")

case("crlf-line-endings",
     {"win.yaml": cfg(cluster("win", "https://win", f"    certificate-authority-data: {CA1}\n"),
                      user("win", "    token: t\n"), context("win", "win", "win"), "win").replace("\n", "\r\n")},
     ["win.yaml"], description="Windows line endings")

case("empty-and-blank-files",
     {"empty.yaml": "", "blank.yaml": "  \n\n   \n", "comment.yaml": "# just a comment\n",
      "real.yaml": cfg(users=user("u", "    token: t\n"), current="c")},
     ["empty.yaml", "blank.yaml", "comment.yaml", "real.yaml"], description="empty files are empty configs")

case("blank-file-with-tab",
     {"tab.yaml": " \t\n\n", "real.yaml": cfg(users=user("u", "    token: t\n"))},
     ["tab.yaml", "real.yaml"], kubectl="error", compare_with=["real.yaml"],
     description="kubectl's YAML scanner refuses a tab-only line; kcred reads blank input as empty (deliberate)")

case("extensions",
     {"a.yaml": cfg(cluster("c", "https://c", "    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension:\n        audience: x\n"),
                    contexts=context("k", "c", "u"),
                    extra="extensions:\n- name: ext-a\n  extension:\n    k: from-a\n- name: shared\n  extension:\n    who: a\n"),
      "b.yaml": cfg(users=user("u", "    token: t\n    extensions:\n    - name: u-ext\n      extension: {num: 1}\n"),
                    extra="extensions:\n- name: shared\n  extension:\n    who: b\n- name: ext-b\n  extension: [1, 2]\n")},
     ["a.yaml", "b.yaml"], description="top-level extensions merge by name, first wins")

case("unknown-keys",
     {"config": "apiVersion: v1\nkind: Config\nmystery: 1\nclusters:\n- name: c\n  cluster:\n    server: https://c\n    weird: [1]\n  also: x\n"
                "users:\n- name: u\n  user:\n    token: t\n    color: blue\ncontexts:\n- name: k\n  context:\n    cluster: c\n    user: u\n    note: hi\n"},
     ["config"], description="unknown keys: kubectl drops them, kcred keeps them in `other`")

case("preferences",
     {"a.yaml": cfg(users=user("u", "    token: t\n"), extra="preferences:\n  colors: false\n  extensions:\n  - name: p1\n    extension: {x: 1}\n"),
      "b.yaml": cfg(extra="preferences:\n  colors: true\n  extensions:\n  - name: p1\n    extension: {x: 2}\n  - name: p2\n    extension: {z: 2}\n")},
     ["a.yaml", "b.yaml"], description="preferences merge key by key, like client-go's mergo pass")

case("home-default",
     {"home/.kube/config": cfg(cluster("home", "https://home", "    certificate-authority: ca.crt\n"), current="h"),
      "home/.kube/ca.crt": "home-ca\n"},
     None, home="home", flatten=True, description="KUBECONFIG unset: $HOME/.kube/config")

case("impersonation-and-basic-auth",
     {"config": cfg(users=user("imp", "    token: t\n    as: alice\n    as-uid: \"42\"\n    as-groups: [devs, ops]\n    as-user-extra:\n      scopes: [a, b]\n")
                    + user("basic", "    username: bob\n    password: hunter2\n"))},
     ["config"], description="impersonation fields and basic auth")

case("cluster-fields",
     {"config": cfg(cluster("full", "https://full:443", f"    certificate-authority-data: {CA2}\n    tls-server-name: api.internal\n    proxy-url: socks5://p:1080\n    disable-compression: true\n    insecure-skip-tls-verify: true\n"))},
     ["config"], description="every cluster field")

case("symlinked-config",
     {"real/config": cfg(cluster("s", "https://s", "    certificate-authority: ca.crt\n")),
      "real/ca.crt": "ca-beside-the-target\n",
      "link/ca.crt": "ca-beside-the-link\n"},
     ["link/config"], flatten=True, symlinks={"link/config": "../real/config"},
     description="relative paths resolve against the link's folder, as client-go does")

case("duplicate-name-in-file",
     {"a.yaml": cfg(users=user("dup", "    token: first\n") + user("dup", "    token: second\n") + user("ok", "    token: ok\n"),
                    current="kept"),
      "a-fixed.yaml": cfg(users=user("dup", "    token: first\n") + user("ok", "    token: ok\n"), current="kept"),
      "b.yaml": cfg(users=user("b", "    token: b\n"))},
     ["a.yaml", "b.yaml"], kubectl="error", problems=["duplicate-name"],
     compare_with=["a-fixed.yaml", "b.yaml"],
     description="kubectl refuses the file; kcred keeps the first entry and the rest")

case("duplicate-cluster-and-context",
     {"a.yaml": cfg(cluster("c", "https://one") + cluster("c", "https://two"),
                    contexts=context("k", "c", "u") + context("k", "c", "v")),
      "a-fixed.yaml": cfg(cluster("c", "https://one"), contexts=context("k", "c", "u"))},
     ["a.yaml"], kubectl="error", problems=["duplicate-name", "duplicate-name"],
     compare_with=["a-fixed.yaml"], description="duplicates in two lists")

case("unparsable-file",
     {"bad.yaml": "users:\n- name: u\n  user: [\n", "good.yaml": cfg(users=user("g", "    token: g\n"), current="g")},
     ["bad.yaml", "good.yaml"], kubectl="error", problems=["syntax"], compare_with=["good.yaml"],
     description="kubectl stops; kcred reports and loads the rest")

case("duplicate-yaml-key",
     {"dup.yaml": "users:\n- name: u\n  user:\n    token: a\n    token: b\n", "good.yaml": cfg(users=user("g", "    token: g\n"))},
     ["dup.yaml", "good.yaml"], kubectl="ok", problems=["syntax"], compare_with=["good.yaml"],
     description="kubectl takes the last duplicate key; kcred refuses the file (deliberate)")

case("multi-document",
     {"config": cfg(cluster("c", "https://one"), user("u", "    token: first\n"),
                    context("k", "c", "u", ns="team"), current="k")
      + "---\n" + cfg(users=user("later", "    token: later\n"), current="other")
      + "---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"},
     ["config"], problems=["not-as-written"],
     description="client-go reads the first YAML document; kcred does too and says the rest was ignored")

case("current-context-names-nothing",
     {"config": cfg(cluster("c", "https://one"), user("u", "    token: t\n"),
                    context("k", "c", "u") + context("j", "c", "u", ns="ns-j"), current="gone")},
     ["config"],
     description="current-context as written; the inventory also reports it names no context")


def main():
    for entry in os.listdir(ROOT):
        if os.path.isdir(os.path.join(ROOT, entry)):
            shutil.rmtree(os.path.join(ROOT, entry))
    for name, c in CASES.items():
        base = os.path.join(ROOT, name)
        os.makedirs(base)
        for rel, content in c["files"].items():
            path = os.path.join(base, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode()
            with open(path, "wb") as f:
                f.write(data)
        for rel, target in c["symlinks"].items():
            path = os.path.join(base, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink(target, path)
        meta = {k: v for k, v in c["meta"].items() if v not in (None, False) or k == "kubeconfig"}
        with open(os.path.join(base, "case.json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
    print(f"{len(CASES)} cases")


if __name__ == "__main__":
    main()
