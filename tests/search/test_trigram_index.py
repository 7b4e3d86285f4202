"""On PostgreSQL the search box's substring matches can use trigram indexes (search/migrations/0001)."""
import pytest
from django.db import connection

from reports.models import ReportLine
from responsibility.models import Item

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small: ask whether an index can serve
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_searched_columns_have_trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search\\_%\\_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {"search_line_done_trgm", "search_line_problems_trgm", "search_line_next_trgm",
                     "search_item_content_trgm", "search_measure_text_trgm", "search_measure_progress_trgm",
                     "search_problem_text_trgm", "search_org_name_trgm"}


def test_a_case_insensitive_substring_match_reads_the_trigram_index():
    assert "search_item_content_trgm" in plan(Item.objects.filter(content__icontains="谈心谈话会"))
    assert "search_line_done_trgm" in plan(ReportLine.objects.filter(done_text__icontains="主题党日活动"))
