"""Stage 4, compose: plan + money + templates -> neutral `Document`s (see `documents`).
`composer` holds the template functions, `tables` the tables and figures a template may ask
for, `templates` the clerk-editable template set, `markdown` the step from the rendered
Markdown to document blocks."""

from planbuilder.compose.composer import Composer
from planbuilder.compose.documents import compose_agreement, compose_decision, compose_plan

__all__ = ["Composer", "compose_agreement", "compose_decision", "compose_plan"]
