"""Dates as precise as the record is: a year, a month, or a day."""

from django.core.validators import MaxValueValidator, MinValueValidator

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
