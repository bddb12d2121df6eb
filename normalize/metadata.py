"""Document metadata (region, province, dinas, year, title) from the cover, captions and headings.

- region: "Kabupaten X" / "Kota X" where X is a real kabupaten/kota (``regions``), never a phrase
  such as "Kota Dalam"; a provinsi agency's cover gives "Provinsi X".
- province: the provinsi of that region; a printed "Provinsi X" only when the region is unknown.
- dinas: the agency's name (Dinas / Badan / Sekretariat / …), ending where the name ends.
- year: the year the document plans or reports on, as its title states it ("Renja … Tahun 2023",
  a Renstra 2021–2026 → 2021), never a cited regulation's year ("Nomor 90 Tahun 2019").
"""

from __future__ import annotations

import re
from collections import Counter

from renjana import nomenclature
from renjana.models import DocumentMeta

from .regions import MAX_NAME_WORDS, known_prefix, province_name, province_of

# A region keyword and the words printed after it.
REGION_HEAD = re.compile(r"\b(KABUPATEN|KAB\.|KOTA|PRO[PV]INSI)\s+", re.IGNORECASE)
NAME_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# A cover line that is only a region: a name the list does not know yet is still taken from it.
COVER_REGION = re.compile(r"^(?:PEMERINTAH\s+|BUPATI\s+|WALIKOTA\s+|WALI KOTA\s+)?(KABUPATEN|KOTA)\s+([A-Z][A-Z ]{1,40})$")
# Where a region is named, and how much that place counts (the cover names its own region).
WEIGHT_COVER, WEIGHT_CAPTION, WEIGHT_BODY = 3, 2, 1
# The name is whole words: a word cut by "/" or a digit ("s/d Tahun", "Dinas X 2023") is no part of it.
DINAS = re.compile(r"\b(DINAS|Dinas|BADAN|Badan|SEKRETARIAT|Sekretariat|KANTOR|Kantor|INSPEKTORAT|Inspektorat|"
                   r"SATUAN|Satuan)\s+([A-Za-z ,&]+)(?![A-Za-z/\d])")
# Words that end a dinas name in running text.
DINAS_STOP = re.compile(r"\s+(kabupaten|kab\.|kota|provinsi|propinsi|pemerintah|tahun|yang|serta|pada|untuk|sebagai|jl|"
                        r"jalan|nomor|membangun|disusun|rencana|laporan|renja|renstra|bab|tabel)\b.*$",
                        re.IGNORECASE)
# Generic words for "an agency": not a name ("Satuan Kerja Perangkat Daerah" = any SKPD).
GENERIC_AGENCY = re.compile(r"^(satuan kerja|dinas terkait|dinas teknis|badan terkait|perangkat daerah)\b",
                            re.IGNORECASE)
# A cover name continues on the next line when one ends or the other starts with a connector, or
# the next line is a short fragment of the same capitals ("BADAN PERENCANAAN PEMBANGUNAN" /
# "DAERAH"); longer or numbered lines are headings of their own.
CONNECTORS = {"dan", "serta", "&", ","}
CONTINUATION_MAX_WORDS = 3
SMALL_WORDS = {"dan", "yang", "di", "ke", "dari", "untuk", "serta", "atau"}
YEAR = re.compile(r"\bTAHUN\s+(?:ANGGARAN\s+)?(20\d\d)\b", re.IGNORECASE)
# "Nomor 90 Tahun 2019", "No. 86 Tahun 2017", "Nomor 050-3708 Tahun 2020": a cited regulation.
CITED_YEAR = re.compile(r"\b(?:NOMOR|NO\.?)\s+\S+\s+TAHUN\s+(20\d\d)\b", re.IGNORECASE)
# A document title: the plan or report named before its year.
TITLE_YEAR = re.compile(r"\b(?:RENJA|RENCANA\s+KERJA|RENSTRA|RENCANA\s+STRATEGIS|RPJMD|RKPD|RKA|DPA|LKJIP|"
                        r"LAPORAN|RENCANA\s+PEMBANGUNAN|PERUBAHAN|ANGGARAN)\b[^.:;]{0,120}?\bTAHUN\s+"
                        r"(?:ANGGARAN\s+)?(20\d\d)\b", re.IGNORECASE)
TITLE = re.compile(r"((?:perubahan\s+)?(?:rencana kerja|renja)\b.*?tahun\s+(?:anggaran\s+)?20\d\d)", re.IGNORECASE)


def title_case(text: str) -> str:
    """"DINAS KOPERASI DAN USAHA MIKRO" → "Dinas Koperasi dan Usaha Mikro"."""
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in SMALL_WORDS else w[:1].upper() + w[1:].lower()
                    for i, w in enumerate(words))


def extract_metadata(cover: list[str], captions: list[str], body: list[str]) -> DocumentMeta:
    """``cover``: lines of the first page; ``captions``: table captions; ``body``: other text
    (one string per page). Fields that nothing states stay None."""
    meta = DocumentMeta()
    cover_text = " ".join(cover)
    meta.region, meta.province = _region(cover, cover_text, captions, body)
    meta.dinas = _dinas(cover, captions, body)
    meta.year = _year(cover_text, captions, body)
    title = TITLE.search(cover_text)
    meta.title = title_case(title.group(1)) if title else None
    return meta


# ----------------------------------------------------------------------------- region
def _region(cover: list[str], cover_text: str, captions: list[str],
            body: list[str]) -> tuple[str | None, str | None]:
    """(region, province)."""
    found: Counter = Counter()
    provinces: Counter = Counter()
    sources = [(cover_text, WEIGHT_COVER), *((c, WEIGHT_CAPTION) for c in captions),
               *((b, WEIGHT_BODY) for b in body)]
    for line in cover:  # a region the list does not know (yet), named alone on a cover line
        whole = COVER_REGION.match(line.strip())
        if whole and not _named_regions(line):
            found[(whole.group(1).lower(), title_case(whole.group(2)))] += WEIGHT_COVER
    for text, weight in sources:
        for kind, name in _named_regions(text):
            (provinces if kind == "provinsi" else found)[(kind, name)] += weight
    if found:
        (kind, name), _ = max(found.items(), key=lambda item: item[1])
        return f"{kind.title()} {name}", province_of(kind, name) or _printed_province(provinces)
    province = _printed_province(provinces)
    in_cover = any(kind == "provinsi" for kind, _ in _named_regions(cover_text))
    return (f"Provinsi {province}" if province and in_cover else None), province


def _named_regions(text: str) -> list[tuple[str, str]]:
    """Known regions named in ``text``: (kind, name as printed, title case); kind is
    "kabupaten", "kota" or "provinsi"."""
    out = []
    for m in REGION_HEAD.finditer(text):
        kind = m.group(1).lower().rstrip(".")
        kind = {"kab": "kabupaten", "propinsi": "provinsi"}.get(kind, kind)
        words = _leading_words(text[m.end():])
        n = known_prefix(kind, words)
        if n:
            out.append((kind, title_case(" ".join(words[:n]))))
    return out


def _leading_words(text: str) -> list[str]:
    """The name words at the start of ``text``, stopping at the first token that is not one."""
    words = []
    for token in text.split()[:MAX_NAME_WORDS]:
        if not NAME_WORD.fullmatch(token):
            break
        words.append(token)
    return words


def _printed_province(provinces: Counter) -> str | None:
    if not provinces:
        return None
    (_, name), _ = max(provinces.items(), key=lambda item: item[1])
    return province_name(name) or name


# ----------------------------------------------------------------------------- dinas
def _dinas(cover: list[str], captions: list[str], body: list[str]) -> str | None:
    candidates: Counter = Counter()
    for source, weight in ((name, 3) for name in _cover_names(cover)):
        candidates[_canonical(source)] += weight
    for source in (*captions, *body):
        for m in DINAS.finditer(source):
            name = _clean(m.group(0))
            if name:
                candidates[_canonical(name)] += 1
    if not candidates:
        return None
    # Spellings that differ only in commas are one name; the official one lists with commas.
    by_letters: dict[str, list[str]] = {}
    for name in candidates:
        by_letters.setdefault(re.sub(r"[^a-z]", "", name), []).append(name)
    best_group = max(by_letters.values(), key=lambda names: (sum(candidates[n] for n in names), len(names[0])))
    best = max(best_group, key=lambda n: (n.count(","), candidates[n]))
    return title_case(complete_enumeration(best))


def _cover_names(cover: list[str]) -> list[str]:
    """Agency names on the cover, each followed onto the next lines while it continues there."""
    names = []
    lines = [" ".join(line.split()) for line in cover]
    for i, line in enumerate(lines):
        m = DINAS.search(line)
        if not m:
            continue
        text = line[m.start():]
        for nxt in lines[i + 1:]:
            head = _name_part(nxt)
            if not head or not _continues(text, nxt, head):
                break
            text = f"{text} {head}"
            if head != nxt:
                break  # the name ended inside that line
        name = _clean(text)
        if name:
            names.append(name)
    return names


def _name_part(line: str) -> str:
    """The start of a cover line that can still belong to a name: up to a stop word or a digit."""
    head = DINAS_STOP.sub("", " " + line).strip()
    return re.split(r"\s*\d", head, maxsplit=1)[0].strip()


def _continues(text: str, nxt: str, head: str) -> bool:
    words = head.split()
    if DINAS.match(nxt):
        return False
    last = text.rstrip()
    ends_open = last.endswith(",") or last.split()[-1].lower() in CONNECTORS
    if ends_open or words[0].lower() in CONNECTORS:
        return True
    same_case = head.isupper() == text.isupper()
    return same_case and len(words) <= CONTINUATION_MAX_WORDS


def _clean(text: str) -> str | None:
    """The agency name at the start of ``text``, or None when it is no name."""
    m = DINAS.match(text)
    if not m:
        return None
    name = DINAS_STOP.sub("", m.group(0)).strip(" ,&")
    rest = name.split(None, 1)[1] if len(name.split()) >= 2 else ""
    if not rest or GENERIC_AGENCY.match(name):
        return None
    return name


def complete_enumeration(name: str) -> str:
    """An agency named by a list of government affairs ("Dinas Koperasi, Usaha Mikro, Perdagangan
    dan Perindustrian") written with its list commas, when the print uses them but dropped one:
    a comma goes before each word that starts an affair's name (a bidang of the nomenclature) and
    follows a word with no comma and no "dan". A name printed without any comma is left alone."""
    if "," not in name:
        return name
    starts = _affair_starts()
    words = name.split()
    out = [words[0]]
    for i, word in enumerate(words[1:], start=1):
        prev = out[-1]
        if (i > 1 and word.lower() in starts and not prev.endswith(",")
                and prev.lower() not in CONNECTORS):
            out[-1] = prev + ","
        out.append(word)
    return " ".join(out)


_AFFAIRS: set[str] | None = None


def _affair_starts() -> set[str]:
    """First words of the bidang urusan names ("perdagangan", "koperasi", "kepemudaan", …)."""
    global _AFFAIRS
    if _AFFAIRS is None:
        prefix = "URUSAN PEMERINTAHAN BIDANG "
        _AFFAIRS = {e.nama[len(prefix):].split()[0].strip(",").lower()
                    for e in nomenclature.entries() if e.level == "bidang" and e.nama.startswith(prefix)}
    return _AFFAIRS


def _canonical(name: str) -> str:
    return " ".join(name.replace(" ,", ",").split()).lower()


# ----------------------------------------------------------------------------- year
def _year(cover_text: str, captions: list[str], body: list[str]) -> int | None:
    """The title's year; else the most named year of the cover and first caption; else of all
    the text. Years of cited regulations never count."""
    title = TITLE_YEAR.search(_uncited(cover_text))
    if title:
        return int(title.group(1))
    for texts in ([cover_text, *captions[:1]], [cover_text, *captions, *body]):
        years = Counter(int(y) for text in texts for y in YEAR.findall(_uncited(text)))
        if years:
            return years.most_common(1)[0][0]
    return None


def _uncited(text: str) -> str:
    """``text`` with the "Nomor … Tahun YYYY" of cited regulations blanked out."""
    return CITED_YEAR.sub(" ", text)
