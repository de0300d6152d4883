"""Official data shipped with planbuilder (package data, so an installed planbuilder has it):
each YAML file says where its facts come from and when; `planbuilder.official` reads them."""

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import yaml

# LibYAML's safe loader and emitter where PyYAML has them (the same data and text, several
# times faster): every command reads the message catalogues, builds write the plan's YAML.
if TYPE_CHECKING:
    SafeLoader = yaml.SafeLoader
    SafeDumper = yaml.SafeDumper
else:
    SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def read_data(name: str) -> dict[str, Any]:
    """One of the data files, parsed once a process (callers do not change it)."""
    loaded: dict[str, Any] = yaml.load(
        files("planbuilder.data").joinpath(name).read_text(encoding="utf-8"), Loader=SafeLoader)
    return loaded
