"""Official data shipped with planbuilder (package data, so an installed planbuilder has it):
each YAML file says where its facts come from and when; `planbuilder.official` reads them."""
