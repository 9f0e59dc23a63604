//! A request body that respects a bandwidth budget (a satellite plan is paid by the byte and
//! shared with the community office) and counts what has been sent.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Reads `bytes` no faster than `bytes_per_sec` (if set), adding to `sent`.
pub(crate) struct Throttled {
    bytes: Vec<u8>,
    position: usize,
    bytes_per_sec: Option<u64>,
    started: Instant,
    sent: Arc<AtomicU64>,
}

impl Throttled {
    pub(crate) fn new(bytes: Vec<u8>, bytes_per_sec: Option<u64>, sent: Arc<AtomicU64>) -> Self {
        Self {
            bytes,
            position: 0,
            bytes_per_sec,
            started: Instant::now(),
            sent,
        }
    }
}

impl Read for Throttled {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = &self.bytes[self.position..];
        if left.is_empty() {
            return Ok(0);
        }
        let mut n = buf.len().min(left.len());
        if let Some(rate) = self.bytes_per_sec.filter(|r| *r > 0) {
            // Send in slices of about 1/8 s and wait until the budget allows them.
            n = n.min(usize::try_from((rate / 8).max(64)).unwrap_or(usize::MAX));
            let due = Duration::from_secs_f64((self.position + n) as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(self.started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        buf[..n].copy_from_slice(&left[..n]);
        self.position += n;
        self.sent.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
