"""planbuilder: validated, computed organising plans and agreements."""

__version__ = "0.1.0"
