"""Audit report: HTML with page crops, CSV and XLSX of the findings, the `renjana audit` command,
and the HTML as a real headless browser shows it."""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from renjana import audit as A
from renjana.cli import EXIT_FAILED, app
from renjana.models import (BBox, CellSource, Column, DocumentMeta, DocumentResult, Finding, Row,
                            Source, Table)

PAGE_W, PAGE_H = 600.0, 400.0
COL_EDGES = [40.0, 140.0, 300.0, 380.0, 460.0, 540.0]
ROW_TOPS = [60.0, 80.0, 100.0, 120.0]  # header, then two body rows, bottom edge
COLUMNS = [Column(key="kode", label="Kode", type="code"),
           Column(key="uraian", label="Uraian", type="text"),
           Column(key="target_k", label="Target", type="qty"),
           Column(key="realisasi_k", label="Realisasi", type="qty"),
           Column(key="capaian_k", label="Capaian (%)", type="percent")]
HEADER = ["Kode", "Uraian", "Target", "Realisasi", "Capaian"]
# Page 1 row and page 2 row, as printed.
BODY = {1: ["2.17.01", "Program Penunjang", "80", "40", "55,00"],
        2: ["2.17.01.2.01", "Perencanaan Anggaran", "10", "5", "50,00"]}
CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TEXT_INSET = 3.0  # points from a cell's left rule to its text
TEXT_BASELINE = 6.0  # points from a cell's bottom rule up to its text's baseline
RULE_CLEARANCE = 1.5  # points inside a cell clear of its rules
INK = 100  # a darker gray level is printed ink
HOSTILE_PRINTED = '=HYPERLINK("http://x","y")'
HOSTILE_MESSAGE = "name differs <script>alert(1)</script> & is not official"


def cell_box(row: int, col: int) -> BBox:
    """pdfplumber box of a grid cell: row 0 is the header."""
    return BBox(x0=COL_EDGES[col], top=ROW_TOPS[row], x1=COL_EDGES[col + 1],
                bottom=ROW_TOPS[row + 1])


def make_pdf(path: Path, crop_box: tuple[float, float, float, float] | None = None) -> Path:
    """Two pages, each a ruled grid: header and one body row (BODY[page]) under it."""
    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    for page in (1, 2):
        if crop_box is not None:
            c.setCropBox(crop_box)
        for row_index, texts in enumerate([HEADER, BODY[page]]):
            for col, text in enumerate(texts):
                box = cell_box(row_index, col)
                c.rect(box.x0, PAGE_H - box.bottom, box.width, box.bottom - box.top)
                c.setFont("Helvetica", 9)
                c.drawString(box.x0 + TEXT_INSET, PAGE_H - box.bottom + TEXT_BASELINE, text)
        c.showPage()
    c.save()
    return path


def make_result() -> DocumentResult:
    rows = [Row(cells=BODY[page], level="program", kode=BODY[page][0], page=page,
                sources=[CellSource(page=page, bbox=cell_box(1, i), lines=[t])
                         for i, t in enumerate(BODY[page])]) for page in (1, 2)]
    table = Table(id="t1", kind="evaluasi_renja", caption="Tabel 2.1 Evaluasi Hasil Renja",
                  pages=[1, 2], columns=COLUMNS, rows=rows)
    findings = [  # deliberately not in report order
        Finding(rule="nomenclature", severity="warning", table="t1", row=1, column="uraian",
                message=HOSTILE_MESSAGE, printed=HOSTILE_PRINTED, expected="Perencanaan"),
        Finding(rule="code_trailing_dot", severity="info", table="t1",
                message="2 codes end with a dot"),
        Finding(rule="capaian_k", severity="error", table="t1", row=0, column="capaian_k",
                message="capaian_k = 40 / 80 × 100 = 50,00; printed 55,00", printed="55,00",
                expected="50,00", page=1, bbox=cell_box(1, 4)),
    ]
    return DocumentResult(
        source=Source(file="grid.pdf", sha256="0" * 64, pages=2),
        document=DocumentMeta(region="Kota Uji", dinas="Dinas Contoh", year=2024),
        tables=[table], findings=findings)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    pdf = make_pdf(folder / "grid.pdf")
    result = make_result()
    paths = A.write_audit(result, pdf, folder / "out")
    return result, paths


def red_pixels(image: Image.Image) -> list[tuple[int, int]]:
    rgb = image.convert("RGB")
    w, h = rgb.size
    data = rgb.load()
    return [(x, y) for y in range(h) for x in range(w)
            if data[x, y][0] > 200 and data[x, y][1] < 70 and data[x, y][2] < 70]


def crops(text: str) -> list[Image.Image]:
    return [Image.open(io.BytesIO(base64.b64decode(m)))
            for m in re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)]


def test_paths_follow_the_emit_layout(written):
    _, paths = written
    for kind, suffix in (("html", ".audit.html"), ("csv", ".findings.csv"),
                         ("xlsx", ".findings.xlsx")):
        assert paths[kind].exists()
        assert paths[kind].name == "grid" + suffix
        assert paths[kind].parent.relative_to(paths[kind].parents[3]).as_posix() == \
            "kota-uji/dinas-contoh/2024"


def test_html_has_each_finding_in_report_order_with_a_crop(written):
    result, paths = written
    text = paths["html"].read_text(encoding="utf-8")
    for f in result.findings:
        assert f"<code class='rule'>{f.rule}</code>" in text
        assert html.escape(f.message) in text
    assert "<script>alert" not in text and text.count("<script>") == 1, "only the filters' script"
    assert text.index("capaian_k</code>") < text.index("nomenclature</code>") < \
        text.index("code_trailing_dot</code>")
    images = crops(text)
    assert len(images) == 2  # the error and the warning; the table-level info has no row
    assert text.count("<img") == 2
    assert "a finding on the whole table" in text
    assert html.escape("the cell's box is outlined") in text  # the warning had no box
    assert "Kota Uji" in text and "Dinas Contoh" in text and "rows checked" in text
    assert "<td class='bad'>55,00</td>" in text
    assert not re.search(r"(src|href)=['\"](https?:|//)", text), "no external resources"


@pytest.mark.parametrize("index, col", [(0, 4), (1, 1)], ids=["error-capaian", "warning-uraian"])
def test_crop_outlines_the_finding_cell(written, index, col):
    _, paths = written
    assert_outlined(crops(paths["html"].read_text(encoding="utf-8"))[index], col)


def test_crop_box_smaller_than_media_box(tmp_path):
    """pdfium renders the crop box, pdfplumber measures from the media box: the crop still
    lands on the cell."""
    pdf = make_pdf(tmp_path / "grid.pdf", crop_box=(30, 20, 570, 380))
    text = A.write_audit(make_result(), pdf, tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert_outlined(crops(text)[0], 4)


def assert_outlined(image: Image.Image, col: int) -> None:
    """The red outline sits on the body row's cell ``col``, that cell's text is inside it, and
    the table's header row (its text) is in the crop above it."""
    image = image.convert("RGB")
    scale = A.DEFAULT_DPI / A.POINTS_PER_INCH
    cell = cell_box(1, col)
    left = round((COL_EDGES[0] - A.CROP_MARGIN_X) * scale)
    reds = red_pixels(image)
    assert reds, "no red outline"
    xs, ys = [x for x, _ in reds], [y for _, y in reds]
    tolerance = A.OUTLINE_PX + 2
    assert abs(min(xs) - (cell.x0 * scale - left - A.OUTLINE_PX)) <= tolerance
    assert abs(max(xs) - (cell.x1 * scale - left + A.OUTLINE_PX)) <= tolerance
    assert abs((max(ys) - min(ys)) - ((cell.bottom - cell.top) * scale + 2 * A.OUTLINE_PX)) <= tolerance
    # The crop's top on the page, from the outline: the header's first line, less a margin.
    top = round(cell.top * scale - A.OUTLINE_PX) - min(ys)
    assert top <= round(ROW_TOPS[0] * scale) + round(TEXT_BASELINE * scale), "the header is cut off"
    gray = image.convert("L")
    # The page under it is where pdfplumber's points say: the cell's text starts 3 pt in.
    rows = range(round((cell.top + RULE_CLEARANCE) * scale) - top,
                 round((cell.bottom - RULE_CLEARANCE) * scale) - top)
    columns = range(round((cell.x0 + RULE_CLEARANCE) * scale) - left,
                    round((cell.x1 - RULE_CLEARANCE) * scale) - left)
    ink = [(x, y) for x in columns for y in rows if gray.getpixel((x, y)) < INK]
    assert ink, "the cell's printed text is not inside the outline"
    assert abs(min(x for x, _ in ink) - ((cell.x0 + TEXT_INSET) * scale - left)) <= 4
    baseline = (cell.bottom - TEXT_BASELINE) * scale - top
    assert abs(max(y for _, y in ink) - baseline) <= 4
    # The column's header text ("Capaian", "Uraian") is printed above, in the same column.
    head = cell_box(0, col)
    head_rows = range(max(0, round((head.top + RULE_CLEARANCE) * scale) - top),
                      round((head.bottom - RULE_CLEARANCE) * scale) - top)
    assert any(gray.getpixel((x, y)) < INK for x in columns for y in head_rows), \
        "the column's header is not in the crop"


def scan_of(pdf: Path, out: Path, dpi: int = 200) -> Path:
    """``pdf`` as a scanner gives it back: each page an image (``dpi``), no text layer."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    source = pdfium.PdfDocument(str(pdf))
    c = canvas.Canvas(str(out))
    for page in source:
        width, height = page.get_size()
        buffer = io.BytesIO()
        page.render(scale=dpi / 72).to_pil().convert("L").save(buffer, format="PNG")
        buffer.seek(0)
        c.setPageSize((width, height))
        c.drawImage(ImageReader(buffer), 0, 0, width=width, height=height)
        c.showPage()
    source.close()
    c.save()
    return out


def test_scanned_page_crop_shows_the_header(tmp_path):
    """A page without a text layer (read by OCR) has no words to find the header by: its crops
    still show the header, the part of the ruled grid above the first body row."""
    pytest.importorskip("cv2")
    pdf = scan_of(make_pdf(tmp_path / "grid.pdf"), tmp_path / "scan.pdf")
    text = A.write_audit(make_result(), pdf, tmp_path / "out")["html"].read_text(encoding="utf-8")
    shares = [float(s) for s in re.findall(r"data-header-share='([0-9.]+)'", text)]
    images = crops(text)
    assert len(shares) == len(images) == 2
    scale = A.DEFAULT_DPI / A.POINTS_PER_INCH
    for image, share in zip(images, shares):
        header_pt = share * image.height / scale - A.HEADER_MARGIN_Y  # the header's top margin
        assert abs(header_pt - (ROW_TOPS[1] - ROW_TOPS[0])) <= A.HEADER_MARGIN_Y, (share, header_pt)
    assert_outlined(images[0], 4)
    assert "column header was not found" not in text


def expected_order(result: DocumentResult) -> list[Finding]:
    by = {f.severity: f for f in result.findings}
    return [by["error"], by["warning"], by["info"]]


def test_csv_rows_match_findings(written):
    result, paths = written
    raw = paths["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(A.CSV_FIELDS)
    assert [(r["rule"], r["severity"]) for r in rows] == \
        [(f.rule, f.severity) for f in expected_order(result)]
    error, warning, info = rows
    assert error == {**error, "file": "grid.pdf", "table": "t1", "row": "0", "kode": "2.17.01",
                     "column": "capaian_k", "label": "Capaian (%)", "printed": "55,00",
                     "expected": "50,00", "page": "1", "x0": "460.0", "top": "80.0",
                     "x1": "540.0", "bottom": "100.0", "caption": "Tabel 2.1 Evaluasi Hasil Renja"}
    assert warning["printed"] == "'" + HOSTILE_PRINTED, "a formula is neutralised"
    assert warning["message"] == HOSTILE_MESSAGE and warning["x0"] == ""
    assert info["row"] == "" and info["message"] == "2 codes end with a dot"


def test_xlsx_rows_match_findings(written):
    result, paths = written
    sheet = load_workbook(paths["xlsx"]).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(A.CSV_FIELDS)
    assert len(values) == 1 + len(result.findings)
    col = {name: i for i, name in enumerate(A.CSV_FIELDS)}
    assert [(v[col["rule"]], v[col["severity"]]) for v in values[1:]] == \
        [(f.rule, f.severity) for f in expected_order(result)]
    assert values[1][col["page"]] == 1 and values[1][col["x0"]] == 460.0
    assert values[1][col["printed"]] == "55,00"
    hostile = sheet.cell(row=3, column=col["printed"] + 1)
    assert hostile.value == HOSTILE_PRINTED and hostile.data_type == "s", "text, not a formula"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:Q{len(values)}"
    assert sheet.column_dimensions["Q"].width >= len(HOSTILE_MESSAGE) / 2


def test_crop_limit_notes_the_rest(tmp_path):
    pdf = make_pdf(tmp_path / "grid.pdf")
    paths = A.write_audit(make_result(), pdf, tmp_path / "out", max_crops=1)
    text = paths["html"].read_text(encoding="utf-8")
    assert text.count("<img") == 1
    assert "page crops are shown for the first 1 only" in text
    assert "no crop: the report shows the first 1 only" in text


def test_missing_box_and_page_are_notes_not_failures(tmp_path):
    pdf = make_pdf(tmp_path / "grid.pdf")
    result = make_result()
    result.findings.append(Finding(rule="odd", severity="error", table="t1", row=0,
                                   column="kode", message="points past the end", page=9,
                                   bbox=cell_box(1, 0)))
    result.findings.append(Finding(rule="ghost", severity="error", table="t9", row=3,
                                   message="names a table that is not there"))
    text = A.write_audit(result, pdf, tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert "page 9 is not in the PDF: no crop" in text
    assert "names a table that is not there" in text and text.count("<img") == 2


def renja_pdf(path: Path) -> Path:
    """A generated Renja evaluasi table with one planted capaian error."""
    import pdfgen as g

    rows = g.evaluasi_rows()
    rows[1][8] = "55,00"  # realisasi 7 / target 14 is 50,00
    builder = g.PdfBuilder(path)
    builder.table(g.evaluasi_spec(rows=rows))
    builder.save()
    return path


def test_audit_command_writes_reports_and_skips_a_broken_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    renja_pdf(folder / "renja.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(app, ["audit", str(folder), "-o", str(tmp_path / "out"),
                                      "--timeout", "120"])
    assert result.exit_code == EXIT_FAILED, result.output
    assert "broken.pdf" in result.stdout and "FAILED" in result.stdout
    (report,) = (tmp_path / "out").rglob("renja.audit.html")
    assert f"report {report}" in result.stdout
    for name in ("renja.json", "renja.findings.csv", "renja.findings.xlsx"):
        assert (report.parent / name).exists()
    text = report.read_text(encoding="utf-8")
    assert "capaian_k</code>" in text and "55,00" in text
    assert text.count("<img") >= 1
    assert not list((tmp_path / "out").rglob("broken*"))


# --------------------------------------------------------------------------- a real browser
def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=180, check=True)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install -y "
                    "chromium): the browser rendering of the audit report is not checked")
def test_report_renders_in_headless_chromium(written, tmp_path):
    result, paths = written
    url = paths["html"].resolve().as_uri()
    dom = chromium("--dump-dom", url, profile=tmp_path / "profile").stdout
    for f in result.findings:
        assert html.escape(f.message) in dom
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", dom)) == 2
    shot = tmp_path / "shot.png"
    chromium(f"--screenshot={shot}", "--window-size=1280,2000", url, profile=tmp_path / "profile")
    image = Image.open(shot).convert("RGB")
    assert image.getextrema()[0][0] < 100, "the screenshot is blank"
    # The red outlines are drawn only inside the crops: seen on screen, the images decoded.
    assert len(red_pixels(image.resize((640, 1000)))) > 20


# --------------------------------------------------------------------------- many findings, measured
VIEWPORT = (1024, 768)
N_SUB = 44  # sub kegiatan rows per table: each table runs over several pages


def rupiah(n: int) -> str:
    return f"{n:,}".replace(",", ".") + ",00"


def long_rows(wrong_every: int = 2) -> list[list[str]]:
    """A program, a kegiatan and N_SUB sub kegiatan; every ``wrong_every``-th sub kegiatan prints
    a capaian Rp of 55,00 where realisasi / target × 100 is 50,00. Sums are right."""
    subs = []
    for i in range(N_SUB):
        target = (i + 1) * 1_000_000
        capaian = "55,00" if i % wrong_every == 0 else "50,00"
        subs.append(["", f"2.17.03.2.01.{i + 1:02d}", f"Sub Kegiatan Uji Nomor {i + 1}",
                     "Dokumen tersusun", "10 Unit", rupiah(target), "5 Unit", rupiah(target // 2),
                     "50,00", capaian, ""])
    total = sum((i + 1) * 1_000_000 for i in range(N_SUB))
    head = ["Jumlah koperasi", "100 %", rupiah(total), "50 %", rupiah(total // 2), "50,00", "50,00", ""]
    return [["1", "2.17.03", "PROGRAM PENGUATAN KELEMBAGAAN KOPERASI", *head],
            ["", "2.17.03.2.01", "Penilaian Kesehatan Koperasi Simpan Pinjam", *head], *subs]


def many_findings_pdf(path: Path):
    """Two long evaluasi tables: the first repeats its header on every page, the second prints
    it on its first page only. Returns the path and the builder's layouts."""
    import pdfgen as g

    builder = g.PdfBuilder(path)
    first = builder.table(g.evaluasi_spec(rows=long_rows()))
    second = builder.table(g.evaluasi_spec(
        rows=long_rows(3), repeat_header=False,
        caption="Tabel 2.2 Evaluasi Pelaksanaan Renja Dinas Koperasi dan Usaha Mikro Tahun 2021"))
    builder.save()
    return path, [first, second]


GEOMETRY_SCRIPT = """
<script>
window.addEventListener('load', function () {
  var out = {width: window.innerWidth, height: window.innerHeight, findings: []};
  function rect(el) {
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    var r = el.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  }
  document.querySelectorAll('section.finding').forEach(function (s) {
    var bad = s.querySelector('.rowvals td.bad');  // the relation's cells, not the whole row
    var mark = s.querySelector('.cropbox .cellmark');
    var box = s.querySelector('.cropbox');
    out.findings.push({id: s.id, rule: s.dataset.rule, severity: s.dataset.severity,
                       bad: bad ? rect(bad) : null, mark: mark ? rect(mark) : null,
                       share: box ? parseFloat(box.dataset.headerShare) : null});
  });
  out.scrollWidth = document.documentElement.scrollWidth;
  var pre = document.createElement('pre');
  pre.id = 'geometry';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    from renjana.pipeline import process_file

    folder = tmp_path_factory.mktemp("many")
    pdf, layouts = many_findings_pdf(folder / "many.pdf")
    result = process_file(pdf)
    paths = A.write_audit(result, pdf, folder / "out")
    return result, paths, layouts


def test_many_findings_each_crop_shows_the_header(many):
    """Every crop holds the table's header above the outlined cell (also on pages where the header
    is not repeated): the header part is as tall as the drawn header, and the finding's column
    prints its header label there."""
    result, paths, layouts = many
    text = paths["html"].read_text(encoding="utf-8")
    errors = [f for f in result.findings if f.severity == "error"]
    assert len(errors) >= N_SUB // 2 + N_SUB // 3, [f.message for f in errors][:5]
    shares = [float(s) for s in re.findall(r"data-header-share='([0-9.]+)'", text)]
    images = crops(text)
    assert len(images) == len(shares) >= len(errors)
    scale = A.DEFAULT_DPI / A.POINTS_PER_INCH
    drawn = layouts[0].pieces[0].header_row_edges
    header_pt = drawn[-1] - drawn[0]
    for image, share in zip(images, shares):
        assert share > 0, "a crop without the table's header"
        gray = image.convert("L")
        head_px = share * image.height
        assert abs(head_px / scale - header_pt) <= 2 * A.HEADER_MARGIN_Y + A.STRIP_GAP_PX, \
            (head_px / scale, header_pt)
        reds = red_pixels(image)
        xs, ys = [x for x, _ in reds], [y for _, y in reds]
        assert min(ys) >= head_px - A.OUTLINE_PX - 1, "the outline is below the header"
        columns = range(min(xs) + A.OUTLINE_PX + 1, max(xs) - A.OUTLINE_PX)
        assert any(gray.getpixel((x, y)) < INK for x in columns for y in range(int(head_px))), \
            "the finding's column shows no header label"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install -y "
                    "chromium): the browser rendering of the audit report is not checked")
def test_many_findings_flagged_cell_in_view_at_1024(many, tmp_path):
    """In a real browser 1024 px wide, each finding's flagged cell (in the relation's cells and
    in the crop) lies inside the viewport once scrolled to, and nothing scrolls sideways."""
    import json

    result, paths, _ = many
    measured = paths["html"].with_name("measured.html")
    text = paths["html"].read_text(encoding="utf-8")
    measured.write_text(text.replace("</body>", GEOMETRY_SCRIPT + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", "--virtual-time-budget=20000",
                   f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", measured.resolve().as_uri(),
                   profile=tmp_path / "profile").stdout
    found = re.search(r"<pre id=\"geometry\">(.*?)</pre>", dom, re.S)
    assert found, "the geometry script did not run"
    geometry = json.loads(html.unescape(found.group(1)))
    width, height = geometry["width"], geometry["height"]
    assert width == VIEWPORT[0]
    assert geometry["scrollWidth"] <= width, "the report scrolls sideways"
    on_rows = [f for f in result.findings if f.row is not None and f.column is not None]
    cells = [g for g in geometry["findings"] if g["bad"] is not None]
    assert len(cells) == len(on_rows)
    assert sum(g["mark"] is not None for g in geometry["findings"]) >= len(on_rows)
    for g in geometry["findings"]:
        for name in ("bad", "mark"):
            if g[name] is None:
                continue
            left, top, right, bottom = g[name]
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, (g["id"], name, g[name])


# --------------------------------------------------------------------------- report parts
def test_unread_pages_say_not_checked_never_no_findings(tmp_path):
    from renjana.models import UnreadPage

    pdf = make_pdf(tmp_path / "grid.pdf")
    result = make_result()
    result.findings = []
    result.source.unread_pages = [UnreadPage(page=2, status="needs-ocr",
                                             reason="no text layer: needs OCR")]
    text = A.write_audit(result, pdf, tmp_path / "out")["html"].read_text(encoding="utf-8")
    assert "NOT CHECKED: no text layer" in text and "page 2: no text layer" in text
    assert "<p>No findings.</p>" not in text
    result.source.unread_pages = []
    text = A.write_audit(result, pdf, tmp_path / "out2")["html"].read_text(encoding="utf-8")
    assert "NOT CHECKED" not in text and "<p>No findings.</p>" in text


def test_finding_shows_relation_cells_first_rule_text_and_filters(written):
    result, paths = written
    text = paths["html"].read_text(encoding="utf-8")
    section = text[text.index("id='f1'"):text.index("id='f2'")]
    first = section[section.index("<div class='rowvals'>"):]
    first = first[:first.index("</table>")]
    # capaian_k first (flagged), then the realisasi and target it reads, then kode and uraian.
    assert re.findall(r"<th title='(\w+)'>", first) == ["capaian_k", "realisasi_k", "target_k",
                                                        "kode", "uraian"]
    assert "<details><summary>the whole row (5 columns)</summary>" not in section  # all shown
    assert "Rule <code>capaian_k</code>:</b> capaian_k = realisasi_k / target_k" in section
    assert "data-rule='capaian_k'" in section and "id='rule-filter'" in text
    assert "whole page 1</a>" in section
    page_link = re.search(r"<a href='([^']+)'>whole page 1</a>", section).group(1)
    assert (paths["html"].parent / page_link).exists()
    warning = text[text.index("id='f2'"):]
    assert "expected <b>Perencanaan</b>" in warning
    assert "expected <b></b>" not in text and "expected <b>None</b>" not in text


def test_word_diff_marks_words_and_ignores_case():
    from renjana.audit_html import word_diff

    out = word_diff("Penyusunan dokumen Rencana Kerja Dinas", "Penyusunan Dokumen Perencanaan Dinas")
    assert out == "Penyusunan dokumen <del>Rencana Kerja</del> <ins>Perencanaan</ins> Dinas"
    assert "&lt;b&gt;" in word_diff("<b>", "x")


def test_batch_index_and_combined_findings(tmp_path):
    from renjana.emit import write_json

    pdf = make_pdf(tmp_path / "grid.pdf")
    out = tmp_path / "out"
    for name in ("a.pdf", "b.pdf"):
        result = make_result()
        result.source.file = name
        A.write_audit(result, pdf, out)
        write_json(result, out)
    (out / "broken.audit.html").write_text("x", encoding="utf-8")  # its JSON is missing
    paths = A.write_index(out)
    index = paths["html"].read_text(encoding="utf-8")
    assert index.count(">report</a>") == 2 and "a.pdf" in index and "b.pdf" in index
    assert "broken.json: cannot be read" in index
    rows = list(csv.DictReader(io.StringIO(paths["csv"].read_text(encoding="utf-8-sig"))))
    assert sorted({r["file"] for r in rows}) == ["a.pdf", "b.pdf"]
    assert len(rows) == 2 * len(make_result().findings)
    assert load_workbook(paths["xlsx"]).active.max_row == 1 + len(rows)
    links = re.findall(r"<a href='([^']+\.audit\.html)'>", index)
    assert all((out / link).exists() for link in links)


def test_batch_index_lists_failed_inputs_and_unread_documents(tmp_path):
    import json as _json

    from renjana.emit import write_json
    from renjana.models import UnreadPage

    pdf = make_pdf(tmp_path / "grid.pdf")
    out = tmp_path / "out"
    good, scan = make_result(), make_result()
    good.source.file, scan.source.file = "good.pdf", "scan.pdf"
    scan.source.sha256 = "f" * 64
    scan.source.unread_pages = [UnreadPage(page=1, status="needs-ocr", reason="no text layer")]
    for result in (good, scan):
        A.write_audit(result, pdf, out)
        write_json(result, out)
    lines = [
        {"pending": "/in/empty.pdf", "outputs": []},  # bookkeeping: skipped
        {"path": "/in/empty.pdf", "name": "empty.pdf", "status": "failed", "reason": "the file is empty (0 bytes)"},
        {"path": "/in/picture.pdf", "name": "picture.pdf", "status": "failed", "reason": "not a PDF: a PNG image"},
        {"path": "/in/locked.pdf", "name": "locked.pdf", "status": "failed", "reason": "old reason"},
        {"path": "/in/locked.pdf", "name": "locked.pdf", "status": "failed",
         "reason": "the PDF is password-protected"},  # the latest record counts
        {"path": "/in/slow.pdf", "name": "slow.pdf", "status": "timed-out", "reason": "timed out after 5 s"},
        {"path": "/in/scan.pdf", "name": "scan.pdf", "sha256": "f" * 64, "status": "needs-ocr",
         "reason": "1 page(s) without a text layer need OCR"},
    ]
    (out / "manifest.jsonl").write_text("".join(_json.dumps(x) + "\n" for x in lines) + "{broken\n",
                                        encoding="utf-8")
    index = A.write_index(out)["html"].read_text(encoding="utf-8")
    assert "failed: the file is empty (0 bytes)" in index
    assert "failed: not a PDF: a PNG image" in index
    assert "failed: the PDF is password-protected" in index and "old reason" not in index
    assert "failed (timed-out): timed out after 5 s" in index
    assert "needs OCR: 1 page(s) without a text layer need OCR" in index
    assert index.count(">report</a>") == 2  # failed inputs have no report to link
    assert "6 inputs: 2 documents read (1 not fully: needs OCR or partial), 4 failed" in index
    # without a manifest the document's unread pages still say it
    (out / "manifest.jsonl").unlink()
    index = A.write_index(out)["html"].read_text(encoding="utf-8")
    assert "<b>needs OCR</b>" in index and "2 inputs: 2 documents read (1 not fully" in index
