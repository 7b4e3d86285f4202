"""Exactly one beat: a second beat cannot take the lock while the first holds it, and takes it once it is gone."""
import pytest

from config.beat import BeatLock


@pytest.mark.django_db(transaction=True)
def test_a_second_beat_waits_until_the_first_is_gone(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    first, second = BeatLock(), BeatLock()
    try:
        assert first.acquire() is True
        assert second.acquire() is False
        assert first.still_held() is True
        first.release()  # the first beat stops (or dies: its connection or file closes with it)
        assert second.acquire() is True
    finally:
        first.release()
        second.release()
