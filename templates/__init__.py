"""planbuilder's default template set: document templates (Jinja2 emitting Markdown),
translations, the house style, the house Word template and the PDF fonts.

This folder is installed as the package `planbuilder.templates` (see pyproject.toml), so a
`pip install` of planbuilder carries it. Edit it here, or copy it for a municipality with
`planbuilder init-templates FOLDER` and build with `--templates FOLDER`. This file only marks
the folder as package data; it holds no code.
"""
