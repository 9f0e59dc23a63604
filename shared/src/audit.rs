//! The audit trail (issue 12): each device appends every view of a record, create, edit, merge,
//! consent change, export, print, unlock and failed unlock to a **hash-chained** log — each
//! entry holds the hash of the one before — inside its encrypted store. Deleting, editing,
//! swapping or truncating entries breaks the chain where it happened; restoring an older copy
//! and continuing is caught against an [`Anchor`] (the head a node or an office accepted
//! earlier). Entries carry ids and actions, never client data.

use ring::digest::{SHA256, digest};

use crate::ids::{AgentId, ClientId, DeviceId};
use crate::time::Timestamp;

/// The `prev` of a chain's first entry.
pub const GENESIS: [u8; 32] = [0; 32];
/// Bytes of one encoded entry.
pub const ENTRY_BYTES: usize = 8 + 32 + 8 + 16 + 16 + 1 + 16 + 32;
const DOMAIN: &[u8] = b"outreach-kit/audit/v1";

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditAction {
    /// A record was opened and shown.
    View,
    /// A record was created.
    Create,
    /// A record was changed.
    Edit,
    /// A consent was granted or withdrawn (with the edit that carried it).
    ConsentChange,
    /// Two records were merged (the record is the one kept).
    Merge,
    /// A merge was undone.
    Unmerge,
    /// Two records were marked as different people.
    NotSame,
    /// A conflict was settled.
    Settle,
    /// A record was released in an export.
    Export,
    /// A slip or report about a record was printed.
    Print,
    /// The profile was unlocked.
    Unlock,
    /// A wrong passphrase was typed (recorded at the next unlock, with its time).
    FailedUnlock,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [Self; 12] = [
        Self::View,
        Self::Create,
        Self::Edit,
        Self::ConsentChange,
        Self::Merge,
        Self::Unmerge,
        Self::NotSame,
        Self::Settle,
        Self::Export,
        Self::Print,
        Self::Unlock,
        Self::FailedUnlock,
    ];

    /// A stable code (stored and hashed: never renumber).
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::View => 1,
            Self::Create => 2,
            Self::Edit => 3,
            Self::ConsentChange => 4,
            Self::Merge => 5,
            Self::Unmerge => 6,
            Self::NotSame => 7,
            Self::Settle => 8,
            Self::Export => 9,
            Self::Print => 10,
            Self::Unlock => 11,
            Self::FailedUnlock => 12,
        }
    }

    /// The action with this code.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The action with this [`AuditAction::name`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// A stable name for reports.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::View => "view",
            Self::Create => "create",
            Self::Edit => "edit",
            Self::ConsentChange => "consent_change",
            Self::Merge => "merge",
            Self::Unmerge => "unmerge",
            Self::NotSame => "not_same",
            Self::Settle => "settle",
            Self::Export => "export",
            Self::Print => "print",
            Self::Unlock => "unlock",
            Self::FailedUnlock => "failed_unlock",
        }
    }
}

/// One entry of a device's chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1 for the first entry, then one more each time.
    pub seq: u64,
    /// The hash of the entry before ([`GENESIS`] for the first).
    pub prev: [u8; 32],
    /// When.
    pub at: Timestamp,
    /// The device whose chain this is.
    pub device: DeviceId,
    /// Who was signed in.
    pub agent: AgentId,
    /// What happened.
    pub action: AuditAction,
    /// To which record, if one.
    pub record: Option<ClientId>,
    /// This entry's hash (over everything above).
    pub hash: [u8; 32],
}

/// The head a node or an office accepted: a later chain must still hold this entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Its sequence number.
    pub seq: u64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// Where and how a chain is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// An entry is missing or out of place (deleted, swapped): the sequence jumps here.
    #[error("the chain skips or repeats at entry {0} (an entry was deleted or moved)")]
    Gap(u64),
    /// An entry's content does not match its hash (edited).
    #[error("entry {0} was changed after it was written")]
    Edited(u64),
    /// An entry does not follow the one before (edited and re-hashed, or another history).
    #[error("entry {0} does not follow the entry before it")]
    Forked(u64),
    /// The chain no longer holds the anchored entry as it was: entries after it were cut off,
    /// or an older copy of the store was restored and continued.
    #[error(
        "the chain no longer holds entry {0} as accepted before (truncated or restored from an older copy)"
    )]
    Rewound(u64),
    /// An entry belongs to another device's chain.
    #[error("entry {0} belongs to another device")]
    OtherDevice(u64),
    /// The entries a device sent do not hash to the head it holds: one of them was changed
    /// after it was written (where, only the device's own copy can tell).
    #[error("entries {from} to {to} do not lead to the head the device holds (one was changed)")]
    Unverified {
        /// The first entry of the run.
        from: u64,
        /// The last.
        to: u64,
    },
    /// The device's audit entries could not be read at all.
    #[error("the device's audit entries could not be read")]
    Unreadable,
}

impl ChainBreak {
    /// A stable code for the wire and the node's flags (never renumber).
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Self::Gap(_) => 1,
            Self::Edited(_) => 2,
            Self::Forked(_) => 3,
            Self::Rewound(_) => 4,
            Self::OtherDevice(_) => 5,
            Self::Unverified { .. } => 6,
            Self::Unreadable => 7,
        }
    }

    /// The entry where the chain breaks (the run's last for [`ChainBreak::Unverified`], 0 when
    /// none is known).
    #[must_use]
    pub fn seq(self) -> u64 {
        match self {
            Self::Gap(seq)
            | Self::Edited(seq)
            | Self::Forked(seq)
            | Self::Rewound(seq)
            | Self::OtherDevice(seq) => seq,
            Self::Unverified { to, .. } => to,
            Self::Unreadable => 0,
        }
    }

    /// The break with this code at `seq` (`from` is only kept by [`ChainBreak::Unverified`]).
    #[must_use]
    pub fn from_code(code: u8, seq: u64, from: u64) -> Option<Self> {
        Some(match code {
            1 => Self::Gap(seq),
            2 => Self::Edited(seq),
            3 => Self::Forked(seq),
            4 => Self::Rewound(seq),
            5 => Self::OtherDevice(seq),
            6 => Self::Unverified { from, to: seq },
            7 => Self::Unreadable,
            _ => return None,
        })
    }

    /// A stable name for reports and the node's register.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Gap(_) => "gap",
            Self::Edited(_) => "edited",
            Self::Forked(_) => "forked",
            Self::Rewound(_) => "rewound",
            Self::OtherDevice(_) => "other_device",
            Self::Unverified { .. } => "unverified",
            Self::Unreadable => "unreadable",
        }
    }
}

impl AuditEntry {
    /// The entry after `prev` (the first when `prev` is `None`), hashed.
    #[must_use]
    pub fn next(
        prev: Option<&AuditEntry>,
        device: DeviceId,
        agent: AgentId,
        action: AuditAction,
        record: Option<ClientId>,
        at: Timestamp,
    ) -> Self {
        let mut entry = Self {
            seq: prev.map_or(1, |p| p.seq + 1),
            prev: prev.map_or(GENESIS, |p| p.hash),
            at,
            device,
            agent,
            action,
            record,
            hash: [0; 32],
        };
        entry.hash = entry.digest();
        entry
    }

    /// The hash this entry's content has.
    #[must_use]
    pub fn digest(&self) -> [u8; 32] {
        let mut bytes = Vec::with_capacity(DOMAIN.len() + ENTRY_BYTES);
        bytes.extend_from_slice(DOMAIN);
        self.content(&mut bytes);
        let mut hash = [0; 32];
        hash.copy_from_slice(digest(&SHA256, &bytes).as_ref());
        hash
    }

    fn content(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.prev);
        out.extend_from_slice(&self.at.0.to_be_bytes());
        out.extend_from_slice(self.device.0.as_bytes());
        out.extend_from_slice(self.agent.0.as_bytes());
        out.push(self.action.code());
        out.extend_from_slice(&self.record.map_or([0u8; 16], |r| r.0.into_bytes()));
    }

    /// Fixed-size bytes (for storage and the wire): the content, then the hash.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ENTRY_BYTES);
        self.content(&mut out);
        out.extend_from_slice(&self.hash);
        out
    }

    /// Reads [`AuditEntry::encode`]'s bytes; `None` when they are not an entry.
    #[must_use]
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != ENTRY_BYTES {
            return None;
        }
        let take = |from: usize, len: usize| &bytes[from..from + len];
        let array32 = |from: usize| -> [u8; 32] {
            let mut a = [0; 32];
            a.copy_from_slice(take(from, 32));
            a
        };
        let uuid = |from: usize| uuid::Uuid::from_slice(take(from, 16)).ok();
        let seq = u64::from_be_bytes(take(0, 8).try_into().ok()?);
        let at = i64::from_be_bytes(take(40, 8).try_into().ok()?);
        let record = uuid(81)?;
        Some(Self {
            seq,
            prev: array32(8),
            at: Timestamp(at),
            device: DeviceId(uuid(48)?),
            agent: AgentId(uuid(64)?),
            action: AuditAction::from_code(bytes[80])?,
            record: (!record.is_nil()).then_some(ClientId(record)),
            hash: array32(97),
        })
    }
}

/// Checks a device's **whole** chain (`entries` from its first, in order): each entry's hash
/// matches its content, each follows the one before, the sequence has no gap, every entry is
/// the device's; and, given the `anchor` accepted earlier, the chain still holds that entry as
/// it was (so cutting entries off the end, or restoring an older copy and continuing, is
/// caught). Returns the head.
pub fn verify_chain(
    entries: &[AuditEntry],
    device: DeviceId,
    anchor: Option<Anchor>,
) -> Result<Option<Anchor>, ChainBreak> {
    let head = walk(entries, device, 1, GENESIS, anchor)?;
    if let Some(a) = anchor
        && head.is_none_or(|h| h.seq < a.seq)
    {
        return Err(ChainBreak::Rewound(a.seq));
    }
    Ok(head)
}

/// Checks the entries a device sent since the `anchor` a node accepted last (its first entry
/// when there is none): they must continue the chain right after it. A device that starts
/// again below the anchor was restored from an older copy (or had entries deleted) and is
/// caught here. Returns the new head (the anchor itself when nothing new came).
pub fn verify_extension(
    entries: &[AuditEntry],
    device: DeviceId,
    anchor: Option<Anchor>,
) -> Result<Option<Anchor>, ChainBreak> {
    let (seq, prev) = anchor.map_or((1, GENESIS), |a| (a.seq + 1, a.hash));
    if let (Some(a), Some(first)) = (anchor, entries.first())
        && first.seq <= a.seq
    {
        return Err(ChainBreak::Rewound(a.seq));
    }
    Ok(walk(entries, device, seq, prev, anchor)?.or(anchor))
}

fn walk(
    entries: &[AuditEntry],
    device: DeviceId,
    mut expected_seq: u64,
    mut expected_prev: [u8; 32],
    anchor: Option<Anchor>,
) -> Result<Option<Anchor>, ChainBreak> {
    let mut head = None;
    for entry in entries {
        if entry.seq != expected_seq {
            return Err(ChainBreak::Gap(expected_seq));
        }
        if entry.device != device {
            return Err(ChainBreak::OtherDevice(entry.seq));
        }
        if entry.digest() != entry.hash {
            return Err(ChainBreak::Edited(entry.seq));
        }
        if entry.prev != expected_prev {
            return Err(ChainBreak::Forked(entry.seq));
        }
        if let Some(a) = anchor
            && entry.seq == a.seq
            && entry.hash != a.hash
        {
            return Err(ChainBreak::Rewound(a.seq));
        }
        expected_seq += 1;
        expected_prev = entry.hash;
        head = Some(Anchor {
            seq: entry.seq,
            hash: entry.hash,
        });
    }
    Ok(head)
}

/// The most entries a device sends in one upload (the rest go with the next).
pub const MAX_ENTRIES_PER_RUN: usize = 50_000;

/// The device's side of sending its trail: the entries a node that holds them up to
/// `anchor_seq` does not hold yet — those after that entry when this chain still has it, the
/// whole chain from its start when it does not (restored from an older copy, or entries
/// deleted: the node flags it and keeps what it is sent) — at most [`MAX_ENTRIES_PER_RUN`].
#[must_use]
pub fn entries_to_send(entries: &[AuditEntry], anchor_seq: Option<u64>) -> &[AuditEntry] {
    let start = match anchor_seq {
        None => 0,
        Some(seq) => entries
            .iter()
            .position(|e| e.seq == seq)
            .map_or(0, |at| at + 1),
    };
    let rest = &entries[start..];
    &rest[..rest.len().min(MAX_ENTRIES_PER_RUN)]
}

/// What a device finds of its own whole chain, given that a node holds it up to `anchor_seq`:
/// a break anywhere (an entry deleted or edited after the node anchored it, which the node
/// cannot see), or the anchored entry gone (cut or restored from an older copy).
#[must_use]
pub fn device_check(
    entries: &[AuditEntry],
    device: DeviceId,
    anchor_seq: Option<u64>,
) -> Option<ChainBreak> {
    let anchor = match anchor_seq {
        None => None,
        Some(seq) => match entries.iter().find(|e| e.seq == seq) {
            Some(entry) => Some(Anchor {
                seq,
                hash: entry.hash,
            }),
            None => return Some(ChainBreak::Rewound(seq)),
        },
    };
    verify_chain(entries, device, anchor).err()
}

/// What a node makes of a run of entries a device sent: the entries to keep, the anchor to
/// hold from now on, and every way the run broke the chain (nothing when it extends the
/// anchor cleanly and the device found its own chain whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The entries as the node recomputed them (their hashes chained from the run's first
    /// `prev`).
    pub entries: Vec<AuditEntry>,
    /// The anchor after this run: its last entry as the device holds it. A break does not stop
    /// the trail — it is flagged once and the device's chain is followed from there, so a
    /// restored laptop keeps being audited.
    pub anchor: Option<Anchor>,
    /// How the chain broke, in the order found.
    pub breaks: Vec<ChainBreak>,
}

/// The node's side: checks `entries` (rebuilt from the wire, hashes chained from the first's
/// `prev`) against the `anchor` it holds for `device`, and that they lead to `claimed_head`,
/// the hash the device holds for the last of them; `reported` is what the device's check of
/// its own whole chain found (it catches entries deleted or edited after the node anchored
/// them, which the node itself cannot see).
#[must_use]
pub fn receive(
    entries: Vec<AuditEntry>,
    claimed_head: [u8; 32],
    reported: Option<ChainBreak>,
    device: DeviceId,
    anchor: Option<Anchor>,
) -> Received {
    let mut breaks = Vec::new();
    let Some(last) = entries.last().copied() else {
        breaks.extend(reported);
        return Received {
            entries,
            anchor,
            breaks,
        };
    };
    if let Err(found) = verify_extension(&entries, device, anchor) {
        breaks.push(found);
    }
    if last.hash != claimed_head {
        breaks.push(ChainBreak::Unverified {
            from: entries.first().map_or(last.seq, |e| e.seq),
            to: last.seq,
        });
    }
    breaks.extend(reported);
    Received {
        entries,
        anchor: Some(Anchor {
            seq: last.seq,
            hash: claimed_head,
        }),
        breaks,
    }
}

/// Every break in a chain as a register holds it (`entries` in the order received, possibly
/// with restarts where a device was restored): each found, then the walk goes on from the entry
/// that broke, so one damaged place does not hide another. With the `anchor` the register
/// accepted last, a chain that no longer ends there was cut or rewound at its end.
#[must_use]
pub fn find_breaks(
    entries: &[AuditEntry],
    device: DeviceId,
    anchor: Option<Anchor>,
) -> Vec<ChainBreak> {
    let mut breaks = Vec::new();
    let (mut expected_seq, mut expected_prev) = (1, GENESIS);
    for entry in entries {
        if entry.device != device {
            breaks.push(ChainBreak::OtherDevice(entry.seq));
        }
        if entry.seq != expected_seq {
            breaks.push(ChainBreak::Gap(expected_seq));
        } else if entry.prev != expected_prev {
            breaks.push(ChainBreak::Forked(entry.seq));
        }
        if entry.digest() != entry.hash {
            breaks.push(ChainBreak::Edited(entry.seq));
        }
        expected_seq = entry.seq.saturating_add(1);
        expected_prev = entry.hash;
    }
    if let Some(a) = anchor
        && entries.last().is_none_or(|e| e.seq != a.seq)
    {
        breaks.push(ChainBreak::Rewound(a.seq));
    }
    breaks
}
