"""The year-end export moved from reports to yearend: exports made before the move are still there after it."""
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

MOVE = ("reports", "0004_move_yearendexport")


def _before_move():
    """The reports migration the move follows, and no yearend migration at all."""
    loader = MigrationExecutor(connection).loader
    (previous,) = [dep for dep in loader.get_migration(*MOVE).dependencies if dep[0] == "reports"]
    return [previous, ("yearend", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as the database now holds them: every app at its applied migrations, not only the targets'.
    loader = MigrationExecutor(connection).loader
    return loader.project_state(sorted(loader.applied_migrations)).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_year_end_exports_survive_the_move_and_the_way_back():
    try:
        old = _migrate(_before_move())
        user = old.get_model("accounts", "User").objects.create(username="mover", password="!")
        org = old.get_model("branches", "Organisation").objects.create(name="机关第一党支部", kind="branch")
        OldExport = old.get_model("reports", "YearEndExport")
        done = OldExport.objects.create(requested_by=user, year=2022, organisation=org, status="done", progress=100,
                                        label="机关第一党支部", workbook="2022/a.xlsx", draft="2022/a.docx",
                                        finished_at=datetime.datetime(2023, 1, 5, tzinfo=datetime.UTC))
        queued = OldExport.objects.create(requested_by=user, year=2023)
        ContentType = old.get_model("contenttypes", "ContentType")
        ContentType.objects.get_or_create(app_label="reports", model="yearendexport")

        new = _migrate(_latest())
        Export = new.get_model("yearend", "YearEndExport")
        assert Export._meta.db_table == "yearend_yearendexport"
        rows = {e.pk: e for e in Export.objects.all()}
        assert set(rows) == {done.pk, queued.pk}
        moved = rows[done.pk]
        assert (moved.requested_by_id, moved.organisation_id, moved.year, moved.status, moved.progress,
                moved.label, moved.workbook.name, moved.draft.name, moved.finished_at) == (
            user.pk, org.pk, 2022, "done", 100, "机关第一党支部", "2022/a.xlsx", "2022/a.docx",
            datetime.datetime(2023, 1, 5, tzinfo=datetime.UTC))
        assert (rows[queued.pk].status, rows[queued.pk].organisation_id) == ("queued", None)
        types = new.get_model("contenttypes", "ContentType").objects
        assert types.filter(app_label="yearend", model="yearendexport").count() == 1
        assert not types.filter(app_label="reports", model="yearendexport").exists()
        # New exports take ids after the old ones.
        assert Export.objects.create(requested_by_id=user.pk, year=2024).pk > max(rows)
        assert "yearend_yearendexport" in connection.introspection.table_names()
        assert "reports_yearendexport" not in connection.introspection.table_names()

        back = _migrate(_before_move())
        assert set(back.get_model("reports", "YearEndExport").objects.values_list("year", flat=True)) == {
            2022, 2023, 2024}
        assert back.get_model("contenttypes", "ContentType").objects.filter(
            app_label="reports", model="yearendexport").exists()
    finally:
        _migrate(_latest())
