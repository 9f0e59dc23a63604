//! Person-matcher quality and speed (issue 11): pairwise precision, recall and F1 of bulk
//! dedup on a labelled noisy population (see `support/people.rs`), per noise kind, and the
//! time dedup takes. The labels are used only to score, never to fit.
//!
//! `cargo bench -p shared --bench matcher` (5,000 and 100,000 records);
//! `-- --records N` for one size.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::cast_precision_loss)]

/// The allocator the binaries that run the matcher use (`sync-server`, `field-app`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/people.rs"]
mod people;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use shared::ids::ClientId;
use shared::matching::linkage::{DedupOptions, clusters, find_duplicates};

struct Score {
    precision: f64,
    recall: f64,
    f1: f64,
}

fn score(
    predicted: &HashSet<(ClientId, ClientId)>,
    truth: &HashSet<(ClientId, ClientId)>,
) -> Score {
    let hits = predicted.iter().filter(|p| truth.contains(p)).count() as f64;
    let precision = hits / predicted.len().max(1) as f64;
    let recall = hits / truth.len().max(1) as f64;
    Score {
        precision,
        recall,
        f1: 2.0 * precision * recall / (precision + recall).max(f64::EPSILON),
    }
}

fn ordered(a: ClientId, b: ClientId) -> (ClientId, ClientId) {
    if a < b { (a, b) } else { (b, a) }
}

fn run(people: usize, repeats: usize) {
    let batch = people::noisy_batch(42 + people as u64, people);
    let mut by_person: HashMap<usize, Vec<ClientId>> = HashMap::new();
    for (record, person) in batch.records.iter().zip(&batch.person_of) {
        by_person.entry(*person).or_default().push(record.id);
    }
    let mut truth = HashSet::new();
    for ids in by_person.values() {
        for (n, a) in ids.iter().enumerate() {
            for b in &ids[n + 1..] {
                truth.insert(ordered(*a, *b));
            }
        }
    }
    let mut times = Vec::new();
    let mut report = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let found = find_duplicates(
            &batch.records,
            &DedupOptions {
                // The lower threshold shows the F1 curve; at 100,000 records the pairs it keeps
                // (with their evidence) no longer fit in memory.
                threshold: if std::env::var_os("MATCHER_DEBUG").is_some() && people <= 20_000 {
                    0.1
                } else {
                    0.5
                },
                ..DedupOptions::default()
            },
        );
        times.push(start.elapsed().as_secs_f64());
        report = Some(found);
    }
    times.sort_by(f64::total_cmp);
    let report = report.unwrap();
    let direct: HashSet<_> = report.pairs.iter().map(|p| ordered(p.a, p.b)).collect();
    let mut grouped = HashSet::new();
    for group in clusters(&report.pairs) {
        for (n, a) in group.iter().enumerate() {
            for b in &group[n + 1..] {
                grouped.insert(ordered(*a, *b));
            }
        }
    }
    let pairs = score(&direct, &truth);
    let groups = score(&grouped, &truth);
    println!(
        "matcher records={} people={people} true_pairs={} candidates={} proposed={} em_iterations={} prior={:.4}",
        batch.records.len(),
        truth.len(),
        report.candidates,
        report.pairs.len(),
        report.model.iterations,
        report.model.prior,
    );
    println!(
        "  pairs:    precision={:.4} recall={:.4} f1={:.4}",
        pairs.precision, pairs.recall, pairs.f1
    );
    println!(
        "  clusters: precision={:.4} recall={:.4} f1={:.4}",
        groups.precision, groups.recall, groups.f1
    );
    println!(
        "  dedup time: median {:.3} s over {repeats} run(s) (min {:.3}, max {:.3})",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    if std::env::var_os("MATCHER_DEBUG").is_some() {
        println!("  m={:.4?}\n  u={:.4?}", report.model.m, report.model.u);
        let by_id: HashMap<ClientId, &shared::matching::linkage::PersonRecord> =
            batch.records.iter().map(|r| (r.id, r)).collect();
        let show = |r: &shared::matching::linkage::PersonRecord| {
            format!(
                "{:?} {:?} {:?} {:?} {:?}",
                r.given,
                r.family,
                r.birth.map(|b| (b.year, b.month, b.day)),
                r.sex,
                r.community
            )
        };
        for t in [0.2, 0.3, 0.5, 0.7, 0.9, 0.97] {
            let at: HashSet<_> = report
                .pairs
                .iter()
                .filter(|p| p.probability >= t)
                .map(|p| ordered(p.a, p.b))
                .collect();
            let s = score(&at, &truth);
            println!(
                "  threshold {t}: precision={:.4} recall={:.4} f1={:.4}",
                s.precision, s.recall, s.f1
            );
        }
        let cands: HashSet<(ClientId, ClientId)> = {
            let prepared: Vec<_> = batch
                .records
                .iter()
                .map(shared::matching::linkage::Prepared::new)
                .collect();
            shared::matching::linkage::candidate_pairs(&prepared, 400)
                .into_iter()
                .map(|c| {
                    ordered(
                        batch.records[c.i as usize].id,
                        batch.records[c.j as usize].id,
                    )
                })
                .collect()
        };
        println!(
            "  blocking recall={:.4}",
            truth.iter().filter(|p| cands.contains(p)).count() as f64 / truth.len() as f64
        );
        for p in report
            .pairs
            .iter()
            .filter(|p| !truth.contains(&ordered(p.a, p.b)))
            .take(8)
        {
            println!(
                "  FP {:.2} {} | {}",
                p.weight,
                show(by_id[&p.a]),
                show(by_id[&p.b])
            );
            println!(
                "     {:?}",
                p.evidence
                    .iter()
                    .map(|e| format!("{}={} {:.1}", e.field.name(), e.level, e.weight))
                    .collect::<Vec<_>>()
            );
        }
        let prepared: HashMap<ClientId, shared::matching::linkage::Prepared> = batch
            .records
            .iter()
            .map(|r| (r.id, shared::matching::linkage::Prepared::new(r)))
            .collect();
        for (a, b) in truth.difference(&direct).take(12) {
            let (w, _, ev) = report.model.score(&prepared[a], &prepared[b]);
            println!("  FN {:.2} {} | {}", w, show(by_id[a]), show(by_id[b]));
            println!(
                "     {:?}",
                ev.iter()
                    .map(|e| format!("{}={} {:.1}", e.field.name(), e.level, e.weight))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let records = args
        .iter()
        .position(|a| a == "--records")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse::<usize>().ok());
    match records {
        Some(n) => run(n * 100 / 167, 3),
        None => {
            run(3_000, 5);
            run(60_000, 1);
        }
    }
}
