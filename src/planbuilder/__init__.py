"""planbuilder: validated, computed organising plans and agreements."""
