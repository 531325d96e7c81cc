"""The working-day calendar in force: the holidays package, overridden by official notices.

Officials publish each year which days are swapped or added (the ``calendar_day`` table); the
package only supplies the statutory holidays. The calendar is rebuilt at most once a minute.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.domain.calendar import OfficeHours, WorkingCalendar
from app.models import CalendarDay

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OFFICE_HOURS = OfficeHours()
_TTL = 60.0
_cached: tuple[float, WorkingCalendar] | None = None


def local_now() -> datetime:
    return datetime.now(UTC).astimezone(LOCAL_TZ)


def to_local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TZ)


async def working_calendar(today: date | None = None) -> WorkingCalendar:
    global _cached
    if _cached and time.monotonic() - _cached[0] < _TTL:
        return _cached[1]
    today = today or local_now().date()
    overrides = await CalendarDay.select().run()
    calendar = WorkingCalendar.from_holidays_package(
        years=range(today.year - 1, today.year + 3),
        extra_days_off=[r["day"] for r in overrides if not r["is_working_day"]],
        working_days=[r["day"] for r in overrides if r["is_working_day"]],
    )
    _cached = (time.monotonic(), calendar)
    return calendar


def forget_calendar() -> None:
    global _cached
    _cached = None
