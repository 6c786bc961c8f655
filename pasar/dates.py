"""Weeks and date ranges as the POSDAYA count them.

A week runs Monday to Sunday in Asia/Jakarta (the active time zone); every
report and dashboard uses these helpers, so "this week" means one thing.
"""

import datetime as dt

from django.utils import timezone


def monday(day: dt.date) -> dt.date:
    """Return the Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def this_week(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Return Monday and Sunday of the current week in Asia/Jakarta."""
    start = monday(today or timezone.localdate())
    return start, start + dt.timedelta(days=6)


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the Mondays of every week touching start..end."""
    first, last = monday(start), monday(end)
    return [first + dt.timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return aware datetimes for [start 00:00, end+1 00:00) in the current zone."""
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high
