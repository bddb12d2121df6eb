"""What the PDF standard (ISO 32000-1) defines, for telling damage from a producer's choice.

A changed byte can turn a name the standard defines into one it does not — ``/Contents`` into
``/CoAtents``, ``cm`` into ``cÅ``, ``/TrueType`` into ``/Truesype``, ``/DCTDecode`` into
``/DCTDecodV`` — and the result is valid syntax: no library warns, every reader skips what it
does not know, and what the name held or did is lost without a word. These are the standard's
vocabularies (page and resource keys, content operators, filters, font types, the standard 14
fonts) and the small tests :mod:`renjana.stream_damage` makes with them. Nothing here opens a
file or words a note.
"""

from __future__ import annotations

__all__ = ["FONT_TYPES", "INVENTED_KEY", "OPERATORS", "PAGE_KEYS", "PDF_FILTERS", "RESOURCE_KEYS", "has_descendant",
           "inherited", "is_content", "is_font_list", "is_resources", "lost_widths", "misplaced_part", "miscounted_widths", "stray_key",
           "unknown_operators"]

# The keys qpdf invents for values whose key was garbled ("/QPDFFake1", …).
INVENTED_KEY = "/QPDFFake"

# The keys a page dictionary and a resource dictionary may hold (ISO 32000-1, tables 30 and 33;
# ISO 32000-2 adds /AF, /OutputIntents, /DPart). A key outside these that holds what a missing
# standard key would (content streams where /Contents is missing) is that key, garbled: a key
# renamed by a changed byte is valid syntax, so no library warns, and every reader sees nothing.
PAGE_KEYS = frozenset({
    "/Type", "/Parent", "/LastModified", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
    "/ArtBox", "/BoxColorInfo", "/Contents", "/Rotate", "/Group", "/Thumb", "/B", "/Dur", "/Trans",
    "/Annots", "/AA", "/Metadata", "/PieceInfo", "/StructParents", "/ID", "/PZ", "/SeparationInfo",
    "/Tabs", "/TemplateInstantiated", "/PresSteps", "/UserUnit", "/VP", "/AF", "/OutputIntents", "/DPart"})
RESOURCE_KEYS = frozenset({"/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font",
                            "/ProcSet", "/Properties"})

# The content stream operators (ISO 32000-1, annex A); any other inside BX … EX is allowed.
OPERATORS = frozenset(
    b"b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J K k "
    b"l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* "
    b"y ' \"".split())


def unknown_operators(page) -> list[str]:
    """The operators of the page's content the standard does not define, outside BX … EX
    (latin-1 text, in order): a changed byte turns ``cm`` into ``cÅ``, and what it placed is
    drawn nowhere; every library skips an unknown operator without a word. Empty when qpdf
    cannot tokenize the content (the other checks say so)."""
    import pikepdf

    try:
        instructions = pikepdf.parse_content_stream(page)
    except Exception:  # noqa: BLE001 - content qpdf cannot tokenize
        return []
    unknown, depth = [], 0
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        op = instruction.operator.unparse()
        depth += (op == b"BX") - (op == b"EX")
        if op not in OPERATORS and depth <= 0:
            unknown.append(op.decode("latin-1"))
    return unknown


def stray_key(holder, standard: frozenset[str], looks_right) -> str | None:
    """The first key of ``holder`` that is not one of ``standard`` (nor one qpdf invented,
    :data:`INVENTED_KEY`) and whose value ``looks_right`` (what a missing standard key would
    hold), else None."""
    for key in holder.keys():
        if key not in standard and not key.startswith(INVENTED_KEY):
            try:
                if looks_right(holder.get(key)):
                    return key
            except Exception:  # noqa: BLE001 - a value pikepdf cannot hand over
                continue
    return None


def is_content(value) -> bool:
    """A content stream or a list of them (what /Contents holds)."""
    import pikepdf

    if isinstance(value, pikepdf.Array):
        return len(value) > 0 and all(isinstance(item, pikepdf.Stream) for item in value)
    return isinstance(value, pikepdf.Stream) and "/Subtype" not in value and "/Type" not in value


def is_resources(value) -> bool:
    """A dictionary holding a font or image list or a procedure set (what /Resources holds)."""
    import pikepdf

    return isinstance(value, pikepdf.Dictionary) and any(key in value for key in ("/Font", "/XObject", "/ProcSet"))


def is_font_list(value) -> bool:
    """A dictionary of font dictionaries (what a resource dictionary's /Font holds)."""
    import pikepdf

    return isinstance(value, pikepdf.Dictionary) and len(value) > 0 and all(
        isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font" for font in value.values())


def inherited(page, key: str, max_depth: int) -> bool:
    """Whether a page tree node above the page (at most ``max_depth`` up) holds ``key``
    (/Resources is inheritable)."""
    import pikepdf

    node = page.get("/Parent")
    for _ in range(max_depth):
        if not isinstance(node, pikepdf.Dictionary):
            return False
        if key in node:
            return True
        node = node.get("/Parent")
    return False


def lost_widths(font, subtype) -> bool:
    """A simple font (Type1, MMType1, TrueType) with a /FontDescriptor but no /Widths array: ISO
    32000-1 (9.6.2) requires the widths of every such font but the standard 14, which carry no
    descriptor, so the key was lost (deleted or garbled). Readers then guess each glyph's advance."""
    import pikepdf

    if subtype not in SIMPLE_FONT_TYPES or not isinstance(font.get("/FontDescriptor"), pikepdf.Dictionary):
        return False
    if str(font.get("/BaseFont", "")).lstrip("/") in STANDARD_14:
        return False  # a producer may give a standard font a descriptor: its widths are known
    return not isinstance(font.get("/Widths"), pikepdf.Array)


def miscounted_widths(font, subtype) -> bool:
    """A simple font whose /Widths array does not hold one width per code from /FirstChar to
    /LastChar (ISO 32000-1, 9.6.2, table 111): a changed byte in one of the three, and every
    width read from there on belongs to another glyph."""
    import pikepdf

    widths, first, last = font.get("/Widths"), font.get("/FirstChar"), font.get("/LastChar")
    if subtype not in SIMPLE_FONT_TYPES or not isinstance(widths, pikepdf.Array):
        return False
    if not isinstance(first, int) or not isinstance(last, int):
        return True
    return len(widths) != last - first + 1


def misplaced_part(font) -> str | None:
    """The key of a font part that holds an object of another kind than the standard gives it
    (ISO 32000-1, 9.6, 9.8, 9.10: /ToUnicode a stream, /FontDescriptor a dictionary): a changed
    digit in its reference points it at a neighbouring object. None when every part is of its kind."""
    import pikepdf

    if "/ToUnicode" in font and not isinstance(font.get("/ToUnicode"), (pikepdf.Stream, pikepdf.Name)):
        return "/ToUnicode"
    descriptor = font.get("/FontDescriptor")
    if descriptor is not None and (isinstance(descriptor, pikepdf.Stream) or not isinstance(descriptor, pikepdf.Dictionary)):
        return "/FontDescriptor"
    return None


def has_descendant(font) -> bool:
    """Whether a composite (Type0) font names its one descendant CIDFont dictionary (ISO
    32000-1, 9.7.6: /DescendantFonts, a one-element array): without it no code can be read."""
    import pikepdf

    descendants = font.get("/DescendantFonts")
    return (isinstance(descendants, pikepdf.Array) and len(descendants) == 1
            and isinstance(descendants[0], pikepdf.Dictionary))


# The standard 14 fonts (ISO 32000-1, 9.6.2.2), whose widths every reader knows.
STANDARD_14 = frozenset({
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Courier", "Courier-Bold", "Courier-Oblique",
    "Courier-BoldOblique", "Symbol", "ZapfDingbats"})

# The simple font types whose dictionary must hold /Widths when it has a /FontDescriptor.
SIMPLE_FONT_TYPES = frozenset({"/Type1", "/MMType1", "/TrueType"})

# The font types a font dictionary's /Subtype names (ISO 32000-1, 9.5 to 9.7).
FONT_TYPES = frozenset({"/Type0", "/Type1", "/MMType1", "/Type3", "/TrueType", "/CIDFontType0", "/CIDFontType2"})

# The standard filters (ISO 32000-1, 7.4, table 6) and the short names inline images use.
PDF_FILTERS = frozenset({
    "/ASCIIHexDecode", "/ASCII85Decode", "/LZWDecode", "/FlateDecode", "/RunLengthDecode", "/CCITTFaxDecode",
    "/JBIG2Decode", "/DCTDecode", "/JPXDecode", "/Crypt", "/AHx", "/A85", "/LZW", "/Fl", "/RL", "/CCF", "/DCT"})
