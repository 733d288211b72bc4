#!/bin/sh
# The pictures of docs/images, at 1366×768 (the smallest screen the offices use), from the
# demo workspace: sh docs/screenshots.sh [WORKSPACE]. Runs offscreen; needs no display.
set -e
ws="${1:-$(mktemp -d)/demo}"
out="$(dirname "$0")/images"
shot() { name="$1"; shift; baocao --workspace "$ws" gui --screenshot "$out/$name.png" "$@"; }
fresh="$(mktemp -d)/new"
baocao --workspace "$fresh" gui --screenshot "$out/gui-wizard.png"
shot gui-home --demo
shot gui-list --page list
report="$(baocao --workspace "$ws" --json report list | python3 -c \
  'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["period"] == "2026Q3"))')"
shot gui-editor --open "$report"
shot gui-preview --open "$report" --page preview  # blank until the preview reads pypdfium2 bitmaps right (issue 11, item 1)
for page in upper keys export import office; do shot "gui-$page" --page "$page"; done
