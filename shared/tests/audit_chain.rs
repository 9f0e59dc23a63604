//! Tamper evidence of the audit chain (issue 12), on a 1,000-entry chain a node anchored at its
//! head: deleting, editing (with or without re-hashing), swapping or truncating any entry, and
//! restoring an older copy and continuing, are each detected every time — by the whole-chain
//! check (`audit verify`) and, for what a device sends next, by the node's extension check.
//! An untampered chain never alarms. The cases tried are counted.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use shared::audit::{Anchor, AuditAction, AuditEntry, verify_chain, verify_extension};
use shared::ids::{AgentId, ClientId, DeviceId};
use shared::time::Timestamp;

const ENTRIES: usize = 1_000;

fn chain(device: DeviceId, from: Option<&AuditEntry>, n: usize, salt: i64) -> Vec<AuditEntry> {
    let agent = AgentId::random();
    let mut out: Vec<AuditEntry> = Vec::with_capacity(n);
    for i in 0..n {
        let prev = out.last().or(from);
        let action = [AuditAction::View, AuditAction::Edit, AuditAction::Create][i % 3];
        let record = (i % 5 != 0).then(ClientId::random);
        out.push(AuditEntry::next(
            prev,
            device,
            agent,
            action,
            record,
            Timestamp(salt + i as i64),
        ));
    }
    out
}

fn head(entries: &[AuditEntry]) -> Anchor {
    let last = entries.last().unwrap();
    Anchor {
        seq: last.seq,
        hash: last.hash,
    }
}

#[test]
fn every_tampering_of_a_1000_entry_chain_is_detected_and_an_intact_chain_never_alarms() {
    let device = DeviceId::random();
    let original = chain(device, None, ENTRIES, 1_000);
    let anchor = Some(head(&original));
    assert_eq!(
        verify_chain(&original, device, anchor),
        Ok(anchor),
        "intact"
    );
    assert_eq!(
        verify_chain(&original, device, None),
        Ok(anchor),
        "intact, no anchor yet"
    );
    let tried = std::cell::Cell::new(0);
    let detect = |tampered: &[AuditEntry], what: &str| {
        tried.set(tried.get() + 1);
        assert!(
            verify_chain(tampered, device, anchor).is_err(),
            "{what} not detected"
        );
    };
    for i in 0..ENTRIES {
        let mut deleted = original.clone();
        deleted.remove(i);
        detect(&deleted, &format!("deleting entry {}", i + 1));

        let mut edited = original.clone();
        edited[i].record = Some(ClientId::random());
        detect(&edited, &format!("editing entry {}", i + 1));

        let mut rehashed = original.clone();
        rehashed[i].action = AuditAction::Print;
        rehashed[i].hash = rehashed[i].digest();
        detect(
            &rehashed,
            &format!("editing and re-hashing entry {}", i + 1),
        );

        if i + 1 < ENTRIES {
            let mut swapped = original.clone();
            swapped.swap(i, i + 1);
            detect(
                &swapped,
                &format!("swapping entries {} and {}", i + 1, i + 2),
            );
        }

        let truncated = &original[..i];
        detect(truncated, &format!("truncating to {i} entries"));
    }
    // Restoring an older copy (any length) and continuing.
    for kept in (0..ENTRIES).step_by(37) {
        let mut restored = original[..kept].to_vec();
        let more = chain(device, restored.last(), 50 + kept % 1_100, 9_000_000);
        restored.extend(&more);
        detect(
            &restored,
            &format!("restoring a copy of {kept} entries and continuing"),
        );
        // What that device sends the node next: what it believes is new.
        tried.set(tried.get() + 1);
        assert!(
            verify_extension(&more, device, anchor).is_err(),
            "the node accepted a chain restored at {kept}"
        );
    }
    // The node's check of honest increments never alarms.
    let mut accepted = None;
    for piece in original.chunks(97) {
        accepted = verify_extension(piece, device, accepted).unwrap();
    }
    assert_eq!(accepted, anchor);
    // Another device's entries in this chain.
    let mut foreign = original.clone();
    let other = chain(DeviceId::random(), None, 1, 5);
    foreign[10] = AuditEntry {
        seq: 11,
        prev: original[9].hash,
        ..other[0]
    };
    detect(&foreign, "an entry of another device");
    println!("{} tamperings tried, every one detected", tried.get());
    assert!(tried.get() > 4 * ENTRIES);
}

#[test]
fn entries_round_trip_and_hold_no_more_than_ids() {
    let device = DeviceId::random();
    let entries = chain(device, None, 20, 7);
    for entry in &entries {
        let bytes = entry.encode();
        assert_eq!(bytes.len(), shared::audit::ENTRY_BYTES);
        assert_eq!(AuditEntry::decode(&bytes), Some(*entry));
    }
    assert_eq!(AuditEntry::decode(&[0; 3]), None);
}
