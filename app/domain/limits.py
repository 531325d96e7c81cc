"""One declared length per text field: validation enforces it and the column is sized from it."""

from __future__ import annotations

PERSON_NAME = 120
EMAIL = 254
PHONE = 15
CITIZEN_ID = 12
ADDRESS = 255
USERNAME = 60
RATE_LIMIT_KEY = 200
DOSSIER_CODE = 40
PROCEDURE_CODE = 40

# Form fields whose value is copied into a dossier column (PROFILE_ATTRIBUTES keys).
PREFILLED = {"full_name": PERSON_NAME, "email": EMAIL, "phone": PHONE, "citizen_id": CITIZEN_ID}

ALL = {
    "person_name": PERSON_NAME,
    "email": EMAIL,
    "phone": PHONE,
    "citizen_id": CITIZEN_ID,
    "address": ADDRESS,
    "username": USERNAME,
    "rate_limit_key": RATE_LIMIT_KEY,
    "dossier_code": DOSSIER_CODE,
}
