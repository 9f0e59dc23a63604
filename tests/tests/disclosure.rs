//! Consent-filtered exports across processes (issue 12): laptops capture clients with every
//! consent state, sync to a real node, the office merges two records of one person (one of them
//! withdrew); `sync-server export --dry-run` counts who would be released and why the others
//! are left out, the export releases only the consenting client, sealed to the partner, with the
//! profile's columns only, and the disclosure register lists exactly that release.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use tests::processes::{TestNode, enrolled, sync};

const GRANTED: &str = "00000000-0000-4000-8000-00000000f001";
const WITHDRAWN: &str = "00000000-0000-4000-8000-00000000f002";
const NEVER_ASKED: &str = "00000000-0000-4000-8000-00000000f003";
const OTHER_PURPOSE: &str = "00000000-0000-4000-8000-00000000f004";
const LONG_AGO: &str = "00000000-0000-4000-8000-00000000f005";
const MERGED_OLDER: &str = "00000000-0000-4000-8000-00000000f006";
const MERGED_NEWER: &str = "00000000-0000-4000-8000-00000000f007";
const AGENT: &str = "00000000-0000-4000-8000-0000000000a1";

fn event(n: u32, purpose: &str, action: &str, date: &str, supersedes: &[u32]) -> String {
    let ids: Vec<String> = supersedes
        .iter()
        .map(|s| format!("\"00000000-0000-4000-8000-0000000c{s:04}\""))
        .collect();
    format!(
        r#"{{"id":"00000000-0000-4000-8000-0000000c{n:04}","partner":"nu.health","purpose":"{purpose}","action":"{action}","method":"signed","date":"{date}","supersedes":[{}],"recorded_by":"{AGENT}","recorded_at":"{date}T15:00:00.000Z"}}"#,
        ids.join(",")
    )
}

fn person(id: &str, given: &str, created: &str, consent: &[String]) -> String {
    format!(
        r#"{{"schema":1,"id":"{id}","identity":{{"given_name":"{given}","family_name":"Canary","community":"nu.pangnirtung","contact":{{"phone":"867-555-0199"}}}},"consent":[{}],"provenance":{{"created_by":"{AGENT}","device":"{AGENT}","created_at":"{created}","updated_at":"{created}","updated_by":"{AGENT}"}}}}"#,
        consent.join(",")
    )
}

#[test]
fn an_export_releases_only_consenting_clients_sealed_with_one_disclosure_each() {
    let node = TestNode::start();
    let desk = enrolled(&node, "agent", &["nu.pangnirtung"]);
    let lines = [
        person(
            GRANTED,
            "Granted",
            "2026-11-20T15:00:00.000Z",
            &[event(1, "referral", "grant", "2026-11-20", &[])],
        ),
        person(
            WITHDRAWN,
            "Withdrawn",
            "2026-11-20T15:00:00.000Z",
            &[
                event(2, "referral", "grant", "2026-11-20", &[]),
                event(3, "referral", "withdraw", "2026-11-21", &[2]),
            ],
        ),
        person(NEVER_ASKED, "Neverasked", "2026-11-20T15:00:00.000Z", &[]),
        person(
            OTHER_PURPOSE,
            "Otherpurpose",
            "2026-11-20T15:00:00.000Z",
            &[event(4, "application", "grant", "2026-11-20", &[])],
        ),
        person(
            LONG_AGO,
            "Longago",
            "2024-01-10T15:00:00.000Z",
            &[event(5, "referral", "grant", "2024-01-10", &[])],
        ),
        person(
            MERGED_OLDER,
            "Mergedolder",
            "2026-11-01T15:00:00.000Z",
            &[event(6, "referral", "grant", "2026-11-01", &[])],
        ),
        person(
            MERGED_NEWER,
            "Mergednewer",
            "2026-11-02T15:00:00.000Z",
            &[event(7, "referral", "withdraw", "2026-11-02", &[])],
        ),
    ];
    let _ = desk.ok("add", &[], lines.join("\n").as_bytes());
    let _ = sync(&desk);
    let office = enrolled(&node, "office", &["nu.pangnirtung"]);
    let _ = sync(&office);
    let _ = office.ok("merge", &[MERGED_OLDER, MERGED_NEWER], b"");
    let _ = sync(&office);

    let scratch = tempfile::tempdir().unwrap();
    let profile = scratch.path().join("health.json");
    std::fs::write(
        &profile,
        r#"{"format":"outreach-kit/export-profile","version":1,"partner":"nu.health","purposes":["referral"],"columns":["record_id","given_name","consent_date"],"consent_valid_days":365}"#,
    )
    .unwrap();
    let profile = profile.to_str().unwrap();
    let base = [
        "--partner",
        "nu.health",
        "--purpose",
        "referral",
        "--profile",
        profile,
        "--by",
        "Regional office, J. Tester",
    ];

    let dry = node.command("export", &[&base[..], &["--dry-run"]].concat());
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let said = String::from_utf8_lossy(&dry.stdout);
    assert!(
        said.contains("dry run: 1 client(s) would be released"),
        "{said}"
    );
    assert!(
        said.contains("1 expired") && said.contains("2 no_consent") && said.contains("2 withdrawn"),
        "{said}"
    );
    let register = node.command("disclosures", &[]);
    assert_eq!(
        String::from_utf8_lossy(&register.stdout).lines().count(),
        1,
        "a dry run records nothing"
    );

    let (identity, recipient) = shared::crypto::recovery::generate_office_keypair();
    let out = scratch.path().join("health.csv.age");
    let unsealed = node.command(
        "export",
        &[&base[..], &["--out", out.to_str().unwrap()]].concat(),
    );
    assert!(
        !unsealed.status.success(),
        "an export without a recipient is refused"
    );
    assert!(!out.exists());
    let run = node.command(
        "export",
        &[
            &base[..],
            &[
                "--out",
                out.to_str().unwrap(),
                "--seal-to",
                &recipient.to_string(),
            ],
        ]
        .concat(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let sealed = std::fs::read(&out).unwrap();
    for canary in ["Granted", "Canary", "867-555"] {
        assert!(
            !String::from_utf8_lossy(&sealed).contains(canary),
            "the file is sealed"
        );
    }
    let csv = shared::crypto::recovery::open_bytes(&sealed, &identity, 1 << 20).unwrap();
    let csv = String::from_utf8(csv.to_vec()).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[0], "record_id,given_name,consent_date",
        "only the profile's columns"
    );
    assert_eq!(rows.len(), 2, "{csv}");
    assert_eq!(rows[1], format!("{GRANTED},Granted,2026-11-20"));
    assert!(
        !csv.contains("Canary") && !csv.contains("867-555"),
        "no column outside the profile"
    );

    let register = node.command("disclosures", &["--partner", "nu.health"]);
    let text = String::from_utf8_lossy(&register.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].contains(GRANTED), "{text}");
    assert!(
        lines[1].contains("record_id;given_name;consent_date"),
        "{text}"
    );
    assert!(
        lines[1].contains("00000000-0000-4000-8000-0000000c0001"),
        "the consent event relied on: {text}"
    );
    assert!(
        lines[1].contains("\"Regional office, J. Tester\""),
        "{text}"
    );
    for canary in ["Granted", "Canary", "867-555"] {
        assert!(
            !text.contains(canary),
            "the register holds no client values"
        );
    }
    // The partnership's figures: counts only, the merged-away record not counted again.
    let report = node.command("report", &["--community", "nu.pangnirtung"]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let figures = String::from_utf8_lossy(&report.stdout);
    assert!(figures.starts_with("table,key,detail,count"), "{figures}");
    let intakes: u64 = figures
        .lines()
        .filter(|l| l.starts_with("intakes_per_week,"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(intakes, 6, "seven records, one merged away: {figures}");
    assert!(
        !figures.contains("Canary") && !figures.contains(GRANTED),
        "no client data in a report"
    );
    let mine = node.command("disclosures", &["--client", WITHDRAWN]);
    assert_eq!(
        String::from_utf8_lossy(&mine.stdout).lines().count(),
        1,
        "nothing was disclosed of a withdrawn client"
    );
}
