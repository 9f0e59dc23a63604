//! The office's duplicate search across processes (issue 11): two laptops register one person
//! differently, both sync to a real node, and `sync-server dedup` proposes the pair with its
//! evidence; once the office marks them "not the same person" (an ordinary, synced field) the
//! pair is never proposed again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use serde_json::Value;
use tests::processes::{Laptop, TestNode};

fn enrolled(node: &TestNode, role: &str, communities: &[&str]) -> Laptop {
    let laptop = Laptop::new();
    let code = node.enroll_code(role, communities);
    let _ = laptop.ok("enroll", &["--enroll-code", &code], b"");
    laptop
}

fn sync(laptop: &Laptop) -> String {
    laptop.ok("sync", &["--retries", "0"], b"")
}

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
