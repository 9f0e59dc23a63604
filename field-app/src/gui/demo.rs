//! `field-app --demo`: a throw-away profile with clearly fictional records, enrolled with an
//! embedded local node (the real `sync-server` router, store and TLS on a loopback port), and a
//! second fictional laptop whose records wait on the node, so the first sync pulls something.
//! Everything lives in one temp directory, deleted when the window closes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use node::embedded::EmbeddedNode;
use shared::crypto::{KdfParams, Passphrase};
use shared::ids::CommunityCode;
use shared::protocol::enroll::Role;

const DEMO_INTAKES: &str = include_str!("../../demo/intakes.jsonl");

pub use super::demo_info::{DEMO_COMMUNITY, DEMO_PASSPHRASE, DemoInfo};
use super::worker::ProfileConfig;
use crate::LocalStore;
use crate::sync::{SyncOptions, enroll, sync};

/// Generated fictional records added to the hand-written ones.
const GENERATED_RECORDS: usize = 400;
const OTHER_LAPTOP_RECORDS: usize = 12;
const DEMO_DIR_PREFIX: &str = "outreach-demo-";
/// A demo directory untouched this long belongs to a demo that was killed, not closed.
const ABANDONED_AFTER: Duration = Duration::from_secs(24 * 3600);

/// Why the demo did not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The local store.
    #[error(transparent)]
    Store(#[from] crate::StoreError),
    /// The embedded node.
    #[error(transparent)]
    Node(#[from] node::embedded::StartError),
    /// An enrolment code from the node.
    #[error(transparent)]
    Enrollment(#[from] node::policy::EnrollmentError),
    /// Enrolment or the other laptop's sync.
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// The temp directory.
    #[error("the demo directory: {0}")]
    Io(#[from] std::io::Error),
}

/// A running demo: keep it alive as long as the window.
pub struct Demo {
    /// What the banner shows.
    pub info: DemoInfo,
    node: Option<EmbeddedNode>,
    root: PathBuf,
    /// The office's recovery secret for this demo's profile (never written to disk).
    office_secret: Option<zeroize::Zeroizing<String>>,
}

impl std::fmt::Debug for Demo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Demo")
            .field("root", &self.root)
            .finish_non_exhaustive()
    }
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.node = None;
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Builds the demo in a new temp directory; returns it and the profile the app opens.
pub fn prepare(kdf: KdfParams) -> Result<(Demo, ProfileConfig), DemoError> {
    prepare_as(kdf, Role::Agent)
}

/// Two people each registered twice: at two desks (roman and syllabics, day and month
/// swapped), and on two visits (a date remembered some months off): what the office demo's
/// duplicate queue proposes.
const DEMO_DUPLICATES: [&str; 4] = [
    r#"{"schema":1,"id":"00000000-0000-4000-8000-00000000d0a1","identity":{"given_name":"Elisapee","family_name":"Kootoo (DEMO)","date_of_birth":{"year":1958,"month":3,"day":4},"sex_or_gender":"female","community":"nu.pangnirtung","contact":{"phone":"867-555-0142","mailing_address":"Box 214, Pangnirtung NU X0A 0R0"}},"languages":{"spoken":["iu"],"preferred":"iu"}}"#,
    r#"{"schema":1,"id":"00000000-0000-4000-8000-00000000d0a2","identity":{"given_name":"ᐃᓕᓴᐱ","family_name":"Kootoo (DEMO)","date_of_birth":{"year":1958,"month":4,"day":3},"sex_or_gender":"female","community":"nu.pangnirtung","contact":{"phone":"867-555-0142","mailing_address":"PO Box 214 Pangnirtung"}}}"#,
    r#"{"schema":1,"id":"00000000-0000-4000-8000-00000000d0b1","identity":{"given_name":"Joanasie","family_name":"Nowdlak (DEMO)","date_of_birth":{"year":1961,"month":5,"day":20},"sex_or_gender":"male","community":"nu.pangnirtung","contact":{"phone":"867-555-0177"}},"languages":{"spoken":["iu","en"],"preferred":"iu"}}"#,
    r#"{"schema":1,"id":"00000000-0000-4000-8000-00000000d0b2","identity":{"given_name":"Joanasie","family_name":"Nowdlak (DEMO)","date_of_birth":{"year":1961,"month":8,"day":2},"sex_or_gender":"male","community":"nu.pangnirtung","contact":{"phone":"867-555-0177"}}}"#,
];

/// [`prepare`], with the demo laptop enrolled as `role`: `Role::Office` opens it as the
/// regional office (review queue, duplicate pairs, conflicts, work due), with one person
/// registered twice among its records.
pub fn prepare_as(kdf: KdfParams, role: Role) -> Result<(Demo, ProfileConfig), DemoError> {
    remove_abandoned_demos();
    // The demo's records are fictional and its store encrypted; it lives in the temp dir so a
    // killed demo is cleaned up by the system (and by the next demo, below).
    #[allow(clippy::disallowed_methods)]
    let root = std::env::temp_dir().join(format!("{DEMO_DIR_PREFIX}{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&root)?;
    let mut demo = Demo {
        info: DemoInfo {
            passphrase: DEMO_PASSPHRASE.to_owned(),
            community: CommunityCode::new(DEMO_COMMUNITY),
        },
        node: None,
        root: root.clone(),
        office_secret: None,
    };
    let passphrase = Passphrase::new(DEMO_PASSPHRASE.to_owned());
    let node = EmbeddedNode::start(&root.join("node"), &passphrase, kdf)?;

    let profile = root.join("profile");
    // The office's recovery key for this demo: the laptop gets the public half (its key is
    // wrapped to it at creation, as an enrolled office would hand out); the secret half stays
    // in memory, zeroized when the demo ends.
    let (office_secret, office_recipient) = shared::crypto::recovery::generate_office_keypair();
    demo.office_secret = Some(office_secret);
    let mut store = LocalStore::create(&profile, &passphrase, kdf, Some(&office_recipient))?;
    save_outside_scope_record(&mut store)?;
    let mut lines: Vec<String> = DEMO_INTAKES.lines().map(str::to_owned).collect();
    // An agent's laptop captured the generated records itself; an office captures little
    // itself: the field's laptops did, and the office pulls their work (its review queue then
    // says who captured what).
    let generated = crate::fixtures::intake_lines(GENERATED_RECORDS, 7, DEMO_COMMUNITY);
    let (captured_here, captured_in_the_field) = match role {
        Role::Agent => (generated, Vec::new()),
        Role::Office => (Vec::new(), generated),
    };
    let now = shared::time::Timestamp::now();
    lines.extend(captured_over_past_weeks(captured_here, store.author(), now));
    if role == Role::Office {
        lines.extend(DEMO_DUPLICATES.iter().map(|l| (*l).to_owned()));
    }
    add_lines(&mut store, &lines)?;
    let code = node.enrollment_code(role, &DEMO_SCOPE, 1)?;
    enroll(&mut store, &code.to_text(), None, Duration::from_secs(30))?;
    // A first sync, as an agent would have done before: the node refuses the record outside
    // this laptop's communities (held here, with the reason), takes the rest.
    sync(&mut store, &SyncOptions::default(), &mut |_| {})?;

    // The other laptop pulls the demo client and types its phone number while this laptop
    // types another: the sync that follows shows the conflict with who, where and when.
    let mut other = OtherLaptop::enroll(&root.join("other-laptop"), &node, &passphrase, kdf)?;
    let author = other.store.author();
    add_lines(
        &mut other.store,
        &captured_over_past_weeks(captured_in_the_field, author, now),
    )?;
    other.set_demo_phone("867-555-0102")?;
    set_demo_phone(&mut store, "867-555-0101")?;
    sync(&mut store, &SyncOptions::default(), &mut |_| {})?;
    // Records captured on the other laptop since: the agent's first sync pulls them.
    other.capture_and_sync()?;

    store.put_draft(&super::screens::demo_draft(DEMO_COMMUNITY))?;
    drop(store);
    demo.node = Some(node);
    Ok((
        demo,
        ProfileConfig {
            dir: profile,
            kdf,
            settings_file: None,
            open_slips: true,
        },
    ))
}

/// How far back the generated records were captured: sixteen weeks.
const CAPTURED_OVER_DAYS: i64 = 16 * 7;

/// `lines` as this laptop's agent captured them over the past weeks (a fixed pseudo-random
/// day and hour each), not all in the minute the demo started: the office's reports then have
/// weeks to show, and Home's "intakes today" is a day's work.
fn captured_over_past_weeks(
    lines: Vec<String>,
    author: shared::doc::Author,
    now: shared::time::Timestamp,
) -> Vec<String> {
    use rand::{Rng as _, SeedableRng as _};
    const HOUR: i64 = 3_600_000;
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    lines
        .into_iter()
        .map(|line| {
            let Ok(serde_json::Value::Object(mut record)) = serde_json::from_str(&line) else {
                return line;
            };
            let hours_back = rng.random_range(1..CAPTURED_OVER_DAYS * 24);
            let at = shared::time::Timestamp(now.0 - hours_back * HOUR);
            record.insert(
                "provenance".into(),
                serde_json::json!({
                    "created_by": author.agent,
                    "device": author.device,
                    "created_at": at,
                    "updated_at": at,
                    "updated_by": author.agent,
                }),
            );
            serde_json::Value::Object(record).to_string()
        })
        .collect()
}

/// Deletes the directories of demos killed a day or more ago (a closed demo deletes its own).
fn remove_abandoned_demos() {
    #[allow(clippy::disallowed_methods)] // where `prepare` puts demos
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry
            .file_name()
            .to_string_lossy()
            .starts_with(DEMO_DIR_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > ABANDONED_AFTER);
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A record in a community outside this laptop's scope: the node refuses it at the first sync
/// and it stays held here with the reason, so the held state can be seen.
fn save_outside_scope_record(store: &mut LocalStore) -> Result<(), DemoError> {
    use shared::model::Identity;
    let author = store.author();
    let mut outside = shared::Client::new(
        Identity {
            given_name: "Pauloosie".into(),
            family_name: "Metuq (DEMO)".into(),
            community: CommunityCode::new("nu.iqaluit"),
            ..Identity::default()
        },
        author.agent,
        author.device,
        shared::time::Timestamp::now(),
    );
    outside.id = shared::ids::ClientId(uuid::Uuid::from_u128(DEMO_OUTSIDE_CLIENT));
    store.save(&outside)?;
    Ok(())
}

/// The communities the demo laptop serves: those of the hand-written records (the agent of a
/// regional team), not Iqaluit.
const DEMO_SCOPE: [&str; 5] = [
    DEMO_COMMUNITY,
    "nu.arviat",
    "mb.churchill",
    "ab.fort-mcmurray",
    "band.example-cree-nation",
];

/// The hand-written demo client whose phone two laptops type at once.
const DEMO_CLIENT: u128 = 0x0000_0000_0000_4000_8000_0000_0000_d001;
/// The demo record outside this laptop's communities.
const DEMO_OUTSIDE_CLIENT: u128 = 0x0000_0000_0000_4000_8000_0000_0000_d0ff;

fn set_demo_phone(store: &mut LocalStore, phone: &str) -> Result<(), DemoError> {
    let id = shared::ids::ClientId(uuid::Uuid::from_u128(DEMO_CLIENT));
    if let Some(mut client) = store.client(id)? {
        client.identity.contact.phone = Some(phone.to_owned());
        store.save(&client)?;
    }
    Ok(())
}

/// A second fictional laptop, enrolled with the same node, that has pulled what the first
/// synced.
struct OtherLaptop {
    store: LocalStore,
}

impl OtherLaptop {
    fn enroll(
        dir: &Path,
        node: &EmbeddedNode,
        passphrase: &Passphrase,
        kdf: KdfParams,
    ) -> Result<Self, DemoError> {
        let mut store = LocalStore::create(dir, passphrase, kdf, None)?;
        let code = node.enrollment_code(Role::Agent, &[DEMO_COMMUNITY], 1)?;
        enroll(&mut store, &code.to_text(), None, Duration::from_secs(30))?;
        sync(&mut store, &SyncOptions::default(), &mut |_| {})?;
        Ok(Self { store })
    }

    fn set_demo_phone(&mut self, phone: &str) -> Result<(), DemoError> {
        set_demo_phone(&mut self.store, phone)?;
        sync(&mut self.store, &SyncOptions::default(), &mut |_| {})?;
        Ok(())
    }

    fn capture_and_sync(&mut self) -> Result<(), DemoError> {
        add_lines(
            &mut self.store,
            &crate::fixtures::intake_lines(OTHER_LAPTOP_RECORDS, 99, DEMO_COMMUNITY),
        )?;
        sync(&mut self.store, &SyncOptions::default(), &mut |_| {})?;
        Ok(())
    }
}

fn add_lines(store: &mut LocalStore, lines: &[String]) -> Result<(), DemoError> {
    store.import_lines(lines)?;
    Ok(())
}
