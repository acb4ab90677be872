"""Hypothesis profiles: ``ci`` (derandomized, reproducible), ``dev`` (fresh seeds, more examples),
``fuzz`` (long runs outside CI), ``mutation`` (``ci`` without shrinking, for
``scripts/mutation.py``). Chosen by the ``HYPOTHESIS_PROFILE`` environment variable."""

import os

from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# The same examples as ``ci`` (derandomized, as many), so a mutant fails exactly the tests
# it fails under ``ci``; a failure is not shrunk, as a mutation run only asks whether.
settings.register_profile(
    "mutation",
    settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.register_profile("dev", max_examples=300, deadline=None)
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
