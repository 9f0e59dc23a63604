//! Candidate pairs: records that share at least one blocking key. Several keys, so a pair of
//! one person's records survives any one field being missing, mistyped or swapped: both name
//! spelling keys together (either order), one name's key with the birth year or with the community, the full date of
//! birth with day and month in either order, the first letters of both names, a known variant
//! of the given name with the family key, identifiers, and an address's house number and
//! street or its postcode with the family name. A key shared by more records than
//! `max_block` is skipped (it says little; another key still pairs true matches).

use foldhash::{HashMap, HashMapExt as _};
use std::hash::{DefaultHasher, Hash, Hasher};

use super::Prepared;
use crate::matching::names::NameWord;
use crate::matching::nicknames::variants_of;

fn hash_of(parts: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    parts.hash(&mut hasher);
    hasher.finish()
}

fn prefix(key: &str, letters: usize) -> &str {
    let end = key
        .char_indices()
        .nth(letters)
        .map_or(key.len(), |(i, _)| i);
    &key[..end]
}

/// A blocking key, and whether it is *broad*: it pairs many records of different people who
/// share a household or a community, which would teach the model that such pairs look like
/// matches. Broad pairs are scored but not trained on.
fn keys_of(record: &Prepared) -> Vec<(u64, bool)> {
    let mut keys = Vec::new();
    let mut broad = Vec::new();
    let given: Vec<&NameWord> = record.given_all.iter().collect();
    let family: Vec<&NameWord> = record.family_all.iter().collect();
    for g in &given {
        for f in &family {
            if g.key == f.key {
                continue;
            }
            let (low, high) = if g.key < f.key {
                (&g.key, &f.key)
            } else {
                (&f.key, &g.key)
            };
            keys.push(hash_of(("names", low, high)));
            let (gp, fp) = (prefix(&g.key, 3), prefix(&f.key, 3));
            let (low, high) = if gp < fp { (gp, fp) } else { (fp, gp) };
            keys.push(hash_of(("starts", low, high)));
        }
    }
    if let Some(community) = &record.community {
        for word in given.iter().chain(&family) {
            broad.push(hash_of(("name-community", &word.key, community)));
        }
    }
    if let Some(birth) = record.birth {
        for word in given.iter().chain(&family) {
            keys.push(hash_of(("name-year", &word.key, birth.year)));
        }
        if let (Some(month), Some(day)) = (birth.month, birth.day) {
            keys.push(hash_of((
                "date",
                birth.year,
                month.min(day),
                month.max(day),
            )));
        }
    }
    for g in &record.given {
        for variant in variants_of(&g.folded) {
            for f in &family {
                keys.push(hash_of(("variant", NameWord::new(variant).key, &f.key)));
            }
        }
    }
    // One address written two ways: people of one household share these too (broad).
    let address = record.address.blocking_parts();
    for (house, street) in address.houses {
        broad.push(hash_of(("house", house, street)));
    }
    if let Some(postcode) = address.postcode {
        for word in &family {
            broad.push(hash_of(("postcode-family", postcode, &word.key)));
        }
    }
    for (kind, value) in [("band", &record.band_number), ("phone", &record.phone)] {
        if let Some(value) = value {
            keys.push(hash_of((kind, value)));
        }
    }
    let mut all: Vec<(u64, bool)> = keys
        .into_iter()
        .map(|k| (k, false))
        .chain(broad.into_iter().map(|k| (k, true)))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// A pair of records `(i, j)`, `i < j`, sharing at least one blocking key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// One record's index.
    pub i: u32,
    /// The other's.
    pub j: u32,
    /// Paired only by broad keys (scored, not trained on).
    pub broad: bool,
}

/// Every pair of records sharing a blocking key, once.
#[must_use]
pub fn candidate_pairs(records: &[Prepared], max_block: usize) -> Vec<Candidate> {
    let mut blocks: HashMap<(u64, bool), Vec<u32>> = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        for key in keys_of(record) {
            blocks.entry(key).or_default().push(index);
        }
    }
    // Low bit: 0 when a narrow key pairs them, so after sorting the narrow entry comes first.
    let mut pairs: Vec<(u64, bool)> = Vec::new();
    for ((_, broad), members) in &blocks {
        if members.len() < 2 || members.len() > max_block {
            continue;
        }
        for (n, &i) in members.iter().enumerate() {
            for &j in &members[n + 1..] {
                let (low, high) = if i < j { (i, j) } else { (j, i) };
                pairs.push(((u64::from(low) << 32) | u64::from(high), *broad));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup_by_key(|(pair, _)| *pair);
    #[allow(clippy::cast_possible_truncation)]
    pairs
        .into_iter()
        .map(|(p, broad)| Candidate {
            i: (p >> 32) as u32,
            j: p as u32,
            broad,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ClientId;
    use crate::matching::linkage::PersonRecord;

    fn record(given: &str, family: &str, address: &str) -> Prepared {
        let mut record = PersonRecord::new(ClientId::random());
        record.given = vec![given.into()];
        record.family = vec![family.into()];
        record.address = Some(address.into());
        Prepared::new(&record)
    }

    #[test]
    fn one_address_written_two_ways_pairs_records_whose_names_say_little() {
        // A register's stand-in for the given name, a slip in the family name, no date.
        let pairs = candidate_pairs(
            &[
                record("Unknown", "Morrison", "42 parnell place davistown nsw 2580"),
                record("Unknown", "Morrion", "42 parnelll place davistown nsw 2580"),
                record("Renee", "White", "22 warrego circuit burnside 3040"),
                record("Whitbe", "Alexa-Rose", "22 warregocircuit burnslde 3040"),
                record("Mary", "Nowdlak", "7 other road elsewhere 9999"),
            ],
            400,
        );
        let pairs: Vec<(u32, u32)> = pairs.iter().map(|c| (c.i, c.j)).collect();
        assert!(pairs.contains(&(0, 1)), "{pairs:?}");
        assert!(pairs.contains(&(2, 3)), "{pairs:?}");
        assert!(!pairs.iter().any(|(i, j)| *i == 4 || *j == 4), "{pairs:?}");
    }
}
