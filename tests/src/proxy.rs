//! A loopback TCP proxy between a device and a node: counts bytes each way and round trips
//! (a change of direction from device→node to node→device), can shape the link (rate per
//! direction, one-way delay) and can cut it once the device has sent a chosen number of bytes.
//! It only ever connects to the loopback address it is given, and stops when dropped.

#![allow(clippy::expect_used)] // test-harness code: a failed setup step is a test failure

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// How the link behaves.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    /// Bytes per second each way (none: as fast as loopback).
    pub bytes_per_sec: Option<u64>,
    /// Added to every chunk in each direction (half the round-trip time).
    pub one_way_delay: Duration,
    /// Cut the connection when device→node bytes (all connections together) reach this.
    pub cut_after_upstream_bytes: Option<u64>,
}

/// What went through.
#[derive(Debug, Default)]
pub struct Counters {
    /// Device → node bytes.
    pub upstream: AtomicU64,
    /// Node → device bytes.
    pub downstream: AtomicU64,
    /// Direction changes from upstream to downstream.
    pub round_trips: AtomicU64,
    /// TCP connections accepted.
    pub connections: AtomicU64,
    /// Connections cut on purpose.
    pub cuts: AtomicU64,
}

/// A running proxy.
pub struct Proxy {
    /// Where devices connect.
    pub address: SocketAddr,
    /// Counters.
    pub counters: Arc<Counters>,
    shape: Arc<Mutex<Shape>>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    /// Proxies `127.0.0.1:PORT` → `target` (which must be a loopback address).
    #[must_use]
    pub fn start(target: SocketAddr, shape: Shape) -> Self {
        assert!(
            target.ip().is_loopback(),
            "the proxy only forwards to loopback"
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let address = listener.local_addr().expect("proxy address");
        listener.set_nonblocking(true).expect("nonblocking");
        let counters = Arc::new(Counters::default());
        let shape = Arc::new(Mutex::new(shape));
        let stop = Arc::new(AtomicBool::new(false));
        let (c, s, st) = (Arc::clone(&counters), Arc::clone(&shape), Arc::clone(&stop));
        thread::Builder::new()
            .name("proxy-accept".into())
            .spawn(move || {
                while !st.load(Ordering::Relaxed) {
                    match listener.accept() {
                        Ok((device, _)) => {
                            let _ = device.set_nonblocking(false);
                            if let Ok(node) = TcpStream::connect(target) {
                                c.connections.fetch_add(1, Ordering::Relaxed);
                                connect(&device, &node, &c, &s);
                            }
                        }
                        Err(_) => thread::sleep(Duration::from_millis(2)),
                    }
                }
            })
            .expect("spawn the proxy thread");
        Self {
            address,
            counters,
            shape,
            stop,
        }
    }

    /// Changes the shape for new traffic.
    pub fn reshape(&self, shape: Shape) {
        *self.shape.lock().expect("shape lock") = shape;
    }

    /// Device→node bytes so far.
    #[must_use]
    pub fn upstream(&self) -> u64 {
        self.counters.upstream.load(Ordering::Relaxed)
    }

    /// Node→device bytes so far.
    #[must_use]
    pub fn downstream(&self) -> u64 {
        self.counters.downstream.load(Ordering::Relaxed)
    }

    /// Round trips so far.
    #[must_use]
    pub fn round_trips(&self) -> u64 {
        self.counters.round_trips.load(Ordering::Relaxed)
    }

    /// Resets the counters.
    pub fn reset(&self) {
        for c in [
            &self.counters.upstream,
            &self.counters.downstream,
            &self.counters.round_trips,
            &self.counters.connections,
            &self.counters.cuts,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn connect(
    device: &TcpStream,
    node: &TcpStream,
    counters: &Arc<Counters>,
    shape: &Arc<Mutex<Shape>>,
) {
    // 0 = nothing yet, 1 = last data went upstream, 2 = downstream.
    let direction = Arc::new(AtomicU64::new(0));
    let cut = Arc::new(AtomicBool::new(false));
    for upstream in [true, false] {
        let (mut from, mut to) = if upstream {
            (
                device.try_clone().expect("clone"),
                node.try_clone().expect("clone"),
            )
        } else {
            (
                node.try_clone().expect("clone"),
                device.try_clone().expect("clone"),
            )
        };
        let (counters, shape, direction, cut) = (
            Arc::clone(counters),
            Arc::clone(shape),
            Arc::clone(&direction),
            Arc::clone(&cut),
        );
        let (device, node) = (
            device.try_clone().expect("clone"),
            node.try_clone().expect("clone"),
        );
        thread::Builder::new()
            .name("proxy-pipe".into())
            .spawn(move || {
                let mut buffer = [0u8; 16 * 1024];
                while let Ok(n) = from.read(&mut buffer) {
                    if n == 0 || cut.load(Ordering::Relaxed) {
                        break;
                    }
                    let current = shape.lock().map(|s| s.clone()).unwrap_or_default();
                    let mut chunk = &buffer[..n];
                    if upstream && let Some(limit) = current.cut_after_upstream_bytes {
                        let sent = counters.upstream.load(Ordering::Relaxed);
                        let allowed = limit.saturating_sub(sent);
                        if allowed < chunk.len() as u64 {
                            chunk = &chunk[..usize::try_from(allowed).unwrap_or(0)];
                            cut.store(true, Ordering::Relaxed);
                            // Counted when decided: the other direction may see the flag and
                            // close both sockets before this one finishes writing.
                            counters.cuts.fetch_add(1, Ordering::Relaxed);
                            // One cut only: the link comes back for the retry.
                            if let Ok(mut s) = shape.lock() {
                                s.cut_after_upstream_bytes = None;
                            }
                        }
                    }
                    let shape = current;
                    if !shape.one_way_delay.is_zero() {
                        thread::sleep(shape.one_way_delay);
                    }
                    // Pace the chunk in slices of about 1/10 s, so bytes trickle as on a slow link.
                    let slice = shape
                        .bytes_per_sec
                        .filter(|r| *r > 0)
                        .map_or(chunk.len(), |r| {
                            usize::try_from((r / 10).max(16)).unwrap_or(usize::MAX)
                        });
                    let mut failed = false;
                    for piece in chunk.chunks(slice.max(1)) {
                        if let Some(rate) = shape.bytes_per_sec.filter(|r| *r > 0) {
                            thread::sleep(Duration::from_secs_f64(
                                piece.len() as f64 / rate as f64,
                            ));
                        }
                        if to.write_all(piece).is_err() {
                            failed = true;
                            break;
                        }
                    }
                    if failed {
                        break;
                    }
                    if upstream {
                        counters
                            .upstream
                            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        direction.store(1, Ordering::Relaxed);
                    } else {
                        counters
                            .downstream
                            .fetch_add(chunk.len() as u64, Ordering::Relaxed);
                        if direction.swap(2, Ordering::Relaxed) == 1 {
                            counters.round_trips.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    if cut.load(Ordering::Relaxed) {
                        break;
                    }
                }
                let _ = device.shutdown(Shutdown::Both);
                let _ = node.shutdown(Shutdown::Both);
            })
            .expect("spawn a proxy pipe");
    }
}
