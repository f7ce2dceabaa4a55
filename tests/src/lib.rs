//! Cross-crate tests live in `tests/*.rs`; this library holds what they share
//! with the fuzz targets in `fuzz/`.

pub mod fuzz;
