from app.domain.search import Document, SearchIndex, fold, tokens


def test_fold_strips_vietnamese_diacritics_and_case():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("CHỨNG THỰC bản sao") == "chung thuc ban sao"
    assert fold("Ủy ban nhân dân") == "uy ban nhan dan"


def test_fold_maps_d_with_stroke_to_d_in_both_cases():
    assert fold("đất đai") == "dat dai"
    assert fold("ĐẤT ĐAI") == "dat dai"


def test_fold_handles_precomposed_and_decomposed_input_alike():
    composed = "Hộ tịch"
    decomposed = "Ho\u0323\u0302 ti\u0323ch"
    assert fold(composed) == fold(decomposed) == "ho tich"


def test_tokens_split_on_punctuation():
    assert tokens("Liên thông: đăng ký khai sinh – thường trú") == [
        "lien",
        "thong",
        "dang",
        "ky",
        "khai",
        "sinh",
        "thuong",
        "tru",
    ]


def _index() -> SearchIndex:
    return SearchIndex.build(
        [
            Document(1, "Đăng ký khai sinh", "Hộ tịch", weight=10),
            Document(2, "Đăng ký lại khai sinh", "Hộ tịch", weight=50),
            Document(3, "Liên thông: đăng ký khai sinh – thường trú", "Hộ tịch; Cư trú", weight=5),
            Document(4, "Đăng ký biến động quyền sử dụng đất", "Đất đai", weight=1),
            Document(5, "Chứng thực bản sao từ bản chính", "Chứng thực", weight=100),
        ]
    )


def test_search_ignores_diacritics_and_ranks_exact_phrase_first():
    assert _index().search("dang ky khai sinh") == [1, 3, 2]


def test_popularity_breaks_ties_between_equal_matches():
    assert _index().search("khai sinh") == [2, 1, 3]
    assert _index().search("dang ky") == [2, 1, 4, 3]


def test_last_word_matches_as_prefix():
    assert _index().search("chung th") == [5]
    assert _index().search("chu") == [5]
    assert _index().search("chung thx") == []


def test_words_found_only_in_the_body_still_match_but_rank_last():
    assert _index().search("dat dai") == [4]
    assert _index().search("ho tich") == [2, 1, 3]


def test_every_word_must_match():
    assert _index().search("khai sinh dat") == []


def test_empty_query_returns_candidates_by_popularity():
    assert _index().search("", {1, 4, 5}) == [5, 1, 4]


def test_candidates_restrict_results():
    assert _index().search("dang ky", {4, 3}) == [4, 3]
    assert _index().search("dang ky", set()) == []
