//! Merging two records of one person (issue 11).
//!
//! The survivor is chosen the same way on every office device — the record created first,
//! then the lower id — so two offices merging the same pair offline write the same thing and
//! converge. The survivor takes the union of both: the other's names become other spellings,
//! a missing date of birth, identifier or contact is filled in, and languages, household
//! links, programs, consent events, referrals, follow-ups, notes and "not the same person"
//! marks are joined by id. The other record keeps all its data and history and gains
//! `merged_into`, the redirect every device follows. Concurrent copies of one item (two
//! offices adding the same program to the survivor) read as one: see [`dedup_by_id`].

use super::Client;
use crate::text::fold;

/// Which of two records survives a merge: created first, then the lower id.
#[must_use]
pub fn survivor_of<'a>(a: &'a Client, b: &'a Client) -> (&'a Client, &'a Client) {
    let key = |c: &Client| (c.provenance.created_at, c.id);
    if key(a) <= key(b) { (a, b) } else { (b, a) }
}

fn join<T: Clone + PartialEq, K: PartialEq>(into: &mut Vec<T>, from: &[T], key: impl Fn(&T) -> K) {
    for item in from {
        if !into.iter().any(|x| key(x) == key(item)) {
            into.push(item.clone());
        }
    }
}

fn fill<T: Clone>(into: &mut Option<T>, from: Option<&T>) {
    if into.is_none() {
        *into = from.cloned();
    }
}

/// The survivor after absorbing `other` (see the module documentation), and `other` as a
/// redirect to it.
#[must_use]
pub fn merge(survivor: &Client, other: &Client) -> (Client, Client) {
    let mut kept = survivor.clone();
    let id = &mut kept.identity;
    let from = &other.identity;
    let mut known: Vec<String> = std::iter::once(id.given_name.as_str())
        .chain([id.family_name.as_str()])
        .chain(id.preferred_name.as_deref())
        .chain(id.other_names.iter().map(String::as_str))
        .map(fold)
        .collect();
    let full = format!("{} {}", from.given_name, from.family_name);
    let mine = fold(&format!("{} {}", id.given_name, id.family_name));
    for name in std::iter::once(full.trim())
        .chain(from.preferred_name.as_deref())
        .chain(from.other_names.iter().map(String::as_str))
    {
        let folded = fold(name);
        if !folded.is_empty() && folded != mine && !known.contains(&folded) {
            id.other_names.push(name.to_owned());
            known.push(folded);
        }
    }
    fill(&mut id.date_of_birth, from.date_of_birth.as_ref());
    fill(&mut id.sex_or_gender, from.sex_or_gender.as_ref());
    fill(
        &mut id.identifiers.band_number,
        from.identifiers.band_number.as_ref(),
    );
    fill(
        &mut id.identifiers.sin_last3,
        from.identifiers.sin_last3.as_ref(),
    );
    fill(
        &mut id.identifiers.health_card_province,
        from.identifiers.health_card_province.as_ref(),
    );
    fill(&mut id.contact.phone, from.contact.phone.as_ref());
    fill(
        &mut id.contact.mailing_address,
        from.contact.mailing_address.as_ref(),
    );
    id.contact.through_band_office |= from.contact.through_band_office;

    let languages = &mut kept.languages;
    join(&mut languages.spoken, &other.languages.spoken, Clone::clone);
    fill(&mut languages.preferred, other.languages.preferred.as_ref());
    languages.interpreter_needed |= other.languages.interpreter_needed;
    fill(
        &mut languages.interpreted_by,
        other.languages.interpreted_by.as_ref(),
    );

    let pair = [survivor.id, other.id];
    let links: Vec<_> = other
        .household
        .iter()
        .filter(|l| !pair.contains(&l.member))
        .cloned()
        .collect();
    kept.household.retain(|l| !pair.contains(&l.member));
    join(&mut kept.household, &links, |l| l.member);
    join(&mut kept.programs, &other.programs, |p| p.id);
    join(&mut kept.consent, &other.consent, |e| e.id);
    join(&mut kept.referrals, &other.referrals, |r| r.id);
    join(&mut kept.follow_ups, &other.follow_ups, |f| f.id);
    join(&mut kept.notes, &other.notes, |n| n.id);
    let marks: Vec<_> = other
        .not_same_person
        .iter()
        .filter(|c| !pair.contains(c))
        .copied()
        .collect();
    join(&mut kept.not_same_person, &marks, |c| *c);
    fill(&mut kept.satisfaction, other.satisfaction.as_ref());
    kept.merged_into = None;

    let mut redirect = other.clone();
    redirect.merged_into = Some(survivor.id);
    (kept, redirect)
}

/// Reads concurrent inserts of one item (same id) as one, keeping the first; every list of
/// items with an id goes through this after it is read from its document. (Plain lists —
/// other names, languages — are kept as written: two offices adding the same spelling
/// concurrently show it twice, which loses nothing.)
pub fn dedup_by_id(client: &mut Client) {
    fn keep_first<T, K: PartialEq>(list: &mut Vec<T>, key: impl Fn(&T) -> K) {
        let mut seen: Vec<K> = Vec::with_capacity(list.len());
        list.retain(|item| {
            let k = key(item);
            if seen.contains(&k) {
                false
            } else {
                seen.push(k);
                true
            }
        });
    }
    keep_first(&mut client.household, |l| l.member);
    keep_first(&mut client.programs, |p| p.id);
    keep_first(&mut client.consent, |e| e.id);
    keep_first(&mut client.referrals, |r| r.id);
    keep_first(&mut client.follow_ups, |f| f.id);
    keep_first(&mut client.notes, |n| n.id);
    keep_first(&mut client.not_same_person, |c| *c);
}
