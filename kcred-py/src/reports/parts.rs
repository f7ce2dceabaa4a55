//! The parts of the reports' documents, one class each: read from the JSON
//! value the core wrote (see [`crate::json`]).

use pyo3::prelude::*;

use crate::errors::PyProblem;
use crate::json::{core, json_part, text, FromJson, Many, One, Plain, Time};
use crate::types::{PyLocation, PyToken};

impl FromJson for PyLocation {
    fn from_json(value: &serde_json::Value) -> PyResult<Self> {
        core(value).map(PyLocation)
    }
}

impl FromJson for PyProblem {
    fn from_json(value: &serde_json::Value) -> PyResult<Self> {
        core(value).map(PyProblem)
    }
}

impl FromJson for PyToken {
    fn from_json(value: &serde_json::Value) -> PyResult<Self> {
        core(value).map(PyToken)
    }
}

json_part! {
    /// Until when a credential (or a context) can be used.
    PyUntil "Until", repr = |this| format!("<Until {}>", text(&this.0, "state")), {
        /// `at`, `never`, `unknown`, `expired` or `not-usable`.
        state: Plain,
        /// The last instant (`at`), or when it stopped (`expired`).
        at: Time,
        /// A lower bound of an `unknown` end, when one is known.
        at_least: Time,
    }
}

json_part! {
    /// One credential someone holding the disk can use for a context.
    PyExposedCredential "ExposedCredential", repr = |this| {
        format!("<ExposedCredential {:?}>", text(&this.0, "what"))
    }, {
        /// What it is, like `client certificate CN=... O=system:masters`.
        what: Plain,
        /// `kubeconfig`, or the cache kind that holds it.
        source: Plain,
        location: One<PyLocation>,
        until: One<PyUntil>,
        /// When the short-lived part stops, if it differs from `until`.
        access_token_until: Time,
        /// Each use can extend the window (a refresh token replaced when used).
        renewable: Plain,
        /// Whether and how it can be revoked (a dict with its `class`).
        revocability: Plain,
        /// How to revoke it on this platform.
        revoke: Plain,
    }
}

json_part! {
    /// The exposure of one context: every usable credential and until when.
    PyContextExposure "ContextExposure", repr = |this| {
        format!(
            "<ContextExposure {:?} until={:?}>",
            text(&this.0, "context"),
            text(&this.0, "until_text")
        )
    }, {
        context: Plain,
        user: Plain,
        cluster: Plain,
        platform: Plain,
        credentials: Many<PyExposedCredential>,
        /// The latest moment any usable credential still works.
        until: One<PyUntil>,
        until_text: Plain,
        /// Some usable credential cannot be revoked before it expires.
        irrevocable: Plain,
        /// Some usable credential is a client certificate in `system:masters`.
        system_masters: Plain,
        /// What to do now, in order.
        steps: Plain,
    }
}

json_part! {
    /// A token cache file found beside the kubeconfigs.
    PyCacheEntry "CacheEntry", repr = |this| {
        format!("<CacheEntry {} at {:?}>", text(&this.0, "kind"), text(&this.0["location"], "file"))
    }, {
        /// Which tool wrote it.
        kind: Plain,
        location: One<PyLocation>,
        /// What ties it to a kubeconfig user.
        key: Plain,
        /// The cached token, decoded (claims unverified; no token bytes).
        token: One<PyToken>,
        expires_at: Time,
        issued_at: Time,
        has_refresh_token: Plain,
        has_long_term_key: Plain,
        tokens_in_secret_store: Plain,
        /// Path, permission bits and modification time.
        file: Plain,
        /// The kubeconfig users it serves.
        users: Plain,
    }
}

json_part! {
    /// A file that group or others may read.
    PyFileWarning "FileWarning", repr = |this| {
        format!("<FileWarning {} {:?}>", text(&this.0, "mode"), text(&this.0, "path"))
    }, {
        path: Plain,
        /// Permission bits as octal text (`0644`).
        mode: Plain,
        /// The command that fixes it.
        fix: Plain,
    }
}

json_part! {
    /// A credential a scan found, as in the scan document.
    PyScanCredential "ScanCredential", repr = |this| {
        format!(
            "<ScanCredential {} user={:?} at={:?}>",
            text(&this.0, "kind"),
            text(&this.0, "user"),
            text(&this.0["location"], "file")
        )
    }, {
        user: Plain,
        kind: Plain,
        identity: Plain,
        platform: Plain,
        location: One<PyLocation>,
        contexts: Plain,
        clusters: Plain,
        /// `valid`, `expired`... at the scan's instant.
        status: Plain,
        not_before: Time,
        not_after: Time,
        never_expires: Plain,
        lifetime_seconds: Plain,
        remaining_seconds: Plain,
        /// Every decoded fact (as `Credential.details`).
        details: Plain,
        /// What it may do by the `rbac=` snapshots (`None` without them or
        /// when its identity is not known), as `Credential.privileges`.
        privileges: One<crate::rbac::PyPrivileges>,
    }
}

json_part! {
    /// A file a scan did not read, and why.
    PySkipped "Skipped", repr = |this| {
        format!("<Skipped {:?} {}>", text(&this.0, "file"), text(&this.0, "reason"))
    }, {
        file: Plain,
        /// `binary`, `too-large`, `not-regular-file`, `unreadable`...
        reason: Plain,
    }
}

json_part! {
    /// Something that looks like a credential but could not be read (KC905).
    PyUnreadable "Unreadable", repr = |this| {
        format!("<Unreadable {:?}>", text(&this.0, "looks_like"))
    }, {
        location: One<PyLocation>,
        looks_like: Plain,
        reason: Plain,
    }
}

json_part! {
    /// A row of `kcred pki` (kubeadm's `certs check-expiration` fields).
    PyPkiEntry "PkiEntry", repr = |this| {
        format!("<PkiEntry {} expires={:?}>", text(&this.0, "name"), text(&this.0, "expirationDate"))
    }, {
        name: Plain,
        expiration_date = "expirationDate": Time,
        /// Seconds left (negative once expired; 0 when missing).
        residual_time = "residualTime": Plain,
        /// The CA that signs it (`None` for CAs).
        ca_name = "caName": Plain,
        externally_managed = "externallyManaged": Plain,
        missing: Plain,
        file: Plain,
        listed_by_kubeadm = "listedByKubeadm": Plain,
        subject: Plain,
    }
}
