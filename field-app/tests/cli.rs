//! The `field-app` binary, driven as support staff and scripts drive it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use test_support::{plaintext_findings, snapshot};

const PASSPHRASE: &str = "tundra lichen kayak ptarmigan";

fn field_app(args: &[&str], passphrase: &str, stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_field-app"))
        .args(args)
        .env("OUTREACH_PASSPHRASE", passphrase)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that fails closed exits before reading its input: a broken pipe is expected.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn init(dir: &Path) {
    let out = field_app(
        &[
            "init",
            "--data-dir",
            dir.to_str().unwrap(),
            "--kdf-profile",
            "insecure-fast-for-tests-only",
        ],
        PASSPHRASE,
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn add(dir: &Path, lines: &str) -> Output {
    field_app(
        &["add", "--data-dir", dir.to_str().unwrap()],
        PASSPHRASE,
        lines.as_bytes(),
    )
}

/// Distinctive strings that must never appear in any file of the profile.
const CANARIES: [&str; 5] = [
    "Qwyzzlebrook",
    "Xanthoquill",
    "ᕿᓪᓗᖅᑕᖅ",
    "CANARY-NOTE-7f3a",
    "Zorbanello",
];

fn canary_lines() -> String {
    (0..200)
        .map(|i| {
            format!(
                r#"{{"schema":1,"identity":{{"given_name":"{} {i}","family_name":"{}","other_names":["{}"],"community":"nu.iqaluit","contact":{{"mailing_address":"{} Road"}}}},"referrals":[{{"id":"{}","partner":"nu.health","reason":"{}","urgency":"routine","status":"open","created_at":"2026-11-28T10:00:00Z"}}]}}"#,
                CANARIES[0], CANARIES[1], CANARIES[2], CANARIES[4], uuid::Uuid::new_v4(), CANARIES[3]
            ) + "\n"
        })
        .collect()
}

#[test]
fn canary_scan_finds_no_client_data_in_any_file_of_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile");
    init(&profile);
    let out = add(&profile, &canary_lines());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("added 200 record(s)"));

    // Read them back while the WAL still holds them, then scan again after a clean close.
    let listed = field_app(
        &[
            "list",
            "--data-dir",
            profile.to_str().unwrap(),
            "--search",
            "qwyzzlebrook",
        ],
        PASSPHRASE,
        b"",
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("100 record(s) shown of 200"));
    let files = snapshot(&profile);
    assert!(files.contains_key("outreach.db") && files.contains_key("keyfile.json"));
    let findings = plaintext_findings(&profile, &CANARIES);
    assert!(findings.is_empty(), "{findings:?}");
    // Nothing was written outside the profile directory either.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// The profile directory as a failed open may leave it: only the failed unlock's time may be
/// added (for the audit trail at the next unlock).
fn unchanged_but_failed_unlocks(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    if let Some(times) = files.remove(field_app::storage::audit::FAILED_UNLOCKS_FILE) {
        let text = String::from_utf8(times).unwrap();
        assert!(
            text.lines().all(|l| l.parse::<i64>().is_ok()),
            "the failed-unlock file holds times only"
        );
    }
    files
}

fn assert_fails_closed(dir: &Path, passphrase: &str, expect: &str) {
    let before = unchanged_but_failed_unlocks(dir);
    for args in [vec!["list"], vec!["add"]] {
        let mut args = args;
        args.extend(["--data-dir", dir.to_str().unwrap()]);
        let out = field_app(&args, passphrase, canary_lines().as_bytes());
        assert_eq!(out.status.code(), Some(3), "{args:?} should exit 3");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(expect),
            "{args:?}: unexpected message: {stderr}"
        );
        assert!(!stderr.contains(CANARIES[0]));
        assert_eq!(
            unchanged_but_failed_unlocks(dir),
            before,
            "{args:?} changed the profile directory"
        );
    }
}

fn profile_with_records() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    assert!(add(dir.path(), &canary_lines()).status.success());
    dir
}

#[test]
fn wrong_passphrase_fails_closed() {
    let dir = profile_with_records();
    assert_fails_closed(
        dir.path(),
        "tundra lichen kayak ptarmigans",
        "passphrase is wrong",
    );
    // The two failed unlocks are in the audit trail after the next unlock, and the file is gone.
    let store = field_app::LocalStore::open(
        dir.path(),
        &shared::crypto::Passphrase::new(PASSPHRASE.into()),
    )
    .unwrap();
    let failed = store
        .audit_entries()
        .unwrap()
        .iter()
        .filter(|e| e.action == shared::audit::AuditAction::FailedUnlock)
        .count();
    assert_eq!(failed, 2);
    assert!(
        !dir.path()
            .join(field_app::storage::audit::FAILED_UNLOCKS_FILE)
            .exists()
    );
    assert!(store.verify_audit(None).unwrap().is_ok());
}

#[test]
fn flipped_keyfile_byte_fails_closed() {
    let dir = profile_with_records();
    let keyfile = dir.path().join("keyfile.json");
    let original = std::fs::read(&keyfile).unwrap();
    // One byte in the salt, in the ciphertext, and in the structure.
    let text = String::from_utf8(original.clone()).unwrap();
    let positions = [
        text.find("\"salt\"").unwrap() + 10,
        text.find("\"ciphertext\"").unwrap() + 17,
        3,
    ];
    for position in positions {
        let mut damaged = original.clone();
        damaged[position] ^= 0x01;
        std::fs::write(&keyfile, &damaged).unwrap();
        assert_fails_closed(dir.path(), PASSPHRASE, "keyfile");
    }
}

#[test]
fn truncated_database_fails_closed() {
    let dir = profile_with_records();
    let db = dir.path().join("outreach.db");
    let length = std::fs::metadata(&db).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&db)
        .unwrap()
        .set_len(length / 2)
        .unwrap();
    assert_fails_closed(dir.path(), PASSPHRASE, "database is damaged");
}

#[test]
fn missing_profile_is_reported_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let out = field_app(
        &["list", "--data-dir", dir.path().to_str().unwrap()],
        PASSPHRASE,
        b"",
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(snapshot(dir.path()).is_empty());
}

#[test]
fn init_refuses_an_existing_profile_and_a_weak_passphrase() {
    let dir = profile_with_records();
    let before = snapshot(dir.path());
    let out = field_app(
        &[
            "init",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--kdf-profile",
            "insecure-fast-for-tests-only",
        ],
        PASSPHRASE,
        b"",
    );
    assert!(!out.status.success());
    assert_eq!(snapshot(dir.path()), before);

    let fresh = tempfile::tempdir().unwrap();
    let out = field_app(
        &["init", "--data-dir", fresh.path().to_str().unwrap()],
        "short",
        b"",
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(snapshot(fresh.path()).is_empty());
}

#[test]
fn one_bad_line_rejects_the_whole_batch_and_names_it_without_its_value() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let good = r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.iqaluit"}}"#;
    let bad_value = r#"{"schema":1,"identity":{"given_name":"Zorbanello","family_name":"X","community":"nu.iqaluit","identifiers":{"sin_last3":"123456789"}}}"#;
    let bad_type = r#"{"schema":1,"identity":{"given_name":"Zorbanello","family_name":5,"community":"nu.iqaluit"}}"#;
    let input = format!("{good}\n{bad_value}\n\n{bad_type}\nnot json\n{{\"schema\":2}}\n");
    let out = add(dir.path(), &input);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2: 1 invalid field(s): identity.identifiers.sin_last3: validation-sin-last-three-digits-only"), "{stderr}");
    assert!(
        stderr.contains("line 4: record has the wrong shape"),
        "{stderr}"
    );
    assert!(stderr.contains("line 5: not a JSON object"), "{stderr}");
    assert!(
        stderr.contains("line 6: missing or unsupported \"schema\""),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was added"));
    assert!(
        !stderr.contains("Zorbanello") && !stderr.contains("123456789"),
        "values leaked: {stderr}"
    );
    let listed = field_app(
        &["list", "--data-dir", dir.path().to_str().unwrap()],
        PASSPHRASE,
        b"",
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("0 record(s) shown of 0"));
}

#[test]
fn added_records_list_back_as_the_same_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let demo = include_str!("../demo/intakes.jsonl");
    assert!(add(dir.path(), demo).status.success());
    let out = field_app(
        &["list", "--data-dir", dir.path().to_str().unwrap(), "--json"],
        PASSPHRASE,
        b"",
    );
    let lines = String::from_utf8(out.stdout).unwrap();
    assert_eq!(lines.lines().count(), demo.lines().count());
    // Re-adding what was listed changes nothing: the export is a faithful import.
    let again = add(dir.path(), &lines);
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains("added 0 record(s), updated 0, unchanged 6"),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
    let search = field_app(
        &[
            "list",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--search",
            "Kilabk 1957",
        ],
        PASSPHRASE,
        b"",
    );
    let shown = String::from_utf8_lossy(&search.stdout);
    // A date scores rather than filters (issue 11): the person born that year comes first, a
    // namesake born another year may follow.
    assert!(
        shown
            .lines()
            .next()
            .is_some_and(|l| l.contains("Annie Kilabuk")),
        "{shown}"
    );
}

/// An intake line for the filter tests: `name` in `community`, with an open referral and a
/// follow-up due on `due` when asked.
fn filter_line(name: &str, community: &str, referral: bool, due: Option<&str>) -> String {
    let referrals = if referral {
        format!(
            r#","referrals":[{{"id":"{}","partner":"nu.health","reason":"test","urgency":"routine","status":"open","created_at":"2026-11-28T10:00:00Z"}}]"#,
            uuid::Uuid::new_v4()
        )
    } else {
        String::new()
    };
    let follow_ups = due.map_or(String::new(), |due| {
        format!(
            r#","follow_ups":[{{"id":"{}","due":"{due}","description":"call back","done":false}}]"#,
            uuid::Uuid::new_v4()
        )
    });
    format!(
        r#"{{"schema":1,"identity":{{"given_name":"{name}","family_name":"Qavvik","community":"{community}"}}{referrals}{follow_ups}}}"#
    )
}

fn list_names(dir: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["list", "--data-dir", dir.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let out = field_app(&args, PASSPHRASE, b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let value: serde_json::Value = serde_json::from_str(l).unwrap();
            value["identity"]["given_name"].as_str().unwrap().to_owned()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn cli_search_combines_with_every_filter() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let lines = [
        filter_line("Aani", "nu.iqaluit", true, Some("2026-01-10")),
        filter_line("Bela", "nu.iqaluit", true, None),
        filter_line("Cora", "nu.iqaluit", false, Some("2026-01-10")),
        filter_line("Dora", "nu.arviat", true, Some("2026-01-10")),
        filter_line("Eila", "nu.iqaluit", true, Some("2030-06-01")),
    ]
    .join("\n");
    assert!(add(dir.path(), &lines).status.success());
    let search = ["--search", "qavvik"];
    let with = |extra: &[&str]| list_names(dir.path(), &[&search[..], extra].concat());
    assert_eq!(with(&[]).len(), 5);
    assert_eq!(with(&["--community", "nu.arviat"]), ["Dora"]);
    assert_eq!(
        with(&["--open-referrals"]),
        ["Aani", "Bela", "Dora", "Eila"]
    );
    assert_eq!(
        with(&["--follow-up-due-by", "2026-02-01"]),
        ["Aani", "Cora", "Dora"]
    );
    assert_eq!(with(&["--not-synced"]).len(), 5, "nothing was ever synced");
    assert_eq!(
        with(&[
            "--community",
            "nu.iqaluit",
            "--open-referrals",
            "--follow-up-due-by",
            "2026-02-01",
            "--not-synced"
        ]),
        ["Aani"],
        "every filter at once"
    );
    // The same filters without a search give the same rows.
    assert_eq!(
        list_names(
            dir.path(),
            &[
                "--community",
                "nu.iqaluit",
                "--open-referrals",
                "--follow-up-due-by",
                "2026-02-01"
            ]
        ),
        ["Aani"]
    );
}

#[test]
fn a_json_listing_is_complete_or_says_it_was_cut() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path());
    let lines: Vec<String> = (0..130)
        .map(|i| filter_line(&format!("Person{i:03}"), "nu.iqaluit", false, None))
        .collect();
    assert!(add(dir.path(), &lines.join("\n")).status.success());
    assert_eq!(
        list_names(dir.path(), &[]).len(),
        130,
        "no default limit on a machine-readable listing"
    );
    let out = field_app(
        &[
            "list",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--json",
            "--limit",
            "100",
        ],
        PASSPHRASE,
        b"",
    );
    assert_eq!(out.status.code(), Some(5), "a cut listing exits with 5");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 100);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cut at 100"));
    let exact = field_app(
        &[
            "list",
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--json",
            "--limit",
            "130",
        ],
        PASSPHRASE,
        b"",
    );
    assert!(
        exact.status.success(),
        "a limit that holds everything is not a cut"
    );
}

/// An office's catalogue update is used when it verifies (a community added since the build
/// can be recorded), and refused with a warning, never half-used, when it does not.
#[test]
fn a_verified_catalogue_update_is_used_and_a_broken_one_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("p");
    init(&profile);
    let built_in = include_str!("../../shared/catalogue/catalogue-v1.json");
    let version = shared::Catalogue::built_in().unwrap().version;
    let update = built_in
        .replacen(
            &format!(r#""catalogue_version": "{version}""#),
            r#""catalogue_version": "2099.1.0""#,
            1,
        )
        .replacen(
            r#""communities": ["#,
            r#""communities": [
    { "code": "nu.test-camp", "name": { "en": "Test camp", "fr": "Camp d'essai" } },"#,
            1,
        );
    let update_file = dir.path().join("catalogue.json");
    std::fs::write(&update_file, &update).unwrap();
    let broken_file = dir.path().join("broken.json");
    std::fs::write(&broken_file, &update[..update.len() / 2]).unwrap();
    let line = r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.test-camp"}}"#;
    let with = |catalogue: &Path| {
        field_app(
            &[
                "add",
                "--data-dir",
                profile.to_str().unwrap(),
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
            PASSPHRASE,
            line.as_bytes(),
        )
    };

    let refused = with(&broken_file);
    assert!(
        !refused.status.success(),
        "the built-in catalogue has no test camp"
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("is not used"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let used = with(&update_file);
    assert!(
        used.status.success(),
        "{}",
        String::from_utf8_lossy(&used.stderr)
    );
    assert!(String::from_utf8_lossy(&used.stderr).contains("using catalogue 2099.1.0"));
}

#[test]
fn audit_lists_ids_and_actions_only_and_says_the_chain_holds() {
    let dir = profile_with_records();
    let out = field_app(
        &["audit", "--data-dir", dir.path().to_str().unwrap()],
        PASSPHRASE,
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("seq,at,action,record\n"), "{text}");
    assert!(text.lines().any(|l| l.contains(",create,")), "{text}");
    assert!(text.lines().any(|l| l.ends_with(",unlock,")), "{text}");
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "the audit trail holds no client data"
        );
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("the chain holds"));
}
