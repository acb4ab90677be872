"""The benchmarks of community-care, each against a named baseline timed in the same run.

Run them all and print one table: ``python -m benchmarks`` (``--quick`` for tiny sizes:
CI's smoke test, which checks that every benchmark still runs, never how fast).
See ``docs/performance.md`` for a recorded run and how to read it.
"""
