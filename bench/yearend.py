"""The year-end workbook at bench scale, each measurement in a process of its own (peak RSS is per process):

- export:   the real thing (queries, rows, write-only workbook) for the whole agency, as staff;
- baseline: openpyxl write-only writing the very same cells (values, styles, merges) with no queries.

The two alternate for a few rounds, each process timing a cold and a warm run (a worker is warm), and the
fastest of each counts, so that a burst of load on the machine during one of them does not decide the ratio.
`python -m bench.yearend export|baseline ROWS_FILE` prints one JSON line; `run(env)` drives them."""
from __future__ import annotations

import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _rounds(organisations: int) -> int:
    return int(os.environ.get("BENCH_YEAREND_ROUNDS", "3" if organisations <= 1000 else "1"))


def _runs(organisations: int) -> int:
    """Runs in each process: the first is cold (imports, query compilation), the fastest counts."""
    return int(os.environ.get("BENCH_YEAREND_RUNS", "2" if organisations <= 1000 else "1"))


def _fastest(fn, runs: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of `runs` calls."""
    best = None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        took = (time.perf_counter() - start, time.process_time() - cpu)
        best = took if best is None or took[0] < best[0] else best
    return best


def export(rows_file: str) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import dataset
    from branches.models import Organisation
    from yearend.figures import term_rows_for, year_figures
    from yearend.scope import year_scope_for_user
    from yearend.workbook import sheets, write_workbook

    startup_mb = _peak_mb()
    organisations = Organisation.objects.count()
    staff_pk = get_user_model().objects.get(username="bench-staff").pk
    done = {}

    def once():
        staff = get_user_model().objects.get(pk=staff_pk)  # a fresh scope, as a new job has
        ys = year_scope_for_user(user=staff, year=dataset.YEAR, root=None, today=dataset.TODAY)
        with tempfile.TemporaryFile() as out, CaptureQueriesContext(connection) as ctx:
            write_workbook(ys, out)
            done.update(bytes=out.tell(), queries=len(ctx.captured_queries), ys=ys)

    seconds, cpu_seconds = _fastest(once, _runs(organisations))
    ys = done.pop("ys")
    result = {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mb": _peak_mb(), "startup_mb": startup_mb,
              "organisations": organisations, **done}
    if os.path.exists(rows_file):
        return result

    # The same cells, materialised, for the baseline process.
    term_rows = term_rows_for(ys)
    figures = year_figures(ys, terms=term_rows)
    materialised, cells = [], 0
    for spec in sheets(ys, figures, term_rows):
        rows = [(type(row).__name__ == "Total", list(row)) for row in spec.rows]
        cells += sum(len(values) for _total, values in rows)
        materialised.append({
            "name": spec.name, "heading": spec.heading, "subheading": spec.subheading,
            "columns": [(c.label, c.width, c.style) for c in spec.columns], "groups": spec.groups,
            "freeze_columns": spec.freeze_columns, "merges": spec.merges, "rows": rows})
    with open(rows_file, "wb") as handle:
        pickle.dump({"organisations": organisations, "sheets": materialised}, handle,
                    protocol=pickle.HIGHEST_PROTOCOL)
    return {**result, "cells": cells, "rows": sum(len(sheet["rows"]) for sheet in materialised)}


def baseline(rows_file: str) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import Workbook
    from openpyxl.cell.cell import WriteOnlyCell

    from common.xlsx import Column, SheetSpec, SheetWriter, Total

    startup_mb = _peak_mb()
    with open(rows_file, "rb") as handle:
        data = pickle.load(handle)
    materialised = data["sheets"]

    def styled():  # the same styled cells through the same write-only path, rows already in memory
        wb = Workbook(write_only=True)
        writer = SheetWriter(wb)
        for sheet in materialised:
            spec = SheetSpec(name=sheet["name"], heading=sheet["heading"], subheading=sheet["subheading"],
                             columns=[Column(*c) for c in sheet["columns"]], groups=sheet["groups"],
                             freeze_columns=sheet["freeze_columns"], merges=sheet["merges"],
                             rows=[Total(values) if total else values for total, values in sheet["rows"]])
            writer.write(spec)
        with tempfile.TemporaryFile() as out:
            wb.save(out)

    def plain():  # for reference: the same values with no styles at all (every string a plain text cell)
        wb = Workbook(write_only=True)
        for sheet in materialised:
            ws = wb.create_sheet(sheet["name"])
            for _total, values in sheet["rows"]:
                row = []
                for value in values:
                    cell = WriteOnlyCell(ws, value=value)
                    if isinstance(value, str):
                        cell.data_type = "s"
                    row.append(cell)
                ws.append(row)
        with tempfile.TemporaryFile() as out:
            wb.save(out)

    result = {"startup_mb": startup_mb}
    runs = _runs(data["organisations"])
    with CaptureQueriesContext(connection) as ctx:
        for name, fn in (("styled", styled), ("plain", plain)):
            result[f"{name}_seconds"], result[f"{name}_cpu_seconds"] = _fastest(fn, runs)
            if name == "styled":
                result["peak_mb"] = _peak_mb()  # the plain pass below only ever needs less
    result["queries"] = len(ctx.captured_queries)
    return result


def _child(env: dict, which: str, rows_file: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.yearend", which, rows_file], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bench.yearend {which} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(env: dict) -> dict:
    """Export and baseline in alternating processes against the data set bench.runner just built."""
    with tempfile.TemporaryDirectory() as folder:
        rows_file = os.path.join(folder, "cells.pickle")
        exports = [_child(env, "export", rows_file)]  # the first also materialises the cells
        baselines = [_child(env, "baseline", rows_file)]
        for _ in range(_rounds(exports[0]["organisations"]) - 1):
            exports.append(_child(env, "export", rows_file))
            baselines.append(_child(env, "baseline", rows_file))
    e = {**exports[0], **min(exports, key=lambda r: r["seconds"]), "peak_mb": max(r["peak_mb"] for r in exports),
         "cells": exports[0]["cells"], "rows": exports[0]["rows"], "rounds": len(exports)}
    b = {**min(baselines, key=lambda r: r["styled_seconds"]),
         "plain_seconds": min(r["plain_seconds"] for r in baselines),
         "peak_mb": max(r["peak_mb"] for r in baselines), "queries": max(r["queries"] for r in baselines)}
    return {"export": e, "baseline": b, "ratio": e["seconds"] / b["styled_seconds"],
            "ratio_plain": e["seconds"] / b["plain_seconds"]}


def print_result(r: dict) -> None:
    e, b = r["export"], r["baseline"]
    print(f"   year-end workbook: {e['rows']} rows, {e['cells']} cells, {e['bytes'] / 1e6:.1f} MB, "
          f"{e['queries']} queries (fastest of {e['rounds']} alternating rounds)")
    print(f"   {'':<22}{'seconds':>10}{'CPU s':>8}{'peak MB':>9}{'ratio':>8}")
    print(f"   {'workbook (export)':<22}{e['seconds']:>10.2f}{e['cpu_seconds']:>8.2f}{e['peak_mb']:>9.0f}{'':>8}")
    print(f"   {'openpyxl, same cells':<22}{b['styled_seconds']:>10.2f}{b['styled_cpu_seconds']:>8.2f}"
          f"{b['peak_mb']:>9.0f}{r['ratio']:>8.2f}")
    print(f"   {'openpyxl, no styles':<22}{b['plain_seconds']:>10.2f}{b['plain_cpu_seconds']:>8.2f}{'':>9}"
          f"{r['ratio_plain']:>8.2f}")
    print(f"   (peak RSS of each process, Django loaded: {e['startup_mb']:.0f} MB before any work; "
          f"the baseline made {b['queries']} queries)")


if __name__ == "__main__":
    which, rows_file = sys.argv[1], sys.argv[2]
    print(json.dumps({"export": export, "baseline": baseline}[which](rows_file), default=str))
