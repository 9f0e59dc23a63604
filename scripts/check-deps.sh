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
forbid field-app sync-server "the laptop app and the node share only shared and vault"
forbid vault eframe "the encrypted file layer has no UI"
[ "$fail" -eq 0 ] && echo "dependency check: ok"
exit "$fail"
