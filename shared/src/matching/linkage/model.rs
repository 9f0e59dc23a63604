//! The Fellegi–Sunter model: a weight per field level, estimated without labels.

use foldhash::{HashMap, HashMapExt as _};

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

use super::compare::{Comparison, Field, Prepared, compare};

/// How much one field's level moved the score (log2 of the likelihood ratio).
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    /// The field.
    pub field: Field,
    /// Its level (see [`Field::levels`]).
    pub level: &'static str,
    /// Positive when it says "same person".
    pub weight: f64,
}

/// Per-field level probabilities among matches (`m`) and non-matches (`u`), the share of
/// matches among candidate pairs, and how common each name is.
#[derive(Clone, Debug)]
pub struct Model {
    /// Chance that two records drawn at random are the same person.
    pub prior: f64,
    /// `m[field][level]`: how often a level happens between two records of one person.
    pub m: Vec<Vec<f64>>,
    /// `u[field][level]`: how often by chance, between two random records.
    pub u: Vec<Vec<f64>>,
    /// Level frequencies among candidate pairs of different people (used while fitting).
    u_candidates: Vec<Vec<f64>>,
    /// Share of matches among the candidate pairs fitted on.
    candidate_prior: f64,
    /// Share of records carrying each folded name word.
    name_share: HashMap<String, f64>,
    /// Iterations the estimate took.
    pub iterations: usize,
}

fn default_m(field: Field) -> Vec<f64> {
    match field {
        Field::GivenName | Field::FamilyName => vec![0.70, 0.10, 0.10, 0.05, 0.05],
        Field::Birth => vec![0.60, 0.05, 0.08, 0.12, 0.05, 0.10],
        Field::Community => vec![0.85, 0.15],
        Field::Household => vec![0.60, 0.40],
        // People move, and desks write one address differently.
        Field::Address => vec![0.50, 0.20, 0.10, 0.20],
        _ => vec![0.90, 0.10],
    }
}

fn default_u(field: Field) -> Vec<f64> {
    match field {
        Field::GivenName | Field::FamilyName => vec![0.002, 0.003, 0.01, 0.05, 0.935],
        Field::Birth => vec![0.000_1, 0.000_05, 0.001, 0.02, 0.02, 0.958_85],
        Field::Sex => vec![0.5, 0.5],
        Field::Community => vec![0.1, 0.9],
        Field::Household => vec![0.01, 0.99],
        Field::BandNumber => vec![0.000_1, 0.999_9],
        Field::Address => vec![0.01, 0.01, 0.03, 0.95],
        _ => vec![0.001, 0.999],
    }
}

/// Pseudo-counts pulling `m` towards its defaults, so a small or odd batch cannot swing it.
const PRIOR_STRENGTH: f64 = 20.0;
const RANDOM_PAIRS: usize = 200_000;
const MAX_ITERATIONS: usize = 40;
/// Fewest pairs a session fits on; below, the fields keep the estimate from all pairs.
const MIN_SESSION_PAIRS: f64 = 200.0;

/// A set of fields, bit `i` for `Field::ALL[i]`.
type FieldSet = u16;
const EVERY_FIELD: FieldSet = (1 << Field::ALL.len()) - 1;
const NO_FIELD: FieldSet = 0;
const NAMES: FieldSet = bit(Field::GivenName) | bit(Field::FamilyName);
const BIRTH: FieldSet = bit(Field::Birth);

/// `Field::ALL` lists the fields in declaration order.
const fn bit(field: Field) -> FieldSet {
    1 << field as u16
}

fn fields_in(set: FieldSet) -> impl Iterator<Item = usize> {
    (0..Field::ALL.len()).filter(move |i| set & (1 << i) != 0)
}

/// Candidate pairs that agree on one thing, to estimate the other fields' `m` on (as Splink
/// trains on pairs blocked on the date, then on the names).
#[derive(Clone, Copy)]
enum Session {
    /// Same date of birth (or its day and month swapped).
    SameDate,
    /// Same given and family names, or known variants of them.
    SameNames,
}

impl Session {
    fn takes(self, c: &Comparison) -> bool {
        // Level 0 is exact, 1 a known variant (names) or day and month swapped (date).
        let agrees = |field: Field| matches!(c.levels[field as usize], Some(0 | 1));
        match self {
            Self::SameDate => agrees(Field::Birth),
            Self::SameNames => agrees(Field::GivenName) && agrees(Field::FamilyName),
        }
    }

    /// The fields the pairs were chosen by: left out of the mixture (they say nothing there).
    fn blocks(self) -> FieldSet {
        match self {
            Self::SameDate => BIRTH,
            Self::SameNames => NAMES,
        }
    }

    /// The fields whose `m` this session is for: the ones the other session holds fixed.
    fn estimates(self) -> FieldSet {
        match self {
            Self::SameDate => NAMES,
            Self::SameNames => BIRTH,
        }
    }
}

fn tally<'a>(comparisons: impl Iterator<Item = &'a Comparison>) -> HashMap<Comparison, f64> {
    let mut patterns: HashMap<Comparison, f64> = HashMap::new();
    for c in comparisons {
        *patterns.entry(*c).or_insert(0.0) += 1.0;
    }
    patterns
}

impl Default for Model {
    /// Weights for when there is nothing to estimate from (a laptop with few records).
    fn default() -> Self {
        Self {
            prior: 1e-4,
            m: Field::ALL.iter().map(|f| default_m(*f)).collect(),
            u: Field::ALL.iter().map(|f| default_u(*f)).collect(),
            u_candidates: Field::ALL.iter().map(|f| default_u(*f)).collect(),
            candidate_prior: 0.05,
            name_share: HashMap::new(),
            iterations: 0,
        }
    }
}

impl Model {
    /// Measures `u` on random pairs of `records` and name shares over all of them, then
    /// estimates `m` by fitting the two-class mixture (same person / different people) to the
    /// candidate pairs' comparisons by expectation-maximisation: the names' `m` on the pairs
    /// born the same day, the date's on the pairs with the same names (each field varies
    /// freely there), the other fields' on all pairs given those. Candidate pairs of different
    /// people are not like random pairs (they were blocked together: same family name, same
    /// household), so the mixture's non-match class gets its own level frequencies while
    /// fitting, pulled towards `u`; `m` is pulled towards general defaults. Within each field a
    /// worse level never counts as more evidence for a match than a better one. The prior is
    /// the expected number of matches over the number of all pairs of `records`.
    #[must_use]
    pub fn fit(records: &[Prepared], comparisons: &[Comparison], seed: u64) -> Self {
        let mut model = Self {
            name_share: name_shares(records),
            ..Self::default()
        };
        if records.len() >= 50 {
            model.u = random_pair_u(records, seed);
            model.u_candidates.clone_from(&model.u);
        }
        let patterns = tally(comparisons.iter());
        let total: f64 = patterns.values().sum();
        if total < 1.0 {
            return model;
        }
        model.expectation_maximisation(&patterns, EVERY_FIELD, NO_FIELD);
        // Each field's `m` from the pairs that agree on another field, where it varies freely:
        // among all candidate pairs, a field that blocking used (names, date) is agreed on by
        // most pairs of both classes, and the mixture puts nearly every pair that disagrees on a
        // name with the non-matches — two records of one person with another given name (a
        // nickname not in the table, a name taken at marriage) would then weigh −10.
        for session in [Session::SameDate, Session::SameNames] {
            let pairs = tally(comparisons.iter().filter(|c| session.takes(c)));
            if pairs.values().sum::<f64>() < MIN_SESSION_PAIRS {
                continue;
            }
            // From the general defaults, not the fit above: it starts inside the bias.
            let mut fitted = Self {
                u: model.u.clone(),
                u_candidates: model.u.clone(),
                name_share: HashMap::new(),
                ..Self::default()
            };
            fitted.expectation_maximisation(&pairs, EVERY_FIELD & !session.blocks(), NO_FIELD);
            for field in fields_in(session.estimates()) {
                model.m[field].clone_from(&fitted.m[field]);
            }
        }
        // The other fields, the non-match levels and the share of matches, given those.
        model.expectation_maximisation(&patterns, EVERY_FIELD, NAMES | BIRTH);
        #[allow(clippy::cast_precision_loss)]
        let all_pairs = (records.len() as f64) * (records.len().saturating_sub(1) as f64) / 2.0;
        model.prior = (model.candidate_prior * total / all_pairs.max(1.0)).clamp(1e-9, 0.5);
        model
    }

    /// Fits the two-class mixture to `patterns` using the fields in `used`, updating `m` of
    /// the used fields not in `frozen`, the non-match levels and the share of matches.
    fn expectation_maximisation(
        &mut self,
        patterns: &HashMap<Comparison, f64>,
        used: FieldSet,
        frozen: FieldSet,
    ) {
        let total: f64 = patterns.values().sum();
        for iteration in 0..MAX_ITERATIONS {
            let mut matched: Vec<Vec<f64>> = self.m.iter().map(|l| vec![0.0; l.len()]).collect();
            let mut unmatched = matched.clone();
            let mut matched_total = 0.0;
            for (pattern, count) in patterns {
                let p = probability(self.base_weight(pattern, used));
                matched_total += p * count;
                for (field, level) in pattern.levels.iter().enumerate() {
                    if let Some(level) = level {
                        matched[field][usize::from(*level)] += p * count;
                        unmatched[field][usize::from(*level)] += (1.0 - p) * count;
                    }
                }
            }
            let mut change = 0f64;
            for field in fields_in(used) {
                let u = smoothed(&unmatched[field], &self.u[field]);
                if frozen & (1 << field) != 0 {
                    self.u_candidates[field] = u;
                    continue;
                }
                let mut m = smoothed(&matched[field], &default_m(Field::ALL[field]));
                if Field::ALL[field].identifies() {
                    agreement_dominates(&mut m);
                }
                let (m, u) = monotone(m, u);
                for (new, old) in m.iter().zip(&self.m[field]) {
                    change = change.max((new - old).abs());
                }
                self.m[field] = m;
                self.u_candidates[field] = u;
            }
            let prior = (matched_total / total).clamp(1e-6, 1.0 - 1e-6);
            // Relative: with every field frozen or absent, the share of matches is all that moves.
            change = change.max((prior / self.candidate_prior - 1.0).abs());
            self.candidate_prior = prior;
            self.iterations += 1;
            if change < 1e-5 && iteration > 0 {
                break;
            }
        }
    }

    /// The weight in the mixture being fitted (candidate pairs, candidate non-match levels).
    fn base_weight(&self, c: &Comparison, used: FieldSet) -> f64 {
        let mut weight = (self.candidate_prior / (1.0 - self.candidate_prior)).log2();
        for (field, level) in c.levels.iter().enumerate() {
            if used & (1 << field) == 0 {
                continue;
            }
            if let Some(level) = level {
                let level = usize::from(*level);
                weight += (self.m[field][level] / self.u_candidates[field][level]).log2();
            }
        }
        weight
    }

    /// The pair's total weight (log2 odds of being one person) and the evidence per field.
    /// Exact name agreement weighs more for a rare name than for a common one.
    #[must_use]
    pub fn weigh(&self, c: &Comparison, a: &Prepared, b: &Prepared) -> (f64, Vec<Evidence>) {
        let mut evidence = Vec::new();
        let total = self.sum_weights(c, a, b, |field, level, weight| {
            evidence.push(Evidence {
                field,
                level: field.levels()[level],
                weight,
            });
        });
        (total, evidence)
    }

    /// The pair's total weight alone: what deciding whether to keep a pair needs, without the
    /// evidence list (most candidate pairs are not kept).
    #[must_use]
    pub fn weight(&self, c: &Comparison, a: &Prepared, b: &Prepared) -> f64 {
        self.sum_weights(c, a, b, |_, _, _| {})
    }

    fn sum_weights(
        &self,
        c: &Comparison,
        a: &Prepared,
        b: &Prepared,
        mut each: impl FnMut(Field, usize, f64),
    ) -> f64 {
        let mut total = (self.prior / (1.0 - self.prior)).log2();
        for (index, level) in c.levels.iter().enumerate() {
            let Some(level) = level else { continue };
            let field = Field::ALL[index];
            let level = usize::from(*level);
            let u = self.u[index][level];
            let mut adjustment = 0.0;
            if level == 0 && matches!(field, Field::GivenName | Field::FamilyName) {
                let (own, theirs) = match (field, c.swapped) {
                    (Field::GivenName, false) => (&a.given_all, &b.given_all),
                    (Field::FamilyName, false) => (&a.family_all, &b.family_all),
                    (Field::GivenName, true) => (&a.given, &b.family),
                    _ => (&a.family, &b.given),
                };
                let share = own
                    .iter()
                    .filter(|w| theirs.iter().any(|t| t.folded == w.folded))
                    .filter_map(|w| self.name_share.get(&w.folded))
                    .copied()
                    .fold(f64::INFINITY, f64::min);
                if share.is_finite() {
                    adjustment = (u / share).log2().clamp(-3.0, 3.0);
                }
            }
            let mut weight = (self.m[index][level] / u).log2() + adjustment;
            if level == 0 && adjustment < 0.0 {
                // A common name agreeing still says more than a variant of it.
                weight = weight.max((self.m[index][1] / self.u[index][1]).log2());
            }
            total += weight;
            each(field, level, weight);
        }
        total
    }

    /// Compares and weighs in one step.
    #[must_use]
    pub fn score(&self, a: &Prepared, b: &Prepared) -> (f64, Comparison, Vec<Evidence>) {
        let comparison = compare(a, b);
        let (weight, evidence) = self.weigh(&comparison, a, b);
        (weight, comparison, evidence)
    }
}

/// Two records of one person agree exactly on an identifying field at least as often as they
/// disagree outright: otherwise no matcher could find them. Without this, a large batch's
/// mixture lets its "same person" class drift onto the many pairs of siblings that blocking puts
/// together (same family name and community, other given names and dates): at 100,000 records
/// the fit found a different date of birth in 53 % of "matches" (`docs/PERFORMANCE.md`). The
/// excess moves to the exact level, so the constraint only binds on such a drift.
fn agreement_dominates(m: &mut [f64]) {
    let last = m.len() - 1;
    if m[last] > m[0] {
        let excess = (m[last] - m[0]) / 2.0;
        m[last] -= excess;
        m[0] += excess;
    }
}

fn smoothed(counts: &[f64], prior: &[f64]) -> Vec<f64> {
    let seen: f64 = counts.iter().sum();
    counts
        .iter()
        .zip(prior)
        .map(|(count, p)| (count + PRIOR_STRENGTH * p) / (seen + PRIOR_STRENGTH))
        .collect()
}

/// Pools adjacent levels whose likelihood ratio rises from a better level to a worse one
/// (a slip must not count for more than an exact match), and keeps the worst level's ratio
/// at or below one (disagreement is never evidence of a match). Pool-adjacent-violators over
/// blocks of levels: each block gets its pooled ratio, and each level keeps its `u`.
fn monotone(mut m: Vec<f64>, u: Vec<f64>) -> (Vec<f64>, Vec<f64>) {
    // (first level, summed m, summed u) per block, best levels first.
    let mut blocks: Vec<(usize, f64, f64)> = Vec::with_capacity(m.len());
    for level in 0..m.len() {
        let mut block = (level, m[level], u[level]);
        while let Some(&(first, pm, pu)) = blocks.last() {
            if block.1 / block.2 <= pm / pu * 1.000_001 {
                break;
            }
            blocks.pop();
            block = (first, pm + block.1, pu + block.2);
        }
        blocks.push(block);
    }
    for (n, &(first, pm, pu)) in blocks.iter().enumerate() {
        let end = blocks.get(n + 1).map_or(m.len(), |b| b.0);
        for level in first..end {
            m[level] = pm / pu * u[level];
        }
    }
    if let (Some(last_m), Some(last_u)) = (m.last().copied(), u.last().copied())
        && last_m > last_u
    {
        let excess = last_m - last_u;
        let n = m.len();
        m[n - 1] = last_u;
        m[0] += excess;
    }
    (m, u)
}

/// The probability of "same person" for a weight (log2 odds).
#[must_use]
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

fn name_shares(records: &[Prepared]) -> HashMap<String, f64> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for record in records {
        let mut seen: Vec<&str> = record
            .given_all
            .iter()
            .chain(&record.family_all)
            .map(|w| w.folded.as_str())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for word in seen {
            *counts.entry(word).or_insert(0) += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let n = records.len().max(1) as f64;
    counts
        .into_iter()
        .map(|(word, count)| {
            #[allow(clippy::cast_precision_loss)]
            let share = count as f64 / n;
            (word.to_owned(), share)
        })
        .collect()
}

/// Level frequencies among random pairs, which are almost all two different people.
fn random_pair_u(records: &[Prepared], seed: u64) -> Vec<Vec<f64>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut counts: Vec<Vec<f64>> = Field::ALL
        .iter()
        .map(|f| vec![0.0; f.levels().len()])
        .collect();
    let n = records.len();
    let all_pairs = n * (n - 1) / 2;
    let mut tally = |i: usize, j: usize| {
        let c = compare(&records[i], &records[j]);
        for (field, level) in c.levels.iter().enumerate() {
            if let Some(level) = level {
                counts[field][usize::from(*level)] += 1.0;
            }
        }
    };
    if all_pairs <= RANDOM_PAIRS {
        for i in 0..n {
            for j in i + 1..n {
                tally(i, j);
            }
        }
    } else {
        for _ in 0..RANDOM_PAIRS {
            let i = rng.random_range(0..n);
            let j = rng.random_range(0..n - 1);
            tally(i, if j >= i { j + 1 } else { j });
        }
    }
    counts
        .iter()
        .enumerate()
        .map(|(field, levels)| {
            let seen: f64 = levels.iter().sum();
            let fallback = default_u(Field::ALL[field]);
            if seen < 100.0 {
                return fallback;
            }
            #[allow(clippy::cast_precision_loss)]
            let width = levels.len() as f64;
            levels
                .iter()
                .map(|count| (count + 0.5) / (seen + 0.5 * width))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_pooled_until_a_worse_level_never_says_more_in_one_pass() {
        // Fully reversed: every level says more than the one before it.
        let (m, u) = monotone(vec![0.1, 0.2, 0.3, 0.4], vec![0.4, 0.3, 0.2, 0.1]);
        let ratios: Vec<f64> = m.iter().zip(&u).map(|(m, u)| m / u).collect();
        assert!(
            ratios.windows(2).all(|w| w[1] <= w[0] * 1.000_001),
            "{ratios:?}"
        );
        assert!((m.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{m:?}");
        assert!(
            ratios[3] <= 1.0 + 1e-12,
            "disagreement is no evidence for: {ratios:?}"
        );
        // One violation between two middle levels: only they are pooled.
        let (m, u) = monotone(vec![0.6, 0.1, 0.2, 0.1], vec![0.01, 0.05, 0.05, 0.89]);
        assert!((m[1] / u[1] - m[2] / u[2]).abs() < 1e-9);
        assert!((m[0] - 0.6).abs() < 1e-12 && m[0] / u[0] > m[1] / u[1]);
    }
}
