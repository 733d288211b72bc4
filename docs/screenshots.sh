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
shot gui-preview --open "$report" --page preview
for page in upper keys export import office; do shot "gui-$page" --page "$page"; done
# The grids and the task list in the report window; the approved second quarter's PDF pages
# (first page, the page that ends the text with its signature, Biểu 02 turned landscape).
PYTHONPATH="$(dirname "$0")/.." python3 "$(dirname "$0")/screenshot_editor.py" "$ws" "$out"
# One printed page of each 2026 template (and of its task list), filled as its tests fill it.
PYTHONPATH="$(dirname "$0")/.." python3 "$(dirname "$0")/template_pages.py" "$out"
sent="$(baocao --workspace "$ws" --json report list | python3 -c \
  'import json,sys; print(next(r["id"] for r in json.load(sys.stdin) if r["period"] == "2026Q2"))')"
pages="$(mktemp -d)"
baocao --workspace "$ws" pdf "$sent" --out "$pages/demo.pdf"
pdftoppm -png -r 70 "$pages/demo.pdf" "$pages/page"
last="$(ls "$pages"/page-*.png | sort -V | tail -n 1)"
cp "$pages/page-1.png" "$out/pdf-demo-page1.png"
cp "$pages/page-3.png" "$out/pdf-demo-last.png"
cp "$last" "$out/pdf-demo-table.png"
# The annex list of tasks of the same report (docs/template-format.md, the NQ 57 template).
for page in "$pages"/page-*.png; do
  n="${page##*-}"; n="${n%.png}"; n="$(echo "$n" | sed 's/^0*//')"
  if pdftotext -f "$n" -l "$n" "$pages/demo.pdf" - | grep -q "DANH MỤC NHIỆM VỤ"; then
    cp "$page" "$out/nq57-nhiem-vu.png"; break
  fi
done

# The province: a ward's approved report received (built as the tests build two offices).
two="$(mktemp -d)"
mkdir "$two/usb"
PYTHONPATH="$(dirname "$0")/.." python3 - "$two" <<'PY'
import sys
from pathlib import Path

from desktop_app.core.workspace import Workspace
from tests.conftest import DISTRICT
from tests.core.exchange.bundles.conftest import CHEAP, PASSPHRASE, PROVINCE, Offices

root = Path(sys.argv[1])
with (
    Workspace.open(root / "ward", automatic_backup=False, kdf_cost=CHEAP) as ward,
    Workspace.open(root / "province", automatic_backup=False, kdf_cost=CHEAP) as province,
):
    province.initialise(PROVINCE)
    ward.initialise(DISTRICT)
    ward.add_unit(PROVINCE)
    ward.keys.create(PASSPHRASE)
    province.keys.trust_unit(province.keys.read_key_file(ward.keys.public_key_file()), DISTRICT.code)
    offices = Offices(ward, province, root / "usb")
    province.exchange.import_bundles([offices.export(offices.approved_report("2026Q3"))])
PY
ws="$two/province"
shot gui-province-home
shot gui-province-list --page list
shot gui-province-upper --page upper
