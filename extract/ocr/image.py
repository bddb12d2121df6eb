"""Page images for OCR: render, binarise, deskew, and the masks of the ruling lines.

All arrays are numpy ``uint8`` images, row 0 at the top. Pixel coordinates are at
``settings.dpi``; :meth:`OcrSettings.pt` turns them into PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .settings import OcrSettings


@dataclass
class PageImage:
    """One page ready for OCR: ``gray`` (0 black … 255 white) and ``ink`` (255 where dark),
    both deskewed by ``skew`` degrees (0 when the page was straight)."""

    gray: np.ndarray
    ink: np.ndarray
    skew: float


def render_page(pdf_path: str, index: int, settings: OcrSettings) -> np.ndarray:
    """Page ``index`` (0-based) of the PDF as a grayscale array at ``settings.dpi``, the page's
    /Rotate applied (so pixel x, y map to pdfplumber's upright page: x_pt = x_px · 72 / dpi)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_path)
    try:
        page = pdf[index]
        bitmap = page.render(scale=settings.dpi / 72.0, grayscale=True)
        array = bitmap.to_numpy().copy()
        page.close()
    finally:
        pdf.close()
    if array.ndim == 3:
        array = array[:, :, 0]
    return array


def binarise(gray: np.ndarray) -> np.ndarray:
    """255 where the page is ink, 0 elsewhere (Otsu's threshold over the whole page)."""
    import cv2

    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def line_masks(ink: np.ndarray, length_px: int) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical): the ink that belongs to straight runs at least ``length_px`` long,
    by morphological opening with a one-pixel-thick line; a small closing bridges breaks."""
    import cv2

    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length_px, 1)))
    v = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length_px)))
    h = cv2.morphologyEx(h, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    v = cv2.morphologyEx(v, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    return h, v


def skew_angle(ink: np.ndarray, settings: OcrSettings) -> float:
    """The page's skew in degrees (positive: the rules climb to the right), from the long
    horizontal rules: the median slope of the runs at least ``skew_rule_length`` long, measured
    with a short opening that a skewed rule survives. 0 when none or out of range."""
    import cv2

    # A rule a few pixels thick skewed by < 1° stays inside its thickness over ~1 in. runs.
    probe = settings.px(settings.skew_rule_length) // 4
    h = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (probe, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(h, connectivity=8)
    angles = []
    min_len = settings.px(settings.skew_rule_length)
    for i in range(1, count):
        x, y, w, hh, area = stats[i]
        if w < min_len:
            continue
        ys, xs = np.nonzero(labels[y:y + hh, x:x + w] == i)
        if len(xs) < 2:
            continue
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
    if not angles:
        return 0.0
    angle = -float(np.median(angles))  # image y grows downwards: a rising rule has a negative slope
    if abs(angle) < settings.min_skew or abs(angle) > settings.max_skew:
        return 0.0
    return angle


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    """``gray`` turned ``angle`` degrees clockwise around its centre (white fill), same size."""
    import cv2

    if not angle:
        return gray
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def prepare(gray: np.ndarray, settings: OcrSettings) -> PageImage:
    """Binarise and deskew a rendered page."""
    ink = binarise(gray)
    angle = skew_angle(ink, settings)
    if angle:
        gray = rotate(gray, angle)
        ink = binarise(gray)
    return PageImage(gray=gray, ink=ink, skew=angle)
