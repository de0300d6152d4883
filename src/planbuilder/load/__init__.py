"""Stage 1, load: plan folders -> a validated `Plan` model with a source map that locates
every key path in the YAML files. Problems are findings (`PlanLoadError`), never tracebacks."""

from planbuilder.load.loader import (
    LOAD_RULES,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    LoadedPlan,
    SourceMap,
    discover,
    load_plan,
    plan_bytes,
    plan_files,
    plan_folder,
)

__all__ = ["LOAD_RULES", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_NODES", "LoadedPlan",
           "SourceMap", "discover", "load_plan", "plan_bytes", "plan_files",
           "plan_folder"]
