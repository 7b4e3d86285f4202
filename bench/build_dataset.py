"""`python -m bench.build_dataset N`: migrate the bench database and build the data set of N organisations in it;
prints the Dataset as JSON (bench.runner builds in this separate process, then measures in its own)."""
import dataclasses
import json
import sys

import django

if __name__ == "__main__":
    django.setup()
    from django.core.management import call_command

    from bench.dataset import build

    call_command("migrate", verbosity=0)
    print(json.dumps(dataclasses.asdict(build(organisations=int(sys.argv[1])))))
