"""Dates as precise as the record is: a year, a month, or a day."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS = list(enumerate(MONTH_NAMES, start=1))
year_validators = [MinValueValidator(1000), MaxValueValidator(2999)]
day_validators = [MinValueValidator(1), MaxValueValidator(31)]


def partial_date(
    year: int | None, month: int | None = None, day: int | None = None
) -> str:
    """Return "2019", "December 2024" or "February 14, 2019"."""
    if not year:
        return ""
    if not month:
        return str(year)
    if not day:
        return f"{MONTH_NAMES[month - 1]} {year}"
    return f"{MONTH_NAMES[month - 1]} {day}, {year}"


def partial_date_constraints(prefix: str) -> list:
    """The rules of a year/month/day date: no month without a year, no day without
    a month.  Named ``<prefix>_month_needs_year`` and ``<prefix>_day_needs_month``."""
    return [
        models.CheckConstraint(
            condition=Q(month__isnull=True) | Q(year__isnull=False),
            name=f"{prefix}_month_needs_year",
            violation_error_message="Give the year with the month.",
        ),
        models.CheckConstraint(
            condition=Q(day__isnull=True) | Q(month__isnull=False),
            name=f"{prefix}_day_needs_month",
            violation_error_message="Give the month with the day.",
        ),
    ]


class PartialDateMixin:
    """``date_display`` for a model with year, month and day fields."""

    @property
    def date_display(self) -> str:
        return partial_date(self.year, self.month, self.day)
