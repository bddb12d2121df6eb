#!/usr/bin/env python
"""Would a pypdfium2 reader be faster than the playa reader? A probe, not a reader.

    python3 benchmarks/pdfium_reader_probe.py                # the 8 born-digital PDFs of the first set
    python3 benchmarks/pdfium_reader_probe.py --repeat 5 a.pdf b.pdf

PDFium parses a page's content in C++ (all 135 pages of the first set load in about 0.1 CPU s),
but its characters come one ctypes call per field: ``FPDFText_*`` on a text page for each
character (generated or not, origin, matrix, loose box, font size, text object → font descent
and name) and ``FPDFPath_*`` segments of every path object (form XObjects walked) for the
graphics. This probe builds the same glyph dicts and path dicts as the reader interface asks
for (boxes approximated in pdfminer's convention from the origin, the matrix, the font's descent
and the loose box's width) and times it against the playa reader in the same process, paired
rounds, fastest of ``--repeat``. It then compares its glyphs with playa's: count, text and box.

Measured 2026-11-30 (see benchmarks/README.md): PDFium 2.87 CPU s against playa's 2.76 (2.98
and 2.90 in another run), 278 glyphs fewer (spaces PDFium leaves out), line-end hyphens read as
U+FFFE, boxes off by up to 5 pt (float32 matrices, PDFium's own font metrics). Not faster, not
the same: playa stays.
"""

from __future__ import annotations

import argparse
import ctypes
import difflib
import time
from pathlib import Path

CORPUS = Path("/work/shared/corpus/pdf")
FIRST_SET = [CORPUS / f"{place}-{style}.pdf" for place in ("kabupaten-malang-2021", "kota-probolinggo-2022")
             for style in ("writer-arial", "rl-calibri-narrow", "writer-times-rules", "rl-arial-f4-errors")]
BOX_KEYS = ("x0", "x1", "top", "bottom")


class _Page:
    """What the playa reader's frame needs of a page."""

    def __init__(self, mediabox, rotate: int) -> None:
        self.mediabox, self.rotate = mediabox, rotate


def read_pdfium(path: Path) -> list[tuple[list[dict], object]]:
    """Every page of ``path`` as (glyph dicts, PageGraphics), read with pypdfium2's raw API."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from renjana.extract.graphics import page_graphics
    from renjana.extract.read_playa import _frames, _mult
    from renjana.extract.settings import DEFAULT_SETTINGS

    pdf = pdfium.PdfDocument(str(path))
    fonts: dict[int, tuple[float, str]] = {}
    box, m = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy, number = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
    name = ctypes.create_string_buffer(256)
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    rgba = [ctypes.c_uint() for _ in range(4)]
    px, py = ctypes.c_float(), ctypes.c_float()
    pages = []
    for index in range(len(pdf)):
        page = pdf[index]
        _, frame, width, height = _frames(_Page(page.get_mediabox(), page.get_rotation()))
        fa, fb, fc, fd, fe, ff = frame
        text_page = raw.FPDFText_LoadPage(page.raw)
        count = raw.FPDFText_CountChars(text_page)
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(text_page, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
        glyphs = []
        for k in range(count):
            if raw.FPDFText_IsGenerated(text_page, k):
                continue
            raw.FPDFText_GetCharOrigin(text_page, k, ox, oy)
            raw.FPDFText_GetMatrix(text_page, k, m)
            raw.FPDFText_GetLooseCharBox(text_page, k, box)
            size = raw.FPDFText_GetFontSize(text_page, k)
            obj = raw.FPDFText_GetTextObject(text_page, k)
            key = ctypes.cast(obj, ctypes.c_void_p).value or 0
            font = fonts.get(key)
            if font is None:
                handle = raw.FPDFTextObj_GetFont(obj)
                raw.FPDFFont_GetDescent(handle, ctypes.c_float(1.0), number)
                length = raw.FPDFFont_GetBaseFontName(handle, name, 256)
                font = fonts[key] = (number.value, name.raw[: max(length - 1, 0)].decode("latin-1"))
            descent, fontname = font
            a, b, c, d = m.a, m.b, m.c, m.d
            lo = descent * size
            hi = lo + size
            ux0, uy0 = c * lo + ox.value, d * lo + oy.value
            ux1, uy1 = box.right - box.left + c * hi + ox.value, b + d * hi + oy.value
            x0, x1 = sorted((fa * ux0 + fc * uy0 + fe, fa * ux1 + fc * uy1 + fe))
            t0, t1 = sorted((fb * ux0 + fd * uy0 + ff, fb * ux1 + fd * uy1 + ff))
            glyphs.append({"text": text[k] if k < len(text) else "", "x0": x0, "x1": x1, "top": t0, "bottom": t1,
                           "size": t1 - t0, "fontname": fontname, "upright": a > 0 and b == 0,
                           "matrix": (a, b, c, d, ox.value, oy.value)})
        raw.FPDFText_ClosePage(text_page)
        lines: list[dict] = []
        rects: list[dict] = []
        curves: list[dict] = []

        def walk(objects, ctm) -> None:
            for obj in objects:
                kind = raw.FPDFPageObj_GetType(obj)
                if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                    continue
                raw.FPDFPageObj_GetMatrix(obj, m)
                matrix = _mult((m.a, m.b, m.c, m.d, m.e, m.f), ctm)
                if kind == raw.FPDF_PAGEOBJ_FORM:
                    walk([raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))], matrix)
                    continue
                a, b, c, d, e, f = _mult(matrix, frame)
                raw.FPDFPath_GetDrawMode(obj, mode, stroke)
                color = None
                if mode.value and raw.FPDFPageObj_GetFillColor(obj, *rgba):
                    color = tuple(v.value / 255 for v in rgba[:3])
                pts = []
                for s in range(raw.FPDFPath_CountSegments(obj)):
                    raw.FPDFPathSegment_GetPoint(raw.FPDFPath_GetPathSegment(obj, s), px, py)
                    pts.append((a * px.value + c * py.value + e, b * px.value + d * py.value + f))
                if len(pts) < 2:
                    continue
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                item = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys), "stroke": bool(stroke.value),
                        "fill": bool(mode.value), "non_stroking_color": color, "pts": pts}
                (lines if len(pts) == 2 else rects if len(pts) in (4, 5) else curves).append(item)

        walk([raw.FPDFPage_GetObject(page.raw, i) for i in range(raw.FPDFPage_CountObjects(page.raw))],
             (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        pages.append((glyphs, page_graphics(lines, rects, curves, width, height, DEFAULT_SETTINGS)))
        page.close()
    pdf.close()
    return pages


def read_playa(path: Path) -> list[tuple[list[dict], object]]:
    from renjana.extract.reader import open_reader

    with open_reader(path, "playa") as reader:
        return [(page.glyphs, page.graphics) for page in reader.pages()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = args.pdfs or FIRST_SET
    readers = {"playa": read_playa, "pdfium": read_pdfium}
    best = {name: float("inf") for name in readers}
    for _ in range(args.repeat):
        for name, read in readers.items():
            start = time.process_time()
            for path in files:
                read(path)
            best[name] = min(best[name], time.process_time() - start)
    print(f"{len(files)} files, fastest of {args.repeat}: "
          + ", ".join(f"{name} {seconds:.2f} CPU s" for name, seconds in best.items()))
    for path in files:
        ours, theirs = read_playa(path), read_pdfium(path)
        count = sum(len(g) for g, _ in ours), sum(len(g) for g, _ in theirs)
        edits, same, deviation = 0, 0, 0.0
        for (a, _), (b, _) in zip(ours, theirs):
            first, second = "".join(g["text"] for g in a), "".join(g["text"] for g in b)
            if first != second:
                matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
                edits += sum(op != "equal" for op, *_ in matcher.get_opcodes())
            else:
                same += 1
                deviation = max([deviation] + [abs(g[k] - h[k]) for g, h in zip(a, b) for k in BOX_KEYS])
        boxes = f"largest box difference there {deviation:.3f} pt" if same else "no box compared"
        print(f"{path.name}: glyphs playa {count[0]}, pdfium {count[1]}; text edits {edits}; "
              f"{same} of {len(ours)} pages with the same text, {boxes}")


if __name__ == "__main__":
    main()
