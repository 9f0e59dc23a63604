//! The node's command line treats its store like a laptop's profile: a new store needs a
//! passphrase that passes the same policy, and commands that only read or change an existing
//! store never create one on a mistyped path.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::process::{Command, Output};

use tests::processes::binary;

fn sync_server(args: &[&str], passphrase: &str) -> Output {
    Command::new(binary("sync-server"))
        .args(args)
        .args(["--kdf-profile", "insecure-fast-for-tests-only"])
        .env("OUTREACH_PASSPHRASE", passphrase)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

#[test]
fn read_only_node_commands_never_create_a_store() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo");
    for args in [
        vec!["fingerprint", "--data-dir"],
        vec!["revoke", "--data-dir"],
        vec![
            "enroll",
            "--role",
            "agent",
            "--community",
            "nu.iqaluit",
            "--data-dir",
        ],
    ] {
        let mut args = args.clone();
        let path = missing.to_str().unwrap();
        args.push(path);
        if args[0] == "revoke" {
            args.push("00000000-0000-0000-0000-000000000000");
        }
        let out = sync_server(&args, "tundra lichen kayak ptarmigan");
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("holds no node store"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!missing.exists(), "{args:?} created {}", missing.display());
    }
}

#[test]
fn a_new_node_store_needs_a_passphrase_that_passes_the_policy() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("node");
    for weak in ["", "a", "password123", "aaaaaaaaaaaaaaaaaa"] {
        let out = sync_server(
            &[
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                store.to_str().unwrap(),
            ],
            weak,
        );
        assert!(!out.status.success(), "{weak:?} was accepted");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("passphrase refused"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !store.join("keyfile.json").exists(),
            "a store was created with {weak:?}"
        );
    }
}

#[test]
fn an_office_can_start_a_node_from_an_import_and_dedup_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("node");
    let lines = dir.path().join("legacy.jsonl");
    std::fs::write(
        &lines,
        concat!(
            r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.pangnirtung","date_of_birth":{"year":1961,"month":3,"day":4}}}"#,
            "\n",
            r#"{"schema":1,"identity":{"given_name":"Anne","family_name":"Kilabuk","community":"nu.pangnirtung","date_of_birth":{"year":1961,"month":4,"day":3}}}"#,
            "\n"
        ),
    )
    .unwrap();
    let passphrase = "tundra lichen kayak ptarmigan";
    let import = |file: &std::path::Path| {
        sync_server(
            &[
                "import",
                "--data-dir",
                store.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
            passphrase,
        )
    };
    // A refused file first: named by line and field, and no store is left behind for it.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        concat!(
            r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.pangnirtung"}}"#,
            "\n",
            r#"{"schema":1,"identity":{"given_name":"","family_name":"Kilabuk","community":"nu.pangnirtung"}}"#,
            "\n"
        ),
    )
    .unwrap();
    let refused = import(&bad);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("line 2: identity.given_name"), "{stderr}");
    assert!(
        !store.exists() || std::fs::read_dir(&store).unwrap().next().is_none(),
        "a refused import made a store"
    );
    let imported = import(&lines);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let pairs = dir.path().join("pairs.csv");
    let dedup = sync_server(
        &[
            "dedup",
            "--data-dir",
            store.to_str().unwrap(),
            "--out",
            pairs.to_str().unwrap(),
        ],
        passphrase,
    );
    assert!(
        dedup.status.success(),
        "{}",
        String::from_utf8_lossy(&dedup.stderr)
    );
    let csv = std::fs::read_to_string(&pairs).unwrap();
    assert_eq!(csv.lines().count(), 2, "a header and the one pair: {csv}");
}

#[test]
fn an_import_that_starts_a_node_reads_the_offices_catalogue_update_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("node");
    std::fs::create_dir(&store).unwrap();
    // The office's update (here the built-in catalogue, which an update may equal) is in the
    // directory before any store: the file is checked by it, then the store made.
    std::fs::write(
        store.join("catalogue.json"),
        include_str!("../../shared/catalogue/catalogue-v1.json"),
    )
    .unwrap();
    let lines = dir.path().join("paper-forms.jsonl");
    std::fs::write(
        &lines,
        r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.pangnirtung"}}"#,
    )
    .unwrap();
    let import = sync_server(
        &[
            "import",
            "--data-dir",
            store.to_str().unwrap(),
            lines.to_str().unwrap(),
        ],
        "tundra lichen kayak ptarmigan",
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    assert!(String::from_utf8_lossy(&import.stdout).contains("1 imported"));
}
