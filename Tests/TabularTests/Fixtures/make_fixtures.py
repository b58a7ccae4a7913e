#!/usr/bin/env python3
"""Generates the XLSX fixtures of TabularTests (the .xlsx files next to this script, committed).

Run from anywhere:  pip install openpyxl && python3 make_fixtures.py
Deterministic enough for tests: the tests assert on cell values, not on file bytes.
"""
import datetime
import io
import os
import zipfile

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "xlsx")
os.makedirs(HERE, exist_ok=True)


def rewrite(path, patches):
    """Rewrites a zip, applying {entry: [(old, new), ...]} text replacements."""
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            for old, new in patches.get(info.filename, []):
                text = data.decode("utf-8")
                assert old in text, (info.filename, old)
                data = text.replace(old, new).encode("utf-8")
            z.writestr(info.filename, data)


def basic():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Products"
    ws.append(["sku", "qty", "price", "released", "updated", "at", "active", "double", "status"])
    ws.append(["00123", 42, 0.1, datetime.date(2024, 3, 1), datetime.datetime(2024, 3, 1, 10, 30),
               datetime.time(10, 30), True, "=B2*2", "#N/A"])
    ws.append(["00456", 1234567890123, 1e-7, datetime.date(1900, 2, 28), datetime.datetime(1999, 12, 31, 23, 59, 59),
               datetime.time(0, 0, 1), False, "=B3*2", "#DIV/0!"])
    ws["D2"].number_format = "yyyy-mm-dd"
    ws["D3"].number_format = "yyyy-mm-dd"
    # Sparse: row 4 missing entirely, row 5 has only A and C.
    ws["A5"] = "sparse"
    ws["C5"] = -3.5
    wb.create_sheet("Second").append(["only", "two"])
    wb["Second"].append(["x", "y"])
    wb.create_sheet("Empty")
    path = os.path.join(HERE, "basic.xlsx")
    wb.save(path)
    # openpyxl writes formulas without cached values; give them the values Excel would have cached.
    rewrite(path, {"xl/worksheets/sheet1.xml": [("<f>B2*2</f><v />", "<f>B2*2</f><v>84</v>"),
                                               ("<f>B3*2</f><v />", "<f>B3*2</f><v>2469135780246</v>")]})
    return path


def epoch1904():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["day", "moment"])
    ws.append([datetime.date(2024, 3, 1), datetime.datetime(1904, 1, 2, 6, 0)])
    ws["A2"].number_format = "yyyy-mm-dd"
    wb.save(os.path.join(HERE, "epoch1904.xlsx"))


class Unseekable(io.RawIOBase):
    """A write-only stream: zipfile then writes data descriptors (general purpose flag bit 3)."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buffer += b
        return len(b)


def handmade_parts(sheet_xml):
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{rel}">'
                           '<x:sheets><x:sheet name="Data &amp; More" sheetId="7" r:id="rId9"/></x:sheets></x:workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                      f'<Relationship Id="rId9" Type="{rel}/worksheet" Target="/xl/worksheets/data.xml"/>'
                                      f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="strings.xml"/>'
                                      f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/strings.xml": f'<sst {ns} count="3" uniqueCount="3"><si><t>name</t></si>'
                          '<si><r><rPr><b/></rPr><t xml:space="preserve">Fish </t></r><r><t>&amp; Chips</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si>'
                          '<si><t>007</t></si></sst>',
        "xl/styles.xml": f'<styleSheet {ns}><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/>'
                         '<numFmt numFmtId="165" formatCode="&quot;d&quot;0.00"/></numFmts>'
                         '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
                         '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"><alignment/></xf><xf numFmtId="164"/><xf numFmtId="20"/><xf numFmtId="165"/></cellXfs></styleSheet>',
        "xl/worksheets/data.xml": sheet_xml,
    }


def write_zip(path, parts, stored=(), descriptors=True):
    sink = Unseekable() if descriptors else io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            data = text.encode("utf-8") if isinstance(text, str) else text
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = method
            with z.open(info, "w") as entry:
                entry.write(data)
    data = sink.buffer if descriptors else sink.getvalue()
    with open(path, "wb") as f:
        f.write(bytes(data))


def handmade():
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = (f'<worksheet {ns}><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>when</t></is></c><c t="str"><v>kind</v></c><c r="D1" t="inlineStr"><is><r><t>ti</t></r><r><t>me</t></r></is></c><c r="E1" t="inlineStr"><is><t>n</t></is></c></row>'
             '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>60</v></c><c r="C2" t="str"><f>"a"&amp;"b"</f><v>a&lt;b&#x41;</v></c><c r="D2" s="3"><v>0.4375</v></c><c r="E2" s="4"><v>12.50</v></c></row>'
             '<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" s="1"><v>59</v></c><c r="C3" t="b"><v>0</v></c><c r="D3" s="2"><v>45352.5</v></c><c r="E3"><v>1.0E+12</v></c></row>'
             '<row><c s="1"><v>61</v></c><c/><c t="e"><v>#REF!</v></c></row>'
             '<row r="7" spans="1:3"><c r="A7" s="1"/><c r="C7"><v></v></c></row>'
             '<row r="9"><c r="G9" t="inlineStr"><is><t>far</t></is></c></row>'
             '</sheetData></worksheet>')
    write_zip(os.path.join(HERE, "handmade.xlsx"), handmade_parts(sheet), stored={"xl/strings.xml"})


def zipbomb():
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    row = '<row><c><v>0</v></c></row>'
    sheet = f'<worksheet {ns}><sheetData>' + row * 1_500_000 + '</sheetData></worksheet>'
    write_zip(os.path.join(HERE, "zipbomb.xlsx"), handmade_parts(sheet), descriptors=False)


def damaged(source):
    data = open(source, "rb").read()
    with open(os.path.join(HERE, "truncated.xlsx"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    # Corrupt the middle of the sheet's compressed data, keeping the ZIP directory intact.
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    corrupt = bytearray(data)
    for k in range(middle, middle + 8):
        corrupt[k] ^= 0x5A
    with open(os.path.join(HERE, "corrupt.xlsx"), "wb") as f:
        f.write(bytes(corrupt))


if __name__ == "__main__":
    path = basic()
    epoch1904()
    handmade()
    zipbomb()
    damaged(path)
    print("fixtures written to", HERE)
