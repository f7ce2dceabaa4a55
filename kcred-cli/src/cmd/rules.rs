//! `kcred rules` and `kcred rule CODE`: the rule registry, as the core
//! renders it.

use std::io::Write;

use kcred_core::rule;

use super::{exit, policy, write, Failure};
use crate::args::{RuleArgs, RulesArgs};

/// Runs `kcred rules`: the registry, with the settings of a policy when given.
pub fn run(args: &RulesArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    if args.markdown {
        write(out, &kcred_core::rules_markdown())?;
        return Ok(exit::CLEAN);
    }
    let policy = args.policy.as_deref().map(policy).transpose()?;
    write(out, &kcred_core::rules_table(policy.as_ref()))?;
    Ok(exit::CLEAN)
}

/// Runs `kcred rule CODE`: one rule's documentation.
pub fn run_one(args: &RuleArgs, out: &mut dyn Write) -> Result<u8, Failure> {
    let Some(r) = rule(&args.code) else {
        return Err(Failure(format!(
            "no rule {:?} (`kcred rules` lists them)",
            args.code
        )));
    };
    write(out, &r.text())?;
    Ok(exit::CLEAN)
}
