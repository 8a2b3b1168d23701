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

/// Every `crate::name` in the file, with the line it is on. Comments are skipped.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            } else if let Some(group) = after.strip_prefix('{') {
                // `crate::{a::X, b}` on one line
                let group = group.split('}').next().unwrap_or("");
                for part in group.split(',') {
                    let name = part.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() {
                        out.push((i + 1, name.to_string()));
                    }
                }
            }
            rest = after;
        }
    }
    out
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
                use crate::{store::Store, coverage};\n";
    let found: Vec<String> = crate_paths(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["model", "format", "store", "coverage"]);
}
