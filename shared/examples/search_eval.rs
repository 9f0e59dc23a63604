//! The search on records and queries from outside the repo (`scripts/search-eval/run.sh`: public
//! record-linkage data): the wanted record first and in the top 5, per kind of query.
//!
//! `cargo run --release -p shared --example search_eval -- records.jsonl queries.jsonl`
//! where a record line is `{"id", "given", "family", "birth"}` and a query line is
//! `{"kind", "text", "want"}` (`want` is a record's `id`).
#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde::Deserialize;
use shared::ids::{ClientId, CommunityCode};
use shared::matching::{Person, SearchIndex, SearchQuery};

#[derive(Deserialize)]
struct Record {
    id: String,
    given: String,
    family: String,
    birth: String,
}

#[derive(Deserialize)]
struct Query {
    kind: String,
    text: String,
    want: String,
}

/// A record's id as a client id: a digest, so that namesakes (which tie) are in no set order.
fn client_id(id: &str) -> ClientId {
    let digest = ring::digest::digest(&ring::digest::SHA256, id.as_bytes());
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest.as_ref()[..16]);
    ClientId(uuid::Uuid::from_bytes(bytes))
}

fn lines<T: for<'de> Deserialize<'de>>(path: &str) -> anyhow::Result<Vec<T>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            serde_json::from_str(line).with_context(|| format!("{path} line {}", n + 1))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    asked: usize,
    first: usize,
    tied: usize,
    top5: usize,
    nothing: usize,
}

impl std::ops::AddAssign<&Tally> for Tally {
    fn add_assign(&mut self, other: &Tally) {
        self.asked += other.asked;
        self.first += other.first;
        self.tied += other.tied;
        self.top5 += other.top5;
        self.nothing += other.nothing;
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, records, queries] = args.as_slice() else {
        bail!("usage: search_eval RECORDS.jsonl QUERIES.jsonl");
    };
    let records: Vec<Record> = lines(records)?;
    let queries: Vec<Query> = lines(queries)?;
    let community = CommunityCode::new("X");
    let mut index = SearchIndex::default();
    let mut names_of: HashMap<ClientId, String> = HashMap::new();
    for record in &records {
        let id = client_id(&record.id);
        let names: Vec<&str> = [record.given.as_str(), record.family.as_str()]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
        index.upsert(&Person {
            id,
            names: &names,
            date_of_birth: (!record.birth.is_empty()).then_some(record.birth.as_str()),
            community: &community,
            last_changed: None,
        });
        names_of.insert(id, format!("{} {}", record.given, record.family));
    }
    // SEARCH_DEBUG=N prints up to N misses of each kind.
    let shown = std::env::var("SEARCH_DEBUG").map_or(0, |v| v.parse().unwrap_or(4));
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut times = Vec::new();
    for query in &queries {
        let want = client_id(&query.want);
        let start = Instant::now();
        let hits = index.search(&SearchQuery {
            text: query.text.clone(),
            community: None,
            limit: 5,
        });
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let rank = hits.iter().position(|h| h.id == want);
        let tally = tallies.entry(&query.kind).or_default();
        tally.asked += 1;
        tally.first += usize::from(rank == Some(0));
        tally.tied += usize::from(rank.is_some_and(|r| r > 0 && hits[r].score == hits[0].score));
        tally.top5 += usize::from(rank.is_some());
        tally.nothing += usize::from(hits.is_empty());
        if rank != Some(0) && tally.asked - tally.first <= shown {
            let got: Vec<_> = hits.iter().map(|h| (h.score, &names_of[&h.id])).collect();
            println!(
                "    miss {:?} wanted {:?}: got {got:?}",
                query.text, names_of[&want]
            );
        }
    }
    println!(
        "search on {} records, {} queries",
        records.len(),
        queries.len()
    );
    let mut all = Tally::default();
    for (kind, t) in &tallies {
        print_row(kind, t);
        all += t;
    }
    print_row("all kinds", &all);
    times.sort_by(f64::total_cmp);
    if let (Some(median), Some(worst)) = (times.get(times.len() / 2), times.last()) {
        println!("  lookup median {median:.2} ms, slowest {worst:.2} ms");
    }
    Ok(())
}

fn print_row(kind: &str, t: &Tally) {
    let share = |n: usize| 100.0 * n as f64 / t.asked.max(1) as f64;
    println!(
        "  {kind:<20} first {:5.1} %  first or tied {:5.1} %  top5 {:5.1} %  nothing {:3}  ({} queries)",
        share(t.first),
        share(t.first + t.tied),
        share(t.top5),
        t.nothing,
        t.asked
    );
}
