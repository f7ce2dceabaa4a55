//! Shared helpers for the benches live in `benches/core.rs`; this crate only hosts the `kcred-floor` binary and the divan benches.
