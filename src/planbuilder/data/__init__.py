"""Official data shipped with planbuilder (package data, so an installed planbuilder has it):
each YAML file says where its facts come from and when; `planbuilder.official` reads them."""

from functools import cache
from importlib.resources import files
from typing import Any

import yaml


@cache
def read_data(name: str) -> dict[str, Any]:
    """One of the data files, parsed once a process (callers do not change it)."""
    loaded: dict[str, Any] = yaml.load(  # a safe loader: libyaml's where PyYAML has it
        files("planbuilder.data").joinpath(name).read_text(encoding="utf-8"),
        Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded
