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

use super::{Absorbed, Client};
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

/// A field a merge may fill in when the survivor has nothing there.
trait Slot: Clone + PartialEq + Default {
    fn is_set(&self) -> bool;
}

impl<T: Clone + PartialEq> Slot for Option<T> {
    fn is_set(&self) -> bool {
        self.is_some()
    }
}

impl Slot for bool {
    fn is_set(&self) -> bool {
        *self
    }
}

/// Calls `$each!(name, path)` for every field a merge fills in; the names are what
/// [`crate::model::Absorbed::filled`] records.
macro_rules! each_fillable {
    ($each:ident) => {
        $each!("identity.date_of_birth", identity.date_of_birth);
        $each!("identity.sex_or_gender", identity.sex_or_gender);
        $each!(
            "identity.identifiers.band_number",
            identity.identifiers.band_number
        );
        $each!(
            "identity.identifiers.sin_last3",
            identity.identifiers.sin_last3
        );
        $each!(
            "identity.identifiers.health_card_province",
            identity.identifiers.health_card_province
        );
        $each!("identity.contact.phone", identity.contact.phone);
        $each!(
            "identity.contact.mailing_address",
            identity.contact.mailing_address
        );
        $each!(
            "identity.contact.through_band_office",
            identity.contact.through_band_office
        );
        $each!("languages.preferred", languages.preferred);
        $each!("languages.interpreter_needed", languages.interpreter_needed);
        $each!("languages.interpreted_by", languages.interpreted_by);
        $each!("satisfaction", satisfaction);
    };
}

/// The fields a merge fills in, as [`crate::model::Absorbed::filled`] names them.
pub const FILLABLE: &[&str] = &{
    let mut names = [""; 12];
    let mut at = 0;
    macro_rules! name {
        ($name:literal, $($path:ident).+) => {
            names[at] = $name;
            at += 1;
        };
    }
    each_fillable!(name);
    let _ = at;
    names
};

/// The survivor after absorbing `other` (see the module documentation), and `other` as a
/// redirect to it. What came from `other` is recorded in the survivor's
/// [`crate::model::Absorbed`] entry for it.
#[must_use]
pub fn merge(survivor: &Client, other: &Client) -> (Client, Client) {
    let mut kept = survivor.clone();
    let mut absorbed = Absorbed {
        from: other.id,
        names: Vec::new(),
        filled: Vec::new(),
        spoken: Vec::new(),
        members: Vec::new(),
        marks: Vec::new(),
    };
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
            absorbed.names.push(name.to_owned());
            known.push(folded);
        }
    }
    macro_rules! fill {
        ($name:literal, $($path:ident).+) => {
            if !Slot::is_set(&kept.$($path).+) && Slot::is_set(&other.$($path).+) {
                kept.$($path).+ = other.$($path).+.clone();
                absorbed.filled.push($name.to_owned());
            }
        };
    }
    each_fillable!(fill);

    for language in &other.languages.spoken {
        if !kept.languages.spoken.contains(language) {
            kept.languages.spoken.push(language.clone());
            absorbed.spoken.push(language.clone());
        }
    }
    let pair = [survivor.id, other.id];
    kept.household.retain(|l| !pair.contains(&l.member));
    for link in other.household.iter().filter(|l| !pair.contains(&l.member)) {
        if !kept.household.iter().any(|l| l.member == link.member) {
            kept.household.push(link.clone());
            absorbed.members.push(link.member);
        }
    }
    join(&mut kept.programs, &other.programs, |p| p.id);
    join(&mut kept.consent, &other.consent, |e| e.id);
    join(&mut kept.referrals, &other.referrals, |r| r.id);
    join(&mut kept.follow_ups, &other.follow_ups, |f| f.id);
    join(&mut kept.notes, &other.notes, |n| n.id);
    for mark in other.not_same_person.iter().filter(|c| !pair.contains(c)) {
        if !kept.not_same_person.contains(mark) {
            kept.not_same_person.push(*mark);
            absorbed.marks.push(*mark);
        }
    }
    kept.merged_into = None;
    kept.absorbed.retain(|a| a.from != other.id);
    kept.absorbed.push(absorbed);

    let mut redirect = other.clone();
    redirect.merged_into = Some(survivor.id);
    (kept, redirect)
}

/// Moves the items of `from` whose ids `back` has into `back` (their current versions: what
/// was added to them after the merge goes with them).
fn give_back<T: Clone, K: PartialEq>(from: &mut Vec<T>, back: &mut [T], key: impl Fn(&T) -> K) {
    let mut kept = Vec::with_capacity(from.len());
    for item in from.drain(..) {
        match back.iter_mut().find(|b| key(b) == key(&item)) {
            Some(slot) => *slot = item,
            None => kept.push(item),
        }
    }
    *from = kept;
}

/// Undoes [`merge`]: the survivor gives back what it took from `redirect` — the names,
/// filled-in fields (unless changed since), languages, household members and marks its
/// [`crate::model::Absorbed`] entry lists, and every item with one of the redirect's ids, in
/// its current version — and the redirect lives again. Both then carry a "not the same
/// person" mark for the other, so the pair is not proposed again. Two offices undoing the
/// same merge write the same values and converge.
#[must_use]
pub fn unmerge(survivor: &Client, redirect: &Client) -> (Client, Client) {
    let mut kept = survivor.clone();
    let mut restored = redirect.clone();
    restored.merged_into = None;
    let record = kept
        .absorbed
        .iter()
        .position(|a| a.from == redirect.id)
        .map(|at| kept.absorbed.remove(at));
    if let Some(record) = record {
        for name in &record.names {
            if let Some(at) = kept.identity.other_names.iter().position(|n| n == name) {
                kept.identity.other_names.remove(at);
            }
        }
        macro_rules! unfill {
            ($name:literal, $($path:ident).+) => {
                if record.filled.iter().any(|f| f == $name)
                    && kept.$($path).+ == redirect.$($path).+
                {
                    kept.$($path).+ = Default::default();
                }
            };
        }
        each_fillable!(unfill);
        kept.languages.spoken.retain(|l| !record.spoken.contains(l));
        kept.household
            .retain(|l| !record.members.contains(&l.member));
        kept.not_same_person.retain(|c| !record.marks.contains(c));
    }
    give_back(&mut kept.programs, &mut restored.programs, |p| p.id);
    give_back(&mut kept.consent, &mut restored.consent, |e| e.id);
    give_back(&mut kept.referrals, &mut restored.referrals, |r| r.id);
    give_back(&mut kept.follow_ups, &mut restored.follow_ups, |f| f.id);
    give_back(&mut kept.notes, &mut restored.notes, |n| n.id);
    if !kept.not_same_person.contains(&redirect.id) {
        kept.not_same_person.push(redirect.id);
    }
    if !restored.not_same_person.contains(&survivor.id) {
        restored.not_same_person.push(survivor.id);
    }
    (kept, restored)
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
    keep_first(&mut client.absorbed, |a| a.from);
}
