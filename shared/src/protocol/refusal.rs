//! Which changes of an upload a node refused, and why: carried in the sync response's extension
//! section under [`REFUSALS_TAG`] (older devices skip it and see only the count), so a device
//! keeps each refused change in a visible held state instead of dropping it.
//!
//! Layout: runs of refused changes with one reason, `count · (gap · length · reason)*`, LEB128
//! integers: a run starts `gap` changes after the end of the previous one (the first after
//! index 0) and covers `length` consecutive changes of the upload batch. A whole upload refused
//! for one reason is 4 bytes. A list that would not fit the extension section is not sent: the
//! device then holds every change of that upload (nothing is lost; the node drops duplicates).

use super::DecodeError;
use super::codec::{Reader, Writer};

/// The extension tag of the refusal list.
pub const REFUSALS_TAG: u64 = 1;

/// The most refusals one response lists (an upload holds at most this many changes).
const MAX_REFUSALS: u64 = 200_000;

/// Why a node refused one change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefusalReason {
    /// The record belongs to a community outside the device's scope.
    OutsideScope,
    /// The change was made against an older epoch of the record (it was erased or corrected).
    OldEpoch,
    /// The bytes are not a valid Automerge change, or make the CRDT library fail.
    Malformed,
    /// The change's actor is not the device that signed the upload.
    NotAuthor,
    /// The change or the record it makes passes a size or nesting bound.
    TooLarge,
    /// The record it makes fails the model's validation.
    Invalid,
    /// The change moves the record to another community, which only an office may do.
    MovesCommunity,
    /// The change depends on changes the node does not have (yet): resend it after they
    /// arrive, with them.
    MissingHistory,
    /// The change merges records or marks them as different people, which only an office
    /// device may do.
    OfficeOnly,
    /// A reason a newer node gave that this build does not know.
    Other(u8),
}

impl RefusalReason {
    fn code(self) -> u8 {
        match self {
            Self::OutsideScope => 1,
            Self::OldEpoch => 2,
            Self::Malformed => 3,
            Self::NotAuthor => 4,
            Self::TooLarge => 5,
            Self::Invalid => 6,
            Self::MovesCommunity => 7,
            Self::MissingHistory => 8,
            Self::OfficeOnly => 9,
            Self::Other(code) => code,
        }
    }

    fn from_code(code: u8) -> Self {
        match code {
            1 => Self::OutsideScope,
            2 => Self::OldEpoch,
            3 => Self::Malformed,
            4 => Self::NotAuthor,
            5 => Self::TooLarge,
            6 => Self::Invalid,
            7 => Self::MovesCommunity,
            8 => Self::MissingHistory,
            9 => Self::OfficeOnly,
            other => Self::Other(other),
        }
    }

    /// A stable name, for storage, logs and the CLI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutsideScope => "outside_scope",
            Self::OldEpoch => "old_epoch",
            Self::Malformed => "malformed",
            Self::NotAuthor => "not_author",
            Self::TooLarge => "too_large",
            Self::Invalid => "invalid",
            Self::MovesCommunity => "moves_community",
            Self::MissingHistory => "missing_history",
            Self::OfficeOnly => "office_only",
            Self::Other(_) => "other",
        }
    }

    /// The reason from its stable name (`other` for names this build does not know).
    #[must_use]
    pub fn parse(text: &str) -> Self {
        [
            Self::OutsideScope,
            Self::OldEpoch,
            Self::Malformed,
            Self::NotAuthor,
            Self::TooLarge,
            Self::Invalid,
            Self::MovesCommunity,
            Self::MissingHistory,
            Self::OfficeOnly,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
        .unwrap_or(Self::Other(0))
    }

    /// What an agent reads.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::OutsideScope => "held: outside this laptop's communities",
            Self::OldEpoch => "held: the record was erased or corrected at the office since",
            Self::Malformed => "held: the change is damaged",
            Self::NotAuthor => "held: the change was not made on this laptop",
            Self::TooLarge => "held: the change is larger than a record may be",
            Self::Invalid => "held: the record would not pass the intake checks",
            Self::MovesCommunity => "held: only the office can move a record to another community",
            Self::MissingHistory => "held: it builds on changes the node does not have yet",
            Self::OfficeOnly => {
                "held: only the office can merge records or mark them as different people"
            }
            Self::Other(_) => "held: refused by the node",
        }
    }
}

/// One refused change: its position in the upload batch and the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refusal {
    /// The change's index in the upload batch.
    pub index: u32,
    /// Why.
    pub reason: RefusalReason,
}

/// Encodes a refusal list (sorted by index, no index twice) as runs.
#[must_use]
pub fn encode_refusals(refusals: &[Refusal]) -> Vec<u8> {
    let mut runs: Vec<(u32, u32, RefusalReason)> = Vec::new();
    for refusal in refusals {
        match runs.last_mut() {
            Some((start, length, reason))
                if *reason == refusal.reason
                    && u64::from(*start) + u64::from(*length) == u64::from(refusal.index) =>
            {
                *length += 1;
            }
            _ => runs.push((refusal.index, 1, refusal.reason)),
        }
    }
    let mut w = Writer::default();
    w.u64(runs.len() as u64);
    let mut end = 0u64;
    for (start, length, reason) in runs {
        w.u64(u64::from(start).saturating_sub(end));
        w.u64(u64::from(length));
        w.u8(reason.code());
        end = u64::from(start) + u64::from(length);
    }
    w.bytes
}

/// Decodes a refusal list.
pub fn decode_refusals(bytes: &[u8]) -> Result<Vec<Refusal>, DecodeError> {
    let mut r = Reader::new(bytes);
    let runs = r.u64()?;
    let mut refusals = Vec::new();
    let mut end = 0u64;
    for _ in 0..runs {
        let start = end
            .checked_add(r.u64()?)
            .ok_or(DecodeError::Malformed("refusal run"))?;
        let length = r.u64()?;
        let reason = RefusalReason::from_code(r.u8()?);
        end = start
            .checked_add(length)
            .filter(|e| *e <= MAX_REFUSALS)
            .ok_or(DecodeError::TooLarge)?;
        for index in start..end {
            refusals.push(Refusal {
                index: u32::try_from(index).map_err(|_| DecodeError::TooLarge)?,
                reason,
            });
        }
    }
    r.finish()?;
    Ok(refusals)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn refusals_round_trip_and_unknown_reasons_survive() {
        let refusals = vec![
            Refusal {
                index: 0,
                reason: RefusalReason::NotAuthor,
            },
            Refusal {
                index: 70_000,
                reason: RefusalReason::Other(42),
            },
        ];
        assert_eq!(
            decode_refusals(&encode_refusals(&refusals)).unwrap(),
            refusals
        );
        assert!(decode_refusals(&[0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
        assert_eq!(
            RefusalReason::parse("moves_community"),
            RefusalReason::MovesCommunity
        );
    }
}
