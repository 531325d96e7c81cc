"""docs/lifecycle.md is generated from the transition table and must not go stale."""

from pathlib import Path

from app.domain import dossier_flow as flow
from app.domain.lifecycle_doc import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"


def test_the_lifecycle_page_matches_the_transition_table():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/lifecycle.md is stale: python -m app.domain.lifecycle_doc > docs/lifecycle.md"
    )


def test_every_row_of_the_table_is_on_the_page():
    rows = [line for line in render().splitlines() if line.startswith("| ")]
    for transition in flow.TRANSITIONS:
        start = f"| {transition.from_status.value} | {transition.action.value} | "
        assert any(line.startswith(start + transition.to_status.value) for line in rows)


def test_every_status_has_a_line_with_its_label():
    page = render()
    for status in flow.Status:
        assert f"| {status.value} | {flow.STATUS_LABELS[status]} |" in page
