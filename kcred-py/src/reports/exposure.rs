//! `kcred.exposure`: what someone holding a disk can use, per context, until
//! when — the core calls of `kcred exposure`.

use std::collections::HashMap;
use std::path::PathBuf;

use kcred::ExposureParts;
use kcred_core::{
    evaluate, evaluate_exposure, exposure_json, exposure_table, load_inventory_keeping_config,
    CacheSearch, LifetimeDefaults, Limits, Source,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use serde_json::Value;

use super::{report_class, Report};
use crate::errors::{self, boundary_at};
use crate::json::{text, Many, Plain, Time};
use crate::rbac::Rbac;
use crate::reports::{PyCacheEntry, PyContextExposure, PyFileWarning};

report_class! {
    /// The exposure report (`kcred exposure --format json`): per context, what
    /// can be used until when, the caches found, files others may read, and
    /// with a policy its findings (max-exposure included).
    PyExposure "Exposure", len = "contexts", repr = |this| {
        let n = this.0.count("contexts");
        format!("<Exposure {n} contexts at {}>", text(&this.0.document, "now"))
    }, {
        schema: Plain,
        now: Time,
        contexts: Many<PyContextExposure>,
        caches: Many<PyCacheEntry>,
        file_warnings: Many<PyFileWarning>,
        /// The lifetimes assumed (`name`, `value`, `source`).
        lifetime_defaults: Plain,
        problems: Many<crate::errors::PyProblem>,
        /// The kubeconfig files read.
        files: Plain,
    }
}

/// `$KUBECONFIG`, `$KUBECACHEDIR` and the home folder, from `os.environ`.
fn kube_env(py: Python<'_>) -> PyResult<(Source, Option<PathBuf>, Option<PathBuf>)> {
    let (kubeconfig, home) = crate::environment(py)?;
    let cache: Option<String> = py
        .import("os")?
        .getattr("environ")?
        .call_method1("get", ("KUBECACHEDIR",))?
        .extract()?;
    let cache = cache.filter(|c| !c.is_empty()).map(PathBuf::from);
    let source = Source::Environment {
        kubeconfig,
        home: home.clone(),
    };
    Ok((source, home, cache))
}

/// The exposure of the kubeconfigs at `paths` (default: `home`'s
/// `.kube/config` with `home`, else what kubectl would read) with the token
/// caches beside them (`home`'s, `cache_dir`), at `now`. `lifetimes` overrides
/// assumed lifetimes (`{"entra-refresh-token": "30d"}`); `rbac`/`oidc` give
/// each credential its rights, as for `load`; `policy` (a `Policy`, preset or
/// file) adds the findings of `kcred exposure --policy`.
#[pyfunction]
#[pyo3(signature = (paths=None, *, home=None, cache_dir=None, lifetimes=None, now=None, rbac=None, oidc=None, policy=None))]
#[allow(clippy::too_many_arguments)]
pub fn exposure(
    py: Python<'_>,
    paths: Option<&Bound<'_, PyAny>>,
    home: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    lifetimes: Option<HashMap<String, String>>,
    now: Option<&Bound<'_, PyAny>>,
    rbac: Option<&Bound<'_, PyAny>>,
    oidc: Option<HashMap<String, Option<String>>>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyExposure> {
    boundary_at(py, now, |now| {
        let rbac = Rbac::from_args(rbac, oidc)?;
        let policy = policy
            .map(|p| crate::policy::resolve(py, Some(p)))
            .transpose()?;
        let mut defaults = LifetimeDefaults::default();
        for (name, value) in lifetimes.unwrap_or_default() {
            defaults
                .set(name.trim(), &value)
                .map_err(|e| PyValueError::new_err(format!("lifetimes: {e}")))?;
        }
        let (env_source, env_home, env_cache) = kube_env(py)?;
        let source = match (paths, &home) {
            (Some(p), _) => Source::Paths(crate::convert::paths(p)?),
            (None, Some(h)) => Source::Paths(vec![h.join(".kube").join("config")]),
            (None, None) => env_source,
        };
        // An investigator's `home` must not pick up the investigator's own cache dir.
        let cache_dir = cache_dir.or(if home.is_some() { None } else { env_cache });
        let home = home.or(env_home);
        let limits = Limits::default();
        let (loaded, config) = py
            .detach(|| load_inventory_keeping_config(&source, &limits))
            .map_err(|e| errors::to_py(py, &e))?;
        let mut inv = loaded.inventory;
        rbac.attach(py, &mut inv)?;
        let files = loaded.files;
        py.detach(move || {
            let search = CacheSearch {
                home: home.as_deref(),
                kube_cache_dir: cache_dir.as_deref(),
                kubeconfig_files: &files,
            };
            // The policy's rules over the kubeconfigs, then max-exposure over the windows.
            let mut findings = policy.as_ref().map(|p| evaluate(&inv, p, now));
            let parts = ExposureParts::compute(inv, &config, &search, &defaults, now, &limits);
            let report = parts.report(&defaults, now);
            if let (Some(findings), Some(policy)) = (&mut findings, &policy) {
                findings.extend(evaluate_exposure(&parts.contexts, policy, now));
            }
            let mut document = exposure_json(&report);
            document["files"] = serde_json::to_value(&files).unwrap_or(Value::Null);
            let findings = findings.zip(policy.as_ref());
            Ok(PyExposure(Report::new(
                document,
                exposure_table(&report),
                findings,
                now,
            )))
        })
    })
}
