//! Consent-filtered export speed (issue 12): 100,000 records with every consent state (granted,
//! withdrawn, never asked, granted too long ago) and some merged pairs, through the shared
//! export rule (who is released, the profile's columns as CSV, one disclosure per row), then
//! sealed to a partner's age recipient; and, for the node's whole path, reading the records back
//! from their saved Automerge documents.
//!
//! `cargo bench -p shared --bench export` (100,000 records); `-- --records N` for another size.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::time::Instant;

use shared::ClientDoc;
use shared::disclosure::{Column, ExportProfile, ExportRequest, export};
use shared::doc::Author;
use shared::ids::{AgentId, ClientId, CommunityCode, DeviceId, PartnerCode, PurposeCode};
use shared::model::{Client, ConsentAction, ConsentEvent, ConsentMethod, Identity};
use shared::time::{CalendarDate, Timestamp};

fn population(n: usize) -> Vec<Client> {
    let partner = PartnerCode::new("nu.health");
    let referral = PurposeCode::new("referral");
    let agent = AgentId::random();
    let device = DeviceId::random();
    let recent = CalendarDate::new(2026, 11, 20).unwrap();
    let old = CalendarDate::new(2024, 1, 10).unwrap();
    let mut clients: Vec<Client> = (0..n)
        .map(|i| {
            let identity = Identity {
                given_name: format!("Given{i}"),
                family_name: format!("Family{}", i % 997),
                community: CommunityCode::new("nu.pangnirtung"),
                ..Identity::default()
            };
            let mut client = Client::new(identity, agent, device, Timestamp(1_000 + i as i64));
            client.identity.contact.phone = Some(format!("867-555-{:04}", i % 10_000));
            let key = (partner.clone(), referral.clone());
            let record = |client: &mut Client, action, date| {
                let event = ConsentEvent::record(
                    &client.consent,
                    key.clone(),
                    action,
                    ConsentMethod::Signed,
                    date,
                    agent,
                    Timestamp(2_000),
                );
                client.consent.push(event);
            };
            match i % 20 {
                0..=11 => record(&mut client, ConsentAction::Grant, recent),
                12..=14 => {
                    record(&mut client, ConsentAction::Grant, recent);
                    record(&mut client, ConsentAction::Withdraw, recent);
                }
                15..=17 => {}
                _ => record(&mut client, ConsentAction::Grant, old),
            }
            client
        })
        .collect();
    // One record in fifty was merged into its neighbour.
    for i in (1..n).step_by(50) {
        let survivor = clients[i - 1].id;
        clients[i].merged_into = Some(survivor);
    }
    clients
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip_while(|a| a != "--records").skip(1);
    let records: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let clients = population(records);
    let catalogue = shared::Catalogue::current().unwrap();
    let profile = ExportProfile {
        columns: vec![
            Column::RecordId,
            Column::GivenName,
            Column::FamilyName,
            Column::DateOfBirth,
            Column::Community,
            Column::Phone,
            Column::PreferredLanguage,
            Column::Referrals,
            Column::ConsentDate,
        ],
        consent_valid_days: Some(365),
        ..ExportProfile::minimal(
            PartnerCode::new("nu.health"),
            vec![PurposeCode::new("referral")],
        )
    };
    let purpose = PurposeCode::new("referral");
    let (_, recipient) = shared::crypto::recovery::generate_office_keypair();
    let mut rule = Vec::new();
    let mut seal = Vec::new();
    let mut last = None;
    for _ in 0..5 {
        let start = Instant::now();
        let done = export(
            &clients,
            &ExportRequest {
                profile: &profile,
                purpose: &purpose,
                catalogue,
                today: CalendarDate::new(2026, 12, 1).unwrap(),
                by: "bench",
                at: Timestamp(3_000),
                export: uuid::Uuid::new_v4(),
            },
        );
        rule.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let sealed = shared::crypto::recovery::seal_bytes(done.csv.as_bytes(), &recipient).unwrap();
        seal.push(start.elapsed().as_secs_f64());
        last = Some((done, sealed.len()));
    }
    let (done, sealed_bytes) = last.unwrap();
    println!(
        "export of {records} records: {} released, left out {:?}, {} redirects; CSV {} bytes, sealed {} bytes",
        done.released(),
        done.left_out,
        done.redirects,
        done.csv.len(),
        sealed_bytes
    );
    println!(
        "  consent rule + CSV + disclosures: median {:.3} s; sealing: median {:.3} s (5 runs)",
        median(rule),
        median(seal)
    );

    // The node reads every record from its saved document first.
    let author = Author {
        agent: AgentId::random(),
        device: DeviceId::random(),
    };
    let saved: Vec<(ClientId, Vec<u8>)> = clients
        .iter()
        .map(|c| {
            (
                c.id,
                ClientDoc::create(c, author, Timestamp(1)).unwrap().save(),
            )
        })
        .collect();
    let reader = DeviceId(uuid::Uuid::nil());
    let start = Instant::now();
    let read: Vec<Client> = saved
        .iter()
        .map(|(_, bytes)| ClientDoc::load(bytes, reader).unwrap().read().unwrap())
        .collect();
    println!(
        "  reading the {} records back from their documents: {:.3} s",
        read.len(),
        start.elapsed().as_secs_f64()
    );
}
