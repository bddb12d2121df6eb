"""Streams a page draws that do not decode whole: damage the PDF libraries read past in silence.

A byte changed inside a compressed stream is not always reported: qpdf and playa inflate a Flate
stream whose checksum fails without a word, pdfium draws an image from what decodes, and a
composite font whose dictionary lost its ``/Encoding`` is read with one-byte codes, its text
garbage. :func:`page_damage` checks, for every page, the streams it draws and the fonts it uses
(through its resources and the form XObjects they hold, each object once per document):

* a Flate stream (content, image, form, font program) is inflated by zlib itself: a checksum
  that fails, a code that is invalid or data that ends before the compressed stream does is
  damage (the libraries keep what came out and carry on);
* an image's decoded data is shorter than its ``/Width`` × ``/Height`` × components × bits
  implies (Flate or uncompressed), or a JPEG (DCT) image on which libjpeg-turbo warns (a
  truncated or corrupt entropy-coded segment) or that decodes at another size than its
  dictionary gives;
* a composite (Type0) font without an ``/Encoding``, which the PDF standard requires: its
  character codes cannot be split into glyphs, so its text is garbage.

A JPEG whose entropy-coded data had a byte changed but still decodes (libjpeg resynchronises at
the next code and warns of nothing) is drawn wrong from there on. On a scanned page (``scanned``)
the decoded image is looked at for the marks only such damage leaves (:mod:`renjana.jpeg_damage`:
the paper's grey level stepping in a staircase at a block boundary, the table's rules all broken
and shifted by whole blocks); damage that leaves neither (a few blocks garbled) is not found.

An object qpdf (pikepdf) had to repair while reading it (its warnings name it: "(object 7 0,
offset …): expected dictionary key …") is damage too, outside any stream: a garbled key in a page
dictionary loses the page's ``/Contents``, one in a font dictionary its ``/Widths`` or
``/Encoding``; our reader (playa) parses the same bytes on its own and may make less of them. The
objects a page uses (its dictionary, content streams, resources, fonts and their parts, forms,
images, the page tree nodes above it) are remembered during the same walk; each page using an
object qpdf warned about gets a note naming it (:func:`_object_damage`). A page that names no
content stream in a file qpdf found damaged (a reference to an object qpdf could not find is
dropped) is taken as lost. Damage in an object no page uses (an ``/Info`` dictionary, a stream's
``/Length``) changes nothing read and is not reported.

A key renamed by a changed byte (``/Contents`` → ``/CoAtents``) is valid syntax: no library
warns, and every reader sees the page without what the key held. A page dictionary without
``/Contents`` (or ``/Resources``, not inherited) that holds content streams (or a resource
dictionary) under a key the standard does not define, or a resource dictionary without ``/Font``
that holds a list of fonts under such a key, is noted as that garbled key; so are a font whose
/Subtype names no font type or whose /Widths are gone, a stream whose /Filter names no PDF
filter, and a small page content holding operators the standard does not define (the standard's
vocabularies are in :mod:`renjana.pdf_standard`).

Cost: one inflate of each Flate stream and one decode of each JPEG image, each object once; on a
scanned page, a few passes of numpy over the decoded JPEG. The objects a page uses are kept as a
small map per page; they are matched to qpdf's warnings only when there are any.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from renjana.pdf_standard import (FONT_TYPES, INVENTED_KEY, PAGE_KEYS, PDF_FILTERS, RESOURCE_KEYS, has_descendant,
                                  inherited, is_content, is_font_list, is_resources, lost_widths, misplaced_part,
                                  miscounted_widths,
                                  stray_key, unknown_operators)

__all__ = ["DamageReport", "PageDamage", "StreamDamageSettings", "damage_report", "page_damage"]


@dataclass(frozen=True)
class PageDamage:
    """One damaged object a page draws: ``what`` in plain words (which object, what is wrong,
    what it does to the page); ``loses_content`` True when what the page shows is lost or wrong
    (a content stream, form or image that does not decode whole, text that cannot be decoded),
    False when only the drawing of glyphs may be (a font program), the text still read."""

    what: str
    loses_content: bool


@dataclass(frozen=True)
class DamageReport:
    """What :func:`damage_report` found: ``pages`` page number (from 1) → the damaged objects it
    uses; ``file`` damage that loses content on a page no number can be given to (qpdf dropped an
    unreadable page dictionary from the page tree: its page is missing from qpdf's count, so the
    numbers of the pages after it are qpdf's, not the file's), in plain words."""

    pages: dict[int, list[PageDamage]]
    file: tuple[str, ...] = ()


@dataclass(frozen=True)
class StreamDamageSettings:
    # Form XObjects nest: deeper than this, a page's resources are not followed (a loop is cut
    # by remembering the objects seen; the depth bounds a chain of distinct forms).
    max_form_depth: int = 12
    # Characters of a library's message quoted in a note.
    message_chars: int = 80
    # Bytes inflated at a time when a Flate stream is checked (only its length is kept).
    inflate_piece: int = 1 << 22
    # A JPEG larger than this (width × height pixels) is not decoded for the check (its memory).
    max_jpeg_pixels: int = 60_000_000
    # Page tree nodes above a page followed for the objects it uses (a loop is cut by this too).
    max_tree_depth: int = 32
    # A page's content streams up to this many bytes (stored) are checked for unknown operators:
    # a scanned page's (tens of bytes: "q … cm /Im0 Do Q"), where one garbled operator loses the
    # whole page. Larger content is left unchecked: qpdf's tokenizing of every page would add
    # about 5 % to a born-digital file's time (measured at 4096 bytes: +65 ms on 8 files).
    max_operator_check_bytes: int = 1024


DEFAULT_STREAM_DAMAGE_SETTINGS = StreamDamageSettings()


@dataclass
class _Seen:
    """Verdicts of the objects already checked (object number, generation) → damage or None."""

    verdicts: dict[tuple[int, int], str | None] = field(default_factory=dict)
    # Form XObject → the damage found in it and the forms it draws (walked once; a form being
    # walked is already here, empty, so a form that draws itself ends the walk).
    forms: dict[tuple[int, int], list[PageDamage]] = field(default_factory=dict)
    # Images looked at on a scanned page (their verdict, with what was seen): an image drawn on a
    # scanned page and on another is judged twice, once each way.
    looked: dict[tuple[int, int], str | None] = field(default_factory=dict)
    # Font or form → the objects it uses (object → what it is to the page, in words), found once.
    parts: dict[tuple[int, int], dict[tuple[int, int], str]] = field(default_factory=dict)


# The objects one page uses: (number, generation) → what the object is to the page, in words; a
# resource whose object cannot be read (qpdf makes it null) is kept as (_UNREADABLE, its name).
_Reach = dict[tuple, str]
_UNREADABLE = "unreadable"



def page_damage(path: Path, offset: int = 0,
                settings: StreamDamageSettings = DEFAULT_STREAM_DAMAGE_SETTINGS,
                scanned: frozenset[int] = frozenset()) -> dict[int, list[PageDamage]]:
    """Page number (from 1) → the damaged objects it draws: :func:`damage_report`'s pages."""
    return damage_report(path, offset, settings, scanned).pages


def damage_report(path: Path, offset: int = 0,
                  settings: StreamDamageSettings = DEFAULT_STREAM_DAMAGE_SETTINGS,
                  scanned: frozenset[int] = frozenset()) -> DamageReport:
    """Page number (from 1) → the damaged objects it uses (:class:`PageDamage`, each object once
    a page), and damage no page number can be given to. Empty when nothing is found or qpdf
    (pikepdf) cannot open the file (the pipeline's other checks report that).

    ``offset``: bytes before ``%PDF`` (HTTP headers) skipped. ``scanned``: the pages that are
    scans (read or to be read by OCR): their JPEG images that decode without a warning are also
    looked at for the visible marks of corrupted data (:mod:`renjana.jpeg_damage`).
    """
    import pikepdf

    try:
        handle = io.BytesIO(path.read_bytes()[offset:]) if offset else path.open("rb")
        pdf = pikepdf.open(handle)
    except Exception:  # noqa: BLE001 - not openable: a password, or damaged beyond this check
        return DamageReport({})
    seen = _Seen()
    unplaced: tuple[str, ...] = ()
    found: dict[int, list[PageDamage]] = {}
    reaches: dict[int, _Reach] = {}
    with handle, pdf:
        for number, page in enumerate(pdf.pages, start=1):
            reach = reaches[number] = {}
            try:
                lines = _page(page.obj, seen, settings, number in scanned, reach)
            except Exception:  # noqa: BLE001 - a page dictionary too broken to walk: no verdict
                continue
            if lines:
                found[number] = lines
        warnings = pdf.get_warnings()  # qpdf's, while opening the file and during the walk
        if warnings:
            for number, lines in _object_damage(pdf, warnings, reaches, settings).items():
                found[number] = found.get(number, []) + [item for item in lines
                                                         if all(item.what != old.what for old in found.get(number, []))]
            unplaced = _dropped_pages(warnings, settings)
        unplaced += _miscounted(pdf)
    return DamageReport(found, unplaced)


def _miscounted(pdf) -> tuple[str, ...]:
    """The page tree's root counting more pages (``/Count``) than its ``/Kids`` hold: a page
    reference lost from the tree (a changed byte in a /Kids array), the page unseen by every
    reader. A count below the pages found is a writer's slip, not a loss: not reported."""
    try:
        declared = pdf.Root.get("/Pages").get("/Count")
        found = len(pdf.pages)
    except Exception:  # noqa: BLE001 - a page tree too broken to count: other checks say so
        return ()
    if isinstance(declared, int) and declared > found:
        return (f"the page tree counts {declared} pages but holds {found}: "
                f"{declared - found} page(s) lost from it",)
    return ()


# qpdf's words when it stops reading an object (which is then null).
_GAVE_UP = "giving up on reading object"
# qpdf's words when a page dictionary it cannot read is dropped from the page tree.
_DROPPED_PAGE = "Pages tree includes non-dictionary object"


def _dropped_pages(warnings: list[str], settings: StreamDamageSettings) -> tuple[str, ...]:
    """A note for each page dictionary qpdf could not read and dropped from the page tree."""
    said = _said(warnings)
    lines = []
    for message in warnings:
        if _DROPPED_PAGE in message and (found := _QPDF_OBJECT.search(message)):
            key = (int(found[1]), int(found[2]))
            lines.append(f"a page dictionary (object {key[0]}) cannot be read (qpdf: "
                         f"{said.get(key, message)[:settings.message_chars]}): that page's content is lost")
    return tuple(dict.fromkeys(lines))


def _said(warnings: list[str]) -> dict[tuple[int, int], str]:
    """Object → qpdf's first warning about it, without the file name and the place."""
    said: dict[tuple[int, int], str] = {}
    for message in warnings:
        if found := _QPDF_OBJECT.search(message):
            said.setdefault((int(found[1]), int(found[2])), _QPDF_WHERE.sub("", message, count=1).strip())
    return said


def _page(page, seen: _Seen, settings: StreamDamageSettings, look: bool = False,
          reach: _Reach | None = None) -> list[PageDamage]:
    """The page's damaged streams and fonts; ``reach`` gets the objects the page uses."""
    import pikepdf

    reach = {} if reach is None else reach
    _note(reach, page, "the page dictionary")
    lines: list[PageDamage] = []
    contents = page.get("/Contents")
    if isinstance(contents, pikepdf.Array):
        _note(reach, contents, "the page's list of content streams")
    parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for part in parts:
        if isinstance(part, pikepdf.Stream):
            _note(reach, part, "the page's content stream")
            _add(lines, _checked(part, "content stream", "the page's drawing stops or goes wrong there",
                                 seen, settings))
    streams = [part for part in parts if isinstance(part, pikepdf.Stream)]
    if streams and sum(int(part.get("/Length", 0)) for part in streams) <= settings.max_operator_check_bytes:
        _add(lines, _garbled_operators(page, streams))
    if contents is None and (stray := stray_key(page, PAGE_KEYS, is_content)):
        _add(lines, f"the page dictionary holds content streams under {stray}, not /Contents (a garbled key): "
                    "what the page shows is lost")
    _resources(page.get("/Resources"), lines, seen, settings, depth=0, look=look, reach=reach)
    # qpdf puts an empty /Resources where it finds none: empty counts as missing.
    if not is_resources(page.get("/Resources")) and not inherited(page, "/Resources", settings.max_tree_depth) and (
            stray := stray_key(page, PAGE_KEYS, is_resources)):
        _add(lines, f"the page dictionary holds its resources under {stray}, not /Resources (a garbled key): "
                    "its fonts and images are missing: the text may be lost")
    node = page.get("/Parent")
    for _ in range(settings.max_tree_depth):  # inherited resources and page size come from there
        if not isinstance(node, pikepdf.Dictionary) or _key(node) in reach:
            break
        _note(reach, node, "the page tree node above the page")
        node = node.get("/Parent")
    return lines


def _garbled_operators(page, streams) -> str | None:
    """The page's unknown operators (:func:`~renjana.pdf_standard.unknown_operators`) in words."""
    unknown = unknown_operators(page)
    if not unknown:
        return None
    where = ", ".join(f"object {_key(s)[0]}" for s in streams if _key(s)) or "direct"
    shown = ", ".join(repr(op) for op in unknown[:3])
    return (f"the page's content ({where}) holds {len(unknown)} operator(s) the PDF standard does not define "
            f"({shown}): garbled, what they draw or place is lost")


def _part(reach: _Reach, entry: str, value, what: str) -> None:
    """A font's part: an object, or null where its object could not be read (qpdf gave up on it).
    A key qpdf invented holds debris of the garbled dictionary, not a part: its null is not one."""
    if value is None and str(entry).startswith(INVENTED_KEY):
        return
    if value is None:
        reach.setdefault((_UNREADABLE, what), what)
    else:
        _note(reach, value, what)


def _note(reach: _Reach, obj, what: str) -> None:
    """Remember that the page uses ``obj`` (an indirect object; a direct one is part of its holder)."""
    key = _key(obj) if obj is not None and hasattr(obj, "is_indirect") else None
    if key is not None:
        reach.setdefault(key, what)


# qpdf names the object it had to repair: "(object 7 0, offset 103025): …", "object 53 0 not
# found in file after regenerating cross reference table", "…, object 7 0 at offset 1055: …".
_QPDF_OBJECT = re.compile(r"\bobject (\d+) (\d+)\b")
# What qpdf says before its words (the file's name, the object and offset), dropped when quoted.
_QPDF_WHERE = re.compile(r"^.*?(\(object \d+ \d+, offset \d+\)|\(offset \d+\))?: ")
# What damage to each kind of object may do to the page (by the start of its words in the walk).
_EFFECTS = (
    ("the page dictionary", "what the page shows may be missing"),
    ("the page's", "the page's content may be missing or cut short"),
    ("the page tree node", "the page's inherited resources or size may be wrong"),
    ("a resource dictionary", "fonts or images the page uses may be missing"),
    ("a font list", "its fonts may be missing: the text may be wrong"),
    ("a list of images", "its images or forms may be missing"),
    ("font ", "the text in that font may be wrong"),
    ("image or form ", "what it draws may be missing"),
    ("image ", "the image may be drawn wrong"),
    ("form ", "what the form draws may be missing or wrong"),
)


def _object_damage(pdf, warnings: list[str], reaches: dict[int, _Reach],
                   settings: StreamDamageSettings) -> dict[int, list[PageDamage]]:
    """Page number → the objects it uses that qpdf warned about (``warnings``: its messages while
    opening and walking the file), each with qpdf's first word on it and what it may do to the
    page; and a page that names no content stream in a file qpdf found damaged (a reference to
    an object qpdf could not find is dropped from the dictionary)."""
    import pikepdf

    said = _said(warnings)
    # A null where a font's part should be is an object qpdf gave up on: quoted when there is one.
    gave_up = [m for m in warnings if _GAVE_UP in m and _QPDF_OBJECT.search(m)]
    first = (_QPDF_WHERE.sub("", gave_up[0], count=1).strip() if len(gave_up) == 1
             else _QPDF_WHERE.sub("", warnings[0], count=1).strip())
    if len(gave_up) == 1:
        first = f"object {_QPDF_OBJECT.search(gave_up[0])[1]}: {first}"
    damage: dict[int, list[PageDamage]] = {}
    for number, reach in reaches.items():
        lines: list[PageDamage] = []
        try:
            page = pdf.pages[number - 1].obj
            contents = page.get("/Contents")
            parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
            no_content = not any(isinstance(part, pikepdf.Stream) for part in parts)
            invented = any(str(entry).startswith(INVENTED_KEY) for entry in page.keys())
        except Exception:  # noqa: BLE001 - a page dictionary pikepdf cannot hand over
            no_content, invented = True, False
        for key, what in reach.items():
            effect = next((effect for start, effect in _EFFECTS if what.startswith(start)),
                          "the page may be read wrong")
            # A font program's damage changes how glyphs are drawn, not which characters are read.
            program = "/FontFile" in what
            if program:
                effect = "its glyphs may be drawn or measured wrong"
            if key[0] == _UNREADABLE:
                _add(lines, f"{what} cannot be read: its object is damaged or missing (qpdf: "
                            f"{first[:settings.message_chars]}): {effect}", not program)
                continue
            if key not in said:
                continue
            if what == "the page dictionary" and (no_content or invented):
                effect = ("it names no content stream: what the page shows is lost" if no_content
                          else "qpdf had to invent keys for values whose names are garbled: what the page "
                               "shows may be missing")
            _add(lines, f"{what} (object {key[0]}) is damaged (qpdf: {said[key][:settings.message_chars]}): {effect}",
                 not program)
        if no_content and not lines:
            _add(lines, f"the page names no content stream in a file qpdf found damaged (qpdf: "
                        f"{first[:settings.message_chars]}): what the page shows was probably lost")
        if lines:
            damage[number] = lines
    return damage


def _add(lines: list[PageDamage], line: str | None, loses_content: bool = True) -> None:
    if line and all(item.what != line for item in lines):
        lines.append(PageDamage(line, loses_content))


def _resources(resources, lines: list[PageDamage], seen: _Seen, settings: StreamDamageSettings, depth: int,
               look: bool = False, reach: _Reach | None = None) -> None:
    """``look``: the page is a scan: its JPEG images are looked at too (:func:`_checked`).
    ``reach`` gets the objects used (the resources, fonts and their parts, images, forms)."""
    import pikepdf

    reach = {} if reach is None else reach
    if depth > settings.max_form_depth:
        return
    if not isinstance(resources, pikepdf.Dictionary):
        if resources is not None:  # its object parsed as something else (a number, a string)
            reach.setdefault((_UNREADABLE, "a resource dictionary"), "a resource dictionary")
        return
    _note(reach, resources, "a resource dictionary")
    fonts = resources.get("/Font")
    if fonts is None and (stray := stray_key(resources, RESOURCE_KEYS, is_font_list)):
        _add(lines, f"a resource dictionary holds its fonts under {stray}, not /Font (a garbled key): "
                    "text in those fonts is lost")
    if fonts is not None and not isinstance(fonts, pikepdf.Dictionary):
        # A garbled font list's object parses as a number or a string: pikepdf hands over the
        # value, not the object, so qpdf's warning about it cannot be matched by number.
        reach.setdefault((_UNREADABLE, "a font list"), "a font list")
    if isinstance(fonts, pikepdf.Dictionary):
        _note(reach, fonts, "a font list")
        for name, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary):
                _add(lines, *_font(name, font, seen, settings))
                _font_parts(name, font, seen, reach)
            else:  # a font that is not a dictionary: its object did not parse (or is missing)
                reach.setdefault((_UNREADABLE, f"font {name}"), f"font {name}")
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        if xobjects is not None:  # as a garbled font list above
            reach.setdefault((_UNREADABLE, "a list of images and forms"), "a list of images and forms")
        return
    _note(reach, xobjects, "a list of images and forms")
    for name, xobject in xobjects.items():
        if not isinstance(xobject, pikepdf.Stream):
            reach.setdefault((_UNREADABLE, f"image or form {name}"), f"image or form {name}")
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            _note(reach, xobject, f"image {name}")
            _add(lines, _checked(xobject, f"image {name}", "the image is drawn wrong or in part", seen, settings,
                                 image=True, look=look))
        elif subtype == "/Form":
            key = _key(xobject)
            if key is not None and key in seen.forms:  # every page that draws it gets its damage
                for item in seen.forms[key]:
                    _add(lines, item.what, item.loses_content)
                for part, what in seen.parts.get(key, {}).items():
                    reach.setdefault(part, what)
                continue
            inside: list[PageDamage] = []
            used: _Reach = {}
            if key is not None:
                seen.forms[key] = inside
                seen.parts[key] = used
            _note(used, xobject, f"form {name}")
            _add(inside, _checked(xobject, f"form {name}", "what it draws stops or goes wrong there", seen, settings))
            _resources(xobject.get("/Resources"), inside, seen, settings, depth + 1, look, used)
            for item in inside:
                _add(lines, item.what, item.loses_content)
            for part, what in used.items():
                reach.setdefault(part, what)


def _font_parts(name: str, font, seen: _Seen, reach: _Reach) -> None:
    """Add to ``reach`` the font and the objects it is made of (its descendant fonts, descriptors,
    widths, encoding, ToUnicode map, program: every indirect value one level down), found once."""
    import pikepdf

    key = _key(font)
    if key is not None and key in seen.parts:
        for part, what in seen.parts[key].items():
            reach.setdefault(part, what)
        return
    used: _Reach = {}
    _note(used, font, f"font {name}")
    descendants = font.get("/DescendantFonts")
    holders = [font] + (list(descendants) if isinstance(descendants, pikepdf.Array) else [])
    for holder in holders:
        if not isinstance(holder, pikepdf.Dictionary):
            continue
        _note(used, holder, f"font {name}'s descendant font")
        for entry, value in holder.items():
            _part(used, entry, value, f"font {name}'s {entry}")
            if entry == "/FontDescriptor" and isinstance(value, pikepdf.Dictionary):
                for part_entry, part in value.items():
                    _part(used, part_entry, part, f"font {name}'s {part_entry}")
    if key is not None:
        seen.parts[key] = used
    for part, what in used.items():
        reach.setdefault(part, what)


def _font(name: str, font, seen: _Seen, settings: StreamDamageSettings) -> tuple[str | None, bool]:
    """(the font's damage in words or None, True when its text cannot be read)."""
    import pikepdf

    key = _key(font)
    if key is not None and key in seen.verdicts:
        verdict = seen.verdicts[key]
        return verdict, verdict is not None and _UNDECODABLE in verdict
    where = f"font {name}" + (f" (object {key[0]})" if key else "")
    verdict = None
    subtype = font.get("/Subtype")
    if subtype not in FONT_TYPES:
        # A readers' font class is chosen by /Subtype: an unknown one (a changed byte in
        # "/TrueType") is read as a bare font that ignores the /ToUnicode map.
        verdict = (f"{where}: its /Subtype {subtype} is not a font type (the dictionary is damaged): "
                   f"{_UNDECODABLE}")
    elif subtype == "/Type0" and "/Encoding" not in font:
        verdict = f"{where}: a composite font without its /Encoding (the dictionary is damaged): {_UNDECODABLE}"
    elif subtype == "/Type0" and not has_descendant(font):
        verdict = (f"{where}: a composite font without its descendant font (the dictionary is damaged): "
                   f"{_UNDECODABLE}")
    elif lost_widths(font, subtype):
        verdict = (f"{where}: its /Widths are missing (the dictionary is damaged): its glyphs' positions are "
                   "guessed, words may be merged or split")
    elif (part := misplaced_part(font)) is not None:
        verdict = (f"{where}: its {part} points at an object of another kind (the dictionary is damaged): "
                   "its text may be read or placed wrong")
    elif miscounted_widths(font, subtype):
        verdict = (f"{where}: its /Widths do not match its /FirstChar … /LastChar (the dictionary is damaged): "
                   "its glyphs' positions are wrong, words may be merged or split")
    else:
        descendants = font.get("/DescendantFonts")
        holders = [font] + (list(descendants) if isinstance(descendants, pikepdf.Array) else [])
        for holder in holders:
            descriptor = holder.get("/FontDescriptor") if isinstance(holder, pikepdf.Dictionary) else None
            if not isinstance(descriptor, pikepdf.Dictionary):
                continue
            for file_key in ("/FontFile", "/FontFile2", "/FontFile3"):
                program = descriptor.get(file_key)
                if isinstance(program, pikepdf.Stream) and verdict is None:
                    verdict = _checked(program, f"{where}: its program", "its glyphs may be drawn or measured wrong",
                                       seen, settings)
    if key is not None:
        seen.verdicts[key] = verdict
    return verdict, verdict is not None and _UNDECODABLE in verdict


# What a composite font without an /Encoding does to its text (also how its verdict is told apart).
_UNDECODABLE = "its text cannot be decoded"


def _key(obj) -> tuple[int, int] | None:
    return obj.objgen if obj.is_indirect else None


def _checked(stream, what: str, effect: str, seen: _Seen, settings: StreamDamageSettings,
             image: bool = False, look: bool = False) -> str | None:
    """``what``'s damage in words (``effect``: what it does to the page), None when sound; each
    object checked once. ``look``: an image on a scanned page, its decoded JPEG looked at too."""
    key = _key(stream)
    verdicts = seen.looked if look else seen.verdicts
    if key is not None and key in verdicts:
        return verdicts[key]
    try:
        problem = _stream_problem(stream, image, settings, look)
    except Exception:  # noqa: BLE001 - a stream pikepdf cannot even hand over: not ours to judge
        problem = None
    verdict = None
    if problem:
        where = f"{what} (object {key[0]})" if key else what
        verdict = f"{where} {problem}: {effect}"
    if key is not None:
        verdicts[key] = verdict
    return verdict


def _filters(stream) -> list[str]:
    import pikepdf

    chain = stream.get("/Filter")
    if isinstance(chain, pikepdf.Array):
        return [str(f) for f in chain]
    return [str(chain)] if chain is not None else []


def _stream_problem(stream, image: bool, settings: StreamDamageSettings, look: bool = False) -> str | None:
    """Why ``stream`` does not decode whole, or None. Only a stream whose filters are all checked
    here (Flate, DCT, none) is judged: another filter's data is left to the libraries. ``look``:
    a JPEG that decodes whole is looked at for visible damage too."""
    filters = _filters(stream)
    unknown = [f for f in filters if f not in PDF_FILTERS]
    if unknown:  # a filter name garbled by a changed byte: no reader can decode the data
        return f"names {unknown[0]} as its filter, which is no PDF filter: it cannot be decoded"
    raw = stream.read_raw_bytes()
    if filters == ["/FlateDecode"]:
        size, problem = _inflate(raw, settings)
        if problem:
            return problem
        return _short_image(stream, size) if image else None
    if not filters:
        return _short_image(stream, len(raw)) if image else None
    if filters == ["/DCTDecode"] and image:
        return _jpeg_problem(stream, raw, settings, look)
    return None


def _inflate(raw: bytes, settings: StreamDamageSettings) -> tuple[int, str | None]:
    """(bytes it inflates to, why it is not whole or None). zlib's own checks: a failing
    checksum, an invalid code, a stream that ends before its end-of-data mark. Inflated a piece
    at a time and not kept: a large image costs one piece of memory."""
    inflater = zlib.decompressobj()
    size = 0
    try:
        size += len(inflater.decompress(raw, settings.inflate_piece))
        while inflater.unconsumed_tail:
            size += len(inflater.decompress(inflater.unconsumed_tail, settings.inflate_piece))
        size += len(inflater.flush())
    except zlib.error as exc:
        return size, f"does not decompress whole ({str(exc)[:settings.message_chars]})"
    if not inflater.eof:
        return size, "is cut short: its compressed data ends before its end mark"
    return size, None


def _components(stream) -> int | None:
    """Colour components of an image's colour space; None when not simply known."""
    import pikepdf

    if stream.get("/ImageMask") is True:
        return 1
    space = stream.get("/ColorSpace")
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        family = str(space[0])
        if family == "/Indexed":
            return 1
        if family == "/ICCBased" and len(space) > 1 and isinstance(space[1], pikepdf.Stream):
            n = space[1].get("/N")
            return int(n) if isinstance(n, int) else None
        space = space[0]
    return {"/DeviceGray": 1, "/CalGray": 1, "/DeviceRGB": 3, "/CalRGB": 3, "/Lab": 3,
            "/DeviceCMYK": 4}.get(str(space)) if space is not None else None


def _short_image(stream, size: int) -> str | None:
    """Why an image's decoded data (``size`` bytes, before any predictor is undone) is too short
    for its dictionary's size, or None. A PNG predictor adds one byte a row."""
    width, height = stream.get("/Width"), stream.get("/Height")
    bits = stream.get("/BitsPerComponent", 1 if stream.get("/ImageMask") is True else None)
    components = _components(stream)
    if not all(isinstance(v, int) and v > 0 for v in (width, height, bits)) or components is None:
        return None
    row = (int(width) * components * int(bits) + 7) // 8
    expected = row * int(height)
    parms = stream.get("/DecodeParms")
    predictor = parms.get("/Predictor") if hasattr(parms, "get") else None
    if isinstance(predictor, int) and predictor >= 10:
        expected += int(height)
    if size < expected:
        return f"holds {size} of the {expected} bytes its {width}×{height} pixels need: cut short"
    return None


def _jpeg_problem(stream, raw: bytes, settings: StreamDamageSettings, look: bool = False) -> str | None:
    """Why a JPEG image does not decode whole, or None: libjpeg-turbo (simplejpeg, strict: its
    warnings, "premature end of data segment", "bad Huffman code", "extraneous bytes", are
    errors), or a size other than its dictionary's. Pillow and pdfium draw such an image without
    a word, its lower part gray or shifted. ``look``: the decoded image is then looked at for the
    marks of corrupted data no decoder reports (:func:`renjana.jpeg_damage.visible_damage`)."""
    import simplejpeg

    from renjana.jpeg_damage import mcu_size, visible_damage

    width, height = stream.get("/Width"), stream.get("/Height")
    try:
        rows, columns, colorspace, _ = simplejpeg.decode_jpeg_header(raw)
        if rows * columns > settings.max_jpeg_pixels:
            return None
        # One channel is all the check needs (less to convert); CMYK cannot be made gray.
        decoded = simplejpeg.decode_jpeg(raw, colorspace="CMYK" if colorspace == "CMYK" else "GRAY", strict=True,
                                         fastdct=True, fastupsample=True)
    except Exception as exc:  # noqa: BLE001 - simplejpeg's ValueError/RuntimeError for broken data
        return f"(a JPEG) does not decode whole ({str(exc)[:settings.message_chars]})"
    if isinstance(width, int) and isinstance(height, int) and (columns, rows) != (int(width), int(height)):
        return f"(a JPEG) decodes at {columns}×{rows} pixels, its dictionary says {width}×{height}"
    if look and colorspace != "CMYK":
        seen = visible_damage(decoded[:, :, 0], mcu_size(raw))
        if seen:
            return f"(a JPEG) {seen}; the text from there to the image's end may be missing or wrong"
    return None
