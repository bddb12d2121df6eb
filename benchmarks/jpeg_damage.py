"""False positives and recall of the visible-JPEG-damage check (renjana/jpeg_damage.py), printed.

    python benchmarks/jpeg_damage.py pdfs FILE.pdf ...        # every JPEG image the PDFs draw
    python benchmarks/jpeg_damage.py synth [--seed 7] [--stride 1]

``pdfs``: each distinct DCT image of each PDF decoded (simplejpeg, strict, as the damage check
does) and looked at; prints the images, the hits (each with what was seen) and the check's CPU
seconds. Run it over clean scans for false positives and over damaged copies for hits.

``synth``: scan-like JPEGs made from every page of the born-digital corpus and case PDFs
(``../shared``): rendered at 150-300 dpi, turned up to 1°, paper 225-255 with a brightness
gradient, blur, noise, quality 40-95, a third in colour (4:2:0 or 4:4:4). Each clean image is
looked at (false positives), then one copy with one random byte of its entropy-coded data changed
that libjpeg decodes without a warning (recall, by how many pixels the change moved by more than
40 grey levels against the clean decode).
"""

from __future__ import annotations

import argparse
import collections
import glob
import io
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
from renjana.jpeg_damage import mcu_size, visible_damage  # noqa: E402

# Pixels moved by more than this many grey levels count as visibly changed (recall buckets).
VISIBLE_LEVELS = 40
BUCKETS = ((1, "0"), (100, "1-99"), (1000, "100-999"), (10000, "1000-9999"), (None, ">=10000"))


def _decode(data: bytes) -> np.ndarray:
    import simplejpeg

    return simplejpeg.decode_jpeg(data, colorspace="GRAY", strict=True, fastdct=True, fastupsample=True)[:, :, 0]


def pdfs(files: list[str]) -> None:
    import pikepdf

    images, hits, cpu = 0, [], 0.0
    for name in files:
        try:
            pdf = pikepdf.open(name)
        except Exception:  # noqa: BLE001 - not openable: nothing to look at
            continue
        seen = set()
        for number, page in enumerate(pdf.pages, start=1):
            try:
                drawn = list(page.images.values())
            except Exception:  # noqa: BLE001 - a broken page
                continue
            for image in drawn:
                try:
                    if image.get("/Filter") != "/DCTDecode" or image.objgen in seen:
                        continue
                    seen.add(image.objgen)
                    data = image.read_raw_bytes()
                    gray = _decode(data)
                except Exception:  # noqa: BLE001 - libjpeg warns: the strict check finds it already
                    continue
                started = time.process_time()
                what = visible_damage(gray, mcu_size(data))
                cpu += time.process_time() - started
                images += 1
                if what:
                    hits.append(f"{Path(name).name} page {number}: {what}")
    print(f"images {images}, hits {len(hits)}, check {cpu:.2f} CPU s ({1000 * cpu / max(1, images):.0f} ms an image)")
    for hit in hits:
        print("  HIT", hit)


def _entropy_start(data: bytes) -> int:
    scan = data.index(b"\xff\xda")
    return scan + 2 + int.from_bytes(data[scan + 2:scan + 4], "big")


def _scan_like(page, rng: random.Random, seed: int) -> bytes:
    from PIL import Image, ImageFilter

    dpi = rng.choice([150, 200, 200, 300])
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    if rng.random() < 0.7:
        image = image.rotate(rng.uniform(-1, 1), resample=Image.BILINEAR, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float32)
    height, width = pixels.shape
    paper, ink = rng.uniform(225, 255), rng.uniform(0, 60)
    pixels = ink + pixels / 255.0 * (paper - ink)
    y, x = np.mgrid[0:height, 0:width]
    pixels += rng.uniform(-12, 12) * (x / width - 0.5) + rng.uniform(-12, 12) * (y / height - 0.5)
    if rng.random() < 0.5:
        blurred = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).filter(
            ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
        pixels = np.asarray(blurred, dtype=np.float32)
    pixels += np.random.default_rng(seed).normal(0, rng.uniform(0.5, 4), pixels.shape)
    gray = np.clip(pixels, 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    quality = rng.choice([40, 60, 75, 85, 95])
    if rng.random() < 0.3:
        tint = [np.clip(gray.astype(int) + rng.randint(lo, hi), 0, 255).astype(np.uint8) for lo, hi in ((-6, 6), (-10, 4))]
        Image.fromarray(np.stack([gray, *tint], -1), "RGB").save(buffer, "JPEG", quality=quality,
                                                                subsampling=rng.choice([0, 2]))
    else:
        Image.fromarray(gray, "L").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def synth(seed: int, stride: int) -> None:
    import pypdfium2 as pdfium

    rng = random.Random(seed)
    files = [f for f in sorted(glob.glob(str(SHARED / "corpus/pdf/*.pdf"))) + sorted(glob.glob(str(SHARED / "cases/pdf/*.pdf")))
             if "scan" not in Path(f).name]
    clean, false_hits, recall = 0, [], collections.defaultdict(lambda: [0, 0])
    started = time.process_time()
    for name in files:
        pdf = pdfium.PdfDocument(name)
        for index in range(0, len(pdf), stride):
            data = _scan_like(pdf[index], rng, clean)
            original = _decode(data)
            clean += 1
            what = visible_damage(original, mcu_size(data))
            if what:
                false_hits.append(f"{Path(name).name} page {index + 1}: {what}")
            start = _entropy_start(data)
            for _ in range(20):
                position = rng.randrange(start, len(data) - 2)
                value = rng.randrange(256)
                if value in (0xFF, data[position]) or data[position] == 0xFF:
                    continue
                damaged = data[:position] + bytes([value]) + data[position + 1:]
                try:
                    decoded = _decode(damaged)
                except Exception:  # noqa: BLE001 - libjpeg warns: found by the strict check already
                    continue
                moved = int((np.abs(decoded.astype(int) - original.astype(int)) > VISIBLE_LEVELS).sum())
                bucket = next(label for limit, label in BUCKETS if limit is None or moved < limit)
                recall[bucket][0] += 1
                recall[bucket][1] += visible_damage(decoded, mcu_size(damaged)) is not None
                break
        pdf.close()
    print(f"clean scan-like images {clean}: false positives {len(false_hits)} ({time.process_time() - started:.0f} CPU s)")
    for hit in false_hits:
        print("  FALSE", hit)
    print(f"one byte changed, decoded without a warning: found / copies, by pixels moved > {VISIBLE_LEVELS} levels")
    for _, label in BUCKETS:
        found = recall[label]
        print(f"  {label:>9}: {found[1]} / {found[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["pdfs", "synth"])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stride", type=int, default=1, help="every n-th page (synth)")
    args = parser.parse_args()
    if args.mode == "pdfs":
        pdfs(args.files)
    else:
        synth(args.seed, args.stride)


if __name__ == "__main__":
    main()
