#!/usr/bin/env bash
# Saves a PNG of each main screen, in English, French, Inuktitut and Cree, to docs/screenshots/: the real app
# (--demo, fictional records, embedded node) rendered by OpenGL in a virtual X display.
# Needs Xvfb and Mesa (Debian: xvfb, libgl1-mesa-dri). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
out="docs/screenshots"
mkdir -p "$out"
display=":97"
Xvfb "$display" -screen 0 1366x768x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" cargo run --quiet -p field-app -- --demo --screenshot-tour "$out"
ls -1 "$out"/*.png
