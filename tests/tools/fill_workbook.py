"""Fills a questionnaire workbook the way a person would: only unlocked input cells.

Usage: fill_workbook.py IN.xlsx OUT.xlsx SPEC.json
       fill_workbook.py --many IN.xlsx OUT_DIR SPECS.json

SPEC: {"respondent": {"Group": "Agency A", ...}, "answers": {"D-01": "Yes", "D-02/social": "Yes"}}
SPECS: {"name": SPEC, ...}; each fills a fresh copy of IN.xlsx, saved as OUT_DIR/name.xlsx.
A cell that is locked (not meant for input) is refused, so a test cannot cheat.
"""
import json
import os
import sys

import openpyxl


def fill_one(source, target, spec):
    workbook = openpyxl.load_workbook(source)

    def fill(cell, value):
        if cell.protection.locked:
            sys.exit(f"refusing to write locked cell {cell.parent.title}!{cell.coordinate}")
        cell.value = value

    respondent = workbook["Respondent"]
    for label, value in spec.get("respondent", {}).items():
        rows = [row for row in respondent.iter_rows(min_row=1) if row[0].value == label]
        if not rows:
            sys.exit(f"no respondent field {label!r}")
        fill(rows[0][1], value)

    questions = workbook["Questions"]
    header = [c.value for c in questions[1]]
    id_col, answer_col = header.index("ID") + 1, header.index("Answer") + 1
    rows = {row[id_col - 1].value: row[0].row for row in questions.iter_rows(min_row=2) if row[id_col - 1].value}
    for question, value in spec.get("answers", {}).items():
        if question not in rows:
            sys.exit(f"no question row {question!r}")
        fill(questions.cell(rows[question], answer_col), value)
    workbook.save(target)


def main():
    if sys.argv[1] == "--many":
        source, out_dir, specs_path = sys.argv[2:5]
        with open(specs_path, encoding="utf-8") as f:
            specs = json.load(f)
        for name, spec in specs.items():
            fill_one(source, os.path.join(out_dir, f"{name}.xlsx"), spec)
        return
    source, target, spec_path = sys.argv[1:4]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    fill_one(source, target, spec)


if __name__ == "__main__":
    main()
