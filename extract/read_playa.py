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

Speed: a horizontal text object's glyphs are computed here, not through playa's glyph objects
(``TextObject.__iter__`` inlined: what depends on the object's matrix alone is computed once per
object, each value with playa's operations in its order, so the floats are the same to the bit);
a font's short strings are decoded once per document; the unmapped glyphs of a page are counted
as its strings are decoded (:attr:`.reader.PageContent.unmapped_glyphs`). Vertical text and the
fonts that may lack a Unicode map go through playa's glyph objects.

Fonts without a reading: each font keeps the distinct codes it drew and those that read as no
text (:func:`.textlayer.no_reading`: control characters, nothing, ``(cid:N)``), over the
document. A font that :func:`.textlayer.font_unreadable` judges to have no usable map (a simple
font whose /ToUnicode is lost or whose dictionary is damaged, so its codes come out as control
characters) is from then on read like a font without a Unicode map: its glyphs read
``(cid:N)`` and carry ``font_key`` and ``code`` (so the glyph maps can read them from their
shapes; not when the font's /Widths were not read, which leaves its glyph boxes guessed), and
the page naming it in ``unreadable_fonts`` is read again that way.
"""

from __future__ import annotations

import dataclasses
import logging
import mmap
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from math import isfinite
from operator import itemgetter
from pathlib import Path

import playa
from playa.content import ImageObject, PathObject, TextObject
from playa.font import Type3Font
from playa.utils import mult_matrix

from . import playa_copies
from .graphics import page_graphics
from .reader import MAX_DAMAGE_CHARS, PageContent, ReaderError, damage_of, decode_errors
from .settings import ExtractSettings
from .textlayer import broken_text, font_unreadable, no_reading, unmapped_text
from renjana.wording import printable, shorten

Matrix = tuple[float, float, float, float, float, float]

# playa's interpreter copies its graphics and text state at every `q`: a fast copy for them.
playa_copies.install()


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
        fonts = _Fonts()
        for index in range(self.page_count):
            cached = _cached_objects(self._pdf)
            before = len(cached)
            page = self._pdf.pages[index]
            with decode_errors() as errors, _undefined_fonts() as undefined:
                try:
                    content = _read_page(index + 1, page, self._settings, fonts)
                except Exception as exc:  # noqa: BLE001 - a filter that raises (ASCII85, …): this page only
                    content = _undecodable_page(index + 1, page, exc)
            content.damaged = content.damaged or damage_of(errors, _stream_sizes(page)) or _lost_text(undefined)
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
        # The type is tested on its MRO, not with isinstance: playa's ContentStream subclasses
        # collections.abc.Mapping without ABC caches of its own, so isinstance(a_dict,
        # ContentStream) records dict in *Mapping's* negative cache, and from then on
        # isinstance({}, Mapping) is False in the whole process (Counter({k: v}) then counts
        # keys instead of taking values: a scan read after two born-digital files got no OCR).
        if ContentStream in type(obj).__mro__ and getattr(obj.get("Type"), "name", None) != "ObjStm":
            del cached[number]


def _undecodable_page(number: int, page, exc: Exception) -> PageContent:
    """An empty page whose ``damaged`` says why its content could not be read: playa's
    interpreter raised (a filter such as ASCII85Decode that raises on bad data instead of
    logging, as Flate does). Nothing of the page is kept: what it drew before the error cannot be
    told apart from what it would have drawn after. The other pages are read as usual."""
    try:
        _device, _frame, width, height = _frames(page)
    except Exception:  # noqa: BLE001 - a page without a usable media box
        width = height = 0.0
    return PageContent(number=number, width=width, height=height, decoded=False,
                       damaged=shorten(printable(f"{type(exc).__name__}: {exc}"), MAX_DAMAGE_CHARS))


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


# The fast glyph loop reads two private fields of playa's TextObject (where its first glyph starts,
# where the next object starts); a playa without them gets every glyph through its glyph objects.
_FAST_GLYPHS = {"_glyph_offset", "_next_glyph_offset"} <= {f.name for f in dataclasses.fields(TextObject)}

# Short strings (numbers, codes, labels, a word of a justified line) come back again and again in
# a table document; longer ones (running text) seldom do. Strings shorter than this many bytes
# are decoded once per document and font; longer ones each time they are drawn.
CACHED_STRING_BYTES = 16
# The decoded strings kept, in glyphs (about 100 bytes each): past this the cache is emptied, so
# a long document's memory stays bounded (a few MB).
CACHED_GLYPHS_MAX = 50_000


class _UndefinedFonts(logging.Handler):
    """Collects the font names playa's ``Tf`` finds missing from the page's resources (it logs
    "Undefined Font id: /'F3'" and draws the text in a bare font without widths or map)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.names: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_UNDEFINED_FONT):
            name = "/" + message.removeprefix(_UNDEFINED_FONT).strip().lstrip("/").strip("'\"")
            if name not in self.names:
                self.names.append(name)


# playa's words when a ``Tf`` names a font the page's resources do not hold.
_UNDEFINED_FONT = "Undefined Font id:"


@contextmanager
def _undefined_fonts() -> Iterator[_UndefinedFonts]:
    """The fonts a page's text is drawn in that its resources do not define (see
    :class:`_UndefinedFonts`), collected while the page is read inside the ``with`` block."""
    handler = _UndefinedFonts()
    logger = logging.getLogger("playa")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _lost_text(undefined: _UndefinedFonts) -> str | None:
    """A page's ``damaged`` when its text is drawn in fonts its resources do not define (a /Font
    key deleted or renamed): that text has no font to be read with."""
    if not undefined.names:
        return None
    names = ", ".join(undefined.names[:3])
    return shorten(printable(f"text drawn in a font the page does not define ({names}): that text is lost"),
                   MAX_DAMAGE_CHARS)


class _Font:
    """What the reader needs of one playa font, computed once per document: pdfminer's descent
    (ems), the PostScript name, for a font that may lack a Unicode map its key (see
    :func:`_font_key`, else None), and its strings decoded into glyphs ``(cid, text, advance in
    ems)`` with ``(cid:N)`` for an unmapped glyph, each string with how many of its glyphs read
    as no Unicode text (short strings kept, see :data:`CACHED_STRING_BYTES`); the distinct
    codes it drew and those that read as no text (:func:`.textlayer.no_reading`), and whether
    it was judged to have no reading (``unreadable``: its glyphs then read ``(cid:N)``)."""

    __slots__ = ("font", "descent", "fontname", "key", "decoded", "_known", "_fonts", "codes", "unread_codes",
                 "broken_codes", "unreadable")

    def __init__(self, font, fonts: "_Fonts") -> None:
        self.font = font  # kept so that the id keying the cache stays this font's
        self.descent = _descent(font)
        self.fontname = font.fontname
        self.key = _font_key(font) if _may_be_unmapped(font) else None
        self.decoded: dict[bytes, tuple[tuple[tuple[int, str, float], ...], int]] = {}
        # (cid, text as decoded) → (the glyph, 1 if unmapped else 0): a font has a few hundred
        # glyphs at most, so the glyphs of long strings (not kept whole) are each built once.
        self._known: dict[tuple[int, str | None], tuple[tuple[int, str, float], int]] = {}
        self._fonts = fonts
        self.codes: set[int] = set()
        self.unread_codes: set[int] = set()
        self.broken_codes = 0  # distinct codes reading as a control character or U+FFFD
        self.unreadable = False

    def seen(self, cid: int, text: str) -> None:
        """Count the code ``cid``, read as ``text``, among the font's codes."""
        self.codes.add(cid)
        if no_reading(text) and cid not in self.unread_codes:
            self.unread_codes.add(cid)
            self.broken_codes += broken_text(text)
            self._fonts.to_judge.add(self)

    def judge(self) -> bool:
        """Judge the font by the codes it drew so far; True when it is found to have no reading
        now (it is then read as a font without a Unicode map, see the module's docstring)."""
        if self.unreadable or not font_unreadable(len(self.codes), len(self.unread_codes),
                                                    broken_codes=self.broken_codes):
            return False
        self.unreadable = True
        key = _font_key(self.font)
        if self.key is None and self.font.widths:
            # Its glyphs can be read from their shapes (glyph maps: ``font_key`` and ``code``)
            # only where their boxes are where they are drawn: a font whose /Widths were not
            # read (a damaged dictionary) gives every glyph a guessed advance, so its page is
            # read as a scan instead.
            self.key = key
        self._fonts.unreadable.add(key)
        return True

    def glyphs(self, data: bytes) -> tuple[tuple[tuple[int, str, float], ...], int]:
        """The glyphs of the string ``data`` and how many of them are unmapped."""
        found = self.decoded.get(data)
        if found is None:
            known = self._known
            glyphs = []
            unmapped = 0
            for decoded in self.font.decode(data):
                glyph = known.get(decoded)
                if glyph is None:
                    glyph = known[decoded] = self._glyph(*decoded)
                glyphs.append(glyph[0])
                unmapped += glyph[1]
            found = (tuple(glyphs), unmapped)
            if len(data) < CACHED_STRING_BYTES:
                self.decoded[data] = found
                self._fonts.kept(len(glyphs))
        return found

    def _glyph(self, cid: int, text: str | None) -> tuple[tuple[int, str, float], int]:
        """One glyph ``(cid, text, advance in ems)`` (``(cid:N)`` when it has no text) and 1 if
        it reads as no Unicode text, else 0."""
        shown = f"(cid:{cid})" if text is None else text
        self.seen(cid, shown)
        return (cid, shown, self.font.hdisp(cid)), int(unmapped_text(shown))


class _Fonts:
    """The document's :class:`_Font` by playa font (playa shares a font object across pages)
    and the count of glyphs their caches keep."""

    def __init__(self) -> None:
        self._fonts: dict[int, _Font] = {}
        self._glyphs = 0
        # The keys (:func:`_font_key`) of the fonts found to have no reading: playa makes a new
        # font object for a damaged font dictionary each time a page is read, and that object is
        # the same font as before.
        self.unreadable: set[str] = set()
        self.to_judge: set[_Font] = set()  # fonts that drew a new code without a reading

    def get(self, font) -> _Font:
        info = self._fonts.get(id(font))
        if info is None or info.font is not font:
            info = self._fonts[id(font)] = _Font(font, self)
            if self.unreadable and _font_key(font) in self.unreadable:
                info.unreadable = True
                if font.widths:
                    info.key = _font_key(font)
        return info

    def kept(self, glyphs: int) -> None:
        """``glyphs`` more glyphs kept by a font's cache; every cache is emptied past
        :data:`CACHED_GLYPHS_MAX`."""
        self._glyphs += glyphs
        if self._glyphs > CACHED_GLYPHS_MAX:
            for each in self._fonts.values():
                each.decoded.clear()
            self._glyphs = 0


def _read_page(number: int, page, settings: ExtractSettings, fonts: _Fonts | None = None) -> PageContent:
    """The page read; read again when a font of it is found to have no reading on it (see the
    module's docstring), so that all its glyphs on the page are read as such."""
    fonts = _Fonts() if fonts is None else fonts
    for _ in range(MAX_REREADS):
        content, judged = _read_page_once(number, page, settings, fonts)
        if not judged:
            return content
    return _read_page_once(number, page, settings, fonts)[0]  # fonts judged on each read: no end


# A page is read again at most this many times for fonts found to have no reading on it (each
# read judges every such font drawn on it, so one more read is all a page needs).
MAX_REREADS = 3


def _read_page_once(number: int, page, settings: ExtractSettings, fonts: _Fonts) -> tuple[PageContent, bool]:
    """The page, and whether a font drawn on it was found to have no reading after it was read."""
    device, frame, width, height = _frames(page)
    glyphs: list[dict] = []
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    has_images = False
    image_share = 0.0
    unmapped_fonts = False
    unmapped_glyphs = 0
    unread: set[_Font] = set()  # the page's fonts found to have no reading
    fontless = 0  # text objects showing a string before any font is set (``Tf``)
    for obj in page.flatten():
        if isinstance(obj, TextObject):
            font = obj.gstate.font
            if font is None:  # playa reads no glyph without a font: the text is lost, said below
                fontless += any(isinstance(arg, bytes) and arg for arg in obj.args)
                continue
            info = fonts.get(font)
            if font.vertical or info.key is not None or info.unreadable or not _FAST_GLYPHS:
                unmapped_fonts = unmapped_fonts or info.key is not None
                bad = _glyphs_generic(obj, info, frame, device, glyphs)
            else:
                bad = _glyphs(obj, info, frame, device, glyphs)
            unmapped_glyphs += bad
            if info.unreadable:
                unread.add(info)
        elif isinstance(obj, PathObject):
            _paths(obj, frame, lines, rects, curves)
        elif isinstance(obj, ImageObject):
            has_images = True
            x0, y0, x1, y1 = obj.bbox
            if width * height > 0:
                image_share = max(image_share, abs(x1 - x0) * abs(y1 - y0) / (width * height))
    judged = [info.judge() for info in fonts.to_judge]  # every font judged (a list, not any())
    fonts.to_judge.clear()
    if any(judged):
        return PageContent(number=number, width=width, height=height), True
    graphics = page_graphics(lines, rects, curves, width, height, settings)
    return PageContent(number=number, width=width, height=height, glyphs=glyphs, graphics=graphics,
                       has_images=has_images, image_share=image_share, unmapped_fonts=unmapped_fonts,
                       unmapped_glyphs=unmapped_glyphs,
                       unreadable_fonts=sorted({info.fontname for info in unread if info.unreadable}),
                       damaged=(f"{fontless} text object{'s' if fontless > 1 else ''} drawn before any font is "
                                "set: that text is lost") if fontless else None), False


def _glyphs(obj, info: _Font, frame: Matrix, device: Matrix, out: list[dict]) -> int:
    """The glyphs of one horizontal text object (a ``Tj``/``TJ``) of a font with a Unicode map
    → ``out`` (glyph dicts); returns how many of them read as no Unicode text.

    playa's own glyph iteration (``TextObject.__iter__``) inlined: every glyph of the object
    shares the rendering matrix but for its translation, so what depends on the matrix alone is
    computed once per object. Each value is computed with playa's and pdfminer's operations in
    their order, so the glyphs are the same to the last bit as those of the generic path.
    """
    gstate = obj.gstate
    fa, fb, fc, fd, fe, ff = frame
    da, db, dc, dd, de, df = device
    # playa: tlm_ctm, the text-space → user-space matrix of the object's line
    a, b, c, d, e, f = mult_matrix(obj.line_matrix, obj.ctm)
    fontsize = gstate.fontsize
    horizontal_scaling = gstate.scaling * 0.01
    if fontsize == 0.0:
        scaled_charspace = scaled_wordspace = 0.0
    else:
        scaled_charspace = gstate.charspace / fontsize
        scaled_wordspace = gstate.wordspace / fontsize
    if info.font.multibyte:
        scaled_wordspace = 0
    rise = gstate.rise
    # The glyph's rendering matrix is mult_matrix(scaling, translate_matrix(tlm_ctm, (pos, y))):
    # (ga, gb, gc, gd) and the parts of (ge, gf) fixed for the object first.
    sx = fontsize * horizontal_scaling
    ga, gb = a * sx + c * 0, b * sx + d * 0
    gc, gd = a * 0 + c * fontsize, b * 0 + d * fontsize
    ke, kf = a * 0 + c * rise, b * 0 + d * rise
    x, y = obj._glyph_offset
    yc, yd = y * c, y * d
    # pdfminer's box (see _glyph_dict): the corners (0, lo) and (adv, hi) in text space.
    lo = info.descent
    hi = lo + 1.0
    clo, dlo, chi, dhi = gc * lo, gd * lo, gc * hi, gd * hi
    # pdfminer's char matrix, without font size, scaling and rise, in its device space.
    msx = gstate.fontsize * gstate.scaling * 0.01 or 1.0
    msy = gstate.fontsize or 1.0
    ta, tb, tc, td = ga / msx, gb / msx, gc / msy, gd / msy
    ma, mb = ta * da + tb * dc, ta * db + tb * dd
    mc, md = tc * da + td * dc, tc * db + td * dd
    upright = 0 < ma * md and mb * mc <= 0
    rtc, rtd = gstate.rise * tc, gstate.rise * td
    fontname = info.fontname
    append = out.append
    cached = info.decoded.get  # the font's decoded short strings (see _Font.glyphs)
    start = len(out)
    # An upright line in an unturned page (the usual text object): its glyphs' vertical values
    # (top, bottom, size, the matrix's f) do not depend on where the glyph sits along the line,
    # so they are computed once (see _level_line). When that cannot be shown to the bit, every
    # glyph is computed whole.
    level = None
    if b == 0.0 and gb == 0.0 and fb == 0.0 and db == 0.0 and isfinite(rtc):  # te * db is then ±0
        level = _level_line(x, kf, yd, f, dlo, dhi, fc, fd, ff, rtd, dc, dd, df)
    if level is not None:
        k0, k1, top, bottom, size, tfdc, mf = level
        pos, unmapped = x, 0
        for arg in obj.args:
            if isinstance(arg, (int, float)):
                pos -= arg * 0.001 * fontsize * horizontal_scaling
                continue
            decoded, bad = cached(arg) or info.glyphs(arg)
            unmapped += bad
            for cid, text, adv in decoded:
                ge = ke + (pos * a + yc + e)
                x0 = fa * (clo + ge) + k0 + fe
                x1 = fa * (ga * adv + chi + ge) + k1 + fe
                if x1 < x0:
                    x0, x1 = x1, x0
                append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size,
                        "fontname": fontname, "upright": upright,
                        "matrix": (ma, mb, mc, md, (ge - rtc) * da + tfdc + de, mf)})
                disp = adv + scaled_charspace
                if cid == 32:
                    disp += scaled_wordspace
                pos += disp * fontsize * horizontal_scaling
        # The shared values hold when every glyph's horizontal position was a finite number
        # (then each ±0 product in them is a zero, see _level_line); else the object is redone.
        added = out[start:]
        if not (isfinite(pos) and isfinite(sum(map(_X0, added))) and isfinite(sum(map(_X1, added)))):
            del out[start:]
            level = None
    if level is None:
        pos, unmapped = x, 0
        for arg in obj.args:
            if isinstance(arg, (int, float)):
                pos -= arg * 0.001 * fontsize * horizontal_scaling
                continue
            decoded, bad = cached(arg) or info.glyphs(arg)
            unmapped += bad
            for cid, text, adv in decoded:
                ge = ke + (pos * a + yc + e)
                gf = kf + (pos * b + yd + f)
                ux0, uy0 = clo + ge, dlo + gf
                ux1, uy1 = ga * adv + chi + ge, gb * adv + dhi + gf
                x0 = fa * ux0 + fc * uy0 + fe
                x1 = fa * ux1 + fc * uy1 + fe
                t0 = fb * ux0 + fd * uy0 + ff
                t1 = fb * ux1 + fd * uy1 + ff
                if x1 < x0:
                    x0, x1 = x1, x0
                if t1 < t0:
                    t0, t1 = t1, t0
                te, tf = ge - rtc, gf - rtd
                append({"text": text, "x0": x0, "x1": x1, "top": t0, "bottom": t1, "size": t1 - t0,
                        "fontname": fontname, "upright": upright,
                        "matrix": (ma, mb, mc, md, te * da + tf * dc + de, te * db + tf * dd + df)})
                disp = adv + scaled_charspace
                if cid == 32:
                    disp += scaled_wordspace
                pos += disp * fontsize * horizontal_scaling
    # What playa's iteration leaves for its interpreter: where the next text object starts
    # (without it the interpreter decodes the object's strings once more).
    if obj._next_glyph_offset is None:
        obj._next_glyph_offset = (pos, y)
    return unmapped


_X0, _X1 = itemgetter("x0"), itemgetter("x1")


def _level_line(x: float, kf: float, yd: float, f: float, dlo: float, dhi: float, fc: float, fd: float,
                ff: float, rtd: float, dc: float, dd: float, df: float) -> tuple[float, ...] | None:
    """The values :func:`_glyphs` computes for each glyph of a text object that do not change
    along its line, when the line is level (the matrix's b, the glyph's gb, the frame's fb and
    the device's db all 0): ``(fc * uy0, fc * uy1, top, bottom, size, tf * dc, matrix f)``,
    each to the bit what the per-glyph sums give; None when that is not certain.

    Per glyph, each of these sums starts with a product by one of those zeros (``pos * b``,
    ``gb * adv``, ``fb * ux0``, ``te * db``): ±0 for a finite factor, its sign depending on the
    glyph. Adding ±0 to a non-zero number gives that number exactly, so a sum whose value is not
    0 is the same whatever the sign: these values are taken only when every such sum is non-zero
    (and :func:`_glyphs` checks that every glyph's position was finite)."""
    gf = kf + (x * 0.0 + yd + f)
    uy0, uy1 = dlo + gf, 0.0 + dhi + gf
    t0 = 0.0 + fd * uy0 + ff
    t1 = 0.0 + fd * uy1 + ff
    tf = gf - rtd
    mf = 0.0 + tf * dd + df
    if gf == 0.0 or uy1 == 0.0 or t0 == 0.0 or t1 == 0.0 or mf == 0.0:
        return None
    if t1 < t0:
        t0, t1 = t1, t0
    return fc * uy0, fc * uy1, t0, t1, t1 - t0, tf * dc, mf


def _glyphs_generic(obj, info: _Font, frame: Matrix, device: Matrix, out: list[dict]) -> int:
    """The glyphs of any text object (vertical writing, a font that may lack a Unicode map: its
    glyphs carry ``font_key`` and ``code``) through playa's glyph objects; returns how many of
    them read as no Unicode text. A font without a reading (``info.unreadable``) gives
    ``(cid:N)``."""
    unmapped = 0
    unreadable = info.unreadable
    for glyph in obj:
        item = _glyph_dict(glyph, None if unreadable else glyph.text, info.font.hdisp(glyph.cid), info, frame, device)
        if not unreadable:
            info.seen(glyph.cid, item["text"])
        if info.key is not None:
            item["font_key"], item["code"] = info.key, glyph.cid
        out.append(item)
        unmapped += unmapped_text(item["text"])
    return unmapped


def _glyph_dict(glyph, text: str | None, adv: float, info: _Font, frame: Matrix, device: Matrix) -> dict:
    """pdfminer's LTChar of a playa glyph as a glyph dict (see the module's docstring)."""
    fa, fb, fc, fd, fe, ff = frame
    da, db, dc, dd, de, df = device
    if text is None:
        text = f"(cid:{glyph.cid})"
    a, b, c, d, e, f = glyph.matrix  # text space (1 em) → user space, rise included
    lo = info.descent
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
    # pdfminer's char matrix (Tm x CTM: without the font size, horizontal scaling and rise)
    # in its device space (y up)
    state = glyph.gstate
    sx = state.fontsize * state.scaling * 0.01 or 1.0
    sy = state.fontsize or 1.0
    ta, tb, tc, td = a / sx, b / sx, c / sy, d / sy
    te, tf = e - state.rise * tc, f - state.rise * td
    ma, mb = ta * da + tb * dc, ta * db + tb * dd
    mc, md = tc * da + td * dc, tc * db + td * dd
    return {"text": text, "x0": x0, "x1": x1, "top": t0, "bottom": t1, "size": t1 - t0,
            "fontname": info.fontname, "upright": 0 < ma * md and mb * mc <= 0,
            "matrix": (ma, mb, mc, md, te * da + tf * dc + de, te * db + tf * dd + df)}


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
