//! YAML bombs: an alias bomb and 10,000-deep nesting (YAML and JSON); the other file still loads.

use super::*;

#[test]
fn alias_bomb_is_a_syntax_error_and_the_other_file_loads() {
    let dir = TempDir::new("hostile-bomb");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_owned();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n.to_owned();
    }
    bomb.push_str("users:\n- name: bomber\n  user: {token: x}\n");
    let path = dir.join("bomb.yaml");
    std::fs::write(&path, &bomb).unwrap();
    let (loaded, _) = merged_with_survivor(&path);
    let reason = syntax_reason(only(&loaded.problems), &path);
    // Node budget or alias-expansion limit, whichever trips first.
    assert!(
        ["alias", "limit", "budget"]
            .iter()
            .any(|w| reason.contains(w)),
        "{reason}"
    );
}

#[test]
fn ten_thousand_deep_nesting_is_a_syntax_error_in_yaml_and_json() {
    let dir = TempDir::new("hostile-deep");
    let depth = 10_000;
    let cases = [
        (
            "flow.yaml",
            format!("x: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
        // Block style without quadratic indentation: compact nested sequences.
        ("block.yaml", format!("{}x\n", "- ".repeat(depth))),
        (
            "deep.json",
            format!("{{\"x\": {}{}}}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "maps.json",
            format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let (loaded, _) = merged_with_survivor(&path);
        syntax_reason(only(&loaded.problems), &path);
    }
}
