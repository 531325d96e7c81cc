"""One declared length per text field: validation enforces it and the column is sized from it.

``FORM_FIELDS`` names the form fields that carry each length, so the fuzz test can send every
field one character past its own limit."""

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
NOTE = 2000  # an officer's note or a reason (refusal, supplement, halt, withdrawal, apology)
FEEDBACK_SUBJECT = 200
FEEDBACK_BODY = 5000
RATING_COMMENT = 2000
LONG_ANSWER = 4000  # a leader's answer to a rating, an FAQ answer
FAQ_QUESTION = 300
AGENCY_NAME = 255
AGENCY_SHORT_NAME = 120
AGENCY_PHONE = 40
SEARCH_QUERY = 100
POSTAL_NUMBER = 40  # a parcel number of the postal service
FEEDBACK_NOTE = 5000  # an officer's note on a PAKN: a reason, a request or the answer itself

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
    "note": NOTE,
    "feedback_subject": FEEDBACK_SUBJECT,
    "feedback_body": FEEDBACK_BODY,
    "rating_comment": RATING_COMMENT,
    "long_answer": LONG_ANSWER,
    "faq_question": FAQ_QUESTION,
    "agency_name": AGENCY_NAME,
    "agency_short_name": AGENCY_SHORT_NAME,
    "agency_phone": AGENCY_PHONE,
    "search_query": SEARCH_QUERY,
    "postal_number": POSTAL_NUMBER,
    "feedback_note": FEEDBACK_NOTE,
}

# The portal's fixed forms: field name → its declared length.
FORM_FIELDS = {
    "ho_ten": PERSON_NAME,
    "dinh_danh": EMAIL,
    "ten_dang_nhap": USERNAME,
    "thu_dien_tu": EMAIL,
    "email": EMAIL,
    "dien_thoai": PHONE,
    "so_dinh_danh": CITIZEN_ID,
    "dia_chi": ADDRESS,
    "ghi_chu": NOTE,
    "ly_do": NOTE,
    "tieu_de": FEEDBACK_SUBJECT,
    "noi_dung": FEEDBACK_BODY,
    "y_kien": RATING_COMMENT,
    "tra_loi": LONG_ANSWER,
    "cau_hoi": FAQ_QUESTION,
    "so_buu_gui": POSTAL_NUMBER,
    "q": SEARCH_QUERY,
    "ma": DOSSIER_CODE,
}

# Agency reference data (``services.agencies.load_agencies``): key → declared length.
AGENCY_FIELDS = {
    "code": DOSSIER_CODE,
    "name": AGENCY_NAME,
    "short_name": AGENCY_SHORT_NAME,
    "address": ADDRESS,
    "phone": AGENCY_PHONE,
}


def too_long_message(limit: int) -> str:
    """The Vietnamese answer to a value past its declared length."""
    return f"Dài quá {limit} ký tự; vui lòng viết ngắn hơn."


def too_long(values: dict[str, object], declared: dict[str, int]) -> dict[str, str]:
    """Each field of ``values`` past its declared length, with the message for it."""
    return {
        key: too_long_message(limit)
        for key, limit in declared.items()
        if isinstance(values.get(key), str) and len(values[key]) > limit
    }
