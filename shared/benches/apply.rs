//! What applying a received change costs, admission check included (`shared::doc::admit`):
//! a new record's one change into an empty document (the common upload), and one more edit
//! into a record with a long history (the check reads the history it is checked against).
//!
//! `cargo bench -p shared --bench apply`; `-- --edits N` for another history length.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

use std::time::Instant;

use shared::ClientDoc;
use shared::doc::Author;
use shared::ids::{AgentId, CommunityCode, DeviceId, NoteId};
use shared::model::{Client, Identity, Note};
use shared::time::Timestamp;

fn record(i: usize, author: Author) -> Client {
    let identity = Identity {
        given_name: format!("Given{i}"),
        family_name: format!("Family{}", i % 997),
        community: CommunityCode::new("nu.pangnirtung"),
        ..Identity::default()
    };
    let mut client = Client::new(identity, author.agent, author.device, Timestamp(1_000));
    client.identity.contact.phone = Some(format!("867-555-{:04}", i % 10_000));
    for n in 0..3 {
        client.notes.push(Note {
            id: NoteId::random(),
            author: author.agent,
            written_at: Timestamp(2_000 + n),
            text: format!("note {n} for record {i}, with ᐃᓄᒃᑎᑐᑦ text"),
        });
    }
    client
}

fn median(mut micros: Vec<f64>) -> f64 {
    micros.sort_by(f64::total_cmp);
    micros[micros.len() / 2]
}

fn main() {
    let edits: usize = std::env::args()
        .skip_while(|a| a != "--edits")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let author = Author {
        agent: AgentId::random(),
        device: DeviceId::random(),
    };

    // New records: each one change, applied to an empty document.
    let firsts: Vec<Vec<u8>> = (0..2_000)
        .map(|i| {
            let mut doc = ClientDoc::empty(author.device);
            let change = doc.write(&record(i, author), author, Timestamp(1_000));
            change.unwrap().unwrap().bytes
        })
        .collect();
    let mut times = Vec::new();
    for change in &firsts {
        let start = Instant::now();
        let mut doc = ClientDoc::empty(DeviceId::random());
        doc.apply_changes([change.clone()]).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    println!(
        "apply: a new record's change into an empty document: median {:.1} µs ({} records, {} B a change)",
        median(times),
        firsts.len(),
        firsts[0].len()
    );

    // One edit more on a record `edits` changes long, as a node or laptop receives it.
    let mut source = ClientDoc::empty(author.device);
    let mut client = record(0, author);
    let mut history = vec![
        source
            .write(&client, author, Timestamp(1_000))
            .unwrap()
            .unwrap()
            .bytes,
    ];
    for n in 0..edits {
        client.identity.preferred_name = Some(format!("Edit {n}"));
        let at = Timestamp(2_000 + n as i64);
        history.push(source.write(&client, author, at).unwrap().unwrap().bytes);
    }
    let last = history.pop().unwrap();
    let mut holder = ClientDoc::empty(DeviceId::random());
    holder.apply_changes(history).unwrap();
    let saved = holder.save();
    let mut times = Vec::new();
    for _ in 0..300 {
        let mut doc = ClientDoc::load(&saved, DeviceId::random()).unwrap();
        let start = Instant::now();
        doc.apply_changes([last.clone()]).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    println!(
        "apply: one edit into a record {edits} changes long: median {:.1} µs",
        median(times)
    );
}
