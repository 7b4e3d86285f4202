"""The agency sample files the tests import, kept in the repository (tests/fixtures/samples/)."""
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
LIST_FILE = SAMPLES / "responsibility_list_2022.xlsx"
RISK_FILE = SAMPLES / "risk_list_2022.xlsx"
LEDGER_FILE = SAMPLES / "rectification_ledger_2022.xlsx"
VOTES_FILE = SAMPLES / "assessment_votes_2026.xlsx"
