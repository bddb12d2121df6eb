"""Visible damage in a scanned page's JPEG that decodes without a warning (renjana/jpeg_damage.py):
a byte changed in the entropy-coded data leaves a staircase step of the paper's grey level or the
table's rules shifted by whole blocks; the page gets a note and the file is ``partial``. A clean
scan gets neither.

The damaged JPEGs are made here: a drawn table page encoded by Pillow, one byte of its
entropy-coded data changed. Which change leaves which mark is decided from the original image
(the ground truth); the detector sees only the damaged one."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

import pdfgen as g
from renjana.jpeg_damage import mcu_size, visible_damage
from renjana.pipeline import process_file
from renjana.runner import _file_status
from renjana.stream_damage import page_damage

WIDTH, HEIGHT = 1000, 1400  # px of the scan (100 dpi: a page of 720 × 1008 pt)
PAPER = 244  # a scan's paper is seldom pure white


def _page() -> np.ndarray:
    """A ruled table with text on scanner-grey paper with a little noise."""
    image = Image.new("L", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    xs = [60, 160, 420, 600, 780, 940]
    for y in range(120, 1300, 48):
        draw.line([(xs[0], y), (xs[-1], y)], fill=20, width=3)
    for x in xs:
        draw.line([(x, 120), (x, 1288)], fill=20, width=3)
    for row, y in enumerate(range(120, 1250, 48)):
        for col, (x0, x1) in enumerate(zip(xs, xs[1:])):
            draw.text((x0 + 8, y + 16), f"{row}.{col} Program {row * 7 + col:,}".replace(",", "."), fill=30)
    noise = np.random.default_rng(5).normal(0, 1.2, (HEIGHT, WIDTH))
    return np.clip(np.asarray(image, dtype=float) + noise, 0, 255).astype(np.uint8)


def _encode(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=75)
    return buffer.getvalue()


def _decode(data: bytes) -> np.ndarray:
    import simplejpeg

    return simplejpeg.decode_jpeg(data, colorspace="GRAY", strict=True)[:, :, 0]


def _entropy_start(data: bytes) -> int:
    scan = data.index(b"\xff\xda")
    return scan + 2 + int.from_bytes(data[scan + 2:scan + 4], "big")


def _damaged(clean: bytes, mark: str) -> bytes:
    """``clean`` with one byte of its entropy-coded data changed such that libjpeg decodes it
    without a warning and, against the original image, the damage is ``mark``: ``drift`` (the
    paper below the damage at least 10 levels darker, to the end) or ``shift`` (the image's last
    rows are the original's moved sideways by one block). The first such byte in a fixed order."""
    original = _decode(clean).astype(int)
    start = _entropy_start(clean)
    for position in range(start + (len(clean) - start) // 3, len(clean) - 2, 37):
        for flip in (0x01, 0x08, 0x40):
            if clean[position] == 0xFF or clean[position] ^ flip == 0xFF:
                continue
            data = clean[:position] + bytes([clean[position] ^ flip]) + clean[position + 1:]
            try:
                decoded = _decode(data).astype(int)
            except Exception:  # noqa: BLE001 - libjpeg warns: found by the strict decode already
                continue
            changed = np.nonzero(np.abs(decoded - original).max(axis=1) > 20)[0]
            if not len(changed) or changed[0] > HEIGHT * 0.7:
                continue
            tail = slice(HEIGHT - 60, HEIGHT)  # below the table: paper only
            if mark == "drift" and np.median(original[tail] - decoded[tail]) >= 10:
                return data
            if mark == "shift" and abs(np.median(original[tail] - decoded[tail])) < 2:
                rows = slice(changed[0] + 16, changed[0] + 40)
                for blocks in (-2, -1, 1, 2):
                    if np.mean(np.abs(np.roll(original[rows], 8 * blocks, axis=1) - decoded[rows])[:, 20:-20]) < 2:
                        return data
    raise AssertionError(f"no byte change found that leaves a {mark}")


def _scan_pdf(path: Path, jpeg: bytes) -> Path:
    """One page that is only the JPEG, 100 dpi."""
    w, h = WIDTH * 72 // 100, HEIGHT * 72 // 100
    content = b"q %d 0 0 %d 0 0 cm /Im1 Do Q" % (w, h)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
             b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (WIDTH, HEIGHT, len(jpeg))
             + jpeg + b"\nendstream")
    return g.write_raw_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im1 5 0 R >> >> "
        b"/Contents 4 0 R >>" % (w, h),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        image,
    ])


@pytest.fixture(scope="module")
def clean_jpeg() -> bytes:
    return _encode(_page())


def test_clean_scan_shows_no_damage(tmp_path: Path, clean_jpeg: bytes):
    assert visible_damage(_decode(clean_jpeg)) is None
    path = _scan_pdf(tmp_path / "clean.pdf", clean_jpeg)
    assert page_damage(path, scanned=frozenset({1})) == {}
    result = process_file(path)
    assert not any("damaged" in note for note in result.notes)
    assert _file_status(result)[0] in ("ok", "needs-ocr")


def test_paper_level_staircase_is_noted_and_partial(tmp_path: Path, clean_jpeg: bytes):
    damaged = _damaged(clean_jpeg, "drift")
    seen = visible_damage(_decode(damaged), mcu_size(damaged))
    assert seen and "grey level steps" in seen
    path = _scan_pdf(tmp_path / "drift.pdf", damaged)
    # Only a scanned page's images are looked at: the decoders report nothing.
    assert page_damage(path) == {}
    result = process_file(path)
    notes = [n for n in result.notes if n.startswith("page 1: damaged: image /Im1")]
    assert notes and "may be missing or wrong" in notes[0]
    assert _file_status(result)[0] == "partial"


def test_rules_shifted_by_whole_blocks_are_noted(tmp_path: Path, clean_jpeg: bytes):
    damaged = _damaged(clean_jpeg, "shift")
    seen = visible_damage(_decode(damaged), mcu_size(damaged))
    assert seen and "vertical rules break" in seen
    found = page_damage(_scan_pdf(tmp_path / "shift.pdf", damaged), scanned=frozenset({1}))
    assert list(found) == [1] and found[1][0].loses_content


def test_a_real_shade_is_no_staircase():
    """A shaded band (a filled header, a darker lower part) that starts mid-row at a block
    boundary: a region, not a staircase, so not damage."""
    pixels = _page()
    pixels[400:, 480:] = np.clip(pixels[400:, 480:].astype(int) - 30, 0, 255).astype(np.uint8)
    pixels[800:1000, :] = np.clip(pixels[800:1000, :].astype(int) - 25, 0, 255).astype(np.uint8)
    assert visible_damage(_decode(_encode(pixels))) is None


@pytest.mark.parametrize("mode, subsampling, size", [("L", 0, (8, 8)), ("RGB", 2, (16, 16)), ("RGB", 0, (8, 8))])
def test_mcu_size_from_the_frame_header(mode: str, subsampling: int, size: tuple[int, int]):
    buffer = io.BytesIO()
    Image.new(mode, (64, 64), 200).save(buffer, format="JPEG", subsampling=subsampling)
    assert mcu_size(buffer.getvalue()) == size


@pytest.mark.parametrize("slope, lid", [(-0.012, 228), (0.012, 228), (-0.02, 255), (0.006, 210)])
def test_a_skewed_full_width_edge_is_no_staircase(slope: float, lid: int):
    """The paper's lower border, slightly skewed, with the scanner's lid (darker or lighter)
    below it across the whole width: in block rows it looks like a staircase, but the edge runs
    through pixels."""
    pixels = _page().astype(float)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    below = y > 1320 + (x - WIDTH / 2) * slope  # the paper's edge, the lid below it
    pixels[below] = lid + np.random.default_rng(2).normal(0, 1.0, int(below.sum()))
    blurred = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.8))
    assert visible_damage(_decode(_encode(np.asarray(blurred)))) is None
