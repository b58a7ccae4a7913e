#!/usr/bin/env python3
"""Writes products.xlsx, products.json and products.ndjson from products.csv (same rows, same defects).

The XLSX stores numbers as numeric cells and ISO dates as date cells, as a spreadsheet would;
the JSON files keep every value as the CSV's text. Run: pip install openpyxl && python3 make_examples.py
"""
import csv, datetime, json, os, re
from openpyxl import Workbook

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "products.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header, body = rows[0], [r for r in rows[1:] if len(r) == len(rows[0])]

wb = Workbook()
ws = wb.active
ws.title = "Products"
ws.append(header)
for r in body:
    out = []
    for name, v in zip(header, r):
        if name in ("Price", "Weight (kg)", "Stock") and re.fullmatch(r"-?\d+(\.\d+)?", v):
            out.append(float(v) if "." in v else int(v))
        elif name == "Released On" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            y, m, d = map(int, v.split("-"))
            try:
                out.append(datetime.date(y, m, d))
            except ValueError:
                out.append(v)
        else:
            out.append(v)
    ws.append(out)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
wb.save(os.path.join(here, "products.xlsx"))

objects = [dict(zip(header, r)) for r in body]
with open(os.path.join(here, "products.json"), "w", encoding="utf-8") as f:
    json.dump(objects, f, ensure_ascii=False, indent=1)
    f.write("\n")
with open(os.path.join(here, "products.ndjson"), "w", encoding="utf-8") as f:
    for o in objects:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
