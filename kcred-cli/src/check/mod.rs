//! `kcred check`, `kcred rules` and `kcred rule CODE`: arguments in `args`,
//! running in `run` (the same two layers as the rest of the CLI).

pub mod args;
pub mod run;
