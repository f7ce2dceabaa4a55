//! The core's values: no canary in their `Debug`, `Display` or JSON forms.

use super::*;

#[test]
fn no_canary_in_debug_display_or_json_of_core_values() {
    use kcred_core::{inventory, inventory_json, inventory_table, load_file, DiskFiles, Limits};
    let dir = TempDir::new("canary-debug");
    let canaries = Canaries::new(&dir);
    let now = NOW_AT;
    for path in [&canaries.config, &canaries.broken] {
        let loaded = load_file(path, &Limits::default());
        let inv = inventory(&loaded.config, &DiskFiles::default());
        let problems: Vec<String> = loaded
            .problems
            .iter()
            .chain(&inv.problems)
            .map(|p| format!("{p}\n{p:?}"))
            .collect();
        for (what, text) in [
            ("Debug of Loaded", format!("{loaded:?}")),
            ("Debug of Inventory", format!("{inv:?}")),
            ("Display and Debug of problems", problems.join("\n")),
            (
                "serde JSON of Inventory",
                serde_json::to_string(&inv).unwrap(),
            ),
            ("inventory_json", inventory_json(&inv, now).to_string()),
            (
                "inventory_table",
                inventory_table(&inv, now, true, Some(80)),
            ),
        ] {
            canaries.assert_absent(&format!("{}: {what}", path.display()), &text);
        }
    }
}
