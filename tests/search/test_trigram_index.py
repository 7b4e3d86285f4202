"""On PostgreSQL the search box's substring matches can use trigram indexes (search/migrations/0001)."""
import pytest
from django.db import connection

from reports.models import ReportLine
from responsibility.models import Item

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test table is small and its statistics vary with the tests before: rule out the plans that read every
        # row (sequential, or a whole b-tree), leaving only an index that can answer the condition itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
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
    # The condition exactly as Django writes it for icontains, which search.selectors uses.
    items = Item.objects.filter(content__icontains="谈心谈话会").order_by().values("pk")
    lines = ReportLine.objects.filter(done_text__icontains="主题党日活动").order_by().values("pk")
    assert "search_item_content_trgm" in plan(items)
    assert "search_line_done_trgm" in plan(lines)
