//! Forged changes: honest changes decoded, their fields rewritten (sequence, op numbering,
//! dependencies, each operation's object, key, element, insert flag, overwritten values,
//! action, order and author) and encoded again — valid chunks with a valid checksum, so they
//! get past the parser and test what a hostile build could sign. Without `shared::doc::admit`
//! about one in thirteen of them panics Automerge (`docs/RELIABILITY.md`); with it none may,
//! and an honest change still applies afterwards.
//!
//! Runs `FUZZ_SECONDS` (default 3; CI sets 60) from `FUZZ_SEED` (default from the clock, printed).

#![allow(clippy::unwrap_used, clippy::print_stdout)] // test code

use std::num::NonZeroU64;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use automerge::legacy::{ElementId, Key, ObjectId, OpId, OpType};
use automerge::{Change, ObjType, ScalarValue};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use shared::ClientDoc;
use shared::ids::DeviceId;

/// The seeded generator, asked only for indices below a bound and raw words.
struct Rng(StdRng);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0.random()
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n.max(1))
    }
}

/// The committed corpus (the node's and laptop's fuzz loop uses it too), in sequence order.
fn seeds() -> Vec<Change> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/changes");
    let mut seeds: Vec<Change> = ["created.bin", "edited.bin", "noted.bin"]
        .iter()
        .map(|name| Change::from_bytes(std::fs::read(dir.join(name)).unwrap()).unwrap())
        .collect();
    seeds.sort_by_key(Change::seq);
    seeds
}

fn op_ids(changes: &[Change]) -> Vec<OpId> {
    changes
        .iter()
        .flat_map(|change| {
            let expanded = change.decode();
            let start = expanded.start_op.get();
            (0..expanded.operations.len() as u64)
                .map(move |i| OpId(start + i, expanded.actor_id.clone()))
        })
        .collect()
}

fn any_id(rng: &mut Rng, ids: &[OpId]) -> OpId {
    ids[rng.below(ids.len())].clone()
}

fn forge(rng: &mut Rng, seeds: &[Change], ids: &[OpId]) -> Change {
    let mut change = seeds[rng.below(seeds.len())].decode();
    for _ in 0..=rng.below(3) {
        let n = change.operations.len();
        if n == 0 {
            break;
        }
        let at = rng.below(n);
        match rng.below(12) {
            0 => change.seq = rng.below(4) as u64,
            1 => change.start_op = NonZeroU64::new(1 + rng.below(200) as u64).unwrap(),
            2 => {
                change.deps = seeds
                    .iter()
                    .filter(|_| rng.below(2) == 0)
                    .map(Change::hash)
                    .collect();
                if rng.below(4) == 0
                    && let Some(&dep) = change.deps.first()
                {
                    change.deps.push(dep);
                }
            }
            3 => {
                change.operations[at].obj = match rng.below(3) {
                    0 => ObjectId::Root,
                    _ => ObjectId::Id(any_id(rng, ids)),
                }
            }
            4 => {
                change.operations[at].key = match rng.below(3) {
                    0 => Key::Seq(ElementId::Head),
                    1 => Key::Seq(ElementId::Id(any_id(rng, ids))),
                    _ => Key::Map(["", "x", "identity", "\u{0}"][rng.below(4)].into()),
                }
            }
            5 => change.operations[at].insert ^= true,
            6 => {
                let mut pred: Vec<OpId> = (0..rng.below(3)).map(|_| any_id(rng, ids)).collect();
                pred.sort_by(|a, b| (a.0, a.1.to_bytes()).cmp(&(b.0, b.1.to_bytes())));
                pred.dedup();
                change.operations[at].pred = pred.into_iter().collect();
            }
            7 => {
                change.operations[at].action = match rng.below(10) {
                    0 => OpType::Delete,
                    1 => OpType::Make(ObjType::Map),
                    2 => OpType::Make(ObjType::List),
                    3 => OpType::Put(ScalarValue::Int(rng.next().cast_signed())),
                    4 => OpType::Put(ScalarValue::Uint(rng.next())),
                    5 => OpType::Put(ScalarValue::F64(f64::NAN)),
                    6 => OpType::Put(ScalarValue::Bytes(vec![0xff; rng.below(64)])),
                    7 => OpType::Put(ScalarValue::Timestamp(rng.next().cast_signed())),
                    8 => OpType::Put(ScalarValue::Null),
                    _ => OpType::Put(ScalarValue::Str("v".repeat(rng.below(300)).into())),
                }
            }
            8 => change.operations.swap(at, rng.below(n)),
            9 => {
                change.operations.remove(at);
            }
            10 => {
                let op = change.operations[at].clone();
                change.operations.insert(rng.below(n), op);
            }
            _ => change.actor_id = seeds[rng.below(seeds.len())].decode().actor_id,
        }
    }
    change.hash = None;
    Change::from(change)
}

/// A forged change that builds on `first` (its author's next, numbered after it), so a batch
/// holds a chain the check must order and judge as a whole.
fn follow_up(rng: &mut Rng, first: &Change, seeds: &[Change], ids: &[OpId]) -> Change {
    let first = first.decode();
    let mut ids = ids.to_vec();
    let start = first.start_op.get();
    ids.extend((0..first.operations.len() as u64).map(|i| OpId(start + i, first.actor_id.clone())));
    let mut next = forge(rng, seeds, &ids).decode();
    next.actor_id = first.actor_id.clone();
    next.seq = first.seq + 1;
    next.start_op =
        NonZeroU64::new(start + first.operations.len() as u64).unwrap_or(first.start_op);
    next.deps = vec![Change::from(first).hash()];
    next.hash = None;
    Change::from(next)
}

#[test]
fn forged_changes_never_panic_the_crdt_library_and_the_document_keeps_working() {
    let seeds = seeds();
    let ids = op_ids(&seeds);
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::try_from(shared::time::Timestamp::now().0).unwrap() | 1);
    println!("forged: FUZZ_SEED={seed} for {seconds} s");
    let mut rng = Rng(StdRng::seed_from_u64(seed));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut admitted, mut refused, mut rounds, mut chains) = (0u64, 0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        // A copy holding none, some or all of the honest history, then one forged change or a
        // chain of two in either order.
        let holding = rng.below(seeds.len() + 1);
        let first = forge(&mut rng, &seeds, &ids);
        let mut forged = vec![first.raw_bytes().to_vec()];
        if rng.below(3) == 0 {
            let next = follow_up(&mut rng, &first, &seeds, &ids);
            forged.insert(rng.below(2), next.raw_bytes().to_vec());
        }
        let mut doc = ClientDoc::empty(DeviceId::random());
        doc.apply_changes(seeds[..holding].iter().map(|c| c.raw_bytes().to_vec()))
            .unwrap();
        let chain = forged.len() == 2;
        let outcome = catch_unwind(AssertUnwindSafe(|| doc.apply_changes(forged)));
        match outcome {
            Ok(Ok(())) => {
                admitted += 1;
                chains += u64::from(chain);
                // What node and laptop do next with an admitted change: read, walk, save, load.
                let after = catch_unwind(AssertUnwindSafe(|| {
                    let _ = doc.check_and_read();
                    let _ = doc.conflicts();
                    ClientDoc::load(&doc.save(), DeviceId::random()).map(|_| ())
                }));
                assert!(
                    matches!(after, Ok(Ok(()))),
                    "an admitted change broke the document (FUZZ_SEED={seed}, round {rounds}): {after:?}"
                );
            }
            Ok(Err(_)) => refused += 1,
            Err(_) => panic!(
                "a forged change panicked the CRDT library (FUZZ_SEED={seed}, round {rounds})"
            ),
        }
        // The copy still takes the rest of the honest history.
        let rest = seeds[holding..].iter().map(|c| c.raw_bytes().to_vec());
        assert!(
            doc.apply_changes(rest).is_ok() || admitted > 0,
            "FUZZ_SEED={seed}, round {rounds}"
        );
        rounds += 1;
    }
    println!(
        "forged: {rounds} batches, {admitted} admitted ({chains} of them chains of two), {refused} refused, no panic"
    );
    assert!(rounds > 0 && refused > 0);
}
