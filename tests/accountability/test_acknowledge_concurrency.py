"""Two 签收 of one recipient row at the same moment record one (PostgreSQL: real row locks, separate connections).

In its own module because it is transactional: pytest-django runs transactional tests after the others."""
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accountability import instructions as services
from accountability.models import InstructionEvent, Recipient, RecipientState
from tests.accountability.helpers import issue
from tests.conftest import Demo


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_acknowledgements_at_the_same_moment_on_postgresql_record_one(demo, on_demo_day):
    instruction = issue(demo, "chengang", ["执法一支部"])
    recipient = instruction.recipients.get()
    # Both threads pass every check on a pending row, then meet at the barrier and race to the conditional UPDATE.
    barrier = threading.Barrier(2, timeout=10)
    real_ensure_open = services._ensure_open
    outcomes = []

    def open_then_wait(found):
        real_ensure_open(found)
        barrier.wait()

    def acknowledge():
        try:
            services.recipient_acknowledge(actor=Demo().user("tangliang"),
                                           recipient=Recipient.objects.get(pk=recipient.pk))
            outcomes.append("acknowledged")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    with mock.patch.object(services, "_ensure_open", open_then_wait):
        threads = [threading.Thread(target=acknowledge) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)

    assert sorted(outcomes) == ["acknowledged", "已签收，请勿重复签收。"]
    assert InstructionEvent.objects.filter(recipient=recipient, action=InstructionEvent.Action.ACKNOWLEDGED).count() == 1
    row = Recipient.objects.get(pk=recipient.pk)
    assert row.state == RecipientState.ACKNOWLEDGED
    assert row.acknowledged_by.username == "tangliang"
