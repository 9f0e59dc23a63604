//! Bounds on connections, so a flood of half-open or slow connections (slowloris) cannot keep
//! healthy devices out: a cap on connections in all and per peer address, a TLS handshake
//! timeout, and header-read and first-request timeouts (set in [`crate::serve`]).

use std::collections::HashMap;
use std::future::{Ready, ready};
use std::io;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum_server::accept::Accept;
use futures_util::future::Either;
use tokio::net::TcpStream;

/// Connections served at once, in all.
pub const MAX_CONNECTIONS: usize = 1024;
/// Connections served at once from one address (an evacuation centre's devices may share one
/// address behind NAT, so this is generous).
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 64;

#[derive(Debug, Default)]
struct Counts {
    all: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// Counts connections; a [`Slot`] frees its place when the connection ends.
#[derive(Clone, Debug, Default)]
pub struct ConnectionSlots(Arc<Mutex<Counts>>);

impl ConnectionSlots {
    fn take(&self, address: IpAddr) -> Option<Slot> {
        let mut counts = self.0.lock().ok()?;
        let here = counts.by_address.get(&address).copied().unwrap_or(0);
        if counts.all >= MAX_CONNECTIONS || here >= MAX_CONNECTIONS_PER_ADDRESS {
            return None;
        }
        counts.all += 1;
        counts.by_address.insert(address, here + 1);
        Some(Slot {
            slots: self.clone(),
            address,
        })
    }

    /// Connections being served now.
    #[must_use]
    pub fn open(&self) -> usize {
        self.0.lock().map_or(0, |c| c.all)
    }
}

/// A place taken by one connection.
#[derive(Debug)]
struct Slot {
    slots: ConnectionSlots,
    address: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.slots.0.lock() {
            counts.all = counts.all.saturating_sub(1);
            if let Some(here) = counts.by_address.get_mut(&self.address) {
                *here = here.saturating_sub(1);
                if *here == 0 {
                    counts.by_address.remove(&self.address);
                }
            }
        }
    }
}

/// An acceptor in front of another (TLS) that refuses a connection over the caps at once, before
/// any handshake work, and keeps its place taken for as long as the connection is served.
#[derive(Clone, Debug)]
pub struct Capped<A> {
    inner: A,
    slots: ConnectionSlots,
}

impl<A> Capped<A> {
    /// Caps `inner` with `slots`.
    pub fn new(inner: A, slots: ConnectionSlots) -> Self {
        Self { inner, slots }
    }
}

impl<A, S> Accept<TcpStream, S> for Capped<A>
where
    A: Accept<TcpStream, Holding<S>>,
{
    type Stream = A::Stream;
    type Service = A::Service;
    type Future = Either<A::Future, Ready<io::Result<(Self::Stream, Self::Service)>>>;

    fn accept(&self, stream: TcpStream, service: S) -> Self::Future {
        let slot = stream
            .peer_addr()
            .ok()
            .and_then(|peer| self.slots.take(peer.ip()));
        match slot {
            Some(slot) => Either::Left(self.inner.accept(
                stream,
                Holding {
                    inner: service,
                    _slot: Arc::new(slot),
                },
            )),
            None => Either::Right(ready(Err(io::Error::other(
                "connection refused: too many connections",
            )))),
        }
    }
}

/// The connection's service, holding its slot: hyper keeps it for the connection's lifetime.
#[derive(Clone, Debug)]
pub struct Holding<S> {
    inner: S,
    _slot: Arc<Slot>,
}

impl<S, R> tower::Service<R> for Holding<S>
where
    S: tower::Service<R>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        self.inner.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_cap_each_address_and_come_back_when_connections_end() {
        let slots = ConnectionSlots::default();
        let one: IpAddr = [10, 0, 0, 1].into();
        let held: Vec<Slot> = (0..MAX_CONNECTIONS_PER_ADDRESS)
            .map(|_| slots.take(one).unwrap_or_else(|| panic!("a slot")))
            .collect();
        assert!(slots.take(one).is_none(), "the address is at its cap");
        assert!(
            slots.take([10, 0, 0, 2].into()).is_some(),
            "another address is not"
        );
        drop(held);
        assert_eq!(slots.open(), 0);
        assert!(slots.take(one).is_some());
    }
}

/// How long a request waits for its device's previous request to finish.
pub const DEVICE_TURN_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// One turn per device at a time (see [`crate::Node::device_turns`]).
#[derive(Debug, Default)]
pub struct DeviceTurns(Mutex<HashMap<shared::ids::DeviceId, Arc<tokio::sync::Mutex<()>>>>);

impl DeviceTurns {
    /// Waits for `device`'s turn; `None` if its previous request did not finish in
    /// [`DEVICE_TURN_WAIT`] (the caller answers "unavailable, try again").
    pub async fn take(
        &self,
        device: shared::ids::DeviceId,
    ) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        let turn = {
            let mut turns = self.0.lock().ok()?;
            Arc::clone(turns.entry(device).or_default())
        };
        tokio::time::timeout(DEVICE_TURN_WAIT, turn.lock_owned())
            .await
            .ok()
    }
}
