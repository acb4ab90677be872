"""Run the docstring examples of every module, against the installed package."""

import doctest
import importlib
import pkgutil

import pytest

import community_care

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(community_care.__path__, "community_care.")
    if m.name != "community_care.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
