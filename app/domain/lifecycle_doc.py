"""The dossier lifecycle page of the documentation, drawn from ``TRANSITIONS``.

``docs/lifecycle.md`` is this module's output; a unit test fails when the file and the table
disagree. Regenerate with ``python -m app.domain.lifecycle_doc > docs/lifecycle.md``.
"""

from __future__ import annotations

from app.domain import dossier_flow as flow

_INTRO = """\
# The dossier lifecycle

Generated from `TRANSITIONS` in `app/domain/dossier_flow.py` by `app/domain/lifecycle_doc.py`;
do not edit by hand (`python -m app.domain.lifecycle_doc > docs/lifecycle.md`). A unit test fails
when this page and the table disagree.

Every change to a dossier goes through `decide()` and `services/workflow.transition`: a row
applies when the dossier is in the row's *from* status, the person plays one of the row's roles
and the row's guard gives no refusal reason. `options()` draws the desk's controls from the same
rows. Rows that keep the status (the fee, the delivery record, the priority mark) are in the
table, one per open status, but not in the diagram.
"""


def _guard_text(row: flow.Transition) -> str:
    if row.guard is None:
        return ""
    doc = (row.guard.__doc__ or "").strip()
    return doc or row.guard.__name__.strip("_").replace("_", " ")


def _roles(row: flow.Transition) -> str:
    return ", ".join(sorted(role.value for role in row.roles))


def _diagram() -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2", "    [*] --> draft"]
    seen: set[tuple[str, str, str]] = set()
    for row in _status_rows():
        edge = (row.from_status.value, row.to_status.value, row.action.value)
        if edge not in seen:
            seen.add(edge)
            lines.append(f"    {edge[0]} --> {edge[1]}: {edge[2]}")
    lines += [f"    {status.value} --> [*]" for status in flow.Status if flow.is_terminal(status)]
    return [*lines, "```"]


def _status_rows() -> list[flow.Transition]:
    return [row for row in flow.TRANSITIONS if row.action not in flow.SIDE_ACTIONS]


def _table() -> list[str]:
    head = "| from | action | to | roles | guard | note | records |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for row in flow.TRANSITIONS:
        records = ", ".join(record.value for record in row.records)
        if row.needs_new_due_on:
            records += " (new due date required)"
        note = flow.NOTE_LABELS.get(row.action, "required") if row.needs_note else ""
        lines.append(
            f"| {row.from_status.value} | {row.action.value} | {row.to_status.value} "
            f"| {_roles(row)} | {_guard_text(row)} | {note} | {records} |"
        )
    return lines


def _labels() -> list[str]:
    lines = ["| status | label | terminal | shown to the citizen as |", "|---|---|---|---|"]
    for status in flow.Status:
        public = flow.STATUS_LABELS[flow.public_status(status)]
        terminal = "yes" if flow.is_terminal(status) else ""
        lines.append(f"| {status.value} | {flow.STATUS_LABELS[status]} | {terminal} | {public} |")
    return lines


def _limits() -> list[str]:
    return [
        f"- Supplement requests before reception: at most {flow.MAX_PRE_SUPPLEMENT_REQUESTS}.",
        f"- Supplement requests during appraisal: at most {flow.MAX_SUPPLEMENT_REQUESTS}.",
        f"- Apologies with a new date: at most {flow.MAX_EXTENSIONS}, sent at least "
        f"{flow.EXTENSION_NOTICE_DAYS} day(s) before the due date.",
    ]


def render() -> str:
    parts = [
        _INTRO,
        "## Diagram\n",
        *_diagram(),
        "\n## Transitions\n",
        *_table(),
        "\n## Statuses\n",
        *_labels(),
        "\n## Limits\n",
        *_limits(),
    ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
