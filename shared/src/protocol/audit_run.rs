//! A device's audit entries on the wire (issue 12): a run of its hash-chained trail
//! ([`crate::audit`]) travels inside an upload, after the changes, so it is compressed, resumed
//! and applied with them; the node answers with the anchor it now holds for the device under
//! [`AUDIT_ANCHOR_TAG`]. A device sends a run only to a node that has answered that tag, so an
//! older node never sees one.
//!
//! Only what the node cannot recompute is sent: per entry its sequence number, time, agent,
//! action and record (columns, so zstd finds like next to like), and the hash the device holds
//! for the last. The node chains the hashes itself — from its anchor's hash (from nothing when
//! the run starts at entry 1) — and compares the end with that claimed head, so an entry
//! changed after it was written, or a chain that forked from the anchored one, shows as a run
//! that does not lead to its head. Device ids are implicit (the signing device). About 10
//! bytes an entry once compressed, where whole entries would take 129.
//!
//! Layout: `format[1]=1 · varint n · head[32] · local_check ·
//! varint k · agent[16]×k · (svarint seq_step)×n · (svarint at_step)×n · (varint agent_index)×n ·
//! action[1]×n · (has_record[1] · record[16]?)×n` where `local_check` is `0` (the device found
//! its whole chain intact) or `code[1] · varint seq · varint from`.

use super::DecodeError;
use super::codec::{Reader, Writer};
use crate::audit::{AuditAction, AuditEntry, ChainBreak, MAX_ENTRIES_PER_RUN};
use crate::ids::{AgentId, ClientId, DeviceId};
use crate::time::Timestamp;

/// The response extension tag of the node's anchor for the requesting device: `varint seq`, the
/// last of its entries the node holds (0: none yet). The device holds the entry itself; the
/// node keeps its hash and checks the next run against it.
pub const AUDIT_ANCHOR_TAG: u64 = 2;
/// The run's format.
const FORMAT: u8 = 1;
/// The most agents one run names.
const MAX_AGENTS: usize = 1_024;
/// The most bytes an encoded run takes.
pub const MAX_AUDIT_RUN_BYTES: usize = 64 + 32 + 16 * MAX_AGENTS + MAX_ENTRIES_PER_RUN * 64;

/// One entry as sent: what the node cannot recompute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditItem {
    /// Its sequence number in the device's chain.
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who was signed in.
    pub agent: AgentId,
    /// What happened.
    pub action: AuditAction,
    /// To which record.
    pub record: Option<ClientId>,
}

/// A run of a device's entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRun {
    /// The hash the device holds for the last entry.
    pub head: [u8; 32],
    /// What the device's check of its own whole chain found (`None`: intact).
    pub local_check: Option<ChainBreak>,
    /// The entries, oldest first.
    pub items: Vec<AuditItem>,
}

impl AuditRun {
    /// The run of `entries` (as [`crate::audit::entries_to_send`] chose them); `None` when
    /// there is nothing to say (no entry and nothing found broken).
    #[must_use]
    pub fn of(entries: &[AuditEntry], local_check: Option<ChainBreak>) -> Option<Self> {
        if entries.is_empty() && local_check.is_none() {
            return None;
        }
        Some(Self {
            head: entries.last().map_or(crate::audit::GENESIS, |e| e.hash),
            local_check,
            items: entries
                .iter()
                .map(|e| AuditItem {
                    seq: e.seq,
                    at: e.at,
                    agent: e.agent,
                    action: e.action,
                    record: e.record,
                })
                .collect(),
        })
    }

    /// The entries rebuilt for `device`, their hashes chained from the hash of the `anchor` the
    /// node holds (from nothing when the run starts at entry 1): what the node checks against
    /// its anchor and the claimed head.
    #[must_use]
    pub fn entries(
        &self,
        device: DeviceId,
        anchor: Option<crate::audit::Anchor>,
    ) -> Vec<AuditEntry> {
        let mut prev = match (self.items.first(), anchor) {
            (Some(first), Some(anchor)) if first.seq > 1 => anchor.hash,
            _ => crate::audit::GENESIS,
        };
        self.items
            .iter()
            .map(|item| {
                let mut entry = AuditEntry {
                    seq: item.seq,
                    prev,
                    at: item.at,
                    device,
                    agent: item.agent,
                    action: item.action,
                    record: item.record,
                    hash: [0; 32],
                };
                entry.hash = entry.digest();
                prev = entry.hash;
                entry
            })
            .collect()
    }

    /// The run's bytes.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(FORMAT);
        w.u64(self.items.len() as u64);
        w.fixed(&self.head);
        match self.local_check {
            None => w.u8(0),
            Some(found) => {
                w.u8(found.code());
                w.u64(found.seq());
                w.u64(match found {
                    ChainBreak::Unverified { from, .. } => from,
                    _ => 0,
                });
            }
        }
        let mut agents: Vec<AgentId> = Vec::new();
        let indexes: Vec<usize> = self
            .items
            .iter()
            .map(|item| {
                agents
                    .iter()
                    .position(|a| *a == item.agent)
                    .unwrap_or_else(|| {
                        agents.push(item.agent);
                        agents.len() - 1
                    })
            })
            .collect();
        w.u64(agents.len() as u64);
        for agent in &agents {
            w.fixed(agent.0.as_bytes());
        }
        // Signed steps: a tampered chain may go backwards, and must still reach the node to be
        // flagged there.
        let mut seq = 0i64;
        for item in &self.items {
            let next = i64::try_from(item.seq).unwrap_or(i64::MAX);
            w.i64(next.wrapping_sub(seq));
            seq = next;
        }
        let mut at = 0i64;
        for item in &self.items {
            w.i64(item.at.0.wrapping_sub(at));
            at = item.at.0;
        }
        for index in indexes {
            w.u64(index as u64);
        }
        for item in &self.items {
            w.u8(item.action.code());
        }
        for item in &self.items {
            match item.record {
                None => w.u8(0),
                Some(record) => {
                    w.u8(1);
                    w.fixed(record.0.as_bytes());
                }
            }
        }
        w.bytes
    }

    /// Reads [`AuditRun::encode`]'s bytes, within the limits.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() > MAX_AUDIT_RUN_BYTES {
            return Err(DecodeError::TooLarge);
        }
        let mut r = Reader::new(bytes);
        if r.u8()? != FORMAT {
            return Err(DecodeError::Malformed("audit run format"));
        }
        // Each entry takes at least a seq step, a time step, an agent index, an action and a
        // record flag.
        let n = r.count(5, MAX_ENTRIES_PER_RUN)?;
        let head = r.fixed()?;
        let local_check = match r.u8()? {
            0 => None,
            code => {
                let seq = r.u64()?;
                let from = r.u64()?;
                Some(
                    ChainBreak::from_code(code, seq, from)
                        .ok_or(DecodeError::Malformed("audit check code"))?,
                )
            }
        };
        let k = r.count(16, MAX_AGENTS)?;
        let agents: Vec<AgentId> = (0..k)
            .map(|_| Ok(AgentId(uuid::Uuid::from_bytes(r.fixed()?))))
            .collect::<Result<_, DecodeError>>()?;
        let mut seqs = Vec::with_capacity(n);
        let mut seq = 0i64;
        for _ in 0..n {
            seq = seq
                .checked_add(r.i64()?)
                .ok_or(DecodeError::Malformed("audit sequence overflows"))?;
            seqs.push(
                u64::try_from(seq).map_err(|_| DecodeError::Malformed("audit sequence below 0"))?,
            );
        }
        let mut times = Vec::with_capacity(n);
        let mut at = 0i64;
        for _ in 0..n {
            at = at
                .checked_add(r.i64()?)
                .ok_or(DecodeError::Malformed("audit time overflows"))?;
            times.push(Timestamp(at));
        }
        let mut who = Vec::with_capacity(n);
        for _ in 0..n {
            let index = usize::try_from(r.u64()?).map_err(|_| DecodeError::TooLarge)?;
            who.push(
                *agents
                    .get(index)
                    .ok_or(DecodeError::Malformed("audit agent index"))?,
            );
        }
        let mut actions = Vec::with_capacity(n);
        for _ in 0..n {
            actions.push(
                AuditAction::from_code(r.u8()?)
                    .ok_or(DecodeError::Malformed("audit action code"))?,
            );
        }
        let mut items = Vec::with_capacity(n);
        for i in 0..n {
            let record = match r.u8()? {
                0 => None,
                1 => Some(ClientId(uuid::Uuid::from_bytes(r.fixed()?))),
                _ => return Err(DecodeError::Malformed("audit record flag")),
            };
            items.push(AuditItem {
                seq: seqs[i],
                at: times[i],
                agent: who[i],
                action: actions[i],
                record,
            });
        }
        r.finish()?;
        Ok(Self {
            head,
            local_check,
            items,
        })
    }
}

/// The anchor a node holds for a device, as the response extension carries it: its sequence
/// number only (0: none yet).
#[must_use]
pub fn encode_anchor(anchor: Option<crate::audit::Anchor>) -> Vec<u8> {
    let mut w = Writer::default();
    w.u64(anchor.map_or(0, |a| a.seq));
    w.bytes
}

/// Reads [`encode_anchor`]'s bytes: `Ok(None)` when the node holds none of the entries yet.
pub fn decode_anchor(bytes: &[u8]) -> Result<Option<u64>, DecodeError> {
    let mut r = Reader::new(bytes);
    let seq = r.u64()?;
    r.finish()?;
    Ok((seq > 0).then_some(seq))
}
