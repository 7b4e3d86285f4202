"""Tests for common.deadlines.parse_deadline (pure Python, no Django)."""

import datetime

import pytest

from common.deadlines import (
    FREQUENCY_LABELS,
    Deadline,
    DeadlineError,
    Frequency,
    parse_deadline,
)

D = datetime.date
MONTH_ENDS_2022 = (
    D(2022, 1, 31), D(2022, 2, 28), D(2022, 3, 31), D(2022, 4, 30), D(2022, 5, 31), D(2022, 6, 30),
    D(2022, 7, 31), D(2022, 8, 31), D(2022, 9, 30), D(2022, 10, 31), D(2022, 11, 30), D(2022, 12, 31),
)
QUARTER_ENDS_2022 = (D(2022, 3, 31), D(2022, 6, 30), D(2022, 9, 30), D(2022, 12, 31))
HALF_YEAR_ENDS_2022 = (D(2022, 6, 30), D(2022, 12, 31))


@pytest.mark.parametrize("text", ["每月", "按月", "每月底前", "每个月", "月度", " 每 月 "])
def test_monthly(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.MONTHLY, MONTH_ENDS_2022, text.strip())


def test_monthly_in_a_leap_year_and_with_a_day():
    assert parse_deadline("每月", year=2024).due_dates[1] == D(2024, 2, 29)
    deadline = parse_deadline("每月10日前报送", year=2022)
    assert deadline.frequency is Frequency.MONTHLY
    assert deadline.due_dates == tuple(D(2022, m, 10) for m in range(1, 13))


@pytest.mark.parametrize("text", ["每季度", "按季度", "每季", "每个季度", "季度"])
def test_quarterly(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.QUARTERLY, QUARTER_ENDS_2022, text)


@pytest.mark.parametrize("text", ["每半年", "半年", "按半年"])
def test_half_yearly(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.HALF_YEARLY, HALF_YEAR_ENDS_2022, text)


@pytest.mark.parametrize("text", ["全年", "年度", "每年", "2022年度", "一年一次"])
def test_yearly(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.YEARLY, (D(2022, 12, 31),), text)


def test_yearly_with_a_date_keeps_the_date():
    assert parse_deadline("每年6月底前", year=2022) == Deadline(Frequency.YEARLY, (D(2022, 6, 30),), "每年6月底前")


@pytest.mark.parametrize(
    "text, due",
    [
        ("年底前", D(2022, 12, 31)),
        ("年末", D(2022, 12, 31)),
        ("12月底前", D(2022, 12, 31)),
        ("6月底前", D(2022, 6, 30)),
        ("6月前", D(2022, 6, 30)),
        ("6月份", D(2022, 6, 30)),
        ("2月底前", D(2022, 2, 28)),
        ("4月底前", D(2022, 4, 30)),
        ("9月底前", D(2022, 9, 30)),
        ("7月1日前", D(2022, 7, 1)),
        ("7月1号前", D(2022, 7, 1)),
        ("2022年3月31日", D(2022, 3, 31)),
        ("2022-03-31", D(2022, 3, 31)),
        ("2022.3.31", D(2022, 3, 31)),
        ("2022/3/31", D(2022, 3, 31)),
        ("2022年3月底前", D(2022, 3, 31)),
        ("2022年6月", D(2022, 6, 30)),
        ("2022年6月底前", D(2022, 6, 30)),
        ("2022年2月", D(2022, 2, 28)),
        ("2022年底前", D(2022, 12, 31)),
        ("2023年3月31日", D(2023, 3, 31)),  # an explicit year wins over the list's year
        ("六月底前", D(2022, 6, 30)),
        ("七一前后", D(2022, 7, 1)),
        ("七一前", D(2022, 7, 1)),
        ("十二月", D(2022, 12, 31)),
        ("十一月底前", D(2022, 11, 30)),
        ("三月三十一日前", D(2022, 3, 31)),
        ("二〇二二年三月三十一日", D(2022, 3, 31)),
        ("２０２２年３月３１日", D(2022, 3, 31)),  # full-width digits
        ("２０２２．３．３１", D(2022, 3, 31)),
        ("6月底前完成", D(2022, 6, 30)),
        (" 6 月 底 前\n", D(2022, 6, 30)),
        ("2022年3月31日前完成", D(2022, 3, 31)),
        ("一季度", D(2022, 3, 31)),
        ("第三季度", D(2022, 9, 30)),
        ("上半年", D(2022, 6, 30)),
        ("下半年", D(2022, 12, 31)),
        ("6月中旬", D(2022, 6, 20)),
        ("2022年3月底前完成初稿，6月底前印发", D(2022, 6, 30)),  # the last date is the due date
    ],
)
def test_single_due_date(text, due):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.ONCE, (due,), text.strip())


def test_year_parameter_fills_dates_without_a_year():
    assert parse_deadline("6月底前", year=2023).due_dates == (D(2023, 6, 30),)
    assert parse_deadline("年底前", year=2021).due_dates == (D(2021, 12, 31),)
    assert parse_deadline("七一前后", year=2021).due_dates == (D(2021, 7, 1),)


def test_excel_date_cells():
    assert parse_deadline(datetime.datetime(2022, 3, 31), year=2022) == Deadline(
        Frequency.ONCE, (D(2022, 3, 31),), "2022-03-31")
    assert parse_deadline(D(2022, 11, 30), year=2022) == Deadline(Frequency.ONCE, (D(2022, 11, 30),), "2022-11-30")


@pytest.mark.parametrize("text", ["长期坚持", "长期", "持续推进", "常态化", "常态化开展"])
def test_ongoing(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.ONGOING, (), text)


@pytest.mark.parametrize("text", ["立行立改", "立即整改"])
def test_immediate(text):
    assert parse_deadline(text, year=2022) == Deadline(Frequency.IMMEDIATE, (), text)


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000", "\n"])
def test_empty_is_an_error(value):
    with pytest.raises(DeadlineError) as excinfo:
        parse_deadline(value, year=2022)
    assert str(excinfo.value) == "完成时限为空"


@pytest.mark.parametrize("value", ["下个阶段", "及时", "按要求", "44742", 44742.0])
def test_unreadable_is_an_error_quoting_the_value(value):
    with pytest.raises(DeadlineError) as excinfo:
        parse_deadline(value, year=2022)
    assert str(excinfo.value).startswith(f"无法识别的完成时限“{value}”")
    assert excinfo.value.value == value


@pytest.mark.parametrize("text", ["2月30日", "2022年13月", "2022年2月30日"])
def test_impossible_date_is_an_error(text):
    with pytest.raises(DeadlineError, match=f"完成时限“{text}”中的日期.*不存在"):
        parse_deadline(text, year=2022)


def test_error_is_a_value_error():
    assert issubclass(DeadlineError, ValueError)


def test_frequency_values_and_labels():
    assert [f.value for f in Frequency] == [
        "monthly", "quarterly", "half_yearly", "yearly", "once", "ongoing", "immediate"]
    assert FREQUENCY_LABELS == {
        Frequency.MONTHLY: "每月", Frequency.QUARTERLY: "每季度", Frequency.HALF_YEARLY: "每半年",
        Frequency.YEARLY: "全年", Frequency.ONCE: "限期完成", Frequency.ONGOING: "长期坚持",
        Frequency.IMMEDIATE: "立行立改",
    }
    assert Frequency("monthly") is Frequency.MONTHLY
    assert parse_deadline("每季度", year=2022).label == "每季度"
    assert parse_deadline("6月底前", year=2022).last_due == D(2022, 6, 30)
    assert parse_deadline("长期坚持", year=2022).last_due is None
