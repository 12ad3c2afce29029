"""Run the benchmarks: every module bench/bench_*.py with a ``run()`` function."""

import importlib
import os
import pkgutil
import sys

import django


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    wanted = [n for n in names if not argv or any(a in n for a in argv)]
    if not wanted:
        print("no benchmark matches", argv or "", "- available:", ", ".join(names) or "none yet")
        return 0 if not argv else 1
    for name in wanted:
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
