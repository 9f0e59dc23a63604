//! Helpers the workspace's tests share, so each guarantee is checked one way everywhere:
//! what a directory holds, and whether any file in it leaks client data at rest.

use std::collections::BTreeMap;
use std::path::Path;

/// Every file directly in `dir`, by name, with its bytes (to compare before and after a refused
/// open: nothing may change).
///
/// # Panics
/// `dir` cannot be read (a test failure).
#[must_use]
#[allow(clippy::expect_used)] // test helper: a panic is a test failure
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|entry| {
            let entry = entry.expect("read a directory entry");
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).expect("read a file"),
            )
        })
        .collect()
}

/// Whether `haystack` holds the bytes of `needle` anywhere.
#[must_use]
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Files under `dir` (recursively) that are plaintext SQLite or contain any of `canaries`, one
/// line each naming the file and what was found; empty when the directory leaks nothing.
#[must_use]
pub fn plaintext_findings(dir: &Path, canaries: &[&str]) -> Vec<String> {
    let mut findings = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return findings;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            findings.extend(plaintext_findings(&path, canaries));
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        if bytes.starts_with(b"SQLite format 3") {
            findings.push(format!("{} is plaintext SQLite", path.display()));
        }
        for canary in canaries {
            if contains(&bytes, canary.as_bytes()) {
                findings.push(format!("{} contains {canary}", path.display()));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_scan_names_each_leaking_file_and_passes_a_clean_one() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path();
        std::fs::create_dir_all(dir.join("nested")).unwrap();
        std::fs::write(dir.join("clean"), b"nothing to see").unwrap();
        std::fs::write(dir.join("nested/leak"), "a Qwyzzlebrook record").unwrap();
        std::fs::write(dir.join("db"), b"SQLite format 3\0...").unwrap();

        let mut findings = plaintext_findings(dir, &["Qwyzzlebrook", "absent"]);
        findings.sort();

        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(findings[0].ends_with("db is plaintext SQLite"));
        assert!(findings[1].ends_with("leak contains Qwyzzlebrook"));
        assert!(!contains(b"abc", b""));
    }
}
