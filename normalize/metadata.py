"""Document metadata (region, province, dinas, year, title) from the cover, captions and headings."""

from __future__ import annotations

import re
from collections import Counter

from renjana.models import DocumentMeta

REGION = re.compile(r"\b(KABUPATEN|KOTA)\s+([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)", re.IGNORECASE)
PROVINCE = re.compile(r"\bPRO[PV]INSI\s+([A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)?)", re.IGNORECASE)
DINAS = re.compile(r"\b(DINAS|BADAN|SEKRETARIAT|KANTOR|INSPEKTORAT|SATUAN)\s+([A-Za-z ,]+)", re.IGNORECASE)
TITLE = re.compile(r"((?:perubahan\s+)?(?:rencana kerja|renja)\b.*?tahun\s+(?:anggaran\s+)?20\d\d)", re.IGNORECASE)
COVER_REGION = re.compile(r"^(?:PEMERINTAH\s+|BUPATI\s+|WALIKOTA\s+|WALI KOTA\s+)?(KABUPATEN|KOTA)\s+([A-Z][A-Z ]{1,40})$")
COVER_PROVINCE = re.compile(r"^PRO[PV]INSI\s+([A-Z][A-Z ]{1,40})$")
YEAR = re.compile(r"\bTAHUN\s+(?:ANGGARAN\s+)?(20\d\d)\b", re.IGNORECASE)
# Words that end a dinas name in running text.
DINAS_STOP = re.compile(r"\s+(kabupaten|kota|provinsi|propinsi|tahun|yang|serta|pada|untuk|sebagai|jl|nomor|membangun)\b.*$",
                        re.IGNORECASE)
SMALL_WORDS = {"dan", "yang", "di", "ke", "dari", "untuk", "serta", "atau"}
# Words after a region name that are not part of it.
NOT_REGION = {"tahun", "yang", "dan", "provinsi", "propinsi", "nomor", "serta", "jl", "pada"}
# Known kab/kota → province, for documents that never print their province (extend as needed).
PROVINCE_OF_REGION = {"probolinggo": "Jawa Timur", "malang": "Jawa Timur", "surabaya": "Jawa Timur"}


def title_case(text: str) -> str:
    words = text.split()
    return " ".join(w.lower() if i and w.lower() in SMALL_WORDS else w[:1].upper() + w[1:].lower()
                    for i, w in enumerate(words))


def extract_metadata(cover: list[str], captions: list[str], body: list[str]) -> DocumentMeta:
    """``cover``: lines of the first page; ``captions``: table captions; ``body``: other text."""
    everything = cover + captions + body
    meta = DocumentMeta()
    # A cover line that is only the region or the province names it whole, however many words.
    for line in cover:
        whole = COVER_REGION.match(line.strip())
        if whole and not meta.region:
            meta.region = f"{whole.group(1).title()} {title_case(whole.group(2))}"
        whole = COVER_PROVINCE.match(line.strip())
        if whole and not meta.province:
            meta.province = title_case(whole.group(1))
    regions = Counter()
    for line in everything:
        for kind, name in REGION.findall(line):
            words = [w for w in name.split() if w.lower() not in NOT_REGION][:2]
            if words and words[0].lower() not in NOT_REGION:
                regions[f"{kind.title()} {' '.join(w.title() for w in words[:1])}"] += 1
    if regions and not meta.region:
        meta.region = regions.most_common(1)[0][0]
    provinces = Counter(title_case(m) for line in everything for m in PROVINCE.findall(line))
    if provinces and not meta.province:
        meta.province = provinces.most_common(1)[0][0]
    elif meta.region and not meta.province:
        meta.province = PROVINCE_OF_REGION.get(meta.region.split()[-1].lower())
    meta.dinas = _dinas(cover, captions, body)
    years = Counter(int(y) for line in cover + captions[:1] for y in YEAR.findall(line))
    if not years:
        years = Counter(int(y) for line in everything for y in YEAR.findall(line))
    if years:
        meta.year = years.most_common(1)[0][0]
    title = TITLE.search(" ".join(cover))
    meta.title = title_case(title.group(1)) if title else None
    return meta


def _dinas(cover: list[str], captions: list[str], body: list[str]) -> str | None:
    # The cover prints the name in capitals, often over two lines: join the cover into one text.
    candidates: Counter = Counter()
    for source, weight in ((" ".join(cover), 3), *((c, 1) for c in captions), *((b, 1) for b in body)):
        for m in DINAS.finditer(source):
            name = DINAS_STOP.sub("", m.group(0)).strip(" ,")
            if len(name.split()) >= 2:
                candidates[_canonical(name)] += weight
    if not candidates:
        return None
    # Spellings that differ only in commas are one name; the official one lists with commas.
    by_letters: dict[str, list[str]] = {}
    for name in candidates:
        by_letters.setdefault(re.sub(r"[^a-z]", "", name), []).append(name)
    best_group = max(by_letters.values(), key=lambda names: (sum(candidates[n] for n in names), len(names[0])))
    return title_case(max(best_group, key=lambda n: (n.count(","), candidates[n])))


def _canonical(name: str) -> str:
    return " ".join(name.replace(" ,", ",").split()).lower()
