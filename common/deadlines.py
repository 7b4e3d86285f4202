"""Turn a 完成时限 cell (free Chinese text or an Excel date) into a deadline rule: frequency and due dates."""

from __future__ import annotations

import calendar
import datetime
import enum
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Frequency", "FREQUENCY_LABELS", "Deadline", "DeadlineError", "parse_deadline"]


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    ONCE = "once"
    ONGOING = "ongoing"
    IMMEDIATE = "immediate"


FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.MONTHLY: "每月",
    Frequency.QUARTERLY: "每季度",
    Frequency.HALF_YEARLY: "每半年",
    Frequency.YEARLY: "全年",
    Frequency.ONCE: "限期完成",
    Frequency.ONGOING: "长期坚持",
    Frequency.IMMEDIATE: "立行立改",
}


@dataclass(frozen=True)
class Deadline:
    """A deadline rule.

    ``due_dates`` are the dates in the year by which the item is due (12 month ends for a monthly item,
    one date for ``ONCE``); ``ONGOING`` and ``IMMEDIATE`` items have none. ``text`` is the cell as written.
    """

    frequency: Frequency
    due_dates: tuple[datetime.date, ...]
    text: str

    @property
    def label(self) -> str:
        return FREQUENCY_LABELS[self.frequency]

    @property
    def last_due(self) -> datetime.date | None:
        return self.due_dates[-1] if self.due_dates else None


class DeadlineError(ValueError):
    """The deadline cannot be read; the message is Chinese and quotes the value."""

    def __init__(self, message: str, value: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value


_HINT = "可填写如“每月”“每季度”“每半年”“全年”“6月底前”“2022年12月31日”“长期坚持”“立行立改”"

# Keyword rules, checked in this order on the normalised text (no spaces, half-width).
_IMMEDIATE_RE = re.compile(r"立行立改|立即整改|立查立改|立知立改|立即")
_ONGOING_RE = re.compile(r"长期|持续|常态化|经常性")
_MONTHLY_RE = re.compile(r"(?:每|按|逐)个?月|月度")
_QUARTERLY_RE = re.compile(r"(?:每|按|逐)个?季|(?<![\d第])季度")
_HALF_RE = re.compile(r"半年")
_YEARLY_STRONG_RE = re.compile(r"全年|每年|按年|每一年|一年一次")
_YEARLY_RE = re.compile(_YEARLY_STRONG_RE.pattern + r"|年度")

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Years (二〇二二年) need four digits so that 一年一次 / 每一年 stay words.
_CN_NUMBER_RE = re.compile(r"[〇零○一二三四五六七八九]{4}(?=年)|[〇零○一二两三四五六七八九十]+(?=[月日号季])")

_HOLIDAYS = {"五一": (5, 1), "劳动节": (5, 1), "六一": (6, 1), "七一": (7, 1), "建党节": (7, 1),
             "八一": (8, 1), "建军节": (8, 1), "十一": (10, 1), "国庆": (10, 1)}

# Date mentions; alternatives are tried in this order at each position (earliest position wins).
_DATE_RE = re.compile(
    r"(?<!\d)(?P<fy>\d{4})\s*[年./\-]\s*(?P<fm>\d{1,2})\s*[月./\-]\s*(?P<fd>\d{1,2})(?!\d)[日号]?"
    r"|(?<!\d)(?P<ymy>\d{4})\s*[年./\-]\s*(?P<ymm>\d{1,2})(?!\d)\s*月?(?P<yms>上旬|中旬|下旬|初)?"
    r"|(?<!\d)(?P<yy>\d{4})年(?![度\d])"
    r"|(?<!\d)(?P<mdm>\d{1,2})月(?P<mdd>\d{1,2})(?!\d)[日号]?"
    r"|(?<![\d.])(?P<dm>\d{1,2})[./](?P<dd>\d{1,2})(?![\d./])"
    r"|(?<!\d)(?P<mm>\d{1,2})月(?P<ms>上旬|中旬|下旬|初)?"
    r"|(?P<q>[1-4])个?季度"
    r"|(?P<h>上半年|下半年|年中)"
    r"|(?P<ye>年底|年末|年终|年内)"
    r"|(?<![一二三四五六七八九十\d])(?P<hol>五一|劳动节|六一|七一|建党节|八一|建军节|十一|国庆)"
)


def _cn_to_int(text: str) -> int | None:
    if "十" in text:
        tens, _, units = text.partition("十")
        if len(tens) > 1 or len(units) > 1 or "十" in units:
            return None
        try:
            return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
        except KeyError:
            return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def _replace_cn_numbers(text: str) -> str:
    def repl(match: re.Match[str]) -> str:
        number = _cn_to_int(match.group(0))
        return match.group(0) if number is None else str(number)

    return _CN_NUMBER_RE.sub(repl, text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = text.replace("—", "-").replace("–", "-").replace("－", "-")
    return _replace_cn_numbers(text)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _in_month(year: int, month: int, part: str | None) -> datetime.date:
    if part in ("上旬", "初"):
        return datetime.date(year, month, 10)
    if part == "中旬":
        return datetime.date(year, month, 20)
    return _month_end(year, month)


def _dates_in(text: str, year: int, original: str) -> list[datetime.date]:
    found: list[datetime.date] = []
    for m in _DATE_RE.finditer(text):
        g = m.groupdict()
        try:
            if g["fy"]:
                found.append(datetime.date(int(g["fy"]), int(g["fm"]), int(g["fd"])))
            elif g["ymy"]:
                found.append(_in_month(int(g["ymy"]), int(g["ymm"]), g["yms"]))
            elif g["yy"]:
                found.append(datetime.date(int(g["yy"]), 12, 31))
            elif g["mdm"]:
                found.append(datetime.date(year, int(g["mdm"]), int(g["mdd"])))
            elif g["dm"]:
                found.append(datetime.date(year, int(g["dm"]), int(g["dd"])))
            elif g["mm"]:
                found.append(_in_month(year, int(g["mm"]), g["ms"]))
            elif g["q"]:
                found.append(_month_end(year, int(g["q"]) * 3))
            elif g["h"]:
                found.append(datetime.date(year, 12, 31) if g["h"] == "下半年" else datetime.date(year, 6, 30))
            elif g["ye"]:
                found.append(datetime.date(year, 12, 31))
            elif g["hol"]:
                found.append(datetime.date(year, *_HOLIDAYS[g["hol"]]))
        except ValueError:
            raise DeadlineError(f"完成时限“{original}”中的日期“{m.group(0)}”不存在", original) from None
    return found


def parse_deadline(value: object, *, year: int) -> Deadline:
    """Read ``value`` (text, or a date/datetime from an Excel cell) as a deadline in ``year``.

    Raises DeadlineError for an empty value or a text it cannot read.
    """
    if isinstance(value, datetime.datetime):
        return Deadline(Frequency.ONCE, (value.date(),), value.date().isoformat())
    if isinstance(value, datetime.date):
        return Deadline(Frequency.ONCE, (value,), value.isoformat())
    if value is None or isinstance(value, bool):
        raise DeadlineError("完成时限为空", value)
    original = str(value).strip()
    if not original:
        raise DeadlineError("完成时限为空", value)
    text = _normalise(original)

    if _IMMEDIATE_RE.search(text):
        return Deadline(Frequency.IMMEDIATE, (), original)
    if _ONGOING_RE.search(text):
        return Deadline(Frequency.ONGOING, (), original)
    if _MONTHLY_RE.search(text):
        day = re.search(r"(?<!\d)(\d{1,2})[日号]", text)
        if day and 1 <= int(day.group(1)) <= 31:
            dates = tuple(datetime.date(year, m, min(int(day.group(1)), _month_end(year, m).day))
                          for m in range(1, 13))
        else:
            dates = tuple(_month_end(year, m) for m in range(1, 13))
        return Deadline(Frequency.MONTHLY, dates, original)
    if _QUARTERLY_RE.search(text):
        return Deadline(Frequency.QUARTERLY, tuple(_month_end(year, m) for m in (3, 6, 9, 12)), original)
    if _HALF_RE.search(re.sub(r"上半年|下半年", "", text)):
        return Deadline(Frequency.HALF_YEARLY, (datetime.date(year, 6, 30), datetime.date(year, 12, 31)), original)

    dates = _dates_in(text, year, original)
    if dates:
        due = max(dates)
        if _YEARLY_STRONG_RE.search(text):
            return Deadline(Frequency.YEARLY, (due,), original)
        return Deadline(Frequency.ONCE, (due,), original)
    if _YEARLY_RE.search(text):
        return Deadline(Frequency.YEARLY, (datetime.date(year, 12, 31),), original)
    raise DeadlineError(f"无法识别的完成时限“{original}”，{_HINT}", value)
