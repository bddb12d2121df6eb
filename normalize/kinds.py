"""The kind of a table, scored from its column keys (header roles) and its caption together.

The evidence and its weights are data (``[kind.*]`` in ``data/column_roles.toml``); every
kind is scored and the best wins, so no single keyword decides.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .roles import vocabulary

# Below this score no kind is sure enough: the table is ``other``. A caption naming the form
# (weight 3) is enough on its own; header roles alone need two or three agreeing signs.
MIN_KIND_SCORE = 3


@lru_cache(maxsize=1)
def _evidence() -> dict[str, dict[str, list[tuple[re.Pattern, float]]]]:
    out = {}
    for kind, spec in vocabulary().raw.get("kind", {}).items():
        out[kind] = {part: [(re.compile(r"(?<![\w])(?:" + t + r")(?![\w])", re.IGNORECASE)
                             if part != "keys" else re.compile(t), float(w))
                            for t, w in spec.get(part, {}).items()]
                     for part in ("caption", "header", "keys")}
    return out


def kind_scores(caption: str, header_text: str, keys: list[str]) -> dict[str, float]:
    """Each kind's score for a table with this caption, header text and column keys."""
    caption, header_text = " ".join(caption.split()), " ".join(header_text.split())
    scores = {}
    for kind, parts in _evidence().items():
        score = sum(w for p, w in parts["caption"] if p.search(caption))
        score += sum(w for p, w in parts["header"] if p.search(header_text))
        score += sum(w for p, w in parts["keys"] if any(p.search(k) for k in keys))
        scores[kind] = score
    return scores


def table_kind(caption: str, header_text: str, keys: list[str] | None = None) -> str:
    """The best-scoring kind, or ``other`` when no kind reaches ``MIN_KIND_SCORE``."""
    scores = kind_scores(caption, header_text, keys or [])
    best = max(scores, key=lambda k: scores[k], default=None)
    return best if best is not None and scores[best] >= MIN_KIND_SCORE else "other"
