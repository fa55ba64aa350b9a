"""Study limits shared by the session and the status line (kept light: no imports)."""

from __future__ import annotations

__all__ = ["DEFAULT_NEW_PER_DAY"]

DEFAULT_NEW_PER_DAY = 20  # new cards a day, as Anki's default
