"""Jinja environment: the globals and filters every template may use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.base import url_for
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from app.domain import catalogue_labels as labels
from app.domain import dossier_flow as flow
from app.domain.levels import (
    ONLINE_LEVEL_LABELS,
    ONLINE_LEVEL_MEANINGS,
    SERVICE_LEVEL_LABELS,
    SERVICE_LEVEL_MEANINGS,
    OnlineLevel,
    ServiceLevel,
)
from app.domain.statistics import reading_note
from app.routes.static import static_url
from app.services.calendar import to_local
from app.services.catalogue import Catalogue, ProcedureView, home_agency
from app.services.ratings import rating_path
from app.settings import get_settings


def _url_for(context: Mapping[str, Any], /, route_name: str, **path_parameters: Any) -> str:
    """Litestar's ``url_for``, remembered per app for routes without parameters (the header's
    links): reversing a route costs about as much as rendering a table row."""
    if path_parameters:
        return url_for(context, route_name, **path_parameters)
    app = context["request"].app
    known: dict[str, str] = _FIXED_URLS.setdefault(id(app), {})
    if route_name not in known:
        known[route_name] = url_for(context, route_name)
    return known[route_name]


_FIXED_URLS: dict[int, dict[str, str]] = {}


def _procedure_item(env: Environment) -> Callable[[ProcedureView], Markup]:
    """A procedure's list item, rendered once per catalogue snapshot: it depends on nothing but
    the procedure, and a results page shows twenty of them."""
    template = env.get_template("partials/catalogue/procedure_item.html")

    def render(p: ProcedureView) -> Markup:
        html = p.rendered.get("item")
        if html is None:
            html = p.rendered["item"] = Markup(template.render(p=p))
        return html

    return render


def _filter_options(env: Environment) -> Callable[[Catalogue, str, str], Markup]:
    """The ``<option>`` list of the sector or agency-level filter with ``selected`` marked,
    rendered once per snapshot and choice (a value that is no choice marks nothing)."""
    template = env.get_template("partials/catalogue/options.html")

    def render(catalogue: Catalogue, kind: str, selected: str) -> Markup:
        if kind == "sector":
            choices = [(s.code, s.name) for s in catalogue.sectors]
        else:
            choices = [(lv.key, lv.name) for lv in catalogue.levels]
        if selected not in {value for value, _ in choices}:
            selected = ""
        key = ("options", kind, selected)
        html = catalogue.rendered.get(key)
        if html is None:
            html = catalogue.rendered[key] = Markup(
                template.render(choices=choices, selected=selected)
            )
        return html

    return render


def _configure(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates ship with the code: no need to stat every template file on every render.
    env.auto_reload = False
    engine.register_template_callable(key="url_for", template_callable=_url_for)
    env.globals["procedure_item"] = _procedure_item(env)
    env.globals["filter_options"] = _filter_options(env)
    env.globals.update(
        static_url=static_url,
        portal_name=get_settings().portal_name,
        tracking_poll_seconds=get_settings().tracking_poll_seconds,
        labels=labels,
        time_limit_label=labels.time_limit_label,
        service_level_label=lambda n: SERVICE_LEVEL_LABELS[ServiceLevel(n)],
        service_level_meaning=lambda n: SERVICE_LEVEL_MEANINGS[ServiceLevel(n)],
        online_level_label=lambda v: ONLINE_LEVEL_LABELS[OnlineLevel(v)],
        online_meaning=lambda v: ONLINE_LEVEL_MEANINGS[OnlineLevel(v)],
        hotline=get_settings().hotline,
        max_upload_mb=get_settings().max_upload_bytes // (1024 * 1024),
        opening_hours=get_settings().opening_hours,
        home_agency=home_agency,
        service_levels=list(ServiceLevel),
    )
    env.globals["rating_path"] = rating_path  # the signed rating link of a finished dossier
    # how "on time" is read, as configured (MOTCUA_STATISTICS_READING)
    env.globals["reading_note"] = lambda: reading_note(get_settings().statistics_reading)
    env.filters["vnd"] = labels.format_vnd
    env.filters["on_this_portal"] = lambda t: labels.on_this_portal(t, get_settings().portal_name)
    env.filters["lower_first"] = labels.lower_first
    env.filters["amount"] = labels.format_amount
    env.filters["thousands"] = labels.format_count
    env.filters["local_time"] = lambda v: to_local(v).strftime("%H:%M %d/%m/%Y") if v else ""
    env.filters["vn_date"] = _vn_date
    env.filters["local_date"] = lambda v: to_local(v).strftime("%d/%m/%Y") if v else ""
    env.globals.update(
        action_labels=flow.ACTION_LABELS,
        status_labels=flow.STATUS_LABELS,
        public_note_actions={
            "refuse",
            "request_pre_supplement",
            "request_supplement",
            "reject",
            "extend",
            "halt",
        },
    )


def _vn_date(value: str) -> str:
    """An ISO date answer as dd/mm/yyyy; anything else unchanged."""
    try:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return value


def template_config(directory: Path) -> TemplateConfig:
    return TemplateConfig(
        directory=directory, engine=JinjaTemplateEngine, engine_callback=_configure
    )
