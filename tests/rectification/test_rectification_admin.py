"""Admin: staff edit the ledger, inspectors read it, the timeline stays read-only; the audit log follows field changes."""
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from rectification.models import Batch, Measure, MeasureEvent
from tests.rectification.conftest import HR_RECORDS, measure

pytestmark = pytest.mark.usefixtures("ledger")


def test_staff_edit_and_inspectors_view(demo, client):
    m = measure(HR_RECORDS)
    change = f"/admin/rectification/measure/{m.pk}/change/"
    demo.client_for(client, "wumin")
    assert client.get("/admin/rectification/measure/").status_code == 200
    page = client.get(change)
    assert page.status_code == 200 and "state" in page.context["adminform"].readonly_fields
    assert client.get("/admin/rectification/batch/").status_code == 200
    event = m.events.first()
    assert client.get(f"/admin/rectification/measureevent/{event.pk}/change/").context["has_change_permission"] is False
    client.logout()

    demo.client_for(client, "chengang")
    assert client.get("/admin/rectification/measure/").status_code == 200
    assert client.get(change).context["has_change_permission"] is False
    assert client.post(change, {"text": "改写"}).status_code == 403
    assert client.get("/admin/rectification/batch/add/").status_code == 403
    client.logout()

    demo.client_for(client, "zhengwei")
    assert client.get("/admin/rectification/measure/").status_code in (302, 403)


def test_audit_log_records_field_changes(demo):
    m = measure(HR_RECORDS)
    measure_type = ContentType.objects.get_for_model(Measure)
    assert LogEntry.objects.filter(content_type=measure_type).count() == 16  # the import's creations
    m.standard = "印发纪实办法并组织培训"
    m.save()
    entry = LogEntry.objects.filter(content_type=measure_type, object_pk=str(m.pk)).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE and "standard" in entry.changes_dict
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Batch)).count() == 1
    assert not LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(MeasureEvent)).exists()
