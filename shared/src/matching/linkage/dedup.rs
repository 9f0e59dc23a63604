//! Bulk dedup: prepare, block, compare (on every core), fit the model, keep the pairs above
//! the threshold, best first. Pairs already decided ("not the same person", merged) are left out.

use std::collections::HashSet;

use super::blocking::Candidate;
use super::compare::{Comparison, Prepared, compare};
use super::model::{Evidence, Model, probability};
use super::{PersonRecord, candidate_pairs};
use crate::ids::ClientId;

/// How to run a dedup.
#[derive(Clone, Debug)]
pub struct DedupOptions {
    /// Smallest probability of "same person" to propose a pair.
    pub threshold: f64,
    /// Blocks larger than this are skipped.
    pub max_block: usize,
    /// Pairs already decided, either order.
    pub decided: HashSet<(ClientId, ClientId)>,
    /// Seed for the random pairs `u` is measured on (same seed, same answer).
    pub seed: u64,
}

impl Default for DedupOptions {
    fn default() -> Self {
        Self {
            threshold: 0.5,
            max_block: 400,
            decided: HashSet::new(),
            seed: 0x5eed,
        }
    }
}

/// A proposed pair.
#[derive(Clone, Debug)]
pub struct ScoredPair {
    /// One record.
    pub a: ClientId,
    /// The other.
    pub b: ClientId,
    /// Probability that they are one person.
    pub probability: f64,
    /// Log2 odds.
    pub weight: f64,
    /// Given and family names matched the other way round.
    pub swapped: bool,
    /// Per field, what agreed (positive) and what disagreed (negative).
    pub evidence: Vec<Evidence>,
}

/// What a dedup found.
#[derive(Debug)]
pub struct DedupReport {
    /// Pairs at or above the threshold, most likely first.
    pub pairs: Vec<ScoredPair>,
    /// Candidate pairs compared.
    pub candidates: usize,
    /// The model estimated on this batch.
    pub model: Model,
}

fn compare_all(records: &[Prepared], pairs: &[Candidate]) -> Vec<Comparison> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = pairs.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|c| compare(&records[c.i as usize], &records[c.j as usize]))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Finds the likely duplicates among `records`.
#[must_use]
pub fn find_duplicates(records: &[PersonRecord], options: &DedupOptions) -> DedupReport {
    let prepared: Vec<Prepared> = records.iter().map(Prepared::new).collect();
    let pairs = candidate_pairs(&prepared, options.max_block);
    let comparisons = compare_all(&prepared, &pairs);
    let training: Vec<Comparison> = pairs
        .iter()
        .zip(&comparisons)
        .filter(|(pair, _)| !pair.broad)
        .map(|(_, c)| *c)
        .collect();
    let model = Model::fit(&prepared, &training, options.seed);

    let mut scored: Vec<ScoredPair> = pairs
        .iter()
        .zip(&comparisons)
        .filter_map(|(pair, comparison)| {
            let (a, b) = (&prepared[pair.i as usize], &prepared[pair.j as usize]);
            if options.decided.contains(&(a.id, b.id)) || options.decided.contains(&(b.id, a.id)) {
                return None;
            }
            let weight = model.weight(comparison, a, b);
            let p = probability(weight);
            (p >= options.threshold).then(|| ScoredPair {
                a: a.id,
                b: b.id,
                probability: p,
                weight,
                swapped: comparison.swapped,
                evidence: model.weigh(comparison, a, b).1,
            })
        })
        .collect();
    scored.sort_by(|x, y| y.weight.total_cmp(&x.weight).then(x.a.cmp(&y.a)));
    DedupReport {
        pairs: scored,
        candidates: pairs.len(),
        model,
    }
}

/// Groups records linked by proposed pairs (each group is one likely person, two or more
/// records).
#[must_use]
pub fn clusters(pairs: &[ScoredPair]) -> Vec<Vec<ClientId>> {
    let mut ids: Vec<ClientId> = pairs.iter().flat_map(|p| [p.a, p.b]).collect();
    ids.sort_unstable();
    ids.dedup();
    let index = |id: &ClientId| ids.binary_search(id).unwrap_or(0);
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for pair in pairs {
        let (a, b) = (
            root(&mut parent, index(&pair.a)),
            root(&mut parent, index(&pair.b)),
        );
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<ClientId>> = Default::default();
    for (i, id) in ids.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().push(*id);
    }
    groups.into_values().collect()
}
