"""Irreversible steps ask first: every button that publishes, accepts, strikes off, finalises, withdraws or deletes
carries a data-confirm question (static/js/site.js asks it before the form is sent)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# The labels of buttons that cannot be taken back.
IRREVERSIBLE = ("发布", "审核通过", "提交审核意见", "删除", "定档", "撤回", "公示")


def test_every_irreversible_button_asks_for_confirmation():
    unasked, checked = [], 0
    for path in TEMPLATES.rglob("*.html"):
        for button in re.findall(r"<button[^>]*>.*?</button>", path.read_text(encoding="utf-8"), flags=re.S):
            label = re.sub(r"""\{%\s*translate\s+["']([^"']*)["'][^%]*%\}""", r"\1", button.split(">", 1)[1])
            label = re.sub(r"\{%.*?%\}|<[^>]+>", "", label)
            opening = button.split(">", 1)[0]
            irreversible = any(word in label for word in IRREVERSIBLE)
            checked += irreversible
            if irreversible and "data-confirm" not in opening:
                unasked.append(f"{path.relative_to(TEMPLATES)}: {label.strip()[:30]}")
    assert unasked == []
    assert checked >= 9  # the labels were read (a parsing slip would pass every template)
