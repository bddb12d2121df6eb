"""CLI: exit codes, failure messages, input discovery, schema export."""

from __future__ import annotations

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from renjana.cli import EXIT_FAILED, EXIT_NO_INPUT, app, find_pdfs

runner = CliRunner()


def test_bad_file_fails_with_its_name(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.pdf").write_bytes(os.urandom(2048))
    result = runner.invoke(app, ["run", str(folder), "-o", str(tmp_path / "out"), "--timeout", "120"])
    assert result.exit_code == EXIT_FAILED, result.output
    assert "FAILED" in result.stderr and "broken.pdf" in result.stderr
    assert "broken.pdf" in result.stdout and "failed" in result.stdout


def test_no_pdfs_exits_2(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not a pdf")
    result = runner.invoke(app, ["run", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_NO_INPUT
    assert "no input PDFs" in result.stderr


def test_find_pdfs_recursive_case_insensitive_sorted(tmp_path: Path):
    (tmp_path / "b").mkdir()
    for name in ("b/z.PDF", "a.pdf", "b/c.pdf", "skip.txt"):
        (tmp_path / name).write_bytes(b"")
    found, missing = find_pdfs([tmp_path, tmp_path / "a.pdf", tmp_path / "nope"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.pdf", "b/c.pdf", "b/z.PDF"]
    assert missing == [tmp_path / "nope"]


def test_find_pdfs_keeps_a_link_as_its_own_input(tmp_path: Path):
    """A link beside its target is a name the user gave: it gets its own manifest line, and so
    does a link whose target is gone; the same path named twice is one input; a folder reached
    through a link is entered, once (a link back up the tree is not followed round)."""
    (tmp_path / "a.pdf").write_bytes(b"")
    (tmp_path / "b.pdf").symlink_to("a.pdf")
    (tmp_path / "gone.pdf").symlink_to("nowhere.pdf")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "c.pdf").write_bytes(b"")
    (tmp_path / "sub" / "linked").symlink_to(tmp_path / "elsewhere")
    found, _ = find_pdfs([tmp_path / "sub", tmp_path / "sub" / ".." / "a.pdf"])
    # Folders in name order: sub/linked ("elsewhere") first; sub/up is the top folder again,
    # walked once through that link, without its "elsewhere" and "sub" walked already.
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "sub/linked/c.pdf", "sub/up/a.pdf", "sub/up/b.pdf", "sub/up/gone.pdf", "sub/../a.pdf"]


def test_schema_writes_json_schemas(tmp_path: Path):
    result = runner.invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "DocumentResult.schema.json").read_text())
    assert "tables" in schema["properties"]
    assert (tmp_path / "ExtractedDocument.schema.json").exists()


def test_reader_option_is_checked_and_passed_to_the_workers(tmp_path: Path, monkeypatch):
    from renjana.extract.reader import READER_ENV

    monkeypatch.delenv(READER_ENV, raising=False)
    pdf = tmp_path / "in" / "doc.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 not really")
    bad = runner.invoke(app, ["run", str(pdf.parent), "-o", str(tmp_path / "out"), "--reader", "nope"])
    assert bad.exit_code != 0 and "unknown PDF reader" in bad.output
    monkeypatch.setenv(READER_ENV, "playa")  # restored after the test
    result = runner.invoke(app, ["run", str(pdf.parent), "-o", str(tmp_path / "out"), "--reader", "pdfplumber"])
    assert os.environ[READER_ENV] == "pdfplumber"
    assert result.exit_code == EXIT_FAILED and "doc.pdf" in result.output


def test_ocr_options_are_passed_to_the_workers(tmp_path: Path, monkeypatch):
    from renjana.extract.ocr import OCR_ENV

    monkeypatch.setenv(OCR_ENV, "on")  # restored after the test
    pdf = tmp_path / "in" / "doc.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 not really")
    both = runner.invoke(app, ["run", str(pdf.parent), "-o", str(tmp_path / "out"), "--ocr-check", "--no-ocr"])
    assert both.exit_code != 0 and "--no-ocr" in both.output
    runner.invoke(app, ["run", str(pdf.parent), "-o", str(tmp_path / "out"), "--ocr-check"])
    assert os.environ[OCR_ENV] == "check"
    runner.invoke(app, ["audit", str(pdf.parent), "-o", str(tmp_path / "audit"), "--no-ocr"])
    assert os.environ[OCR_ENV] == "off"


def test_counts_and_articles_read_as_english():
    from renjana.wording import article, count, unreadable_input

    assert [count(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert count(1, "entry", "entries") == "1 entry" and count(3, "entry", "entries") == "3 entries"
    assert article("INSERT") == "an INSERT" and article("SELECT") == "a SELECT"
    assert unreadable_input(FileNotFoundError(2, "No such file or directory")) == "not found (no such file or folder)"
    assert unreadable_input(PermissionError(13, "Permission denied")) == "cannot read the file: Permission denied"


def test_a_link_whose_target_is_gone_says_so(tmp_path: Path):
    from renjana.wording import unreadable_input

    (tmp_path / "gone.pdf").symlink_to("nowhere.pdf")
    try:
        (tmp_path / "gone.pdf").open("rb")
    except FileNotFoundError as exc:
        assert unreadable_input(exc) == "a link whose target is gone (nowhere.pdf: no such file)"


def test_a_missing_input_is_reported_once_on_each_stream(tmp_path: Path):
    """A named input that does not exist: one line as it fails (stderr, with the progress) and
    one in the summary (stdout), both saying it was not found, in plain words."""
    pdf = tmp_path / "in" / "doc.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 not really")
    missing = tmp_path / "nope.pdf"
    result = runner.invoke(app, ["run", str(pdf), str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_FAILED
    for stream in (result.stderr, result.stdout):
        lines = [line for line in stream.splitlines() if "nope.pdf" in line]
        assert lines == [f"FAILED {missing}: not found (no such file or folder)"], stream


def test_query_messages_count_and_name_the_statement(tmp_path: Path):
    from renjana import emit
    from renjana.models import DocumentMeta, DocumentResult, Source

    emit.write_json(DocumentResult(source=Source(file="a.pdf", sha256="ab" * 32, pages=1),
                                   document=DocumentMeta(region="Kota Batu", dinas="Dinas Sosial", year=2024)),
                    tmp_path)  # a document the dataset does not hold yet
    built = runner.invoke(app, ["dataset", str(tmp_path)])
    assert built.exit_code == 0 and "1 document written from JSON, 0 parts removed" in built.stdout
    one = runner.invoke(app, ["query", str(tmp_path), "SELECT 1 AS x"])
    assert one.exit_code == 0 and "1 row" in one.stdout and "1 rows" not in one.stdout
    refused = runner.invoke(app, ["query", str(tmp_path), "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a"])
    assert refused.exit_code != 0 and "this one is an INSERT statement" in refused.stderr


def test_progress_without_a_terminal_is_one_line_per_file(tmp_path: Path):
    """Where the progress stream is not a terminal (CliRunner, a CI log, cron), each finished
    file is one line with its place in the batch, status, tables and seconds; a failure is its
    FAILED line; a rerun says which files were done before."""
    import re

    import pdfgen as g

    folder = tmp_path / "in"
    folder.mkdir()
    b = g.PdfBuilder(folder / "plan.pdf", footer=g.SLOGAN)
    b.cover(g.COVER)
    b.table(g.evaluasi_spec())
    b.save()
    (folder / "zz-broken.pdf").write_bytes(b"%PDF-1.4 not really")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder), "-o", str(out)])
    assert result.exit_code == EXIT_FAILED, result.output
    lines = result.stderr.splitlines()
    assert any(re.fullmatch(r"\[1/2\] plan\.pdf ok \d+ tables? \d+\.\d s", line) for line in lines), lines
    assert any(line.startswith("FAILED ") and "zz-broken.pdf" in line for line in lines), lines
    again = runner.invoke(app, ["run", str(folder / "plan.pdf"), "-o", str(out)])
    assert "[1/1] plan.pdf ok, done by an earlier run (skipped)" in again.stderr.splitlines(), again.stderr


def _drawn_plan(path: Path) -> Path:
    import pdfgen as g

    path.parent.mkdir(parents=True, exist_ok=True)
    b = g.PdfBuilder(path, footer=g.SLOGAN)
    b.cover(g.COVER)
    b.table(g.evaluasi_spec())
    return b.save()


def test_a_missing_input_alone_gets_its_failed_record(tmp_path: Path):
    """Alone as with other inputs: a record in the output folder's manifest, and a failed run."""
    missing = tmp_path / "nothere.pdf"
    result = runner.invoke(app, ["run", str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_FAILED, result.output
    [record] = [json.loads(line) for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
                if '"path"' in line]
    assert record["status"] == "failed" and record["reason"].startswith("not found")
    assert record["path"] == str(missing) and record["outputs"] == []


def test_names_are_printed_as_given_not_as_markup_emoji_or_control_codes(tmp_path: Path):
    """A file name with rich markup, an emoji code and control characters: each progress and
    FAILED line shows it literally, control characters as escapes, on its own line; the manifest
    keeps the real name."""
    folder = tmp_path / "in"
    _drawn_plan(folder / "[bold]laporan :x: final.pdf")
    (folder / "ctl\x01\nname.pdf").write_bytes(b"%PDF-1.4 not really")
    result = runner.invoke(app, ["run", str(folder), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_FAILED, result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith("[1/2] [bold]laporan :x: final.pdf ok ") for line in lines), lines
    [failed] = [line for line in lines if "name.pdf" in line]
    assert failed.startswith(f"FAILED {folder}/ctl\\x01\\nname.pdf: "), lines
    assert "❌" not in result.output and "ctl\x01" not in result.output
    names = {json.loads(line).get("name") for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()}
    assert "ctl\x01\nname.pdf" in names


def test_query_prints_values_as_data_and_decimals_without_padding(tmp_path: Path):
    from renjana import emit
    from renjana.models import DocumentMeta, DocumentResult, Source

    emit.write_json(DocumentResult(source=Source(file="a.pdf", sha256="ab" * 32, pages=1),
                                   document=DocumentMeta(region="Kota Batu", dinas="Dinas Sosial", year=2024)),
                    tmp_path)
    assert runner.invoke(app, ["dataset", str(tmp_path)]).exit_code == 0
    sql = ("SELECT 'a:x:b :smile: [red]RED[/red]' AS \"[b]t\", 7709750000.000000::DECIMAL(38,6) AS pagu, "
           "63.280000::DECIMAL(38,6) AS capaian, 2021 AS year, NULL AS missing")
    result = runner.invoke(app, ["query", str(tmp_path), sql, "--wide"])
    assert result.exit_code == 0, result.output
    assert "a:x:b :smile: [red]RED[/red]" in result.stdout and "[b]t" in result.stdout
    row = next(line for line in result.stdout.splitlines() if "RED" in line)
    cells = [c.strip() for c in row.strip("│ ").split("│")]
    assert cells[1:] == ["7,709,750,000", "63.28", "2021", "null"], row
    # numbers right-aligned: the short value ends where its column's header ends
    header = next(line for line in result.stdout.splitlines() if "capaian" in line)
    assert row.index("63.28") + len("63.28") == header.index("capaian") + len("capaian")


def test_help_paragraphs_are_not_broken_mid_sentence():
    """typer keeps a help paragraph's own line breaks, and then wraps: each command's help is
    given as one line per paragraph."""
    for command in app.registered_commands:
        for paragraph in command.help.split("\n\n"):
            assert "\n" not in paragraph, command.help
    result = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "60"})
    assert "a rerun skips the files already" in " ".join(result.stdout.split())
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "already done (--force redoes them)." not in lines


def test_progress_line_keeps_rate_and_eta_with_two_files_in_flight(tmp_path: Path):
    """On a 100-column terminal, long names in flight: the pages per second and the ETA are
    shown whole; the names are cut in the middle (their ends still tell them apart), at most two
    are named and the others counted."""
    import io
    import re

    from rich.console import Console

    from renjana.cli import _Progress

    paths = [tmp_path / f"laporan-rencana-kerja-perangkat-daerah-{n}.pdf" for n in ("satu", "dua", "tiga")]
    console = Console(file=io.StringIO(), width=100, force_terminal=True, color_system=None)
    progress = _Progress(paths, console)
    progress.started -= 1000.0  # a run some minutes old: a rate of a few pages a second
    for path in paths:
        progress.start(path)
        progress.page(path, 120, 1400)
    console.print(progress.bar.get_renderable())
    [line] = [line for line in console.file.getvalue().splitlines() if line.strip()]
    assert len(line) <= 100, line
    assert re.search(r" 0/3 files \d+\.\d pages/s (\d+:\d\d:\d\d|-:--:--) ", line), line
    assert re.search(r"lapor…h-satu p\.120/1400, lapor…ah-dua p\.120/1400 \+1$", line.rstrip()), line


def test_shorten_cuts_a_message_between_words():
    from renjana.wording import shorten

    message = "expected dictionary key but found non-name object; inserting key /QPDFFake1 " * 3
    short = shorten(message, 60)
    assert len(short) <= 60 and short.endswith(" …")
    assert message.startswith(short[:-2])                       # a prefix of the message
    assert message[len(short[:-2])] in " ,;:"                  # ends where a word ended
    assert shorten("short", 60) == "short"
    assert shorten("x" * 100, 20) == "x" * 18 + " …"           # one long word: cut inside it


def test_the_command_says_when_memory_is_too_small_to_start():
    """Under an address-space limit too small for its libraries, ``renjana`` says so in plain
    words (not a loader traceback) and exits 1."""
    import resource
    import subprocess
    import sys

    def small_limit():
        resource.setrlimit(resource.RLIMIT_AS, (300 << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))

    done = subprocess.run([sys.executable, "-c", "from renjana.launch import main; main()", "--help"],
                          capture_output=True, text=True, preexec_fn=small_limit, timeout=120)
    assert done.returncode == 1
    assert "not enough memory to load its libraries" in done.stderr and "300 MiB" in done.stderr
    assert "Traceback" not in done.stderr
