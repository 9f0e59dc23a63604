#!/usr/bin/env bash
# Architecture invariants about dependency direction (ARCHITECTURE.md): fails if one is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
forbid() { # forbid CRATE DEPENDENCY WHY [CARGO_TREE_FLAGS...]
  local crate=$1 dep=$2 why=$3; shift 3
  if cargo tree -p "$crate" "$@" -e normal --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | grep -qx "$dep"; then
    echo "dependency check: $crate ${*:+($*) }must not depend on $dep ($why)"; fail=1
  fi
}
for dep in rusqlite eframe egui axum tokio hyper reqwest sqlx; do
  forbid shared "$dep" "shared does no I/O: no SQL, UI or network"
done
# The laptop app runs a node only as the demo's embedded local node, behind the `demo` feature;
# its sync engine speaks shared::protocol over HTTPS like any device. A field build without the
# demo links no server stack at all.
if grep -rlnE "\bnode::" field-app/src | grep -vx "field-app/src/gui/demo.rs"; then
  echo "dependency check: only field-app/src/gui/demo.rs may use the node library (the demo's embedded node)"; fail=1
fi
for dep in node axum axum-server rcgen; do
  forbid field-app "$dep" "a field build without the demo has no server stack" --no-default-features
done
# The node library holds no policy in its backends (ARCHITECTURE.md): merge, scope and epoch
# rules live in node/src/{policy,ingest,pull,upload}.rs.
if grep -nE "ClientDoc|may_write|epoch_accepts|Role::(Agent|Office)|includes\(" node/src/storage/*.rs node/src/storage/*/*.rs; then
  echo "dependency check: a storage backend contains merge, scope or epoch policy"; fail=1
fi
forbid vault eframe "the encrypted file layer has no UI"
[ "$fail" -eq 0 ] && echo "dependency check: ok"
exit "$fail"
