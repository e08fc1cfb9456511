"""Dates as precise as the record is: a year, a month, or a day."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact

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


def _leap_year() -> Q:
    """The year is a leap year of the Gregorian calendar."""
    year = F("year")
    return Q(Exact(year % 4, 0)) & (~Q(Exact(year % 100, 0)) | Q(Exact(year % 400, 0)))


def _day_in_month() -> Q:
    """The day is one the month has: no 30 February, no 31 April."""
    return (
        Q(day__isnull=True)
        | Q(day__lte=28)
        | Q(month__in=[1, 3, 5, 7, 8, 10, 12])
        | Q(month__in=[4, 6, 9, 11], day__lte=30)
        | (Q(month=2, day=29) & _leap_year())
    )


def partial_date_constraints(prefix: str) -> list:
    """The rules of a year/month/day date: no month without a year, no day without
    a month, no day the month does not have.  Named ``<prefix>_month_needs_year``,
    ``<prefix>_day_needs_month`` and ``<prefix>_day_in_month``."""
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
        models.CheckConstraint(
            condition=_day_in_month(),
            name=f"{prefix}_day_in_month",
            violation_error_message="That month has no such day (there is no "
            "30 February or 31 April, and 29 February only in leap years).",
        ),
    ]


class PartialDateMixin:
    """``date_display`` for a model with year, month and day fields."""

    @property
    def date_display(self) -> str:
        return partial_date(self.year, self.month, self.day)
