"""Batch safety: every input accounted for in the manifest, outputs complete or absent, resumable,
readable by others; plain-language errors; damaged files never silently short.

Fast processing functions below are injected into the workers (module level: the "spawn" workers
import them by name); the other tests run the real pipeline on PDFs drawn by tests/pdfgen.py.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import pdfgen as g
from renjana.manifest import MANIFEST_NAME, STAGING_DIR, OutputError, OutputStore
from renjana.models import DocumentMeta, DocumentResult, Source
from renjana.preflight import InputError, sniff
from renjana.runner import RunSettings, run_files

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import batch_checks  # noqa: E402
from damage import damaged_copies  # noqa: E402

BAD_INPUTS = REPO.parent / "shared" / "tools" / "bad_inputs.py"
# The bad inputs the test runs besides every ``error`` one (those cost no extraction): one per
# mechanism (repairs, loops, names, duplicates, no pages, scans), to keep the suite quick; the
# benchmark script benchmarks/batch_safety.py runs the whole folder, --large included.
TESTED_BAD_INPUTS = (
    "valid_table.pdf", "duplicate_of_valid_table.pdf", "xref_wrong_offsets.pdf",
    "http_headers_before_pdf.pdf", "truncated_50pct.pdf", "zero_pages.pdf", "page_tree_cycle.pdf",
    "xref_prev_loop.pdf", "deep_nesting.pdf", "image_only_scan.pdf", "RENJA_DINAS_KESEHATAN_2025.PDF",
    os.fsdecode(b"renja_caf\xe9_\x96_2024_\xff.pdf"), "no_tounicode_type3.pdf", "no_tounicode_cidfont.pdf",
)


def _pending_bad_inputs() -> tuple[str, ...]:
    """Files whose expectation needs what this machine may lack. Fonts without a Unicode map
    are read by glyph maps (extract/ocr/glyphmap.py), which need Tesseract; the seven-segment
    digits of ``no_tounicode_type3.pdf`` are read surely only with RapidOCR beside it (Tesseract
    alone reads 4 of its 12 glyph shapes surely and flags the cells of the others unreadable,
    which EXPECT.json accepts but its ``must_contain`` cannot see)."""
    from renjana.extract.ocr import ocr_missing
    from renjana.extract.ocr.check import check_missing

    if ocr_missing():
        return ("no_tounicode_type3.pdf", "no_tounicode_cidfont.pdf")
    return ("no_tounicode_type3.pdf",) if check_missing() else ()


PENDING_BAD_INPUTS = _pending_bad_inputs()


# --------------------------------------------------------------------------- helpers
def same_office(path: Path) -> DocumentResult:
    """Every input as the same office and year, so all outputs aim at one folder and stem; a
    file holding ``boom`` fails."""
    data = path.read_bytes()
    if b"boom" in data:
        raise ValueError("boom inside")
    import hashlib

    return DocumentResult(source=Source(file=path.name, sha256=hashlib.sha256(data).hexdigest(), pages=1),
                          document=DocumentMeta(region="Kota Batu", dinas="Dinas Sosial", year=2024))


def slow_document(path: Path) -> DocumentResult:
    """A document that takes half a second: a batch of them can be killed in the middle."""
    time.sleep(0.5)
    return same_office(path)


def drawn_pdf(path: Path) -> Path:
    builder = g.PdfBuilder(path)
    builder.table(g.evaluasi_spec())
    builder.save()
    return path


def records(out: Path) -> dict[str, dict]:
    return {r["name"]: r for r in batch_checks.manifest(out)}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> Path:
    return drawn_pdf(tmp_path_factory.mktemp("drawn") / "drawn.pdf")


# --------------------------------------------------------------------------- preflight
@pytest.mark.parametrize("head, words", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG image"),
    (b"<!DOCTYPE html><html><!-- %PDF-1.4 --><body>404</body></html>", "HTML page"),
    (b"Laporan kinerja tahun 2024\nbaris dua\n", "text file"),
])
def test_not_a_pdf_says_what_it_is(tmp_path: Path, head: bytes, words: str):
    path = tmp_path / "x.pdf"
    path.write_bytes(head)
    with pytest.raises(InputError, match=words):
        sniff(path)


def test_word_file_named_pdf(tmp_path: Path):
    path = tmp_path / "x.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(InputError, match="Word document"):
        sniff(path)


def test_pdf_behind_http_headers_and_truncated_pdf(tmp_path: Path, drawn: Path):
    body = drawn.read_bytes()
    headers = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n"
    (tmp_path / "h.pdf").write_bytes(headers + body)
    assert sniff(tmp_path / "h.pdf").offset == len(headers)
    (tmp_path / "t.pdf").write_bytes(body[: len(body) // 2])
    assert sniff(tmp_path / "t.pdf").truncated


def test_junk_after_the_end_marker_is_not_truncation(tmp_path: Path, drawn: Path):
    """Bytes a server or a copy added after a complete file (zeros, newlines, junk, past the
    tail sniff reads) leave it whole; an update cut off after the first end marker does not."""
    body = drawn.read_bytes()
    for name, tail in (("zeros", bytes(8192)), ("newlines", b"\n" * 4096), ("junk", bytes(range(256)) * 16)):
        (tmp_path / f"{name}.pdf").write_bytes(body + tail)
        assert not sniff(tmp_path / f"{name}.pdf").truncated, name
    update = b"\n9 0 obj\n<< /Producer (update) >>\nendobj\n" + b" " * 4096 + b"\nxref\n0 1\n"
    (tmp_path / "update.pdf").write_bytes(body + update)
    assert sniff(tmp_path / "update.pdf").truncated


# --------------------------------------------------------------------------- outputs
def test_quick_content_check_agrees_with_the_full_check(tmp_path: Path, drawn: Path):
    """content_damage skips pikepdf's check_pdf_syntax for a file qpdf's own check finds clean:
    on damaged copies the two checks call the same files clean, and a copy with findings still
    gets the full check's messages."""
    import pikepdf

    from renjana.preflight import _qpdf_finds_nothing, content_damage

    copies = [drawn] + [c for c, _, _ in damaged_copies([drawn], 24, seed=5, out=tmp_path / "in")]
    with_messages = 0
    for path in copies:
        try:
            with pikepdf.open(path) as pdf:
                full = pdf.check_pdf_syntax()
        except Exception:  # noqa: BLE001 - qpdf cannot open it: the quick check fails too
            full = ["cannot open"]
        assert _qpdf_finds_nothing(path) == (not full), path.name
        damage = content_damage(path)
        with_messages += bool(damage.messages)
        if not full:
            assert damage.opened and not damage.messages and not damage.pages
    assert with_messages  # some copies are damaged in their content, and say so


def test_same_name_inputs_keep_both_outputs_and_rerun_is_stable(tmp_path: Path):
    for folder, text in (("a", b"%PDF-1.4 first"), ("b", b"%PDF-1.4 second"), ("c", b"%PDF-1.4 first")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "renja.pdf").write_bytes(text)
    inputs = [tmp_path / f / "renja.pdf" for f in "abc"]
    out = tmp_path / "out"
    report = run_files(inputs, out, RunSettings(process=same_office))
    outputs = [r.summary.outputs[0] for r in report.results]
    assert len(set(outputs)) == 3, outputs  # same name, different or equal content: three files
    assert [json.loads(Path(o).read_text())["source"]["file"] for o in outputs] == ["renja.pdf"] * 3
    again = run_files(inputs, out, RunSettings(process=same_office), force=True)
    assert [r.summary.outputs[0] for r in again.results] == outputs
    assert batch_checks.check_integrity(out) == []


def test_clashing_names_carry_the_hash_once_and_ids_stay_unique(tmp_path: Path):
    """Four inputs named renja.pdf for one folder: the first keeps ``renja``; another PDF gets
    ``renja-<sha12>`` (its id); the same PDF again gets ``renja-<sha12>-2`` (``renja-<sha12>`` is
    the first's id) and a third time ``-3``: never a hash twice. Every JSON and manifest record
    holds the document's id, each unique, and a rerun keeps every name."""
    import hashlib

    contents = [b"%PDF-1.4 first", b"%PDF-1.4 second", b"%PDF-1.4 first", b"%PDF-1.4 first"]
    inputs = []
    for folder, text in zip("abcd", contents):
        (tmp_path / folder).mkdir()
        inputs.append(tmp_path / folder / "renja.pdf")
        inputs[-1].write_bytes(text)
    first, second = (hashlib.sha256(c).hexdigest()[:12] for c in contents[:2])
    out = tmp_path / "out"
    report = run_files(inputs, out, RunSettings(process=same_office))
    stems = [Path(r.summary.outputs[0]).stem for r in report.results]
    assert stems == ["renja", f"renja-{second}", f"renja-{first}-2", f"renja-{first}-3"]
    ids = [json.loads(Path(r.summary.outputs[0]).read_text())["document_id"] for r in report.results]
    assert ids == [f"renja-{first}", f"renja-{second}", f"renja-{first}-2", f"renja-{first}-3"]
    assert sorted(r["document_id"] for r in batch_checks.manifest(out)) == sorted(ids)
    again = run_files(inputs, out, RunSettings(process=same_office), force=True)
    assert [r.summary.outputs[0] for r in again.results] == [r.summary.outputs[0] for r in report.results]
    assert batch_checks.check_integrity(out) == []


def test_outputs_follow_the_umask(tmp_path: Path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 a")
    old = os.umask(0o027)
    try:
        report = run_files([tmp_path / "a.pdf"], tmp_path / "out", RunSettings(process=same_office))
    finally:
        os.umask(old)
    for output in report.results[0].summary.outputs:
        assert stat.S_IMODE(os.stat(output).st_mode) == 0o640, output
    assert stat.S_IMODE(os.stat(tmp_path / "out" / MANIFEST_NAME).st_mode) == 0o640


def _two_inputs_done(tmp_path: Path) -> tuple[Path, Path, Path, list[Path]]:
    """a.pdf and b.pdf run once into tmp_path/out: (a, b, out, a's outputs)."""
    path, other = tmp_path / "a.pdf", tmp_path / "b.pdf"
    path.write_bytes(b"%PDF-1.4 fine")
    other.write_bytes(b"%PDF-1.4 other")
    out = tmp_path / "out"
    first = run_files([path, other], out, RunSettings(process=same_office))
    return path, other, out, [Path(p) for p in first.results[0].summary.outputs]


def test_failure_on_rerun_removes_old_outputs_and_resume_skips_done(tmp_path: Path):
    path, other, out, old = _two_inputs_done(tmp_path)
    assert all(p.exists() for p in old)
    path.write_bytes(b"%PDF-1.4 boom")
    second = run_files([path, other], out, RunSettings(process=same_office))
    failed, skipped = second.results
    assert failed.status == "failed" and not any(p.exists() for p in old)
    assert skipped.skipped and skipped.status == "ok"
    assert records(out)["a.pdf"]["outputs"] == [] and records(out)["a.pdf"]["reason"] == "ValueError: boom inside"


def test_a_write_error_fails_its_file_alone(tmp_path: Path, monkeypatch):
    """A document whose files cannot be moved into place (a folder made read-only, a full disk)
    fails with the path named; its earlier outputs go, the batch goes on, nothing is left over,
    and the next run redoes it. (Tests run as root, which writes anywhere: the move fails here.)"""
    path, other, out, old = _two_inputs_done(tmp_path)
    assert len(old) > 1 and all(p.exists() for p in old)
    real_replace = os.replace

    def refuse_a_json(src, dst, *args, **kwargs):  # the JSON moves last: a's Parquet parts are new by then
        if Path(dst).name == "a.json":
            raise PermissionError(13, "Permission denied", str(src), None, str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse_a_json)
    second = run_files([path, other], out, RunSettings(process=same_office), force=True)
    monkeypatch.setattr(os, "replace", real_replace)
    failed, fine = second.results
    target = next(p for p in old if p.name == "a.json")
    assert failed.status == "failed" and not failed.ok
    assert failed.failure == f"its outputs could not be written to {target}: Permission denied"
    assert not any(p.exists() for p in old)  # neither the old files nor the half-moved new ones
    assert fine.ok and all(Path(p).exists() for p in fine.summary.outputs)
    record = records(out)["a.pdf"]
    assert record["status"] == "failed" and record["outputs"] == [] and record["reason"] == failed.failure
    assert not any((out / STAGING_DIR).iterdir()) if (out / STAGING_DIR).exists() else True
    lines = [json.loads(line) for line in (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]
    for i, line in enumerate(lines):  # every move announced is closed by its input's record
        assert "pending" not in line or any(later.get("path") == line["pending"] for later in lines[i + 1:])
    assert batch_checks.check_integrity(out) == []
    third = run_files([path, other], out, RunSettings(process=same_office))
    assert third.results[0].ok and not third.results[0].skipped and third.results[1].skipped


def test_long_input_names_get_output_names_that_fit(tmp_path: Path, drawn: Path):
    """A 240-character name (and another sharing its first 200): each output name fits a file
    name (255 bytes), keeps ``-<sha12>`` where cut, the two stay apart, and the original name
    stays in the JSON and the manifest."""
    names = ["Renja " + "Dinas Pekerjaan Umum dan Penataan Ruang " * 6, "Renja " + "Dinas Pekerjaan Umum " * 10]
    names = [(n[:200] if i else n)[:236].ljust(236, "x") + ".pdf" for i, n in enumerate(names)]
    names[1] = names[0][:200] + "Kabupaten Sleman".ljust(36, "y") + ".pdf"
    paths = []
    for name in names:
        assert len(name) == 240
        paths.append(tmp_path / name)
        paths[-1].write_bytes(drawn.read_bytes())
    out = tmp_path / "out"
    report = run_files(paths, out, RunSettings())
    assert [r.status for r in report.results] == ["ok", "ok"], [r.failure for r in report.results]
    outputs = [o for r in report.results for o in r.summary.outputs]
    assert len(set(outputs)) == len(outputs)
    every = [p for p in out.rglob("*") if p.is_file()]
    assert all(len(p.name.encode()) <= 255 for p in every)
    sha12 = report.results[0].sha256[:12]
    jsons = [Path(r.summary.outputs[0]) for r in report.results]
    assert all(f"-{sha12}" in p.stem for p in jsons)
    assert [json.loads(p.read_text(encoding="utf-8"))["source"]["file"] for p in jsons] == names
    assert sorted(records(out)) == sorted(names)
    assert batch_checks.check_integrity(out) == []


def test_leftovers_of_a_killed_commit_are_cleaned(tmp_path: Path):
    out = tmp_path / "out"
    (out / STAGING_DIR / "x").mkdir(parents=True)
    (out / STAGING_DIR / "x" / "half.json").write_text("{")
    half = out / "r" / "d" / "2024" / "half.parquet"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"PAR1")
    (out / MANIFEST_NAME).write_text(json.dumps({"pending": "/in/half.pdf", "outputs": ["r/d/2024/half.parquet"]})
                                     + "\n" + '{"path": "/in/cut', encoding="utf-8")
    with OutputStore(out):
        pass
    assert not half.exists() and not (out / STAGING_DIR).exists()


def test_output_folder_checked_before_any_pdf(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot be used"):
        run_files([tmp_path / "never-opened.pdf"], blocker / "out", RunSettings(process=same_office))


def test_an_output_folder_that_is_a_file_says_so(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="cannot be used: it is a file, not a folder"):
        run_files([tmp_path / "never-opened.pdf"], blocker, RunSettings(process=same_office))


# --------------------------------------------------------------------------- real pipeline
def test_non_utf8_name(tmp_path: Path, drawn: Path):
    name = os.fsdecode(b"renja_caf\xe9_\xff.pdf")
    path = tmp_path / name
    path.write_bytes(drawn.read_bytes())
    report = run_files([path], tmp_path / "out", RunSettings(workers=1))
    [result] = report.results
    assert result.status == "ok", result.failure
    doc = json.loads(Path(result.summary.outputs[0]).read_text(encoding="utf-8"))
    assert doc["source"]["file"] == "renja_caf\\xe9_\\xff.pdf" and doc["tables"]
    record = records(tmp_path / "out")["renja_caf\\xe9_\\xff.pdf"]
    assert bytes.fromhex(record["path_hex"]) == os.fsencode(path.absolute())
    Path(result.summary.outputs[0]).name.encode("utf-8")  # the output name itself is valid UTF-8


def test_fuzz_damaged_copies_are_complete_or_say_what_was_lost(tmp_path: Path, drawn: Path):
    copies = damaged_copies([drawn], 24, seed=11, out=tmp_path / "in")
    original = tmp_path / "in" / "zz-original.pdf"
    original.write_bytes(drawn.read_bytes())
    out = tmp_path / "out"
    report = run_files([c for c, _, _ in copies] + [original], out, RunSettings(workers=2, timeout_s=60))
    assert len(report.results) == len(copies) + 1 and not report.interrupted
    by_name = records(out)
    assert len(by_name) == len(copies) + 1
    assert all(r["reason"] for r in by_name.values() if r["status"] != "ok")
    reference = batch_checks.cells(out, by_name["zz-original.pdf"])
    assert "1.234.567,89" in reference
    problems, counts = batch_checks.silent_losses(out, {"o": reference},
                                                  {c.name: "o" for c, _, _ in copies})
    assert problems == [], counts
    assert batch_checks.check_integrity(out) == []


def test_kill_9_then_resume(tmp_path: Path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    names = [f"doc{i}.pdf" for i in range(10)]
    for name in names:
        (inputs / name).write_bytes(b"%PDF-1.4 " + name.encode())
    out = tmp_path / "out"
    driver = (f"import sys; sys.path[:0] = [{str(REPO / 'tests')!r}]\n"
              "from pathlib import Path\n"
              "from renjana.runner import RunSettings, run_files\n"
              "if __name__ == '__main__':\n"
              f"    run_files(sorted(Path({str(inputs)!r}).iterdir()), Path({str(out)!r}),\n"
              "              RunSettings(process='test_batch:slow_document', workers=2))\n")
    (tmp_path / "driver.py").write_text(driver)
    command = [sys.executable, str(tmp_path / "driver.py")]
    batch = subprocess.Popen(command)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(batch_checks.manifest(out)) < 3 and time.monotonic() < deadline and batch.poll() is None:
        workers |= batch_checks.children(batch.pid)
        time.sleep(0.02)
    workers |= batch_checks.children(batch.pid)
    assert batch.poll() is None, "the batch ended before it could be killed"
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    killed_at = time.monotonic()
    done_before = {r["name"]: r for r in batch_checks.manifest(out)}
    assert workers and 3 <= len(done_before) < len(names)
    while any(batch_checks.alive(pid) for pid in workers) and time.monotonic() - killed_at < 5:
        time.sleep(0.02)
    assert not any(batch_checks.alive(pid) for pid in workers)
    subprocess.run(command, check=True, timeout=300)
    after = records(out)
    assert sorted(after) == names
    assert all(after[name] == record for name, record in done_before.items())  # not redone
    assert batch_checks.check_integrity(out) == []


@pytest.mark.skipif(not BAD_INPUTS.exists(), reason="../shared/tools/bad_inputs.py not present")
def test_bad_inputs_meet_their_expectations(tmp_path: Path):
    bad = tmp_path / "bad"
    made = subprocess.run([sys.executable, str(BAD_INPUTS), str(bad), "--no-observe"],
                          capture_output=True, text=True, timeout=120)
    if made.returncode != 0:
        pytest.skip(f"bad_inputs.py could not run: {made.stderr[-300:]}")
    expect = json.loads((bad / "EXPECT.json").read_text(encoding="utf-8"))["files"]
    tested = {e["name"] for e in expect if e["expect"] == "error" or e["name"] in TESTED_BAD_INPUTS}
    skip = tuple(e["name"] for e in expect if e["name"] not in tested or e["name"] in PENDING_BAD_INPUTS)
    pdfs = sorted(bad / name for name in tested if name not in skip)
    assert len(pdfs) >= 20
    out = tmp_path / "out"
    report = run_files(pdfs, out, RunSettings(workers=2, timeout_s=60))
    assert len(report.results) == len(pdfs)
    problems, _ = batch_checks.check_expect(bad, out, skip=skip)
    assert problems == []
    assert not (tmp_path / "pwned.sh").exists() and not Path("/tmp/pwned.sh").exists()
    assert batch_checks.check_integrity(out) == []


def test_isolated_entry_point_and_client_side_commit(tmp_path: Path):
    """The per-file entry point another scheduler calls: a child process with limits, then the
    client moves the staged files into place and writes the record."""
    from renjana.runner import outcome_record, run_isolated

    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4 a")
    with OutputStore(tmp_path / "out") as store:
        staging = store.staging_dir()
        outcome = run_isolated(path, staging, RunSettings(process=same_office))
        assert outcome.status == "ok" and outcome.summary.outputs
        record = store.commit(path, outcome_record(path, "ab" * 32, outcome, 1.0), staging)
    assert record["status"] == "ok" and (tmp_path / "out" / record["outputs"][0]).is_file()
    assert not staging.exists() and batch_checks.check_integrity(tmp_path / "out") == []


def needs_ocr_document(path: Path) -> DocumentResult:
    """A document whose only page was not read: it needs OCR."""
    import hashlib

    from renjana.models import UnreadPage

    return DocumentResult(source=Source(file=path.name, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                                        pages=1, unread_pages=[UnreadPage(page=1, status="needs-ocr",
                                                                          reason="no text layer")]),
                          document=DocumentMeta(region="Kota Batu", dinas="Dinas Sosial", year=2024))


def test_a_needs_ocr_output_is_redone_once_ocr_can_run(tmp_path: Path, monkeypatch):
    """A file recorded needs-ocr is skipped on a resume while OCR cannot run (switched off), and
    redone when it can."""
    from renjana.extract.ocr.engine import ocr_missing

    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 scan")
    out, settings = tmp_path / "out", RunSettings(process=needs_ocr_document)
    [first] = run_files([tmp_path / "scan.pdf"], out, settings).results
    assert first.status == "needs-ocr"
    monkeypatch.setenv("RENJANA_OCR", "off")
    [again] = run_files([tmp_path / "scan.pdf"], out, settings).results
    assert again.skipped
    monkeypatch.delenv("RENJANA_OCR")
    if ocr_missing() is not None:
        pytest.skip(f"OCR not installed here: {ocr_missing()}")
    [redone] = run_files([tmp_path / "scan.pdf"], out, settings).results
    assert not redone.skipped


def test_a_named_input_that_does_not_exist_is_recorded_and_fails_the_run(tmp_path: Path, drawn: Path):
    from typer.testing import CliRunner

    from renjana.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(drawn), str(tmp_path / "missing.pdf"), "-o", str(out)])
    assert result.exit_code != 0
    assert records(out)["missing.pdf"]["status"] == "failed"
    assert records(out)["drawn.pdf"]["status"] == "ok"


def _content_spans(path: Path) -> list[tuple[int, int]]:
    """(first, last byte) of each page's content stream object in the file, found with qpdf
    (pikepdf) and the object's ``N G obj … endobj`` in the bytes: the oracle of which pages a cut
    at some byte leaves whole."""
    import re

    import pikepdf

    data = path.read_bytes()
    spans = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            found = re.search(rb"(?<![0-9])%d %d obj" % page.obj.Contents.objgen, data)
            spans.append((found.start(), data.index(b"endobj", found.start())))
    return spans


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("reader", ["playa", "pdfplumber"])
def test_a_truncated_pdf_lists_the_pages_it_lost(tmp_path: Path, monkeypatch, compressed: bool, reader: str):
    """A PDF cut off inside its last page's content: that page is not read whole (its stream
    cut short, or nothing left of it), so it is in ``unread_pages`` and ``pages_read`` counts
    only the pages before it; the manifest and the JSON agree."""
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "pageCompression", int(compressed))
    monkeypatch.setenv("RENJANA_READER", reader)
    whole = tmp_path / "whole.pdf"
    builder = g.PdfBuilder(whole)
    builder.table(g.evaluasi_spec(rows=g.evaluasi_rows() * 6))
    builder.save()
    spans = _content_spans(whole)
    assert len(spans) >= 2
    data = whole.read_bytes()
    cut = (spans[-1][0] + spans[-1][1]) // 2  # inside the last page's content stream
    lost = [n for n, (_, end) in enumerate(spans, start=1) if end > cut]
    assert lost == [len(spans)]
    (tmp_path / "in").mkdir()
    truncated = tmp_path / "in" / "cut.pdf"
    truncated.write_bytes(data[:cut])
    out = tmp_path / "out"
    run_files([truncated], out, RunSettings(workers=1))
    record = records(out)["cut.pdf"]
    assert record["status"] == "partial" and "truncated" in record["reason"]
    assert (record["pages_in_file"], record["pages_read"]) == (len(spans), len(spans) - len(lost))
    document = json.loads((out / next(o for o in record["outputs"] if o.endswith(".json"))).read_text())
    assert [u["page"] for u in document["source"]["unread_pages"]] == lost
    assert all(u["status"] == "unreadable" for u in document["source"]["unread_pages"])


def test_a_file_with_no_page_read_fails_and_keeps_no_output(tmp_path: Path):
    """Every page's content undecodable: an output would hold nothing but notes, so the file is
    ``failed`` (the exit status says so even with partial allowed), its notes in the manifest."""
    import pikepdf

    pdf = pikepdf.new()
    for _ in range(2):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Contents = pdf.make_stream(b"")
        # ASCII85 data with a byte outside its alphabet: the reader raises on the page's content.
        page.obj.Contents.write(b"9jqo^BlbD-BleB1DJ+*+F(f,q\x01\x02~>", filter=pikepdf.Name.ASCII85Decode,
                                type_check=False)
    (tmp_path / "in").mkdir()
    pdf.save(tmp_path / "in" / "nothing.pdf")
    out = tmp_path / "out"
    run_files([tmp_path / "in" / "nothing.pdf"], out, RunSettings(workers=1))
    record = records(out)["nothing.pdf"]
    assert record["status"] == "failed" and record["outputs"] == []
    assert record["reason"].startswith("no table could be read: none of its 2 pages could be read whole (page 1: ")
    assert (record["pages_in_file"], record["pages_read"]) == (2, 0)
    assert any("page 1" in note for note in record["notes"])
    assert not [p for p in out.rglob("*.json")]


def test_a_page_our_reader_finds_empty_while_pdfium_reads_text_is_read_from_a_repaired_copy(
        tmp_path: Path, drawn: Path):
    """A block repeated in place (as a bad copy leaves it): every later offset is off; our reader
    rebuilds the cross-reference table otherwise than pdfium and finds the page empty, pdfium
    reads its text. The qpdf-repaired copy is read instead, whole, with a note."""
    from renjana.pipeline import process_file

    data = drawn.read_bytes()
    start, size = 700, 200  # inside the first objects, before the page's content stream
    damaged = tmp_path / "dup.pdf"
    damaged.write_bytes(data[:start + size] + data[start:start + size] + data[start + size:])
    sound, result = process_file(drawn), process_file(damaged)
    assert any(n.startswith("read from a copy repaired by qpdf") for n in result.notes)
    cells = lambda doc: [c for t in doc.tables for r in t.rows for c in r.cells]  # noqa: E731
    assert cells(result) == cells(sound) and cells(sound)


def test_a_blank_page_of_a_sound_pdf_is_read(tmp_path: Path):
    """Nothing on a page of an undamaged file is a blank page, not a lost one."""
    from renjana.pipeline import read_checked

    path = tmp_path / "blank.pdf"
    builder = g.PdfBuilder(path)
    builder.table(g.evaluasi_spec())
    builder.canvas.showPage()  # a blank last page
    builder.save()
    doc, damaged = read_checked(path)
    assert damaged is None and doc.empty_pages == [doc.pages] and doc.unread_pages == []


def test_an_output_folder_that_is_a_dangling_link_says_so(tmp_path: Path):
    link = tmp_path / "out"
    link.symlink_to(tmp_path / "gone")
    with pytest.raises(OutputError, match="it is a symbolic link to .*gone, which does not exist"):
        run_files([tmp_path / "never-opened.pdf"], link, RunSettings(process=same_office))
