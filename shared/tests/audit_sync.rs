//! A device's audit trail reaching a node (issue 12), through the wire form: the device picks
//! what the node does not hold and checks its own chain (`entries_to_send`, `device_check`),
//! the run is encoded and decoded, and the node checks it against its anchor (`receive`).
//!
//! On a 1,000-entry chain anchored at the node at 0, 500 or 1,000 entries, every kind of
//! tampering — deleting, editing, editing and re-hashing, swapping, truncating, restoring an
//! older copy — at positions across the chain, followed by the device going on working, is
//! flagged at the next sync; an honest device syncing in uneven steps never is. Cases that no
//! one can tell from honest work (cutting or rewriting entries the node never saw, *at the
//! end* of the chain) are counted apart and explained.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use shared::audit::{
    Anchor, AuditAction, AuditEntry, ChainBreak, device_check, entries_to_send, receive,
};
use shared::ids::{AgentId, ClientId, DeviceId};
use shared::protocol::AuditRun;
use shared::time::Timestamp;

const CHAIN: u64 = 1_000;

fn device() -> DeviceId {
    DeviceId(uuid::Uuid::from_u128(0xd1))
}

fn agent() -> AgentId {
    AgentId(uuid::Uuid::from_u128(0xa1))
}

/// Appends `n` honest entries (the device going on working).
fn work(chain: &mut Vec<AuditEntry>, n: u64, salt: u128) {
    for i in 0..n {
        let action = if i % 3 == 0 {
            AuditAction::Edit
        } else {
            AuditAction::View
        };
        let record = (i % 4 != 3)
            .then(|| ClientId(uuid::Uuid::from_u128(salt * 1_000 + u128::from(i % 17))));
        let at = Timestamp(1_780_000_000_000 + i64::try_from(chain.len()).unwrap() * 1_000);
        let next = AuditEntry::next(chain.last(), device(), agent(), action, record, at);
        chain.push(next);
    }
}

/// One sync: what the device sends, through the wire, and what the node makes of it.
fn sync(chain: &[AuditEntry], anchor: Option<Anchor>) -> shared::audit::Received {
    // The node tells the device only the anchored sequence number.
    let said = shared::protocol::decode_anchor(&shared::protocol::encode_anchor(anchor)).unwrap();
    let to_send = entries_to_send(chain, said);
    let found = device_check(chain, device(), said);
    let Some(run) = AuditRun::of(to_send, found) else {
        return receive(Vec::new(), [0; 32], None, device(), anchor);
    };
    let run = AuditRun::decode(&run.encode()).expect("a run the device wrote decodes");
    receive(
        run.entries(device(), anchor),
        run.head,
        run.local_check,
        device(),
        anchor,
    )
}

#[derive(Clone, Copy, Debug)]
enum Tamper {
    Delete,
    Edit,
    EditRehashed,
    Swap,
    Truncate,
    RestoreOlderCopy,
}

const TAMPERS: [Tamper; 6] = [
    Tamper::Delete,
    Tamper::Edit,
    Tamper::EditRehashed,
    Tamper::Swap,
    Tamper::Truncate,
    Tamper::RestoreOlderCopy,
];

/// Applies `tamper` at entry `seq` (1-based); `None` when it does not apply there.
fn tampered(chain: &[AuditEntry], tamper: Tamper, seq: u64) -> Option<Vec<AuditEntry>> {
    let at = usize::try_from(seq - 1).unwrap();
    let mut out = chain.to_vec();
    match tamper {
        Tamper::Delete => {
            out.remove(at);
        }
        Tamper::Edit => {
            out[at].action = if out[at].action == AuditAction::View {
                AuditAction::Print
            } else {
                AuditAction::View
            };
        }
        Tamper::EditRehashed => {
            out[at].record = Some(ClientId(uuid::Uuid::from_u128(0xbad)));
            out[at].hash = out[at].digest();
        }
        Tamper::Swap => {
            if at + 1 >= out.len() {
                return None;
            }
            out.swap(at, at + 1);
        }
        Tamper::Truncate | Tamper::RestoreOlderCopy => out.truncate(at),
    }
    Some(out)
}

/// Whether no one could tell this from honest work: the change touches only entries the node
/// never saw, and leaves a chain that is whole (a cut or a rewrite of its unsynced end, before
/// the device goes on).
fn undetectable_in_principle(tamper: Tamper, seq: u64, anchored: u64) -> bool {
    seq > anchored
        && match tamper {
            // Cutting the unsynced end (or an older copy that still holds every anchored entry)
            // leaves a shorter honest-looking chain.
            Tamper::Truncate | Tamper::RestoreOlderCopy => true,
            // The last entry removed, or re-hashed, is the same as a cut or an honest entry.
            Tamper::Delete | Tamper::EditRehashed => seq == CHAIN,
            Tamper::Edit | Tamper::Swap => false,
        }
}

fn positions(anchored: u64) -> Vec<u64> {
    let mut seqs: Vec<u64> = (1..=CHAIN).step_by(13).collect();
    seqs.extend([1, 2, 499, 500, 501, 998, 999, CHAIN]);
    if anchored > 0 {
        seqs.extend([anchored - 1, anchored]);
    }
    seqs.sort_unstable();
    seqs.dedup();
    seqs
}

#[test]
fn every_tampering_of_a_1000_entry_chain_is_flagged_at_the_next_sync() {
    let mut base = Vec::new();
    work(&mut base, CHAIN, 1);
    let (mut tried, mut flagged, mut beyond_anyone) = (0, 0, 0);
    for anchored in [0, 500, CHAIN] {
        let anchor = (anchored > 0).then(|| Anchor {
            seq: anchored,
            hash: base[usize::try_from(anchored - 1).unwrap()].hash,
        });
        for tamper in TAMPERS {
            for seq in positions(anchored) {
                let Some(mut chain) = tampered(&base, tamper, seq) else {
                    continue;
                };
                // The device goes on working (a restored copy works differently).
                let salt = if matches!(tamper, Tamper::RestoreOlderCopy) {
                    7
                } else {
                    2
                };
                work(&mut chain, 5, salt);
                if undetectable_in_principle(tamper, seq, anchored) {
                    beyond_anyone += 1;
                    continue;
                }
                tried += 1;
                let received = sync(&chain, anchor);
                assert!(
                    !received.breaks.is_empty(),
                    "{tamper:?} at entry {seq} with the node anchored at {anchored} went unflagged"
                );
                flagged += 1;
                // The trail goes on: the node follows the device's chain from its new head.
                let next = received.anchor.expect("an anchor after a run");
                assert_eq!(next.seq, chain.last().unwrap().seq);
            }
        }
    }
    assert_eq!(tried, flagged);
    assert!(tried > 1_000, "only {tried} cases tried");
    println!(
        "{tried} tamperings tried, {flagged} flagged; {beyond_anyone} left out as indistinguishable from honest work"
    );
}

#[test]
fn an_honest_device_syncing_in_uneven_steps_is_never_flagged() {
    let mut chain = Vec::new();
    let mut anchor = None;
    let mut kept = 0;
    for (round, step) in [1u64, 0, 37, 250, 3, 0, 409, 1, 299]
        .into_iter()
        .enumerate()
    {
        work(&mut chain, step, u128::try_from(round).unwrap() + 3);
        let received = sync(&chain, anchor);
        assert_eq!(received.breaks, Vec::<ChainBreak>::new(), "round {round}");
        kept += received.entries.len();
        anchor = received.anchor;
    }
    assert_eq!(kept, chain.len(), "every entry reached the node once");
    assert_eq!(anchor.map(|a| a.seq), chain.last().map(|e| e.seq));
}

#[test]
fn a_restored_copy_is_flagged_once_and_then_followed() {
    let mut chain = Vec::new();
    work(&mut chain, 300, 1);
    let first = sync(&chain, None);
    assert!(first.breaks.is_empty());
    // The laptop is restored from a copy taken at entry 120 and goes on.
    chain.truncate(120);
    work(&mut chain, 40, 9);
    let restored = sync(&chain, first.anchor);
    assert!(
        restored.breaks.contains(&ChainBreak::Rewound(300)),
        "{:?}",
        restored.breaks
    );
    assert_eq!(
        restored.entries.len(),
        160,
        "the whole restored chain is kept"
    );
    // From then on the node follows the restored chain without flagging it again.
    work(&mut chain, 10, 10);
    let after = sync(&chain, restored.anchor);
    assert!(after.breaks.is_empty(), "{:?}", after.breaks);
    assert_eq!(after.entries.len(), 10);
}

#[test]
fn a_run_costs_about_ten_bytes_an_entry_once_compressed() {
    // A working week: two agents on one laptop open and change 300 different clients, at
    // irregular times (a small generator, so the figure is the same on every run).
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let agents = [agent(), AgentId(uuid::Uuid::from_u128(0xa2))];
    let clients: Vec<ClientId> = (0..300)
        .map(|_| ClientId(uuid::Uuid::from_u64_pair(next(), next())))
        .collect();
    let mut chain: Vec<AuditEntry> = Vec::new();
    let mut at = 1_780_000_000_000_i64;
    for _ in 0..1_000 {
        at += i64::try_from(next() % 600_000).unwrap();
        let roll = next() % 10;
        let action = match roll {
            0 => AuditAction::Unlock,
            1..=2 => AuditAction::Edit,
            3 => AuditAction::Print,
            _ => AuditAction::View,
        };
        let record = (roll != 0).then(|| clients[usize::try_from(next() % 300).unwrap()]);
        let who = agents[usize::try_from(next() % 2).unwrap()];
        let entry = AuditEntry::next(chain.last(), device(), who, action, record, Timestamp(at));
        chain.push(entry);
    }
    let run = AuditRun::of(&chain, None).unwrap().encode();
    let compressed = zstd::bulk::compress(&run, 19).unwrap();
    let whole: usize = chain.iter().map(|e| e.encode().len()).sum();
    let whole_compressed = zstd::bulk::compress(
        &chain.iter().flat_map(|e| e.encode()).collect::<Vec<u8>>(),
        19,
    )
    .unwrap();
    println!(
        "1,000 entries: {} B as a run, {} B compressed ({:.1} B an entry); whole entries {whole} B, {} B compressed",
        run.len(),
        compressed.len(),
        compressed.len() as f64 / 1_000.0,
        whole_compressed.len()
    );
    assert!(compressed.len() < 15 * 1_000, "{} B", compressed.len());
}

#[test]
fn hostile_run_bytes_are_refused_without_panicking() {
    let mut chain = Vec::new();
    work(&mut chain, 50, 5);
    let bytes = AuditRun::of(&chain, None).unwrap().encode();
    for cut in 0..bytes.len() {
        assert!(AuditRun::decode(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut flipped = bytes;
    for i in 0..flipped.len() {
        flipped[i] ^= 0xff;
        let _ = AuditRun::decode(&flipped);
        flipped[i] ^= 0xff;
    }
    // A count far beyond what the bytes hold is refused before anything is allocated.
    let mut huge = vec![1u8];
    huge.extend([0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(AuditRun::decode(&huge).is_err());
}

#[test]
fn audit_verify_finds_every_edit_deletion_swap_and_cut_of_what_the_node_holds() {
    use shared::audit::find_breaks;
    let mut held = Vec::new();
    work(&mut held, CHAIN, 6);
    let anchor = Some(Anchor {
        seq: CHAIN,
        hash: held[usize::try_from(CHAIN - 1).unwrap()].hash,
    });
    assert!(
        find_breaks(&held, device(), anchor).is_empty(),
        "an untampered register holds"
    );
    let mut tried = 0;
    for seq in (1..=CHAIN).step_by(7).chain([CHAIN]) {
        let at = usize::try_from(seq - 1).unwrap();
        let mut edited = held.clone();
        edited[at].action = AuditAction::Export;
        let mut deleted = held.clone();
        deleted.remove(at);
        let mut cut = held.clone();
        cut.truncate(at);
        let mut cases = vec![("edited", edited), ("deleted", deleted), ("cut", cut)];
        if at + 1 < held.len() {
            let mut swapped = held.clone();
            swapped.swap(at, at + 1);
            cases.push(("swapped", swapped));
        }
        for (what, register) in cases {
            tried += 1;
            assert!(
                !find_breaks(&register, device(), anchor).is_empty(),
                "{what} at {seq} went unseen"
            );
        }
    }
    println!("{tried} tamperings of the node's copy tried, every one found");
    assert!(tried > 500);
}
