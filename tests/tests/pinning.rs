//! How a laptop trusts its node, across real processes: the enrolment code pins the node's
//! certificate; the enrolment answer (over that pinned connection) gives the node's public key,
//! which the laptop pins from then on, taking the raw key in each handshake instead of the
//! certificate. Laptops that pin the certificate (older builds, or enrolled before) keep syncing,
//! and ask for the key in their next sync.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a test failure

use field_app::storage::sync_state::key;
use field_app::sync::Pin;
use sync_client::SyncState as _;
use tests::processes::{Laptop, TestNode, sync};
use tests::proxy::{Proxy, Shape};

fn node_address(node: &TestNode) -> std::net::SocketAddr {
    node.url.trim_start_matches("https://").parse().unwrap()
}

fn pin_of(laptop: &Laptop) -> Pin {
    laptop.store().link().unwrap().expect("enrolled").pin
}

/// Bytes both ways of one `field-app sync` that has nothing to send or fetch.
fn no_change_sync_bytes(laptop: &Laptop, proxy: &Proxy) -> u64 {
    proxy.reset();
    let out = sync(laptop);
    assert!(
        out.contains("0 change(s) acknowledged") && out.contains("0 record(s) updated"),
        "{out}"
    );
    proxy.upstream() + proxy.downstream()
}

#[test]
fn a_laptop_pins_the_node_key_from_its_enrolment_or_its_next_sync_and_takes_the_raw_key() {
    let node = TestNode::start();
    let proxy = Proxy::start(node_address(&node), Shape::default());
    let laptop = Laptop::enrolled_via(&node, &["nu.iqaluit"], proxy.address);
    let Pin::PublicKey(node_key) = pin_of(&laptop) else {
        panic!("the enrolment answer gave no node key")
    };
    assert_ne!(
        node_key,
        node.fingerprint_bytes(),
        "a key pin, not the certificate's"
    );

    let record = r#"{"schema":1,"identity":{"given_name":"Annie","family_name":"Kilabuk","community":"nu.iqaluit"}}"#;
    let _ = laptop.ok("add", &[], record.as_bytes());
    assert!(sync(&laptop).contains("1 change(s) acknowledged"));
    let with_key = no_change_sync_bytes(&laptop, &proxy);

    // The same laptop as one enrolled before nodes gave their key: the certificate pinned.
    laptop.store().set_link(&[(key::NODE_KEY, &[])]).unwrap();
    assert!(matches!(pin_of(&laptop), Pin::Certificate(_)));
    let with_certificate = no_change_sync_bytes(&laptop, &proxy);
    assert!(
        with_key + 200 < with_certificate,
        "the raw key saves the certificate's bytes: {with_key} B with the key, \
         {with_certificate} B with the certificate"
    );
    // That sync asked for the key over the pinned certificate; the laptop pins the key now.
    assert_eq!(pin_of(&laptop), Pin::PublicKey(node_key));
    let learned = no_change_sync_bytes(&laptop, &proxy);
    assert!(learned.abs_diff(with_key) <= 8, "{learned} B, {with_key} B");
    // The whole no-change sync, TLS included: 1,741 B with the certificate, a session ticket
    // and four signature headers before; ~ 980 B with the raw key, the one compact signature
    // header and no `date` header on the answer (which would make it ~ 1,018 B).
    assert!(with_key <= 1_000, "a no-change sync took {with_key} B");
}

#[test]
fn a_node_key_that_does_not_match_the_pin_is_refused_before_anything_is_sent() {
    let node = TestNode::start();
    let proxy = Proxy::start(node_address(&node), Shape::default());
    let laptop = Laptop::enrolled_via(&node, &["nu.iqaluit"], proxy.address);
    let record = r#"{"schema":1,"identity":{"given_name":"Meeka","family_name":"Arnakaq","community":"nu.iqaluit"}}"#;
    let _ = laptop.ok("add", &[], record.as_bytes());
    let mut other_key = [7u8; 32];
    if let Pin::PublicKey(pinned) = pin_of(&laptop) {
        other_key[0] = pinned[0] ^ 1;
    }
    laptop
        .store()
        .set_link(&[(key::NODE_KEY, &other_key)])
        .unwrap();
    proxy.reset();
    let out = laptop.run("sync", &["--retries", "0"], b"");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("pinned fingerprint"), "{stderr}");
    assert_eq!(laptop.store().pending_changes().unwrap(), 1, "still held");
    // Nothing but the ClientHello and the client's alert went up: no request, no record.
    assert!(proxy.upstream() < 400, "{} B went up", proxy.upstream());
}
