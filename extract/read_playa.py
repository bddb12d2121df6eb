"""The fast reader: playa-pdf glyphs and paths → :class:`.reader.PageContent`.

playa-pdf is a compiled, lazy PDF interpreter from pdfminer's lineage: it reads the same glyphs
(printed space glyphs only, ligatures as one glyph with their text, ``(cid:N)`` where a font has
no text mapping) and the same path operators. This module rebuilds exactly what pdfplumber
(pdfminer) reports from them, so the structure code sees the same page:

- **frame**: PDF user space mapped as pdfminer maps it (the page's ``/Rotate`` applied about
  the media box), flipped to a top-left origin as pdfplumber does;
- **glyph boxes**: pdfminer's convention: in text space from the font descriptor's descent to
  descent + 1 em, as wide as the glyph's advance (its ``/Widths`` entry), through the glyph's
  rendering matrix; ``size`` the box's height, ``upright`` and ``matrix`` as pdfminer's;
- **graphics**: each path split into subpaths at ``m``, sorted as pdfminer sorts them (``ml`` a
  line; ``mlllh``/``mllll`` closed on an axis-parallel rectangle a rect; anything else a curve,
  its points the end points of its segments), then read by :func:`.graphics.page_graphics` like
  pdfplumber's ``page.lines``, ``page.rects``, ``page.curves``. Colours are the colour space's
  own values (gray, RGB, CMYK), as pdfminer gives them; a pattern colour is None.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import playa
from playa.font import Type3Font

from .graphics import page_graphics
from .reader import PageContent, ReaderError, damage_of, decode_errors
from .settings import ExtractSettings

Matrix = tuple[float, float, float, float, float, float]


def _mult(m: Matrix, n: Matrix) -> Matrix:
    """The matrix applying ``m`` first, then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


class PlayaReader:
    """Pages read by playa-pdf. Raises :class:`.reader.ReaderError` when the file cannot be
    opened as a PDF."""

    def __init__(self, path: Path, settings: ExtractSettings) -> None:
        try:
            self._pdf = playa.open(path, space="default")
            self.page_count = len(self._pdf.pages)
        except Exception as exc:  # playa raises many types for a broken file
            if hasattr(self, "_pdf"):
                self._pdf.close()
            raise ReaderError(f"{type(exc).__name__}: {exc}") from exc
        self._settings = settings

    def pages(self) -> Iterator[PageContent]:
        for index in range(self.page_count):
            cached = _cached_objects(self._pdf)
            before = len(cached)
            page = self._pdf.pages[index]
            with decode_errors() as errors:
                content = _read_page(index + 1, page, self._settings)
            content.damaged = damage_of(errors, _stream_sizes(page))
            _forget_streams(cached, len(cached) - before)
            yield content

    def close(self) -> None:
        self._pdf.close()
        # playa's document sits in reference cycles, so it and what it holds (the objects it
        # parsed, the file mapped in memory) would wait for Python's cycle collector: let go now.
        _cached_objects(self._pdf).clear()
        buffer = getattr(self._pdf, "buffer", None)
        if isinstance(buffer, mmap.mmap):
            try:
                buffer.close()
            except BufferError:  # a view of it still exists: it goes with the document
                pass

    def __enter__(self) -> "PlayaReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _cached_objects(pdf) -> dict:
    """playa's cache of the objects it has parsed (object number → object), kept until the
    document is closed; an empty dict if a playa version keeps none there."""
    cached = getattr(pdf, "_cached_objs", None)
    return cached if isinstance(cached, dict) else {}


def _forget_streams(cached: dict, added: int) -> None:
    """Drop the streams among the last ``added`` objects of playa's cache (those a page just
    parsed): a page's content streams and images (an image under every page of a long scan is a
    hundred MiB or more) would otherwise stay until the document closes. Object streams stay:
    they hold other objects, which playa reads from them again and again. A stream dropped is
    parsed again if another page draws it."""
    from playa.pdftypes import ContentStream

    for number, obj in list(islice(reversed(cached.items()), max(0, added))):
        if isinstance(obj, ContentStream) and getattr(obj.get("Type"), "name", None) != "ObjStm":
            del cached[number]


def _stream_sizes(page) -> list[tuple[int, int, object]]:
    """(object number, bytes present, declared /Length) of each content stream of the page."""
    from playa.pdftypes import resolve1

    sizes = []
    try:
        for stream in page.streams:
            sizes.append((stream.objid, len(stream.rawdata), resolve1(stream.attrs.get("Length"))))
    except Exception:  # noqa: BLE001 - a content stream that cannot be found: nothing drawn
        pass
    return sizes


def _frames(page) -> tuple[Matrix, Matrix, float, float]:
    """(device, frame, width, height): ``device`` maps PDF user space to pdfminer's device
    space (y up, ``/Rotate`` applied); ``frame`` maps it on to pdfplumber's top-left frame;
    width and height are the page's there."""
    x0, y0, x1, y1 = page.mediabox
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    rotate = page.rotate % 360
    # pdfminer.pdfinterp.PDFPageInterpreter.process_page
    if rotate == 90:
        device: Matrix = (0.0, -1.0, 1.0, 0.0, -y0, x1)
    elif rotate == 180:
        device = (-1.0, 0.0, 0.0, -1.0, x1, y1)
    elif rotate == 270:
        device = (0.0, 1.0, -1.0, 0.0, y1, -x0)
    else:
        device = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
    # pdfplumber.page.Page: the media box normalised for the rotation, flipped (top = height -
    # y + its top; x moved by its left).
    bx0, by0, bx1, by1 = (y0, x0, y1, x1) if rotate in (90, 270) else (x0, y0, x1, y1)
    height = by1 - by0
    mb_top = height - by1
    flip: Matrix = (1.0, 0.0, 0.0, -1.0, bx0, height + mb_top)
    return device, _mult(device, flip), bx1 - bx0, height


def _descent(font) -> float:
    """pdfminer's descent of ``font`` in text space units (ems; negative or 0)."""
    if isinstance(font, Type3Font):
        return font.bbox[1] * font.matrix[3]
    raw = getattr(font, "descriptor", {}).get("Descent", 0)
    try:
        return -abs(float(raw)) * 0.001
    except (TypeError, ValueError):
        return 0.0


def _read_page(number: int, page, settings: ExtractSettings) -> PageContent:
    device, frame, width, height = _frames(page)
    fa, fb, fc, fd, fe, ff = frame
    da, db, dc, dd, de, df = device
    glyphs: list[dict] = []
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    has_images = False
    image_share = 0.0
    unmapped_fonts = False
    # Per font (by id, the font kept so the id stays its own): descent, name, advance per cid,
    # and for a font that may lack a Unicode map its key (see :func:`_font_key`), else None.
    fonts: dict[int, tuple] = {}
    for obj in page.flatten():
        kind = obj.object_type
        if kind == "text":
            for glyph in obj:
                font = glyph.font
                info = fonts.get(id(font))
                if info is None or info[0] is not font:
                    key = _font_key(font) if _may_be_unmapped(font) else None
                    info = fonts[id(font)] = (font, _descent(font), font.fontname, {}, key)
                    unmapped_fonts = unmapped_fonts or key is not None
                _, lo, fontname, advances, font_key = info
                cid = glyph.cid
                adv = advances.get(cid)
                if adv is None:
                    adv = advances[cid] = font.hdisp(cid)
                text = glyph.text
                if text is None:
                    text = f"(cid:{cid})"
                a, b, c, d, e, f = glyph.matrix  # text space (1 em) → user space, rise included
                hi = lo + 1.0
                # the box's two corners (0, lo) and (adv, hi), pdfminer's LTChar, in the frame
                ux0, uy0 = c * lo + e, d * lo + f
                ux1, uy1 = a * adv + c * hi + e, b * adv + d * hi + f
                x0 = fa * ux0 + fc * uy0 + fe
                x1 = fa * ux1 + fc * uy1 + fe
                t0 = fb * ux0 + fd * uy0 + ff
                t1 = fb * ux1 + fd * uy1 + ff
                if x1 < x0:
                    x0, x1 = x1, x0
                if t1 < t0:
                    t0, t1 = t1, t0
                # pdfminer's char matrix (Tm x CTM: without the font size, horizontal scaling
                # and rise) in its device space (y up)
                state = glyph.gstate
                sx = state.fontsize * state.scaling * 0.01 or 1.0
                sy = state.fontsize or 1.0
                ta, tb, tc, td = a / sx, b / sx, c / sy, d / sy
                te, tf = e - state.rise * tc, f - state.rise * td
                ma, mb = ta * da + tb * dc, ta * db + tb * dd
                mc, md = tc * da + td * dc, tc * db + td * dd
                item = {"text": text, "x0": x0, "x1": x1, "top": t0, "bottom": t1,
                        "size": t1 - t0,
                        "fontname": fontname, "upright": 0 < ma * md and mb * mc <= 0,
                        "matrix": (ma, mb, mc, md, te * da + tf * dc + de, te * db + tf * dd + df)}
                if font_key is not None:
                    item["font_key"], item["code"] = font_key, cid
                glyphs.append(item)
        elif kind == "path":
            _paths(obj, frame, lines, rects, curves)
        elif kind == "image":
            has_images = True
            x0, y0, x1, y1 = obj.bbox
            if width * height > 0:
                image_share = max(image_share, abs(x1 - x0) * abs(y1 - y0) / (width * height))
    graphics = page_graphics(lines, rects, curves, width, height, settings)
    return PageContent(number=number, width=width, height=height, glyphs=glyphs, graphics=graphics,
                       has_images=has_images, image_share=image_share, unmapped_fonts=unmapped_fonts)


def _color(color) -> tuple | None:
    """pdfminer's colour value: the colour space's components; None for a pattern."""
    if color is None:
        return None
    if color.pattern is not None:
        return None
    return tuple(color.values)


def _paths(obj, frame: Matrix, lines: list[dict], rects: list[dict], curves: list[dict]) -> None:
    """pdfminer's ``paint_path``: one line, rect or curve per subpath (pdfplumber dicts)."""
    ctm = _mult(obj.ctm, frame)
    a, b, c, d, e, f = ctm
    stroke, fill = obj.stroke, obj.fill
    color = _color(obj.gstate.ncolor) if fill else None
    path = obj.raw_segments
    start = 0
    n = len(path)
    while start < n:
        end = start + 1
        while end < n and path[end].operator != "m":
            end += 1
        sub = path[start:end]
        start = end
        if sub[0].operator != "m" or len(sub) < 2:
            continue
        shape = "".join(s.operator for s in sub)
        first = sub[0].points[-1]
        raw = [s.points[-1] if s.operator != "h" else first for s in sub]
        pts = [(a * x + c * y + e, b * x + d * y + f) for x, y in raw]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        item = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys), "stroke": stroke,
                "fill": fill, "non_stroking_color": color, "pts": pts}
        if shape in ("ml", "mlh"):
            item["pts"] = pts[:2]
            xs, ys = [p[0] for p in pts[:2]], [p[1] for p in pts[:2]]
            item.update(x0=min(xs), x1=max(xs), top=min(ys), bottom=max(ys))
            lines.append(item)
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = raw
            square = ((x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0)
                      or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0))
            (rects if raw[0] == raw[4] and square else curves).append(item)
        else:
            curves.append(item)


def _font_key(font) -> str:
    """A name for ``font`` that is the same on every page that uses it and differs between
    fonts: its name and a digest of its font dictionary (which names its glyph programs and
    embedded font file by object number, so two fonts with one name but other glyphs differ)."""
    import hashlib

    parts = [getattr(font, name, None) for name in ("spec", "charprocs", "descriptor", "widths", "matrix")]
    digest = hashlib.sha1(repr(parts).encode("utf-8", "replace")).hexdigest()[:10]
    return f"{font.fontname}#{digest}"


def _may_be_unmapped(font) -> bool:
    """A Type3 or composite (CID) font without a /ToUnicode map: its text may be garbage."""
    from playa.font import CIDFont, Type3Font

    return isinstance(font, (Type3Font, CIDFont)) and getattr(font, "tounicode", None) is None
