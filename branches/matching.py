"""Find organisations by the names people write in Excel: full name, short name or alias."""
from __future__ import annotations

import difflib
import re

from .models import Organisation

_SPACE = re.compile(r"[\s\u3000]+")


def normalise_name(text: str) -> str:
    text = _SPACE.sub("", str(text or ""))
    return text.replace("（", "(").replace("）", ")").strip()


class OrganisationMatcher:
    """Loaded once per import; matching is then done in memory."""

    def __init__(self, organisations):
        self.by_key: dict[str, set[Organisation]] = {}
        self.organisations = list(organisations)
        for org in self.organisations:
            for key in {org.name, org.short_name, *org.alias_list}:
                if key:
                    self.by_key.setdefault(normalise_name(key), set()).add(org)

    @classmethod
    def for_active(cls) -> OrganisationMatcher:
        return cls(Organisation.objects.active())

    def candidates(self, text: str) -> set[Organisation]:
        return self.by_key.get(normalise_name(text), set())

    def match(self, text: str) -> Organisation | None:
        """The one organisation the text names, or None when it names none or several."""
        found = self.candidates(text)
        return next(iter(found)) if len(found) == 1 else None

    def close_matches(self, text: str, limit: int = 3) -> list[str]:
        key = normalise_name(text)
        names = sorted({org.name for org in self.organisations})
        close = difflib.get_close_matches(key, names, n=limit, cutoff=0.5)
        contained = [n for n in names if key and (key in n or n in key) and n not in close]
        return (close + contained)[:limit]
