"""A Swedish-speaking preparer's and council's path: the proposal's proposer, members'
formal names, the advance schedule, and the layout of the Swedish documents."""

from __future__ import annotations

from planbuilder.model import Decision


def test_proposer_defaults_to_the_last_earlier_handling() -> None:
    decision = Decision.model_validate({
        "body": "valtuusto", "matter": "Asia", "background": "Tausta",
        "members": {
            "havsvik": {"earlier": [
                {"body": {"fi": "Kaupunginhallitus", "sv": "Stadsstyrelsen"},
                 "date": "2026-05-04", "section": 120}]},
            "kunta": {},
            "oma": {"proposer": "Kunnanhallitus", "earlier": [
                {"body": "Tekninen lautakunta", "date": "2026-05-04", "section": 1}]}}})
    proposer = decision.for_member("havsvik").proposer
    assert proposer is not None and proposer.get("sv") == "Stadsstyrelsen"
    assert decision.for_member("kunta").proposer is None  # the template's default then
    own = decision.for_member("oma").proposer
    assert own is not None and own.get("fi") == "Kunnanhallitus"
