//! The sync loop: build or resume the upload, send it with the cursor, settle the answer, apply
//! what was pulled, until the outbox is acknowledged and the node has nothing more.

use std::time::{Duration, Instant};

use base64::Engine as _;
use shared::crypto::SignedRequest;
use shared::protocol::dictionary::{self, ASK_DICTIONARIES_TAG, DICTIONARIES_TAG};
use shared::protocol::wire::{CompactAuth, MAX_SYNC_RESPONSE_BYTES, header, path};
use shared::protocol::{
    AUDIT_ANCHOR_TAG, DecodeError, Extensions, NODE_KEY_TAG, REFUSALS_TAG, RESUME_PROBE,
    RequestHead, SyncResponse, UploadHead, UploadStatus, decode_anchor, decode_changes,
    decode_node_key, decode_refusals, signed_digest,
};
use shared::time::Timestamp;

use crate::state::{Acknowledged, Link, PendingUpload, SyncState};
use crate::transport::{Request, Transport};
use crate::{SyncError, SyncOptions, SyncProgress, SyncReport};

/// Syncs `state` with its node over `transport` until the outbox is acknowledged and no more
/// changes wait, retrying link failures with backoff, within the options' request and time
/// budget.
///
/// # Errors
/// Not enrolled, the node refused, the answer was not understood, the state failed, the link
/// failed more often than `options.retries`, or the budget ran out.
pub fn sync<S: SyncState>(
    state: &mut S,
    transport: &mut dyn Transport,
    options: &SyncOptions,
    progress: &mut dyn FnMut(&SyncProgress),
) -> Result<SyncReport, SyncError> {
    let link = state
        .link()
        .map_err(SyncError::state)?
        .ok_or(SyncError::NotEnrolled)?;
    let mut session = Session {
        state,
        transport,
        link: &link,
        options,
        report: SyncReport::default(),
        progress: SyncProgress::default(),
        started: Instant::now(),
        asks_node_key: matches!(link.pin, crate::Pin::Certificate(_)),
    };
    let mut wait = options.backoff;
    let mut attempt = 0;
    loop {
        match session.run(progress) {
            Ok(()) => {
                session
                    .state
                    .sync_finished(Timestamp::now())
                    .map_err(SyncError::state)?;
                return Ok(session.report);
            }
            Err(SyncError::Transport(why)) if attempt < options.retries => {
                attempt += 1;
                session.check_budget()?;
                // Said, so a person watching a slow link sees why it is waiting.
                session.progress.retrying = Some(why);
                progress(&session.progress);
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(60));
            }
            Err(error) => return Err(error),
        }
    }
}

struct Session<'a, S> {
    state: &'a mut S,
    transport: &'a mut dyn Transport,
    link: &'a Link,
    options: &'a SyncOptions,
    report: SyncReport,
    progress: SyncProgress,
    started: Instant,
    /// The device pins the node's certificate and has not learned its key hash this session.
    asks_node_key: bool,
}

enum Settled {
    Done,
    Resume(u32),
}

/// A decoded answer with its extension section.
struct Answered {
    response: SyncResponse,
    extensions: Extensions,
}

impl<S: SyncState> Session<'_, S> {
    fn run(&mut self, progress: &mut dyn FnMut(&SyncProgress)) -> Result<(), SyncError> {
        // Uploads that carried no change (only audit entries): one a session is enough, so a
        // node that never moves its anchor cannot keep a device sending.
        let mut entries_only = 0u32;
        loop {
            let upload = self
                .state
                .pending_upload(self.options.max_upload_bytes)
                .map_err(SyncError::state)?;
            if upload.as_ref().is_some_and(|u| u.changes == 0) {
                entries_only += 1;
            }
            let answer = match &upload {
                Some(upload) => match self.send_upload(upload, progress)? {
                    Some(answer) => answer,
                    None => continue,
                },
                None => self.request(None, &[], progress)?,
            };
            let outbox_left = self.state.pending_changes().map_err(SyncError::state)? > 0;
            let entries_left =
                entries_only == 0 && self.state.audit_waiting().map_err(SyncError::state)?;
            if !answer.response.more && !outbox_left && !entries_left {
                return Ok(());
            }
        }
    }

    /// Sends what the node does not hold of `upload`; `None` when the upload settled (or must
    /// be resent) and the loop should look again.
    fn send_upload(
        &mut self,
        upload: &PendingUpload,
        progress: &mut dyn FnMut(&SyncProgress),
    ) -> Result<Option<Answered>, SyncError> {
        let total = len32(&upload.blob);
        let mut offset = 0u32;
        if upload.attempts > 0 {
            // An earlier attempt was cut: ask how much the node holds.
            let probe = UploadHead {
                upload_id: upload.id,
                total_len: total,
                offset: RESUME_PROBE,
            };
            let answer = self.request(Some(probe), &[], progress)?;
            match self.settle(upload, &answer)? {
                Settled::Done => return Ok(None),
                Settled::Resume(received) => offset = received,
            }
        }
        self.state
            .upload_attempted(upload.id)
            .map_err(SyncError::state)?;
        let head = UploadHead {
            upload_id: upload.id,
            total_len: total,
            offset,
        };
        let rest = &upload.blob[offset as usize..];
        self.progress.upload_bytes_left = rest.len() as u64;
        let answer = self.request(Some(head), rest, progress)?;
        Ok(match self.settle(upload, &answer)? {
            Settled::Done => Some(answer),
            Settled::Resume(_) => None,
        })
    }

    /// Acts on the upload status; pulled changes were applied by `request`.
    fn settle(&mut self, upload: &PendingUpload, answer: &Answered) -> Result<Settled, SyncError> {
        match answer.response.upload {
            UploadStatus::Applied {
                upload_id,
                applied,
                duplicates,
                refused,
            } if upload_id == upload.id => {
                let refusals = match answer.extensions.get(REFUSALS_TAG) {
                    Some(bytes) => decode_refusals(bytes)?,
                    None => Vec::new(),
                };
                if refusals.len() > upload.changes as usize {
                    return Err(SyncError::Protocol(DecodeError::Malformed(
                        "the node refused more changes than the upload holds",
                    )));
                }
                let outcome = Acknowledged {
                    applied,
                    duplicates,
                    refused,
                    refusals,
                };
                self.state
                    .upload_acknowledged(upload.id, outcome)
                    .map_err(SyncError::state)?;
                self.report.changes_sent +=
                    applied.saturating_add(duplicates).saturating_add(refused);
                self.report.changes_refused += refused;
                Ok(Settled::Done)
            }
            UploadStatus::Partial {
                upload_id,
                received,
            } if upload_id == upload.id => {
                // A node cannot hold more of an upload than it has bytes: a claim past the end
                // is a broken or hostile node, not a reason to index past the blob.
                if received > len32(&upload.blob) {
                    return Err(SyncError::Protocol(DecodeError::Malformed(
                        "the node claims more of the upload than was sent",
                    )));
                }
                Ok(Settled::Resume(received))
            }
            _ => Ok(Settled::Resume(0)),
        }
    }

    /// Stops a session a node keeps alive forever (never acknowledging, always saying "more").
    fn check_budget(&self) -> Result<(), SyncError> {
        if self.report.requests >= self.options.max_requests
            || self.started.elapsed() >= self.options.session_budget
        {
            return Err(SyncError::BudgetSpent {
                requests: self.report.requests,
            });
        }
        Ok(())
    }

    /// One signed request; applies the pulled changes and moves the cursor before returning.
    fn request(
        &mut self,
        upload: Option<UploadHead>,
        part: &[u8],
        progress: &mut dyn FnMut(&SyncProgress),
    ) -> Result<Answered, SyncError> {
        let head = RequestHead {
            device: self.link.device,
            cursor: self.state.cursor().map_err(SyncError::state)?,
            max_response_bytes: self.options.max_response_bytes,
            upload,
        };
        // A device still pinning the certificate asks for the node's key hash (see
        // `SyncState::node_key_said`); older nodes skip the request.
        let mut extensions = Extensions::default();
        if self.asks_node_key {
            extensions.0.push((NODE_KEY_TAG, Vec::new()));
        }
        // Pages may come compressed with a dictionary this build reads (3 bytes a request; a
        // page of a few changes is then a fraction of its size). Older nodes skip the tag.
        extensions.0.push((
            DICTIONARIES_TAG,
            dictionary::encode_ids(dictionary::READABLE),
        ));
        let asks_dictionaries = self
            .state
            .node_dictionaries()
            .map_err(SyncError::state)?
            .is_none();
        if asks_dictionaries {
            extensions.0.push((ASK_DICTIONARIES_TAG, Vec::new()));
        }
        let mut body = head.encode_as(shared::protocol::PROTOCOL_VERSION, &extensions);
        body.extend_from_slice(part);
        let mut skew_retried = false;
        loop {
            self.check_budget()?;
            let counter = self.state.next_counter().map_err(SyncError::state)?;
            let offset = self.state.clock_offset().map_err(SyncError::state)?;
            let time_ms = Timestamp::now().0.saturating_add(offset);
            let headers = signed_headers(
                self.link,
                path::SYNC,
                signed_digest(&body),
                counter,
                time_ms,
            );
            let delivery = self.transport.send(&Request {
                path: path::SYNC,
                headers: &headers,
                body: &body,
                response_limit: MAX_SYNC_RESPONSE_BYTES,
            });
            self.report.requests += 1;
            self.progress.requests += 1;
            self.report.bytes_sent += delivery.bytes_sent;
            self.progress.bytes_sent += delivery.bytes_sent;
            let answer = delivery.outcome?;
            if answer.status == 401
                && !skew_retried
                && let Some(server_time) = answer.server_time
            {
                // The laptop's clock is off: learn the offset and sign again.
                skew_retried = true;
                self.state
                    .set_clock_offset(server_time.saturating_sub(Timestamp::now().0))
                    .map_err(SyncError::state)?;
                continue;
            }
            if answer.status == 503 {
                // Busy or its store is down: a link problem for the device, tried again later.
                return Err(SyncError::Transport(format!(
                    "the node is unavailable ({})",
                    answer
                        .reason
                        .map_or("unknown", shared::protocol::wire::Reason::as_str)
                )));
            }
            if !(200..300).contains(&answer.status) {
                return Err(SyncError::Refused {
                    status: answer.status,
                    reason: answer.reason,
                });
            }
            self.report.bytes_received += answer.body.len() as u64;
            self.progress.bytes_received += answer.body.len() as u64;
            let versioned = SyncResponse::decode_versioned(&answer.body)?;
            if let Some(anchor) = versioned.extensions.get(AUDIT_ANCHOR_TAG) {
                self.state
                    .audit_anchor_said(decode_anchor(anchor)?)
                    .map_err(SyncError::state)?;
            }
            if asks_dictionaries && let Some(ids) = versioned.extensions.get(DICTIONARIES_TAG) {
                self.state
                    .node_dictionaries_said(&dictionary::decode_ids(ids)?)
                    .map_err(SyncError::state)?;
            }
            if self.asks_node_key
                && let Some(key) = versioned.extensions.get(NODE_KEY_TAG)
            {
                self.state
                    .node_key_said(decode_node_key(key)?)
                    .map_err(SyncError::state)?;
                self.asks_node_key = false;
            }
            let decoded = versioned.message;
            self.state
                .set_clock_offset(decoded.server_time.0.saturating_sub(Timestamp::now().0))
                .map_err(SyncError::state)?;
            let changes = if decoded.changes.is_empty() {
                Vec::new()
            } else {
                decode_changes(&decoded.changes)?
            };
            let changed = self
                .state
                .apply_pulled(changes, decoded.next_cursor)
                .map_err(SyncError::state)?;
            self.report.changed.extend(changed);
            self.report_progress(delivery.bytes_sent);
            progress(&self.progress);
            return Ok(Answered {
                response: decoded,
                extensions: versioned.extensions,
            });
        }
    }

    fn report_progress(&mut self, sent_now: u64) {
        let elapsed = self.started.elapsed().as_secs_f64();
        self.progress.upload_bytes_left = self.progress.upload_bytes_left.saturating_sub(sent_now);
        self.progress.time_left = (self.progress.bytes_sent > 0 && elapsed > 0.0).then(|| {
            Duration::from_secs_f64(
                self.progress.upload_bytes_left as f64
                    / (self.progress.bytes_sent as f64 / elapsed),
            )
        });
        self.progress.retrying = None;
    }
}

/// The signature headers of a request to `path` whose signed part hashes to `digest`: one
/// compact header to a node whose key the device pins (a node that gives its key reads it: the
/// same protocol revision), the four separate ones otherwise.
pub(crate) fn signed_headers(
    link: &Link,
    path: &'static str,
    digest: [u8; 32],
    counter: u64,
    time_ms: i64,
) -> Vec<(&'static str, String)> {
    let signature = link.key.sign(&SignedRequest {
        method: "POST",
        path,
        body_sha256: digest,
        device: link.device,
        counter,
        time_ms,
    });
    if matches!(link.pin, crate::Pin::PublicKey(_)) {
        let auth = CompactAuth {
            device: link.device,
            counter,
            time_ms,
            signature,
        };
        return vec![(header::AUTH, auth.to_header_value())];
    }
    vec![
        (header::DEVICE, link.device.to_string()),
        (header::COUNTER, counter.to_string()),
        (header::TIME, time_ms.to_string()),
        (
            header::SIGNATURE,
            base64::engine::general_purpose::STANDARD.encode(signature),
        ),
    ]
}

fn len32(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}
