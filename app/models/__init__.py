"""Piccolo tables, one module per aggregate."""

from app.models.agency import Agency, AgencyLevel
from app.models.catalogue import (
    CatalogueState,
    Component,
    Fee,
    Procedure,
    ProcedureLevel,
    ProcedureSector,
    Sector,
)

TABLES = [
    AgencyLevel,
    Agency,
    Sector,
    Procedure,
    ProcedureSector,
    ProcedureLevel,
    Component,
    Fee,
    CatalogueState,
]

__all__ = [
    "TABLES",
    "Agency",
    "AgencyLevel",
    "CatalogueState",
    "Component",
    "Fee",
    "Procedure",
    "ProcedureLevel",
    "ProcedureSector",
    "Sector",
]
