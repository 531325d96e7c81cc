"""What the desk suggests for publication and what it refuses to publish."""

from app.services.feedback_publish import HIDDEN, PublicText, edit_note, problems, suggested

ROW = {
    "name": "Lê Văn Cường",
    "phone": "0912345678",
    "email": "cuong@example.com",
    "address": "Số 5 đường Trần Phú",
    "subject": "Hẹn lại nhiều lần",
    "body": "Tôi là lê văn cường, nhà ở Số 5 đường Trần Phú, gọi 0912.345.678 hoặc "
    "cuong@example.com.",
    "answer": "Kính gửi ông Lê Văn Cường: đã nhắc nhở cán bộ.",
}


def test_the_senders_own_details_are_hidden_whatever_their_case_or_spacing():
    text = suggested(ROW)
    assert text.body == f"Tôi là {HIDDEN}, nhà ở {HIDDEN}, gọi {HIDDEN} hoặc {HIDDEN}."
    assert text.answer == f"Kính gửi ông {HIDDEN}: đã nhắc nhở cán bộ."
    assert text.subject == ROW["subject"]
    assert problems(ROW, text) == {}


def test_a_text_that_still_holds_a_detail_or_is_empty_is_refused_per_part():
    found = problems(ROW, PublicText("", "Gọi 0912 345 678", "x" * 5001))
    assert set(found) == {"subject", "body", "answer"}
    assert found["subject"] == "Vui lòng nhập tiêu đề sẽ công khai."
    assert "vẫn còn họ tên, số điện thoại" in found["body"]
    assert "5000" in found["answer"]


def test_short_details_are_not_hunted_for_in_every_word():
    row = {**ROW, "name": "An", "email": "", "address": ""}
    assert problems(row, PublicText("An toàn", "Bình an", "Trả lời")) == {}


def test_the_history_says_which_parts_were_edited():
    assert edit_note(ROW, PublicText(ROW["subject"], ROW["body"], ROW["answer"])) == ""
    text = PublicText(ROW["subject"], "Tôi bị hẹn lại.", ROW["answer"] + " ")
    assert edit_note(ROW, text) == "Đã biên tập trước khi công khai: nội dung"
