"""The reference reader: pdfplumber (pdfminer) chars and page objects → :class:`.reader.PageContent`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdfplumber

from .graphics import page_graphics
from .reader import PageContent, ReaderError, damage_of, decode_errors
from .settings import ExtractSettings


class PdfplumberReader:
    """pdfplumber's ``page.chars`` as the glyphs, its ``page.lines``, ``page.rects`` and
    ``page.curves`` read by :func:`.graphics.page_graphics` as the graphics. Raises
    :class:`.reader.ReaderError` when pdfminer cannot open the file."""

    def __init__(self, path: Path, settings: ExtractSettings) -> None:
        try:
            self._pdf = pdfplumber.open(path)
        except Exception as exc:  # pdfminer raises many types for a broken file
            raise ReaderError(f"{type(exc).__name__}: {exc}") from exc
        try:
            self.page_count = len(self._pdf.pages)
        except Exception as exc:  # a broken page tree
            self._pdf.close()
            raise ReaderError(f"{type(exc).__name__}: {exc}") from exc
        self._settings = settings

    def pages(self) -> Iterator[PageContent]:
        for number, page in enumerate(self._pdf.pages, start=1):
            width, height = float(page.width), float(page.height)
            unmapped = _unmapped_font_names(page)
            sizes = _stream_sizes(page)  # before the content is decoded (pdfminer then drops the raw data)
            with decode_errors() as errors:
                glyphs = page.chars  # the page's content is interpreted here, once
            if unmapped:
                # pdfminer's chars carry no character code: the text a font without a Unicode
                # map gives (``(cid:37)``, a letter) stands for it, and the name for the font.
                for ch in glyphs:
                    if ch.get("fontname") in unmapped or "*" in unmapped:
                        ch["font_key"], ch["code"] = ch.get("fontname", ""), ch["text"]
            content = PageContent(
                number=number, width=width, height=height, glyphs=glyphs,
                graphics=page_graphics(page.lines, page.rects, page.curves, width, height, self._settings),
                has_images=bool(page.images), image_share=_image_share(page, width, height),
                unmapped_fonts=bool(unmapped), damaged=damage_of(errors, sizes))
            page.close()  # pdfplumber's cached layout of the page is dropped
            yield content

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> "PdfplumberReader":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stream_sizes(page) -> list[tuple[int, int, object]]:
    """(object number, bytes present, declared /Length) of each content stream of the page."""
    from pdfminer.pdftypes import resolve1

    sizes = []
    try:
        for stream in page.page_obj.contents:
            sizes.append((stream.objid, len(stream.rawdata or b""), resolve1(stream.attrs.get("Length"))))
    except Exception:  # noqa: BLE001 - a content stream that cannot be found: nothing drawn
        pass
    return sizes


def _image_share(page, width: float, height: float) -> float:
    """The largest image's share of the page's area (0 when none)."""
    areas = [(im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) for im in page.images]
    return max(areas, default=0.0) / (width * height) if width * height > 0 else 0.0


def _unmapped_font_names(page) -> set[str]:
    """The names pdfminer gives the chars of the page's Type3 or composite (Type0) fonts without
    /ToUnicode (their descriptor's /FontName, else /BaseFont, else ``unknown`` as pdfminer
    names them); ``{"*"}`` when a font dictionary is broken (every char may be unmapped)."""
    from pdfminer.pdftypes import resolve1

    names: set[str] = set()
    try:
        fonts = resolve1(resolve1(page.page_obj.resources or {}).get("Font")) or {}
        for ref in fonts.values():
            font = resolve1(ref) or {}
            subtype = getattr(resolve1(font.get("Subtype")), "name", None)
            if "ToUnicode" in font or subtype not in ("Type3", "Type0"):
                continue
            spec = font
            if subtype == "Type0":
                spec = resolve1((resolve1(font.get("DescendantFonts")) or [{}])[0]) or {}
            descriptor = resolve1(spec.get("FontDescriptor")) or {}
            for name in (descriptor.get("FontName"), font.get("BaseFont"), spec.get("BaseFont")):
                name = resolve1(name)
                if name is not None:
                    names.add(getattr(name, "name", name) if not isinstance(name, bytes) else name.decode("latin-1"))
            names.add("unknown")
    except Exception:  # noqa: BLE001 - a broken font dictionary: let the full check decide
        return {"*"}
    return names
