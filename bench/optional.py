"""Lazy imports of modules other helpers are still writing."""

from __future__ import annotations

import importlib
from typing import Any

NOT_AVAILABLE = "not available yet"


def load(module: str, attribute: str) -> tuple[Any, str]:
    """(the attribute, "") or (None, why it cannot be used)."""
    try:
        loaded = importlib.import_module(module)
    except ModuleNotFoundError as error:
        missing = error.name or ""
        if module == missing or module.startswith(missing + "."):
            return None, NOT_AVAILABLE
        return None, f"import failed: {error}"
    except Exception as error:  # a half-written module must not stop the other rows
        return None, f"import failed: {type(error).__name__}: {error}"
    value = getattr(loaded, attribute, None)
    if value is None:
        return None, f"{NOT_AVAILABLE} ({module}.{attribute} missing)"
    return value, ""


def first_call(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, str]:
    """(the result, "") or (None, why): a module being written may still raise."""
    try:
        return function(*args, **kwargs), ""
    except Exception as error:  # reported in the row instead of stopping the table
        return None, f"failed: {type(error).__name__}: {error}"[:120]
