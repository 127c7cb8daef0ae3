"""How figures read: a value with its unit ("$190 bn", "40%"), a metric ("bilateral trade"),
and two values in conflict with their difference ("$185 bn vs $190 bn, 2.6%"). One rule, used by
the cross-article step's labels, by the views and by every page."""

from __future__ import annotations

from collections.abc import Mapping

from lib.contract.schema import missing

SCALES = ((1e12, "trn"), (1e9, "bn"), (1e6, "m"))  # large numbers in the compact style of a table
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£"}


def format_value(value: object, unit: object) -> str:
    """A figure as a reader writes it: "$190 bn", "$53.8 bn", "40%", "5 pp", "×2", "1.2 trn CNY",
    "15 bcm" ("?" for a missing value, the bare number for a missing unit)."""
    if missing(value):
        return "?"
    value = float(value)
    unit = None if missing(unit) else str(unit)
    if unit == "percent":
        return f"{value:g}%"
    if unit == "percentage_points":
        return f"{value:g} pp"
    if unit == "ratio":
        return f"×{value:g}"
    number = f"{value:g}"
    for factor, word in SCALES:
        if abs(value) >= factor:
            number = f"{round(value / factor, 2):g} {word}"
            break
    sign = CURRENCY_SIGNS.get(unit or "")
    if sign:
        return f"-{sign}{number[1:]}" if value < 0 else f"{sign}{number}"
    return f"{number} {unit or ''}".strip()


def metric_label(metric: object) -> str:
    """A metric as a reader says it: "bilateral trade" for `bilateral_trade`."""
    return "figure" if missing(metric) or not str(metric) else str(metric).replace("_", " ")


def shown_value(figure: Mapping) -> str:
    """A fact's value as a reader says it: the article's own words for a multiple or a range
    ("almost half", "more than doubling", "$100-120 billion"), else `format_value`.

    `figure` needs `value` (missing for a range), `unit` and `surface`."""
    surface = figure.get("surface")
    if (figure.get("unit") == "ratio" or missing(figure.get("value"))) and not missing(surface) and str(surface):
        return str(surface)
    return format_value(figure.get("value"), figure.get("unit"))


def difference(a: float, b: float) -> float:
    """How far apart two values are, relative to the larger (0.026 for $185 bn and $190 bn)."""
    largest = max(abs(a), abs(b))
    return abs(a - b) / largest if largest else 0.0


def conflict_note(value: object, other: object, unit: object) -> str:
    """Two values of a conflict side by side with their difference: "$185 bn vs $190 bn, 2.6%"."""
    if missing(value) or missing(other):
        return f"{format_value(value, unit)} vs {format_value(other, unit)}"
    gap = difference(float(value), float(other))
    return f"{format_value(value, unit)} vs {format_value(other, unit)}, {gap:.1%}"
