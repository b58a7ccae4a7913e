#!/usr/bin/env python3
"""Converts a bench CSV to NDJSON or XLSX with the same rows (for bench/formats.sh).

usage: convert.py IN.csv OUT.ndjson|OUT.xlsx   (XLSX needs: pip install openpyxl)
XLSX is written in openpyxl's streaming mode with every cell as text, like a CSV opened and
saved by a spreadsheet that keeps text as text.
"""
import csv, json, sys

src, dst = sys.argv[1], sys.argv[2]
with open(src, newline="", encoding="utf-8") as f:
    rows = csv.reader(f)
    header = next(rows)
    if dst.endswith(".ndjson"):
        with open(dst, "w", encoding="utf-8") as out:
            for r in rows:
                out.write(json.dumps(dict(zip(header, r)), ensure_ascii=False) + "\n")
    elif dst.endswith(".xlsx"):
        from openpyxl import Workbook
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Products")
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(dst)
    else:
        sys.exit("output must end in .ndjson or .xlsx")
