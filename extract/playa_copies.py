"""A fast ``__copy__`` for playa's graphics and text state (a documented patch of the library).

playa's interpreter saves its state at every ``q`` with ``copy.copy`` of its ``GraphicState``
(about 30 fields) and ``TextState`` (a compiled class); a table page draws each cell in its own
``q``/``Q``, so the 8 first-set files make about 74,000 copies. ``copy.copy`` finds no
``__copy__`` on them and goes through its generic path (``__reduce_ex__``, then
``copy._reconstruct``): about 3 µs a copy, 0.15-0.2 CPU s of the job. The ``__copy__`` given
here does what that path does for these classes, directly (about 1 µs).

Safe by construction: a class is patched only when ``copy.copy``'s generic path is what it
would take (no ``__copy__`` of its own, ``__reduce_ex__(4)`` the default ``copyreg.__newobj__``
form with no items) and a copy made by the new ``__copy__`` equals the instance and is not it;
else it is left alone and copied as before. :func:`install` is called by the playa reader
(:mod:`.read_playa`) when it is imported; ``tests/test_reader.py`` checks the copies.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable


def _state_copier(cls: type) -> Callable[[object], object] | None:
    """``copy.copy``'s result for an instance of ``cls`` (a new object given the old one's
    state: ``__setstate__`` when the class has one, else its ``__dict__`` updated), without the
    generic steps; None when ``cls`` does not copy that way."""
    if "__copy__" in vars(cls):
        return None
    try:
        sample = cls()
        reduced = sample.__reduce_ex__(4)
    except Exception:  # noqa: BLE001 - a class that cannot be made or reduced plainly: left alone
        return None
    if not (isinstance(reduced, tuple) and len(reduced) >= 3 and reduced[0] is copyreg.__newobj__
            and reduced[1] == (cls,) and isinstance(reduced[2], dict)
            and all(item is None for item in reduced[3:])):
        return None
    if hasattr(cls, "__setstate__"):
        def copier(self):
            kind = type(self)
            new = kind.__new__(kind)
            new.__setstate__(self.__getstate__())
            return new
    else:
        def copier(self):
            kind = type(self)
            new = kind.__new__(kind)
            new.__dict__.update(self.__dict__)
            return new
    made = copier(sample)
    return copier if made is not sample and made == sample else None


def install() -> list[str]:
    """Give playa's ``GraphicState`` and ``TextState`` the fast ``__copy__`` where that is safe
    (see the module's docstring); returns the names of the classes patched. Idempotent."""
    from playa.content import GraphicState
    from playa.interp import TextState

    patched = []
    for cls in (GraphicState, TextState):
        copier = _state_copier(cls)
        if copier is not None:
            copier.__qualname__ = f"{cls.__qualname__}.__copy__"
            cls.__copy__ = copier
            patched.append(cls.__name__)
        elif getattr(cls.__dict__.get("__copy__"), "__module__", None) == __name__:
            patched.append(cls.__name__)  # patched already
    return patched
