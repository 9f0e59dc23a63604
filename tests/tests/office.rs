//! The office's duplicate search across processes (issue 11): two laptops register one person
//! differently, both sync to a real node, and `sync-server dedup` proposes the pair with its
//! evidence; once the office marks them "not the same person" (an ordinary, synced field) the
//! pair is never proposed again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use serde_json::Value;
use tests::processes::{Laptop, TestNode, enrolled, sync};

const ROMAN: &str = "00000000-0000-4000-8000-00000000e001";
const SYLLABICS: &str = "00000000-0000-4000-8000-00000000e002";

fn person(id: &str, given: &str, family: &str, birth: (i32, u32, u32)) -> String {
    format!(
        r#"{{"schema":1,"id":"{id}","identity":{{"given_name":"{given}","family_name":"{family}","community":"nu.pangnirtung","date_of_birth":{{"year":{},"month":{},"day":{}}}}}}}"#,
        birth.0, birth.1, birth.2
    )
}

fn dedup_rows(node: &TestNode, dir: &std::path::Path) -> Vec<Vec<String>> {
    let out = dir.join("pairs.csv");
    let run = node.command("dedup", &["--out", out.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "rank,record_a,record_b,probability,weight,names_swapped,agreed,disagreed"
    );
    lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn two_desks_registering_one_person_are_proposed_once_until_marked_not_the_same() {
    let node = TestNode::start();
    let desk_a = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let desk_b = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let others = [
        ("Jaani", "Pitsiulak", (1971, 11, 2)),
        ("Meeka", "Arnaquq", (1990, 6, 17)),
        ("Simon", "Tremblay", (1985, 1, 30)),
        ("Ruth", "Nowdlak", (2001, 9, 9)),
    ];
    let mut lines = person(ROMAN, "Elisapee", "Kootoo", (1958, 3, 4));
    for (given, family, birth) in others {
        lines.push('\n');
        lines.push_str(&person(
            &uuid::Uuid::new_v4().to_string(),
            given,
            family,
            birth,
        ));
    }
    let _ = desk_a.ok("add", &[], lines.as_bytes());
    let _ = desk_b.ok(
        "add",
        &[],
        person(SYLLABICS, "ᐃᓕᓴᐱ", "Kootoo", (1958, 4, 3)).as_bytes(),
    );
    let _ = sync(&desk_a);
    let _ = sync(&desk_b);

    let scratch = tempfile::tempdir().unwrap();
    let rows = dedup_rows(&node, scratch.path());
    assert_eq!(rows.len(), 1, "only the one person is proposed: {rows:?}");
    let pair = [rows[0][1].as_str(), rows[0][2].as_str()];
    assert!(
        pair.contains(&ROMAN) && pair.contains(&SYLLABICS),
        "{pair:?}"
    );
    assert!(rows[0][6].contains("date_of_birth=swapped"), "{rows:?}");
    assert!(rows[0][6].contains("family_name=exact"), "{rows:?}");
    let text = std::fs::read_to_string(scratch.path().join("pairs.csv")).unwrap();
    for value in ["Elisapee", "Kootoo", "ᐃᓕᓴᐱ", "1958"] {
        assert!(
            !text.contains(value),
            "the pairs file holds no client values"
        );
    }

    // The office decides they are two people; the decision syncs like any edit.
    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let _ = sync(&office);
    let listed = office.ok("list", &["--json", "--limit", "100"], b"");
    let mut record: Value = listed
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|v| v["id"] == ROMAN)
        .unwrap();
    record["not_same_person"] = serde_json::json!([SYLLABICS]);
    let _ = office.ok("add", &[], record.to_string().as_bytes());
    let _ = sync(&office);
    assert!(
        dedup_rows(&node, scratch.path()).is_empty(),
        "a pair decided 'not the same person' is never proposed again"
    );
}

fn listed(laptop: &Laptop, search: Option<&str>) -> Vec<Value> {
    let mut args = vec!["--json", "--limit", "100"];
    if let Some(text) = search {
        args.extend(["--search", text]);
    }
    laptop
        .ok("list", &args, b"")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect()
}

#[test]
fn after_the_office_merges_a_pair_every_laptop_shows_one_record_and_finds_it_by_either_spelling() {
    let node = TestNode::start();
    let desk_a = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let desk_b = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let _ = desk_a.ok(
        "add",
        &[],
        person(ROMAN, "Elisapee", "Kootoo", (1958, 3, 4)).as_bytes(),
    );
    let _ = desk_b.ok(
        "add",
        &[],
        person(SYLLABICS, "ᐃᓕᓴᐱ", "Kootoo", (1958, 4, 3)).as_bytes(),
    );
    let _ = sync(&desk_a);
    let _ = sync(&desk_b);
    let _ = sync(&office);
    assert_eq!(listed(&office, None).len(), 2);

    let refused = desk_a.run("merge", &[ROMAN, SYLLABICS], b"");
    assert!(!refused.status.success(), "an agent laptop cannot merge");

    let said = office.ok("merge", &[SYLLABICS, ROMAN], b"");
    assert!(said.contains(&format!("into {ROMAN}")), "{said}");
    let _ = sync(&office);
    for laptop in [&desk_a, &desk_b, &office] {
        let _ = sync(laptop);
        let records = listed(laptop, None);
        assert_eq!(records.len(), 1, "one record for the person");
        assert_eq!(records[0]["id"], ROMAN);
        let names = records[0]["identity"]["other_names"].to_string();
        assert!(
            names.contains("ᐃᓕᓴᐱ"),
            "the other spelling is kept: {names}"
        );
        for query in ["ᐃᓕᓴᐱ", "Elisapee"] {
            let found = listed(laptop, Some(query));
            assert_eq!(found.len(), 1, "{query}");
            assert_eq!(found[0]["id"], ROMAN, "{query} finds the surviving record");
        }
    }
}

#[test]
fn the_office_settles_a_conflict_and_the_choice_clears_it_on_every_laptop() {
    let node = TestNode::start();
    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let (desk_a, desk_b) = phone_conflict_reaching(&node, &[&office]);
    let queue = office.ok("conflicts", &[], b"");
    assert!(queue.contains("identity.contact.phone"), "{queue}");
    assert!(queue.contains("1 conflicting field(s)"), "{queue}");
    assert!(
        !desk_a.run("conflicts", &[], b"").status.success(),
        "agents do not see the office's queue"
    );

    let said = office.ok(
        "resolve",
        &[ROMAN, "identity.contact.phone", "--value", "867-555-0003"],
        b"",
    );
    assert!(said.contains("settled"), "{said}");
    assert!(
        office
            .ok("conflicts", &[], b"")
            .contains("0 conflicting field(s)")
    );
    let _ = sync(&office);
    for desk in [&desk_a, &desk_b] {
        let _ = sync(desk);
        let record = listed(desk, None).remove(0);
        assert_eq!(record["identity"]["contact"]["phone"], "867-555-0003");
    }
    let table = desk_a.ok("list", &[], b"");
    assert!(
        !table.contains("conflict"),
        "the conflict is gone on the laptops: {table}"
    );
}

/// Two desks that changed one record's phone number each their own way, both synced, and then
/// `offices`, so their queues hold the conflict.
fn phone_conflict_reaching(node: &TestNode, offices: &[&Laptop]) -> (Laptop, Laptop) {
    let desk_a = enrolled(node, "agent", &["nu.pangnirtung"]);
    let desk_b = enrolled(node, "agent", &["nu.pangnirtung"]);
    let _ = desk_a.ok(
        "add",
        &[],
        person(ROMAN, "Elisapee", "Kootoo", (1958, 3, 4)).as_bytes(),
    );
    let _ = sync(&desk_a);
    let _ = sync(&desk_b);
    for (desk, phone) in [(&desk_a, "867-555-0001"), (&desk_b, "867-555-0002")] {
        let mut record = listed(desk, None).remove(0);
        record["identity"]["contact"]["phone"] = phone.into();
        let _ = desk.ok("add", &[], record.to_string().as_bytes());
    }
    let _ = sync(&desk_a);
    let _ = sync(&desk_b);
    for office in offices {
        let _ = sync(office);
    }
    (desk_a, desk_b)
}

#[test]
fn two_offices_settling_one_conflict_differently_offline_converge_and_show_it_again() {
    let node = TestNode::start();
    let north = enrolled(&node, "office", &["nu.pangnirtung"]);
    let south = enrolled(&node, "office", &["nu.pangnirtung"]);
    phone_conflict_reaching(&node, &[&north, &south]);
    for office in [&north, &south] {
        assert!(
            office
                .ok("conflicts", &[], b"")
                .contains("1 conflicting field(s)")
        );
    }

    // Both settle while offline, each its own way: one keeps the first value, the other types
    // a third number. Each sees its own choice and no conflict until they sync.
    let _ = north.ok(
        "resolve",
        &[ROMAN, "identity.contact.phone", "--keep", "1"],
        b"",
    );
    let _ = south.ok(
        "resolve",
        &[ROMAN, "identity.contact.phone", "--value", "867-555-0003"],
        b"",
    );
    let kept_by_north = listed(&north, None).remove(0)["identity"]["contact"]["phone"].clone();
    assert!(
        kept_by_north == "867-555-0001" || kept_by_north == "867-555-0002",
        "{kept_by_north}"
    );
    for office in [&north, &south] {
        assert!(
            office
                .ok("conflicts", &[], b"")
                .contains("0 conflicting field(s)")
        );
    }

    for office in [&north, &south, &north] {
        let _ = sync(office);
    }
    let seen: Vec<String> = [&north, &south]
        .iter()
        .map(|office| office.ok("conflicts", &[], b""))
        .collect();
    for queue in &seen {
        assert!(
            queue.contains("1 conflicting field(s)"),
            "two different settlements are a conflict again, not one silently dropped: {queue}"
        );
        assert!(queue.contains("867-555-0003"), "{queue}");
        assert!(queue.contains(kept_by_north.as_str().unwrap()), "{queue}");
    }
    assert_eq!(
        listed(&north, None),
        listed(&south, None),
        "both office devices read the same record"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn recovery_merges_a_copied_profiles_unsynced_records_exactly_once_and_writes_nothing_to_it() {
    let (identity, recipient) = shared::crypto::recovery::generate_office_keypair();
    let node = TestNode::start_with(&["--recovery-recipient", &recipient.to_string()]);
    let lost = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let _ = lost.ok(
        "add",
        &[],
        person(ROMAN, "Elisapee", "Kootoo", (1958, 3, 4)).as_bytes(),
    );
    let _ = sync(&lost);
    // Two days of work that never reached the node: a new record and an edit.
    let mut edited = listed(&lost, None).remove(0);
    edited["identity"]["contact"]["phone"] = "867-555-0101".into();
    let offline = person(SYLLABICS, "ᐊᓂ", "Kilabuk", (1990, 6, 1));
    let _ = lost.ok("add", &[], format!("{edited}\n{offline}\n").as_bytes());

    // The laptop falls in the lake; the office holds a copy of its profile directory.
    let scratch = tempfile::tempdir().unwrap();
    let copy = scratch.path().join("copy");
    copy_dir(lost.dir.path(), &copy);
    drop(lost);
    let before = test_support::snapshot(&copy);
    let identity_file = scratch.path().join("office.age-identity");
    std::fs::write(&identity_file, identity.as_bytes()).unwrap();

    let args = [
        "--profile",
        copy.to_str().unwrap(),
        "--recovery-identity",
        identity_file.to_str().unwrap(),
    ];
    let first = node.command("recover", &args);
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        said.contains("2 record(s) read; 2 change(s) merged"),
        "{said}"
    );
    let again = node.command("recover", &args);
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("0 change(s) merged"), "exactly once: {said}");
    assert_eq!(
        test_support::snapshot(&copy),
        before,
        "nothing is written to the copy"
    );

    let wrong = scratch.path().join("other.age-identity");
    let (other, _) = shared::crypto::recovery::generate_office_keypair();
    std::fs::write(&wrong, other.as_bytes()).unwrap();
    let refused = node.command(
        "recover",
        &[
            "--profile",
            copy.to_str().unwrap(),
            "--recovery-identity",
            wrong.to_str().unwrap(),
        ],
    );
    assert!(
        !refused.status.success(),
        "another identity does not open the copy"
    );

    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let _ = sync(&office);
    let records = listed(&office, None);
    assert_eq!(records.len(), 2, "the unsynced record reached the node");
    let elisapee = records.iter().find(|r| r["id"] == ROMAN).unwrap();
    assert_eq!(
        elisapee["identity"]["contact"]["phone"], "867-555-0101",
        "and the edit"
    );
}

#[test]
fn one_bad_line_in_ten_thousand_imports_nothing_and_the_report_names_its_line_and_field() {
    let node = TestNode::start();
    let scratch = tempfile::tempdir().unwrap();
    let mut lines = tests::fixtures::intake_lines(10_000, 11, "nu.pangnirtung");
    // A paper form typed later: no id, no provenance.
    lines[0] = r#"{"schema":1,"identity":{"given_name":"Ooleepeeka","family_name":"Kilabuk","community":"nu.pangnirtung"}}"#.into();
    let good = lines.join("\n");
    let mut bad_lines = lines.clone();
    bad_lines[6_999] = bad_lines[6_999].replace(
        r#""community":"nu.pangnirtung""#,
        r#""community":"nu.nowhere""#,
    );
    let bad = scratch.path().join("bad.jsonl");
    std::fs::write(&bad, bad_lines.join("\n")).unwrap();

    let refused = node.command("import", &[bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let report = String::from_utf8_lossy(&refused.stderr);
    assert!(
        report.contains("line 7000: identity.community: validation-unknown-community"),
        "{report}"
    );
    assert!(!report.contains("nowhere"), "the report names no value");
    assert!(dedup_rows_count(&node, scratch.path()).starts_with("0 record(s) read"));

    let file = scratch.path().join("good.jsonl");
    std::fs::write(&file, &good).unwrap();
    let done = node.command("import", &[file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&done.stdout);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(
        said.contains("10000 record(s) in the file: 10000 imported"),
        "{said}"
    );
    let again = node.command("import", &[file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(
        said.contains("0 imported, 10000 already on the node"),
        "a rerun adds nothing: {said}"
    );
}

/// Runs `dedup` and returns its summary line.
fn dedup_rows_count(node: &TestNode, dir: &std::path::Path) -> String {
    let out = dir.join("pairs.csv");
    let run = node.command("dedup", &["--out", out.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn an_imported_paper_forms_reference_is_kept_searchable_and_synced() {
    let node = TestNode::start();
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("forms.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"schema":1,"identity":{"given_name":"Ooleepeeka","family_name":"Kilabuk","community":"nu.pangnirtung","identifiers":{"external_reference":"PF-2041"}}}"#,
            "\n",
            r#"{"schema":1,"identity":{"given_name":"Jaani","family_name":"Pitsiulak","community":"nu.pangnirtung","identifiers":{"external_reference":"PF-2042"}}}"#,
            "\n"
        ),
    )
    .unwrap();
    let done = node.command("import", &[file.to_str().unwrap()]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let _ = sync(&office);
    let found = listed(&office, Some("PF-2041"));
    assert_eq!(
        found[0]["identity"]["given_name"], "Ooleepeeka",
        "found by its form number"
    );
    assert_eq!(
        found[0]["identity"]["identifiers"]["external_reference"],
        "PF-2041"
    );
    let by_spelling = listed(&office, Some("Ulipika"));
    assert_eq!(by_spelling[0]["identity"]["given_name"], "Ooleepeeka");
}
