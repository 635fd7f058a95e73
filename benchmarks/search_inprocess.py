"""The library page in-process: its time per distinct search, without a server.

Asks the distinct searches of ``benchmarks/load.py --search`` (``search_paths``:
words from the corpus, random facets and pages) one after another through Django's
test client with the production settings, after emptying the cache so every
search misses, and prints the wall time and this process's CPU time per search.
Run it against the database ``load.py --search`` filled (``<name>_load_search``);
to compare two versions of the code, alternate them and change ``--seed`` between
runs (a search asked a second time finds the database warm):

    DATABASE_URL=postgres://…/leerbrug_perf_load_search REDIS_URL=redis://…/10 \\
      .venv/bin/python benchmarks/search_inprocess.py [--count 600] [--seed 99]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=600, help="searches timed")
    parser.add_argument("--warm-up", type=int, default=100, help="searches asked first")
    parser.add_argument("--seed", type=int, default=99)
    options = parser.parse_args()

    from benchmarks.load import HOST, search_paths, server_environment

    os.environ.update(server_environment(os.environ["DATABASE_URL"]))
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    paths = search_paths(
        os.environ["DATABASE_URL"], options.warm_up + options.count, seed=options.seed
    )
    client = Client(HTTP_HOST=HOST)
    for path in paths[: options.warm_up]:
        client.get(path, secure=True)
    cpu, wall = time.process_time(), time.perf_counter()
    for path in paths[options.warm_up :]:
        status = client.get(path, secure=True).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    wall_ms = (time.perf_counter() - wall) * 1000 / options.count
    cpu_ms = (time.process_time() - cpu) * 1000 / options.count
    print(f"{options.count} distinct searches: {wall_ms:.1f} ms a search, {cpu_ms:.1f} ms CPU here")


if __name__ == "__main__":
    main()
