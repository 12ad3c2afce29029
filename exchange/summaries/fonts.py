"""The one font of the summaries' PDF and charts: Noto Sans CJK SC (OpenType), which covers
Latin, Cyrillic and Chinese. It comes inside the ``mplfonts`` package from PyPI, installed
with the project's dependencies (requirements.lock): nothing is assumed about the fonts of
the machine. The package is located, not imported (importing it imports matplotlib)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

FONT_FILE = "NotoSansCJKsc-Regular.otf"


class FontMissing(RuntimeError):
    pass


def font_path() -> Path:
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("the mplfonts package is not installed (see requirements.lock)")
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / FONT_FILE
    if not path.is_file():
        raise FontMissing(f"{path} is missing")
    return path
