"""The bench's one table: every performance target with its goal, the figure at each scale, how the figure grew
from the smaller scale to the larger, and whether it passes."""
from __future__ import annotations

import unicodedata

SECRETARY_PAGES = {"secretary_pending": "本月待报", "secretary_report": "月报填报", "secretary_home": "首页",
                   "secretary_my": "我的责任"}
MINUTES_ALLOWED = 15


def _rows(results: list[dict]) -> list[tuple]:
    """(metric, goal text, value per scale, check(values, growth) -> bool, format, growth-based)"""
    def page(name, key):
        return [r["pages"][name][key] for r in results]

    def yearend(key):
        return [r["yearend"][key] if key.startswith("ratio") else r["yearend"]["export"][key] for r in results]

    rows = [
        ("年度台账 ÷ openpyxl 只写值", "≤ 1.5×", yearend("ratio_plain"), lambda v: max(v) <= 1.5, "{:.2f}×"),
        ("年度台账 峰值内存 MB", "≤ 300", yearend("peak_mb"), lambda v: max(v) <= 300, "{:.0f}"),
        ("导入 500 行清单 s", "≤ 3", [r["import"]["seconds"] for r in results], lambda v: max(v) <= 3, "{:.2f}"),
        ("导入 500 行清单 查询数", "≤ 50", [r["import"]["queries"] for r in results], lambda v: max(v) <= 50, "{:.0f}"),
        ("发布 ~14k 任务分解 s", "≤ 2", [r["publish"]["seconds"] for r in results], lambda v: max(v) <= 2, "{:.2f}"),
        ("看板总览 ÷ 原始 SQL", "≤ 2×", page("overview", "ratio"), lambda v: max(v) <= 2, "{:.2f}×"),
        ("看板一览 ÷ 原始 SQL", "≤ 2×", page("grid", "ratio"), lambda v: max(v) <= 2, "{:.2f}×"),
        ("整改台账 ÷ 原始 SQL", "≤ 3×", page("ledger", "ratio"), lambda v: max(v) <= 3, "{:.2f}×"),
        ("提醒扫描 s", "≤ 5", [r["scan"]["seconds"] for r in results], lambda v: max(v) <= 5, "{:.2f}"),
        ("持久连接 CONN_MAX_AGE s", "> 0，带检查", [r["conn_max_age"] for r in results], lambda v: min(v) > 0, "{:.0f}"),
    ]
    growth = [(f"{label} ms", name) for name, label in SECRETARY_PAGES.items()]
    for label, name in growth:
        rows.append((label, "大/小 ≤ 1.2", page(name, "median_ms"), None, "{:.1f}", 1.2))
    for label, name in (("看板总览 HTML KB", "overview"), ("看板一览 HTML KB", "grid"), ("整改台账 HTML KB", "ledger")):
        rows.append((label, "大/小 ≤ 1.05", [b / 1024 for b in page(name, "html_bytes")], None, "{:.1f}", 1.05))
    return rows


def _pad(text: str, width: int) -> str:
    """Left-aligned in `width` terminal columns, a Chinese character taking two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def print_targets(results: list[dict], seconds: float) -> bool:
    scales = [r["dataset"]["organisations"] for r in results]
    print("== targets")
    head = f"   {_pad('metric', 30)}{_pad('goal', 14)}" + "".join(f"{f'{n} orgs':>12}" for n in scales) + f"{'growth':>9}  result"
    print(head)
    failed = False
    for row in _rows(results):
        label, goal, values, check, fmt = row[:5]
        growth = values[-1] / values[0] if len(values) > 1 and values[0] else None
        if check is None:  # a growth target: meaningful only with two scales
            ok = None if len(values) < 2 else growth is not None and growth <= row[5]
        else:
            ok = check(values)
        failed |= ok is False
        cells = "".join(f"{fmt.format(v):>12}" for v in values)
        verdict = {True: "pass", False: "FAIL", None: "n/a (one scale)"}[ok]
        print(f"   {_pad(label, 30)}{_pad(goal, 14)}{cells}{(f'{growth:.2f}' if growth else '—'):>9}  {verdict}")
    minutes = seconds / 60
    ok = minutes <= MINUTES_ALLOWED
    failed |= not ok
    print(f"   {_pad('make bench 全程 min', 30)}{_pad('≤ 15', 14)}{minutes:>12.1f}{'':>{12 * (len(scales) - 1)}}{'—':>9}  "
          f"{'pass' if ok else 'FAIL'}")
    return failed
