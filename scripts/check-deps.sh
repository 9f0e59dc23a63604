#!/usr/bin/env bash
# Architecture invariants about dependency direction (ARCHITECTURE.md): fails if one is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
forbid() { # forbid CRATE DEPENDENCY WHY
  if cargo tree -p "$1" -e normal --prefix none --format '{p}' 2>/dev/null | awk '{print $1}' | grep -qx "$2"; then
    echo "dependency check: $1 must not depend on $2 ($3)"; fail=1
  fi
}
for dep in rusqlite eframe egui axum tokio hyper reqwest sqlx; do
  forbid shared "$dep" "shared does no I/O: no SQL, UI or network"
done
# The laptop app runs a node only as the demo's embedded local node; its sync engine speaks
# shared::protocol over HTTPS like any device.
if grep -rln "sync_server" field-app/src | grep -vx "field-app/src/gui/demo.rs"; then
  echo "dependency check: only field-app/src/gui/demo.rs may use sync_server (the demo's embedded node)"; fail=1
fi
forbid vault eframe "the encrypted file layer has no UI"
[ "$fail" -eq 0 ] && echo "dependency check: ok"
exit "$fail"
