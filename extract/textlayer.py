"""Is a page's text layer fit to be read as data? The health check run before extract trusts it.

Two failures send a page to OCR (or, without OCR, leave it unread with a note); a page whose
only failure is its unmapped fonts is first given to the glyph maps (:mod:`.ocr.glyphmap`),
which read those fonts' codes from their shapes and leave the rest of the page to the text layer:

- **unmapped glyphs**: fonts without a Unicode map give ``(cid:37)``, private-use characters or
  letters that stand for other glyphs (``CKDIEKHFAKAAA`` for a number). PDFium flags every
  character whose code has no Unicode mapping (``FPDFText_HasUnicodeMapError``); with
  pdfplumber's own ``(cid:`` and private-use characters they make the page's unmapped share.
- **invisible text over a page-sized image**: a scan with an OCR layer (render mode 3) that a
  scanner or Acrobat added; its words may be wrong and it has no ruling lines, so the table
  grid must come from the image.

Thresholds are the fields of :class:`TextLayerSettings` (shares of the page's characters or area).
"""

from __future__ import annotations

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
    # An image covering at least this share of the page's area is the page itself (a scan).
    page_image_share: float = 0.8
    # At least this share of the page's text objects drawn invisibly (render mode 3) over such an
    # image makes the text layer an OCR layer.
    invisible_share: float = 0.9


DEFAULT_TEXTLAYER_SETTINGS = TextLayerSettings()


def unmapped_text(text: str) -> bool:
    """A glyph's text that is no Unicode reading: pdfminer's ``(cid:N)``, a private-use
    character or U+FFFD."""
    return text.startswith("(cid:") or any(0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd" for c in text)


def _unmapped_pdfplumber(chars: list[dict]) -> int:
    return sum(1 for ch in chars if unmapped_text(ch.get("text", "")))


def suspect(page, settings: TextLayerSettings = DEFAULT_TEXTLAYER_SETTINGS) -> bool:
    """Cheap test on a reader's page (:class:`.reader.PageContent`): may its text layer be
    unhealthy? True when an image covers the page, a font may lack a Unicode map (Type3, or a
    composite font without a /ToUnicode), or a glyph is ``(cid:`` or private use. Only such
    pages get :func:`page_problem`'s full check."""
    if page.image_share >= settings.page_image_share or page.unmapped_fonts:
        return True
    if page.unmapped_glyphs is not None:  # counted by the reader as it read the glyphs
        return page.unmapped_glyphs > 0
    return _unmapped_pdfplumber(page.glyphs) > 0


def page_problem(path: str, number: int, chars: list[dict] | None = None,
                 settings: TextLayerSettings = DEFAULT_TEXTLAYER_SETTINGS) -> str | None:
    """Why page ``number`` (1-based) of the PDF at ``path`` must not be read as data
    (:data:`UNREADABLE_REASON`, :data:`INVISIBLE_REASON`), or None when its text layer is
    healthy. ``chars``: pdfplumber's characters of the page, counted for ``(cid:`` and
    private-use characters too. A page PDFium cannot open gives None (the main reader reports it).
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
            return _page_problem(page, raw, chars, settings)
        finally:
            page.close()
    except Exception:  # noqa: BLE001
        return None
    finally:
        pdf.close()


def _page_problem(page, raw, chars: list[dict] | None, settings: TextLayerSettings) -> str | None:
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
