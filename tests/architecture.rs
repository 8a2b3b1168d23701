//! The module map of ARCHITECTURE.md, enforced (in the manner of rust-analyzer's tidy tests):
//! every `crate::<module>` path in `src/<module>/` must be an edge that the dependency table
//! allows, every top-level module must have a row, and the table must stay acyclic.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The table under "## Dependency table": `| \`module\` | \`a\`, \`b\` | … |`, its second column
/// the modules it may use.
fn allowed_edges() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string("ARCHITECTURE.md").expect("ARCHITECTURE.md");
    let section = text
        .split("\n## Dependency table")
        .nth(1)
        .expect("ARCHITECTURE.md has a section \"## Dependency table\"");
    let section = section.split("\n## ").next().unwrap_or(section);
    let mut table = BTreeMap::new();
    for line in section.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let module = cells[1].trim_matches('`').to_string();
        let deps: BTreeSet<String> = cells[2]
            .split(',')
            .map(|d| d.trim().trim_matches('`').to_string())
            .filter(|d| !d.is_empty() && d != "—")
            .collect();
        assert!(
            table.insert(module.clone(), deps).is_none(),
            "{module} has two rows in the dependency table"
        );
    }
    assert!(!table.is_empty(), "the dependency table has no rows");
    table
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/http/geo.rs` -> `http`).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// The source without comments, lines kept (so that positions still name their line).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first path segment of every item of a `{…}` group that starts at `group` (just after
/// the `{`), however many lines it spans; nested groups belong to their item.
fn group_items(group: &str) -> Vec<(usize, String)> {
    let mut items = Vec::new();
    let (mut depth, mut item, mut start) = (0usize, String::new(), 0usize);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push((start, std::mem::take(&mut item)));
                start = at + 1;
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    items.push((start, item));
    items
        .into_iter()
        .filter_map(|(at, item)| {
            let trimmed = item.trim_start();
            let at = at + (item.len() - trimmed.len());
            let name: String = trimmed
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some((at, name))
        })
        .collect()
}

/// Every `<prefix>name` in the source (e.g. `crate::model`, `super::steps`), with the line it
/// is on; `<prefix>{a::X, b}` groups count each item, also across lines. Comments are skipped.
fn paths_after(text: &str, prefix: &str) -> Vec<(usize, String)> {
    let code = without_comments(text);
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(prefix) {
        let at = from + found;
        // `crate::` inside another word (`mycrate::`) is not a crate path.
        let boundary = code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        let after = at + prefix.len();
        if boundary {
            let rest = &code[after..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((line_of(at), name));
            } else if let Some(group) = rest.strip_prefix('{') {
                for (offset, name) in group_items(group) {
                    out.push((line_of(after + 1 + offset), name));
                }
            }
        }
        from = after;
    }
    out
}

/// Every `crate::name` in the file, with the line it is on.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    paths_after(text, "crate::")
}

/// (module, used module) -> the first place it happens.
fn actual_edges() -> BTreeMap<(String, String), String> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut edges = BTreeMap::new();
    for file in files {
        let Some(module) = module_of(&file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (line, used) in crate_paths(&text) {
            if used != module {
                edges
                    .entry((module.clone(), used))
                    .or_insert_with(|| format!("{}:{line}", file.display()));
            }
        }
    }
    edges
}

#[test]
fn every_use_is_an_edge_the_table_allows() {
    let table = allowed_edges();
    let mut wrong = Vec::new();
    for ((from, to), place) in actual_edges() {
        match table.get(&from) {
            None => wrong.push(format!("{place}: module `{from}` has no row in the table")),
            Some(deps) if !deps.contains(&to) => wrong.push(format!(
                "{place}: `{from}` uses `{to}`, which the dependency table of ARCHITECTURE.md does not allow"
            )),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn every_allowed_edge_is_used() {
    let used: BTreeSet<(String, String)> = actual_edges().into_keys().collect();
    let unused: Vec<String> = allowed_edges()
        .into_iter()
        .flat_map(|(from, deps)| deps.into_iter().map(move |to| (from.clone(), to)))
        .filter(|edge| !used.contains(edge))
        .map(|(from, to)| format!("`{from}` may use `{to}` but does not: drop it from the table"))
        .collect();
    assert!(unused.is_empty(), "\n{}", unused.join("\n"));
}

/// The files of one module that use each other: `a.rs` -> `b.rs` when `a.rs` names
/// `super::b` or `crate::<module>::b`. `mod.rs` is left out (it declares and re-exports its
/// children; they may use what it defines).
fn file_edges() -> BTreeMap<String, BTreeMap<String, String>> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let stem = |p: &Path| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string()
    };
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in &files {
        let (Some(dir), Some(module)) = (file.parent(), module_of(file)) else {
            continue;
        };
        if dir == Path::new("src") || stem(file) == "mod" {
            continue;
        }
        let siblings: BTreeSet<String> = files
            .iter()
            .filter(|f| f.parent() == Some(dir) && stem(f) != "mod")
            .map(|f| stem(f))
            .collect();
        let text = std::fs::read_to_string(file).expect("readable source");
        let mut used = paths_after(&text, "super::");
        used.extend(paths_after(&text, &format!("crate::{module}::")));
        for (line, name) in used {
            if siblings.contains(&name) && name != stem(file) {
                edges
                    .entry(file.display().to_string())
                    .or_default()
                    .entry(dir.join(format!("{name}.rs")).display().to_string())
                    .or_insert_with(|| format!("{}:{line}", file.display()));
            }
        }
    }
    edges
}

#[test]
fn no_two_files_of_a_module_use_each_other() {
    let edges = file_edges();
    // A file is on a cycle when it can reach itself; report each cycle's first edge.
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_string()];
        while let Some(f) = todo.pop() {
            if f == to {
                return true;
            }
            if seen.insert(f.clone()) {
                todo.extend(edges.get(&f).into_iter().flat_map(|e| e.keys().cloned()));
            }
        }
        false
    };
    let mut cycles = Vec::new();
    for (from, targets) in &edges {
        for (to, place) in targets {
            if reaches(to, from) {
                cycles.push(format!("{place}: {from} uses {to}, which leads back to it"));
            }
        }
    }
    assert!(cycles.is_empty(), "\n{}", cycles.join("\n"));
}

#[test]
fn every_module_has_a_row_and_every_row_a_module() {
    let table = allowed_edges();
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
    let rows: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(
        modules, rows,
        "modules of src/ vs rows of the dependency table"
    );
    for (module, deps) in &table {
        for d in deps {
            assert!(
                rows.contains(d),
                "`{module}` may use `{d}`, which is no module"
            );
        }
    }
}

#[test]
fn the_table_has_no_cycle() {
    let table = allowed_edges();
    // Kahn's algorithm: a module is placed once everything it may use is placed.
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    loop {
        let next: Vec<&str> = table
            .iter()
            .filter(|(m, deps)| {
                !placed.contains(m.as_str()) && deps.iter().all(|d| placed.contains(d.as_str()))
            })
            .map(|(m, _)| m.as_str())
            .collect();
        if next.is_empty() {
            break;
        }
        placed.extend(next);
    }
    let left: Vec<&String> = table
        .keys()
        .filter(|m| !placed.contains(m.as_str()))
        .collect();
    assert!(left.is_empty(), "these modules are on a cycle: {left:?}");
}

#[test]
fn the_edge_scanner_sees_uses_and_paths_but_not_comments() {
    let text = "use crate::model::Dataset;\nlet x = crate::format::num(1); // crate::http\n\
                use crate::{store::Store, coverage};\nuse crate::{\n    registry::{Level, Region},\n    \
                clock,\n};\nlet y = mycrate::boundaries::x;\n";
    let found: Vec<(usize, String)> = crate_paths(text);
    let names: Vec<&str> = found.iter().map(|(_, m)| m.as_str()).collect();
    assert_eq!(
        names,
        ["model", "format", "store", "coverage", "registry", "clock"]
    );
    assert_eq!(
        found[4].0, 5,
        "the line of an item inside a group that spans lines"
    );
    assert_eq!(found[5].0, 6);
}

/// The functions of a source with their first line and length in lines (from the `fn` line to
/// the closing brace at the same indentation, as rustfmt writes them).
fn function_lengths(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let mut rest = trimmed;
        for prefix in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "async ",
            "const ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let Some(signature) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = signature
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        // The body opens where the signature ends; a `;` first is a declaration without body.
        let Some(open) = lines[i..]
            .iter()
            .position(|l| l.trim_end().ends_with('{') || l.trim_end().ends_with(';'))
            .map(|o| i + o)
        else {
            continue;
        };
        if lines[open].trim_end().ends_with(';') {
            continue;
        }
        let close = lines[open + 1..].iter().position(|l| {
            l.len() > indent && l.starts_with(&" ".repeat(indent)) && l[indent..].starts_with('}')
        });
        if let Some(c) = close {
            out.push((name, i + 1, open + 1 + c - i + 1));
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable source");
        for (name, line, length) in function_lengths(&text) {
            if length > 80 {
                long.push(format!(
                    "{}:{line}: fn {name} has {length} lines",
                    file.display()
                ));
            }
        }
    }
    assert!(long.is_empty(), "\n{}", long.join("\n"));
}

#[test]
fn function_lengths_count_from_fn_to_its_closing_brace() {
    let text = "fn a() {\n    x();\n}\n\nimpl T {\n    pub async fn b(\n        y: u8,\n    ) -> u8 {\n        y\n    }\n    fn c();\n}\n";
    assert_eq!(
        function_lengths(text),
        [("a".to_string(), 1, 3), ("b".to_string(), 6, 5)]
    );
}
