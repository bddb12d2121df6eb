"""Is a page's text layer fit to be read as data? The health check run before extract trusts it.

Two failures send a page to OCR (or, without OCR, leave it unread with a note); a page whose
only failure is its unmapped fonts is first given to the glyph maps (:mod:`.ocr.glyphmap`),
which read those fonts' codes from their shapes and leave the rest of the page to the text layer:

- **unmapped glyphs**: fonts without a Unicode map give ``(cid:37)``, private-use characters,
  control characters (a simple font's codes taken as characters: ``'\\x01\\x04\\x01\\x07'``),
  nothing at all, or letters that stand for other glyphs (``CKDIEKHFAKAAA`` for a number).
  PDFium flags every character whose code has no Unicode mapping
  (``FPDFText_HasUnicodeMapError``); with the reader's glyphs that read as no text
  (:func:`unmapped_text`) they make the page's unmapped share;
- **a font without a reading**: one garbled font among healthy ones (only the bold header font,
  only the numbers font) can stay under the page's share. So each font is judged on its own
  (:func:`font_unreadable`): a font many of whose codes read as no text (:func:`no_reading`)
  has no usable map at all, and every glyph it draws is unread, whatever share of the page it is.
  The reader judges its fonts over the document (``PageContent.unreadable_fonts``), this module
  the page's fonts again from their glyphs.
- **invisible text over a page-sized image**: a scan with an OCR layer (render mode 3) that a
  scanner or Acrobat added; its words may be wrong and it has no ruling lines, so the table
  grid must come from the image.

Thresholds are the fields of :class:`TextLayerSettings` (shares of the page's characters or area).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

UNREADABLE_REASON = "text unreadable (fonts without a Unicode map)"
INVISIBLE_REASON = "scan with an invisible OCR text layer"


@dataclass(frozen=True, slots=True)
class TextLayerSettings:
    # A page whose unmapped characters ((cid:NN), private use, PDFium's map errors) are more than
    # this share of its characters is unreadable: one garbled font for the numbers already puts a
    # table page past 10 %; a stray symbol glyph (a bullet in a Wingdings font) stays far under.
    max_unmapped_share: float = 0.05
    # ... and at least this many characters: a page with three unmapped bullets is not garbage.
    min_unmapped_chars: int = 20
    # A font is unreadable when at least this many of the codes it drew read as no text (nothing,
    # (cid:NN); not private use, which symbol fonts map their bullets to; a single control
    # character or U+FFFD is enough alone, see font_unreadable) ... A garbled font shows them on its first line; a sound font shows one or two at most
    # (a TeX symbol font's glyph without a known name); several distinct codes are no stray symbol.
    font_min_codes: int = 3
    # ... and they are more than this share of its distinct codes: a subset font whose codes
    # count from 1 gives control characters for its first 31 glyphs (half of a typical subset),
    # while a sound font's stray glyphs are a few of the dozens of codes it draws.
    font_code_share: float = 0.25
    # An image covering at least this share of the page's area is the page itself (a scan).
    page_image_share: float = 0.8
    # At least this share of the page's text objects drawn invisibly (render mode 3) over such an
    # image makes the text layer an OCR layer.
    invisible_share: float = 0.9


DEFAULT_TEXTLAYER_SETTINGS = TextLayerSettings()


# Control characters a printed glyph may stand for: the tab (a tab glyph some producers draw)
# and line ends. Every other C0 or C1 control character is no printed character.
_PRINTED_CONTROLS = frozenset("\t\n\r")


def no_reading(text: str) -> bool:
    """A glyph's text that is no character at all: pdfminer's ``(cid:N)``, nothing (playa's
    reading of a code its font's encoding does not name), U+FFFD, or a control character other
    than a tab or line end (a font's codes taken as characters)."""
    if not text:
        return True
    return text.startswith("(cid:") or any(
        c == "\ufffd" or (c not in _PRINTED_CONTROLS and unicodedata.category(c) == "Cc") for c in text)


def broken_text(text: str) -> bool:
    """A glyph's text that no printed document holds: U+FFFD or a control character other than
    a tab or line end. One such code is enough to judge its font's map broken
    (:func:`font_unreadable`), unlike nothing or private use, which symbol fonts give."""
    return any(c == "\ufffd" or (c not in _PRINTED_CONTROLS and unicodedata.category(c) == "Cc")
               for c in text)


def unmapped_text(text: str) -> bool:
    """A glyph's text that is no Unicode reading, as the page's share counts it: :func:`no_reading`
    or a private-use character (a symbol font's bullet, or a font's own codes); not an empty
    text, which playa gives for a symbol font's glyph whose name it does not know (a
    ZapfDingbats check mark): a font that reads as nothing at all is judged as a font instead
    (:func:`font_unreadable`), where one repeated symbol is no alarm."""
    return bool(text) and (no_reading(text) or any(0xE000 <= ord(c) <= 0xF8FF for c in text))


def font_unreadable(codes: int, unread_codes: int, settings: "TextLayerSettings | None" = None,
                    broken_codes: int = 0) -> bool:
    """Does a font that drew ``codes`` distinct codes, ``unread_codes`` of them reading as no
    text (:func:`no_reading`), ``broken_codes`` of those as a control character or U+FFFD
    (:func:`broken_text`), have no usable Unicode map? (see :class:`TextLayerSettings`) One
    broken code is enough: a printed document holds no control character, so a map giving one
    is damaged, and its other codes cannot be trusted either."""
    settings = DEFAULT_TEXTLAYER_SETTINGS if settings is None else settings
    if broken_codes > 0:
        return True
    return unread_codes >= settings.font_min_codes and unread_codes > settings.font_code_share * codes


def unreadable_fonts(chars: list[dict], settings: "TextLayerSettings | None" = None) -> list[str]:
    """The fonts of a page's glyphs (by ``font_key``, else ``fontname``) that
    :func:`font_unreadable` judges to have no usable map, each glyph's text standing for its code."""
    texts: dict[str, set[str]] = defaultdict(set)
    for ch in chars:
        texts[ch.get("font_key") or ch.get("fontname") or ""].add(ch.get("text", ""))
    return sorted(font for font, seen in texts.items()
                  if font_unreadable(len(seen), sum(map(no_reading, seen)), settings,
                                     sum(map(broken_text, seen))))


def _unmapped_pdfplumber(chars: list[dict]) -> int:
    return sum(1 for ch in chars if unmapped_text(ch.get("text", "")))


def suspect(page, settings: TextLayerSettings = DEFAULT_TEXTLAYER_SETTINGS) -> bool:
    """Cheap test on a reader's page (:class:`.reader.PageContent`): may its text layer be
    unhealthy? True when an image covers the page, a font may lack a Unicode map (Type3, or a
    composite font without a /ToUnicode), the reader found a font of the page without a reading
    (``unreadable_fonts``), or a glyph reads as no Unicode text (:func:`unmapped_text`). Only
    such pages get :func:`page_problem`'s full check."""
    if page.image_share >= settings.page_image_share or page.unmapped_fonts or page.unreadable_fonts:
        return True
    if page.unmapped_glyphs is not None:  # counted by the reader as it read the glyphs
        return page.unmapped_glyphs > 0
    return _unmapped_pdfplumber(page.glyphs) > 0


def page_problem(path: str, number: int, chars: list[dict] | None = None,
                 settings: TextLayerSettings = DEFAULT_TEXTLAYER_SETTINGS,
                 unread_fonts: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why page ``number`` (1-based) of the PDF at ``path`` must not be read as data
    (:data:`UNREADABLE_REASON`, :data:`INVISIBLE_REASON`), or None when its text layer is
    healthy. ``chars``: the reader's glyphs of the page, counted for text that is no Unicode
    reading (:func:`unmapped_text`) and judged font by font (:func:`unreadable_fonts`) too;
    ``unread_fonts``: the page's fonts the reader already found without a reading (judged over
    the document: ``PageContent.unreadable_fonts``). A page PDFium cannot open gives None (the
    main reader reports it).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001
        return None
    try:
        page = pdf[number - 1]
        try:
            return _page_problem(page, raw, chars, settings, unread_fonts)
        finally:
            page.close()
    except Exception:  # noqa: BLE001
        return None
    finally:
        pdf.close()


def _page_problem(page, raw, chars: list[dict] | None, settings: TextLayerSettings,
                  unread_fonts: list[str] | tuple[str, ...] = ()) -> str | None:
    width, height = page.get_size()
    texts = invisible = 0
    page_image = False
    for obj in page.get_objects(max_depth=2):
        kind = obj.type
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts += 1
            if raw.FPDFTextObj_GetTextRenderMode(obj.raw) == raw.FPDF_TEXTRENDERMODE_INVISIBLE:
                invisible += 1
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            x0, y0, x1, y1 = obj.get_bounds()
            if (x1 - x0) * (y1 - y0) >= settings.page_image_share * width * height:
                page_image = True
    if texts == 0:
        return None  # no text layer: image-only pages are found by extract itself
    if page_image and invisible >= settings.invisible_share * texts:
        return INVISIBLE_REASON
    if unread_fonts or (chars and unreadable_fonts(chars, settings)):
        return UNREADABLE_REASON  # a font without a reading: its glyphs are no text, however few
    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage.raw)
        unmapped = sum(1 for i in range(count) if raw.FPDFText_HasUnicodeMapError(textpage.raw, i) == 1)
    finally:
        textpage.close()
    if chars is not None:
        unmapped = max(unmapped, _unmapped_pdfplumber(chars))
        count = max(count, len(chars))
    if unmapped >= settings.min_unmapped_chars and unmapped > settings.max_unmapped_share * max(1, count):
        return UNREADABLE_REASON
    return None
