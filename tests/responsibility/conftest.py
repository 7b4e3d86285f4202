"""Fixtures: the sample lists imported (and published) into the demo agency."""
from pathlib import Path

import pytest

from responsibility.models import ListKind
from responsibility.services import responsibility_list_import, responsibility_list_publish

from tests.samples import SAMPLES


def sample(name: str) -> Path:
    return SAMPLES / name


@pytest.fixture
def main_list(demo):
    with sample("responsibility_list_2022.xlsx").open("rb") as handle:
        rlist = responsibility_list_import(actor=demo.user("wumin"), source=handle, year=2022,
                                           file_name="responsibility_list_2022.xlsx")
    return responsibility_list_publish(actor=demo.user("wumin"), rlist=rlist)


@pytest.fixture
def risk_list(demo):
    with sample("risk_list_2022.xlsx").open("rb") as handle:
        rlist = responsibility_list_import(actor=demo.user("wumin"), source=handle, year=2022, kind=ListKind.RISK,
                                           file_name="risk_list_2022.xlsx")
    return responsibility_list_publish(actor=demo.user("wumin"), rlist=rlist)
