"""What every service result shares: one JSON form, one tidy table.

A result's ``to_dict()`` is its documented JSON data (NaN already ``None``, every key a
string); ``to_json()`` is that data as text, the same bytes whichever edge asks;
``to_rows()`` is a tidy table (one observation per row) and ``to_frame()`` the same rows
as a pandas ``DataFrame`` (pandas is imported only then).
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any

from zopa.service.overrides import Overrides

if TYPE_CHECKING:
    import pandas as pd


def jsonable(obj: Any) -> Any:
    """``obj`` with NaN as ``None``, tuples as lists and every key a string."""
    if isinstance(obj, float):
        return None if math.isnan(obj) else obj
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    return obj


def json_text(data: Any) -> str:
    """JSON-ready ``data`` as indented text, ending in a newline."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


@dataclass(frozen=True, eq=False)
class Result(ABC):
    """Base of the service results: subclasses define ``to_dict`` and ``to_rows``.

    Attributes:
        overrides: The what-if changes the analysis ran with (none: the file as it is).
            When there are some, every result's :meth:`to_dict` starts with them
            (``"overrides": [{"actor": ..., "text": "UA.territory=40"}, ...]``); the base
            class adds the field, so no result can leave it out.
    """

    overrides: Overrides = field(default=Overrides(), kw_only=True)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("to_dict")
        if own is None or getattr(own, "__isabstractmethod__", False):
            return

        @wraps(own)
        def to_dict(self: Result) -> dict[str, Any]:
            data: dict[str, Any] = own(self)
            if self.overrides:
                return {"overrides": self.overrides.to_list(), **data}
            return data

        cls.to_dict = to_dict  # type: ignore[method-assign]

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The documented JSON data of this result."""

    @abstractmethod
    def to_rows(self) -> list[dict[str, Any]]:
        """The result as a tidy table: a list of rows with the same keys."""

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (indented, UTF-8, ending in a newline)."""
        return json_text(self.to_dict())

    def to_frame(self) -> pd.DataFrame:
        """:meth:`to_rows` as a pandas ``DataFrame``."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_rows())
