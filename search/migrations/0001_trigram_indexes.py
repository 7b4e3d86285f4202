"""On PostgreSQL, trigram indexes (pg_trgm) for the columns the search box reads, so that its case-insensitive
substring matches (`UPPER(col) LIKE UPPER('%词%')`, what Django's icontains sends) use an index instead of reading
every row; on SQLite, and where the extension cannot be created, nothing changes and search reads the table."""
from django.db import migrations, transaction

# (index name, table, column): the texts search.selectors matches, the large tables first.
INDEXED = [
    ("search_line_done_trgm", "reports_reportline", "done_text"),
    ("search_line_problems_trgm", "reports_reportline", "problems"),
    ("search_line_next_trgm", "reports_reportline", "next_steps"),
    ("search_item_content_trgm", "responsibility_item", "content"),
    ("search_measure_text_trgm", "rectification_measure", "text"),
    ("search_measure_progress_trgm", "rectification_measure", "progress_text"),
    ("search_problem_text_trgm", "rectification_problem", "description"),
    ("search_org_name_trgm", "branches_organisation", "name"),
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):  # a refused CREATE EXTENSION must not end the migration
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:
            return  # no privilege or no contrib package: search keeps working without the index
        for name, table, column in INDEXED:
            cursor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER("{column}") gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, _table, _column in INDEXED:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0001_initial"),
        ("rectification", "0002_verbose_names"),
        ("reports", "0004_move_yearendexport"),
        ("responsibility", "0002_verbose_names"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
