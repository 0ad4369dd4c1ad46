#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seed inputs from the repository's sample answers and
# test fixtures: CSV files for csv_reader, XLSX and ODS files for sheet_reader and
# zip_prescan. When LibreOffice (soffice) is installed, one ODS seed is also made from the
# first XLSX seed, as no ODS file is committed. Each workbook seed is also written as a
# list of its parts (`TKZIP1`, see src/lib.rs), which the sheet targets pack into a valid
# zip, so that mutations reach the XML behind the container's checksums; seeds/ adds two
# small hand-written ones. Needs python3.
# The corpora are generated, not committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
corpus="$here/corpus"
mkdir -p "$corpus/csv_reader" "$corpus/sheet_reader" "$corpus/zip_prescan"

# A seed's name is its path with slashes as underscores, so names never collide.
copy() {
  local file="$1" target="$2"
  local name="${file#"$root"/}"
  cp "$file" "$corpus/$target/${name//\//_}"
}

while IFS= read -r -d '' file; do
  case "${file,,}" in
    *.csv) copy "$file" csv_reader ;;
    *.xlsx | *.ods)
      copy "$file" sheet_reader
      copy "$file" zip_prescan
      ;;
  esac
done < <(find "$root/answers" "$root/tests/fixtures" -type f \
  \( -iname '*.csv' -o -iname '*.xlsx' -o -iname '*.ods' \) -print0 | sort -z)

if command -v soffice >/dev/null 2>&1; then
  first_xlsx="$(find "$corpus/sheet_reader" -name '*.xlsx' | sort | head -n 1)"
  if [ -n "$first_xlsx" ]; then
    tmp="$(mktemp -d)"
    if soffice --headless -env:UserInstallation="file://$tmp/profile" \
      --convert-to ods --outdir "$tmp" "$first_xlsx" >/dev/null 2>&1; then
      for ods in "$tmp"/*.ods; do
        [ -e "$ods" ] || continue
        cp "$ods" "$corpus/sheet_reader/converted_$(basename "$ods")"
        cp "$ods" "$corpus/zip_prescan/converted_$(basename "$ods")"
      done
    fi
    rm -rf "$tmp"
  fi
fi

# Small hand-written workbooks (as part lists): fast to run, so most of the fuzzing time
# goes to them.
for file in "$here"/seeds/*.txt; do
  cp "$file" "$corpus/sheet_reader/seed_$(basename "$file")"
  cp "$file" "$corpus/zip_prescan/seed_$(basename "$file")"
done

# Workbooks as part lists: `TKZIP1`, then for each part a newline, `@@ `, its name, a
# newline and its content. Images and thumbnails are left out.
python3 - "$corpus/sheet_reader" "$corpus/zip_prescan" <<'PY'
import os, sys, zipfile
sheet_dir, prescan_dir = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(sheet_dir)):
    if name.startswith("parts_"):
        continue
    path = os.path.join(sheet_dir, name)
    if not zipfile.is_zipfile(path):
        continue
    out = bytearray(b"TKZIP1")
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.lower().endswith((".png", ".jpg", ".jpeg", ".bin", ".emf", ".wmf")):
                continue
            out += b"\n@@ " + info.filename.encode() + b"\n" + archive.read(info)
    for folder in (sheet_dir, prescan_dir):
        with open(os.path.join(folder, "parts_" + name + ".txt"), "wb") as f:
            f.write(out)
PY

for target in csv_reader sheet_reader zip_prescan; do
  echo "$target: $(find "$corpus/$target" -type f | wc -l) seeds"
done
