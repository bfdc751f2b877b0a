"""SPARQL result values as Python values, for notebooks: numbers as numbers, dates as dates (their
precision kept), booleans as booleans, so that a DataFrame plots and sums without hand conversion.

A literal of a datatype this module does not know stays its lexical string, as does one whose
lexical form is not valid for its datatype (a store may hold what a source gave).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from kg.model import DateValue
from kg.vocab import XSD_NS

_INTEGERS = {XSD_NS + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                  "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                                  "unsignedShort", "unsignedByte")}


def _date_value(text: str, kind: str) -> DateValue | dt.date:
    if kind == "date":
        return dt.date.fromisoformat(text[:10])
    if kind == "gYearMonth":
        year, month = text[:7].rsplit("-", 1) if text.startswith("-") else text[:7].split("-")
        return DateValue.month(int(year), int(month))
    return DateValue.year(int(text[:4]))


def _convert(text: str, datatype: str):
    if datatype in _INTEGERS:
        return int(text)
    if datatype == XSD_NS + "decimal":
        return Decimal(text)
    if datatype in (XSD_NS + "double", XSD_NS + "float"):
        return float(text.replace("INF", "inf"))
    if datatype == XSD_NS + "boolean":
        return {"true": True, "1": True, "false": False, "0": False}[text.strip()]
    if datatype == XSD_NS + "dateTime":
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if datatype in (XSD_NS + "date", XSD_NS + "gYearMonth", XSD_NS + "gYear"):
        return _date_value(text, datatype[len(XSD_NS):])
    return text


def python_value(kind: str, value: str, datatype: str = "", iri: Callable[[str], object] = str):
    """A result cell (kind "iri", "literal", "bnode" or "" for unbound; its value; a literal's
    datatype IRI) as a Python value: ``iri(value)`` for an IRI (a string by default), the
    converted value for a typed literal, the text for any other literal or a blank node's id,
    None when unbound.

    Example:
        >>> python_value("literal", "12000", XSD_NS + "integer")
        12000
        >>> python_value("literal", "2024-06", XSD_NS + "gYearMonth").latest
        datetime.date(2024, 6, 30)
        >>> python_value("literal", "true", XSD_NS + "boolean"), python_value("literal", "12", XSD_NS + "string")
        (True, '12')
    """
    if not kind:
        return None
    if kind == "iri":
        return iri(value)
    if kind == "literal":
        try:
            return _convert(value, datatype)
        except (ValueError, KeyError, InvalidOperation, IndexError):
            return value            # not valid for its datatype: kept as written
    return value


def column_for_pandas(pd, cells: list[tuple[str, str, str]], *, raw: bool = False, iri: Callable[[str], object] = str):
    """One DataFrame column from one variable's cells, typed as ``kg.dataframe`` says (``pd`` is
    the pandas module: this module does not import it)."""
    if raw:
        return pd.Series([value if kind else None for kind, value, _ in cells], dtype=object)
    values = [python_value(kind, value, datatype, iri) for kind, value, datatype in cells]
    present = [v for v in values if v is not None]
    kinds = {type(v) for v in present}
    if not present or len(kinds) > 1 and not kinds <= {dt.date, DateValue}:
        return pd.Series(values, dtype=object)
    kind = kinds.pop() if len(kinds) == 1 else DateValue
    if kind is bool:
        return pd.Series(values, dtype="boolean")
    if kind is int:
        return pd.Series(values, dtype="Int64")
    if kind in (float, Decimal):
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kind is dt.date:
        return pd.Series(pd.to_datetime(values))
    if kind is dt.datetime:
        return pd.Series(pd.to_datetime(values, utc=any(v.tzinfo for v in present)))
    if kind is DateValue:                       # months, years, maybe days: each a Period of its precision
        freq = {"day": "D", "month": "M", "year": "Y"}
        periods = [None if v is None else pd.Period(v.iso if isinstance(v, DateValue) else v.isoformat(),
                                                    freq=freq[v.precision.value] if isinstance(v, DateValue) else "D")
                   for v in values]
        return pd.Series(periods)
    return pd.Series(values, dtype=object)
