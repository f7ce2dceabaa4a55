//! Cross-crate tests live in `tests/*.rs`; this library holds what they share
//! with each other and with the CLI's tests ([`support`]) and with the fuzz
//! targets in `fuzz/` ([`fuzz`]).

pub mod fuzz;
pub mod support;
