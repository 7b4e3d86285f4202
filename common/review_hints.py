"""Hints for reviewers, contributed by the apps that find them: the review pages of monthly reports and measure
closure show them without depending on those apps (today: the 纸上整改 signs of 问责, reused evidence and copied
progress text).

An app registers in its AppConfig.ready():

    from common.review_hints import register_review_hint_provider
    register_review_hint_provider(my_hints)   # my_hints(user, holders) -> ReviewHints | None

`holders` name what is under review, "reports.reportline:12" or "rectification.measure:7". A provider costs a fixed
number of queries whatever the number of holders."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class ReviewHints:
    by_holder: dict[str, list[str]] = field(default_factory=dict)  # holder → warnings
    link: str = ""  # where the full list is, when the user may open it
    link_label: str = ""

    @property
    def count(self) -> int:
        return sum(len(warnings) for warnings in self.by_holder.values())

    def get(self, holder: str) -> list[str]:
        return self.by_holder.get(holder, [])


ReviewHintProvider = Callable[[object, list[str]], "ReviewHints | None"]
REVIEW_HINT_PROVIDERS: list[ReviewHintProvider] = []


def register_review_hint_provider(provider: ReviewHintProvider) -> None:
    if provider not in REVIEW_HINT_PROVIDERS:
        REVIEW_HINT_PROVIDERS.append(provider)


def review_hints(*, user, holders: Iterable[str]) -> ReviewHints:
    """Every provider's hints for `holders`, merged (the first provider with a list page gives the link)."""
    holders = list(holders)
    merged, link, label = defaultdict(list), "", ""
    if not holders:
        return ReviewHints()
    for provider in REVIEW_HINT_PROVIDERS:
        found = provider(user, holders)
        if found is None:
            continue
        for holder, warnings in found.by_holder.items():
            merged[holder] += warnings
        link, label = link or found.link, label or found.link_label
    return ReviewHints(dict(merged), link, label)
