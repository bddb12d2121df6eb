"""Glyph maps: the characters of a font without a Unicode map, read from its glyphs' shapes.

A font without a Unicode map (a Type3 font with meaningless glyph names, a composite font with
neither /ToUnicode nor a cmap) prints characters whose codes mean nothing to a text extractor,
yet it draws each code as one shape wherever the document prints it. So what has to be read is
the code, not each printed number, and each code can be read many times over:

1. the page is rendered (pypdfium2) so that the font's em is ``glyph_em_px`` tall, its ruling
   lines whitened;
2. the font's glyphs are cut out in *runs* (its glyphs on one line, see ``glyph_run_gap``), each
   run on white: nothing outside the run's own glyph boxes reaches a reader;
3. every OCR engine installed reads each run as one line: Tesseract, and RapidOCR when its
   package is installed (``renjana[ocr-check]``); where a reading has as many characters as the
   run has inked glyphs, each character is a vote for its glyph's code;
4. :func:`decide` gives each code its character: an engine's reading counts when at least
   ``glyph_min_share`` of its votes agree, and is void where the engine gives one character to
   two codes of different shapes (it cannot tell them apart: a seven-segment ``3`` and ``4``
   both read '4'). The code is *sure* when the counting engines agree; its confidence is the
   weakest agreeing share. A code no engine reads consistently, that engines read differently,
   or whose character a code of another shape also gets is
   *unsure*: its glyphs print ``�`` (U+FFFD), so no number is made of them, with confidence 0
   and a note naming what the engines read.

Votes pool over the pages of a document, per font (the reader's ``font_key``); each page is
decided with the votes gathered so far. The page's glyphs come back as the reader's glyph dicts
with ``text`` replaced and ``confidence``, ``repair`` and ``source`` ("ocr") added; extract then
reads the page's tables from its rules and text like any born-digital page, which an OCR of the
page image could only approximate (an OCR of the page would read the same shapes with the same
engines, glyph by glyph, without knowing which readings to doubt). Only where the glyph boxes
miss the drawing (most show no ink) does :meth:`GlyphMaps.read_page` return None, and the page
is read by OCR as a scan.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np

from .settings import DEFAULT_OCR_SETTINGS, OcrSettings
from renjana.wording import count

# What an unsure glyph prints: the replacement character, which no number or word parses as.
UNSURE = "\ufffd"
# ... and how sure its cell is: not read at all.
UNSURE_CONFIDENCE = 0.0
MAPPED_NOTE = "read from its glyph shapes (a font without a Unicode map)"
# A code's shape is taken from this many of its glyphs.
SHAPE_SAMPLES = 5
# Runs are read this many at a time (RapidOCR reads a batch in one call), the votes counted
# before the next batch is chosen.
READ_BATCH = 16

# An engine: its name and a function reading grayscale images of one text line each.
Engine = tuple[str, Callable[[list[np.ndarray]], list[str]]]


@dataclass(frozen=True)
class CodeReading:
    """A code's character (None when unsure), how sure it is (0-1), and what the engines read."""

    char: str | None
    confidence: float
    why: str


@dataclass
class MappedPage:
    """A page's glyphs with the glyph maps applied. ``unsure`` says which codes were left unsure
    and why ("" when every code was read surely: the page is read, each glyph's cell says how in
    its ``repair``); ``unsure_glyphs`` counts the page's glyphs printed ``�``."""

    glyphs: list[dict]
    unsure: str = ""
    unsure_glyphs: int = 0


def installed_engines(settings: OcrSettings = DEFAULT_OCR_SETTINGS) -> list[Engine]:
    """Tesseract (the OCR path's engine; raises RuntimeError when it is not installed) and
    RapidOCR when its package is installed."""
    from .check import SECOND_READER, check_missing, recognise
    from .read import read_region

    import tesserocr

    plain = replace(settings, upscale=1.0)  # runs are rendered at the size the engines read best

    def tesseract(images: list[np.ndarray]) -> list[str]:
        return ["".join(line.text for line in read_region(image, 0, 0, plain, psm=tesserocr.PSM.SINGLE_LINE))
                for image in images]

    engines: list[Engine] = [("Tesseract", tesseract)]
    if check_missing() is None:
        engines.append((SECOND_READER, recognise))
    return engines


def decide(votes: dict, same_shape: Callable[[object, object], bool],
           settings: OcrSettings = DEFAULT_OCR_SETTINGS) -> dict:
    """Each code's :class:`CodeReading` from ``votes`` (code → engine name → Counter of the
    characters it was read as). ``same_shape(a, b)``: codes ``a`` and ``b`` draw one shape (a
    font may give one glyph two codes; those may share a character)."""
    engines = sorted({name for by_engine in votes.values() for name in by_engine})
    tops: dict[str, dict] = {name: {} for name in engines}
    for code, by_engine in votes.items():
        for name, counter in by_engine.items():
            if counter:
                char, n = counter.most_common(1)[0]
                tops[name][code] = (char, n / sum(counter.values()))
    void: dict[str, set] = {name: set() for name in engines}
    for name in engines:
        for codes in _by_char({code: char for code, (char, _) in tops[name].items()}).values():
            for a, b in combinations(codes, 2):
                if not same_shape(a, b):
                    void[name].update((a, b))
    out = {}
    for code in votes:
        said = {name: tops[name][code] for name in engines if code in tops[name]}
        counting = {name: r for name, r in said.items()
                    if code not in void[name] and r[1] >= settings.glyph_min_share}
        chars = {char for char, _ in counting.values()}
        why = ", ".join(f"{name} '{char}' in {share:.0%}" + (" (also for another shape)" if code in void[name] else "")
                        for name, (char, share) in said.items()) or "no reading"
        if len(chars) == 1:
            out[code] = CodeReading(chars.pop(), round(min(share for _, share in counting.values()), 3), why)
        else:
            out[code] = CodeReading(None, UNSURE_CONFIDENCE, why)
    # The map itself: two codes of different shapes never print one character.
    for char, codes in _by_char({code: r.char for code, r in out.items() if r.char is not None}).items():
        if any(not same_shape(a, b) for a, b in combinations(codes, 2)):
            for code in codes:
                out[code] = CodeReading(None, UNSURE_CONFIDENCE, f"{out[code].why}; '{char}' is also another shape's reading")
    return out


def _by_char(chars: dict) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for code, char in chars.items():
        groups[char].append(code)
    return groups


def _normal(text: str) -> str:
    """An engine's reading as it is compared: compatibility forms folded (RapidOCR's full-width
    digits and signs), spaces removed."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class _Font:
    """What the document taught about one font: votes per code and engine, each code's shape."""

    votes: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    shapes: dict = field(default_factory=dict)
    pictures: dict = field(default_factory=dict)  # code → the pictures its shape is taken from
    inked: set = field(default_factory=set)  # codes seen with ink


class GlyphMaps:
    """The glyph maps of one document (see the module's docstring). ``engines``: the readers
    (None: :func:`installed_engines`, made on first use)."""

    def __init__(self, settings: OcrSettings = DEFAULT_OCR_SETTINGS, engines: list[Engine] | None = None) -> None:
        self.settings = settings
        self._engines = engines
        self._fonts: dict[str, _Font] = defaultdict(_Font)

    def read_page(self, path: str, page) -> MappedPage | None:
        """``page`` (a reader's :class:`~renjana.extract.reader.PageContent`) of the PDF at
        ``path`` with the glyphs of its fonts without a Unicode map (those carrying
        ``font_key``) read from their shapes; None when there are none, when the page also
        holds glyphs without a reading that carry no ``font_key`` (a font whose glyph boxes are
        guesses: only the page's image can be read), or the map cannot be made for the page
        (see the module's docstring)."""
        targets = [i for i, g in enumerate(page.glyphs) if "font_key" in g]
        if not targets or any(g["text"].startswith("(cid:") for g in page.glyphs if "font_key" not in g):
            return None  # nothing to map, or glyphs without a reading the maps cannot read
        s = self.settings
        glyphs = page.glyphs
        size = min((glyphs[i]["size"] for i in targets if glyphs[i]["size"] > 0), default=0.0)
        if size <= 0 or page.width <= 0 or page.height <= 0:
            return None
        scale = min(s.glyph_em_px / size, math.sqrt(s.glyph_max_pixels / (page.width * page.height)))
        gray = _render(path, page.number - 1, scale)
        _whiten_rules(gray, page.graphics.segments, scale, s.glyph_rule_halo)
        ink = gray < s.glyph_ink_level
        masks = {i: _glyph_ink(ink, _px_box(glyphs[i], scale, gray.shape),
                               max(1, round(s.glyph_overhang * glyphs[i]["size"] * scale))) for i in targets}
        inked = {i for i in targets if masks[i][1].any()}
        if len(targets) - len(inked) > s.glyph_max_blank * len(targets):
            return None
        self._learn_shapes(glyphs, targets, inked, masks, s.glyph_overhang)
        runs = _runs(glyphs, targets, s)
        self._read_runs(glyphs, runs, inked, masks, gray)
        maps = {key: self._decide(key) for key in {glyphs[i]["font_key"] for i in targets}}
        out = list(glyphs)
        unsure = 0
        for i in targets:
            g = glyphs[i]
            font = self._fonts[g["font_key"]]
            reading = maps[g["font_key"]].get(g["code"])
            if g["code"] not in font.inked:
                text, confidence, note = " ", 1.0, MAPPED_NOTE
            elif reading is None or reading.char is None:
                why = reading.why if reading is not None else "no reading"
                text, confidence = UNSURE, UNSURE_CONFIDENCE
                note = f"a glyph shape not read surely, printed '{UNSURE}' ({why})"
                unsure += 1
            else:
                text, confidence, note = reading.char, reading.confidence, MAPPED_NOTE
            out[i] = dict(g, text=text, confidence=confidence, repair=note, source="ocr")
        return MappedPage(glyphs=out, unsure=self._unsure_note(glyphs, targets, maps), unsure_glyphs=unsure)

    # ------------------------------------------------------------------ steps
    def _learn_shapes(self, glyphs, targets, inked, masks, margin_em: float) -> None:
        """Each code's shape: the medoid of the pictures (:func:`_picture`) of its first
        ``SHAPE_SAMPLES`` inked glyphs, so a glyph touching its neighbour (whose ink then joins
        its own) does not stand for the code."""
        for i in targets:
            if i not in inked:
                continue
            g = glyphs[i]
            font = self._fonts[g["font_key"]]
            code = g["code"]
            font.inked.add(code)
            samples = font.pictures.setdefault(code, [])
            if len(samples) >= SHAPE_SAMPLES:
                continue
            samples.append(_picture(masks[i][1], g, margin_em, self.settings.glyph_shape_px))
            font.shapes[code] = _medoid(samples)

    def _read_runs(self, glyphs, runs, inked, masks, gray) -> int:
        """Read the runs with every engine, a batch of ``READ_BATCH`` runs at a time, skipping
        a run once each of its inked codes has ``glyph_enough_votes`` votes from the first
        engine (``glyph_check_votes`` from the others, which check it); aligned readings become
        votes. Returns how many runs were read (by any engine)."""
        s = self.settings
        if self._engines is None:
            self._engines = installed_engines(s)
        runs = [(run, [i for i in run if i in inked]) for run in runs]
        runs = [(run, ink_run) for run, ink_run in runs if ink_run]
        read_any: set[int] = set()
        for rank, (name, read) in enumerate(self._engines):
            enough = s.glyph_enough_votes if rank == 0 else s.glyph_check_votes

            def needed(item, name=name, enough=enough) -> bool:
                run, ink_run = item
                votes = self._fonts[glyphs[run[0]]["font_key"]].votes
                return any(sum(votes[glyphs[i]["code"]][name].values()) < enough for i in ink_run)

            todo = list(range(len(runs)))
            while todo:
                batch, rest = [], []
                for k in todo:
                    if len(batch) < READ_BATCH and needed(runs[k]):
                        batch.append(k)
                    elif len(batch) >= READ_BATCH:
                        rest.append(k)
                todo = rest
                if not batch:
                    break
                texts = read([_run_image(gray, [masks[i] for i in runs[k][0]]) for k in batch])
                for k, text in zip(batch, texts):
                    read_any.add(k)
                    run, ink_run = runs[k]
                    text = _normal(text)
                    if len(text) != len(ink_run):
                        continue  # a character dropped or split: which glyph it was is unknown
                    votes = self._fonts[glyphs[run[0]]["font_key"]].votes
                    for i, char in zip(ink_run, text):
                        votes[glyphs[i]["code"]][name][char] += 1
        return len(read_any)

    def _decide(self, key: str) -> dict:
        font = self._fonts[key]
        limit = self.settings.glyph_same_shape

        def same_shape(a, b) -> bool:
            pa, pb = font.shapes.get(a), font.shapes.get(b)
            return pa is not None and pb is not None and _same_picture(pa, pb, limit)

        return decide({code: font.votes[code] for code in font.inked}, same_shape, self.settings)

    def _unsure_note(self, glyphs, targets, maps) -> str:
        """Per font with codes left unsure on this page: how many, of how many, and what the
        engines read of them (the first five); "" when every code was read surely."""
        parts = []
        engines = " and ".join(name for name, _ in self._engines or [])
        for key in sorted(maps):
            font = self._fonts[key]
            codes = {glyphs[i]["code"] for i in targets if glyphs[i]["font_key"] == key} & font.inked
            unsure = sorted((c for c in codes if maps[key].get(c) is None or maps[key][c].char is None), key=str)
            if not unsure:
                continue
            name = key.split("#", 1)[0] or "unnamed"
            shown = "; ".join(f"code {c}: {maps[key][c].why if c in maps[key] else 'no reading'}"
                              for c in unsure[:5])
            parts.append(f"font '{name}' (no Unicode map, its glyphs read from their shapes by {engines}): "
                         f"{len(unsure)} of its {count(len(codes), 'glyph shape')} not read surely, printed "
                         f"'{UNSURE}' ({shown}{'; …' if len(unsure) > 5 else ''})")
        return "; ".join(parts)


# ---------------------------------------------------------------------- image helpers
def _render(path: str, index: int, scale: float) -> np.ndarray:
    """Page ``index`` as grayscale at ``scale`` pixels per point, its /Rotate applied."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[index]
        try:
            array = page.render(scale=scale, grayscale=True).to_numpy().copy()
        finally:
            page.close()
    finally:
        pdf.close()
    return array[:, :, 0] if array.ndim == 3 else array


def _whiten_rules(gray: np.ndarray, segments, scale: float, halo: float) -> None:
    h, w = gray.shape
    pad = max(1, round(halo * scale))
    for seg in segments:
        a, b = max(0, math.floor(seg.start * scale) - pad), min(w if seg.orientation == "h" else h,
                                                                  math.ceil(seg.end * scale) + pad)
        c = round(seg.pos * scale)
        if seg.orientation == "h":
            gray[max(0, c - pad):min(h, c + pad + 1), a:b] = 255
        else:
            gray[a:b, max(0, c - pad):min(w, c + pad + 1)] = 255


def _px_box(glyph: dict, scale: float, shape: tuple[int, int]) -> tuple[int, int, int, int]:
    h, w = shape
    x0 = min(w, max(0, math.floor(glyph["x0"] * scale)))
    x1 = min(w, max(x0, math.ceil(glyph["x1"] * scale)))
    top = min(h, max(0, math.floor(glyph["top"] * scale)))
    bottom = min(h, max(top, math.ceil(glyph["bottom"] * scale)))
    return x0, top, x1, bottom


# A glyph's ink: (left, top) of its region on the page image, and the mask over the region.
GlyphInk = tuple[tuple[int, int], np.ndarray]


def _glyph_ink(ink: np.ndarray, box: tuple[int, int, int, int], margin: int) -> GlyphInk:
    """The ink a glyph drew: in its box widened by ``margin`` px all round, the connected
    pieces of ink whose centre lies inside the box itself. A neighbour's overhang (an italic,
    a kerned pair, a tight line above or below) reaches into the box but belongs to the
    neighbour, whose centre is outside; the glyph's own overhang is kept."""
    import cv2

    x0, top, x1, bottom = box
    left, right = max(0, x0 - margin), min(ink.shape[1], x1 + margin)
    upper, lower = max(0, top - margin), min(ink.shape[0], bottom + margin)
    region = ink[upper:lower, left:right].astype(np.uint8)
    mask = np.zeros(region.shape, bool)
    if region.size and region.any():
        count, labels, _, centroids = cv2.connectedComponentsWithStats(region, connectivity=8)
        cx, cy = centroids[:, 0] + left, centroids[:, 1] + upper
        own = (cx >= x0) & (cx < x1) & (cy >= top) & (cy < bottom)
        own[0] = False
        mask = own[labels]
    return (left, upper), mask


def _picture(mask: np.ndarray, glyph: dict, margin_em: float, height: int) -> np.ndarray:
    """The glyph's ink over its box widened by the margin (advance and em: where the ink sits
    in the em counts, so a comma and a quote differ), scaled to ``height`` pixels high."""
    import cv2

    em = max(1e-6, glyph["bottom"] - glyph["top"])
    ratio = ((glyph["x1"] - glyph["x0"]) / em + 2 * margin_em) / (1 + 2 * margin_em)
    width = max(1, round(height * ratio))
    if not mask.size:
        return np.zeros((height, width), bool)
    return cv2.resize(mask.astype(np.uint8) * 255, (width, height), interpolation=cv2.INTER_AREA) >= 128


def _medoid(pictures: list[np.ndarray]) -> np.ndarray:
    """The picture closest to all the others (the first of equals)."""
    if len(pictures) <= 2:
        return pictures[0]
    costs = [sum(_distance(a, b) if a.shape == b.shape else 1.0 for b in pictures) for a in pictures]
    return pictures[costs.index(min(costs))]


def _same_picture(a: np.ndarray, b: np.ndarray, limit: float) -> bool:
    """One shape: the same size, and at most ``limit`` of either's ink pixels lie more than one
    pixel away from the other's ink (the same glyph drawn at another sub-pixel offset moves
    its edges by a pixel, which thin strokes would otherwise turn into a large difference)."""
    return a.shape == b.shape and _distance(a, b) <= limit


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    import cv2

    kernel = np.ones((3, 3), np.uint8)
    near_a = cv2.dilate(a.astype(np.uint8), kernel) > 0
    near_b = cv2.dilate(b.astype(np.uint8), kernel) > 0
    return max(np.count_nonzero(a & ~near_b) / max(1, np.count_nonzero(a)),
               np.count_nonzero(b & ~near_a) / max(1, np.count_nonzero(b)))


def _run_image(gray: np.ndarray, inks: list[GlyphInk]) -> np.ndarray:
    """The run's glyphs on white: the page's gray where a glyph's ink is (grown by a pixel for
    the anti-aliased edge), everything else on the page left out."""
    import cv2

    x0 = min(left for (left, _), _ in inks)
    top = min(t for (_, t), _ in inks)
    x1 = max(left + m.shape[1] for (left, _), m in inks)
    bottom = max(t + m.shape[0] for (_, t), m in inks)
    out = np.full((max(1, bottom - top), max(1, x1 - x0)), 255, np.uint8)
    kernel = np.ones((3, 3), np.uint8)
    for (left, t), mask in inks:
        if not mask.any():
            continue
        near = cv2.dilate(mask.astype(np.uint8), kernel) > 0
        h, w = mask.shape
        view = out[t - top:t - top + h, left - x0:left - x0 + w]
        view[near] = np.minimum(view[near], gray[t:t + h, left:left + w][near])
    return out


def _runs(glyphs: list[dict], targets: list[int], settings: OcrSettings) -> list[list[int]]:
    """The target glyphs (upright ones) in runs read as one line each: one font, one baseline,
    each glyph starting at most ``glyph_run_gap`` em right of the previous one's end; in
    reading order (left to right) within a run."""
    runs: list[list[int]] = []
    for i in targets:
        g = glyphs[i]
        if not g.get("upright", True):
            continue
        if runs:
            prev = glyphs[runs[-1][-1]]
            gap = g["x0"] - prev["x1"]
            if (prev["font_key"] == g["font_key"] and len(runs[-1]) < settings.glyph_run_max
                    and abs(g["top"] - prev["top"]) <= settings.glyph_same_line * max(prev["size"], 1.0)
                    and -settings.glyph_same_line * g["size"] <= gap <= settings.glyph_run_gap * g["size"]):
                runs[-1].append(i)
                continue
        runs.append([i])
    return runs
