import gzip
import re

from app.routes.static import static_url


async def test_home_lists_most_used_procedures_and_sectors(client):
    r = await client.get("/")
    assert r.status_code == 200
    assert "Được sử dụng nhiều" in r.text
    assert "Theo lĩnh vực" in r.text and "Hộ tịch" in r.text
    most_used = r.text.split('id="popular-heading"')[1].split("</section>")[0]
    assert "Chứng thực bản sao từ bản chính" in most_used  # the highest usage count in the demo


async def test_catalogue_search_ignores_diacritics(client):
    r = await client.get("/thu-tuc", params={"q": "dang ky khai sinh"})
    assert r.status_code == 200
    names = re.findall(r'class="proc-name" href="[^"]+">([^<]+)<', r.text)
    assert names[0] == "Đăng ký khai sinh"
    assert all("khai sinh" in n.lower() for n in names)


async def test_catalogue_filters_by_sector_level_service_level_and_fee(client):
    r = await client.get("/thu-tuc", params={"linh_vuc": "chung-thuc"})
    assert "6 thủ tục" in r.text
    r = await client.get("/thu-tuc", params={"cap": "tinh"})
    assert "6 thủ tục" in r.text
    r = await client.get("/thu-tuc", params={"muc_do": "3", "linh_vuc": "ho-tich"})
    assert re.search(r"(\d+) thủ tục", r.text)
    assert "Mức độ 4" not in r.text.split('id="results"')[1]
    free = await client.get("/thu-tuc", params={"phi": "mien"})
    paid = await client.get("/thu-tuc", params={"phi": "co"})
    n_free = int(re.search(r"(\d+) thủ tục", free.text).group(1))
    n_paid = int(re.search(r"(\d+) thủ tục", paid.text).group(1))
    assert n_free + n_paid == 27


async def test_the_chosen_filters_stay_selected_in_the_form(client):
    def selected(html: str) -> list[str]:
        return re.findall(r'<option value="([^"]*)" selected>', html)

    both = (await client.get("/thu-tuc", params={"linh_vuc": "chung-thuc", "cap": "tinh"})).text
    assert selected(both) == ["chung-thuc", "tinh"]
    one = (await client.get("/thu-tuc", params={"linh_vuc": "ho-tich"})).text
    assert selected(one) == ["ho-tich"]
    assert selected((await client.get("/thu-tuc", params={"linh_vuc": "khong-co"})).text) == []
    assert selected((await client.get("/thu-tuc")).text) == []


async def test_htmx_request_gets_only_the_results_fragment(client):
    r = await client.get("/thu-tuc", params={"q": "chung thuc"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert r.text.lstrip().startswith('<h2 id="results-heading"')
    assert "<html" not in r.text
    assert "HX-Request" in r.headers["vary"]


async def test_boosted_and_history_restore_requests_get_the_full_page(client):
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        r = await client.get("/thu-tuc", headers={"HX-Request": "true", **extra})
        assert r.text.lstrip().lower().startswith("<!doctype html>")


async def test_pagination_keeps_filters(client):
    r = await client.get("/thu-tuc")
    assert "Trang 1/2" in r.text
    assert 'href="/thu-tuc?trang=2"' in r.text
    r = await client.get("/thu-tuc", params={"q": "dang ky", "trang": "99"})
    assert "Trang sau" not in r.text


async def test_procedure_page_shows_every_section(client):
    r = await client.get("/thu-tuc/1.004873")
    assert r.status_code == 200
    for heading in (
        "Thông tin chung",
        "Trình tự thực hiện",
        "Thành phần hồ sơ",
        "Phí, lệ phí",
        "Căn cứ pháp lý",
        "Mức độ 4",
    ):
        assert heading in r.text
    assert "1.004873" in r.text


async def test_unknown_procedure_is_a_vietnamese_404(client):
    r = await client.get("/thu-tuc/KHONG-CO")
    assert r.status_code == 404
    assert "Không tìm thấy trang" in r.text


async def test_form_template_downloads_as_a_real_pdf(client):
    page = await client.get("/thu-tuc/1.001193")
    link = re.search(r'href="(/thu-tuc/1.001193/mau/\d+)"', page.text).group(1)
    r = await client.get(link)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert re.match(r'attachment; filename="[a-z0-9-]+\.pdf"', r.headers["content-disposition"])
    assert r.content.startswith(b"%PDF")


async def test_form_pdf_contains_vietnamese_text(client):
    import io

    from pypdf import PdfReader

    r = await client.get("/thu-tuc/P01/mau/0")
    text = PdfReader(io.BytesIO(r.content)).pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "KHAI SINH" in text


async def test_missing_form_is_404(client):
    assert (await client.get("/thu-tuc/P01/mau/99")).status_code == 404


async def test_static_files_have_hashed_names_long_cache_and_gzip(client):
    url = static_url("site.css")
    assert re.fullmatch(r"/static/site\.[0-9a-f]{10}\.css", url)
    r = await client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert "immutable" in r.headers["cache-control"]
    assert r.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in r.headers["cache-control"]
    assert (await client.get("/static/site.css")).status_code == 404
    htmx = static_url("htmx-2.0.11.min.js")
    assert "2.0.11" in htmx


async def test_html_pages_are_compressed(client):
    r = await client.get("/thu-tuc", headers={"Accept-Encoding": "gzip"})
    assert r.headers.get("content-encoding") == "gzip"


async def test_pages_carry_security_headers(client):
    r = await client.get("/")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]


def test_gzip_roundtrip_of_static_asset_matches_file():
    from app.routes.static import ASSETS, STATIC_DIR

    asset = ASSETS[static_url("site.css").removeprefix("/static/")]
    assert gzip.decompress(asset.gzipped) == (STATIC_DIR / "site.css").read_bytes()


def _result_names(html: str) -> list[str]:
    return re.findall(r'class="proc-name" href="[^"]+">([^<]+)<', html.split('id="results"')[1])


async def test_giay_khai_sinh_lists_the_birth_registration_among_the_first_three(client):
    r = await client.get("/thu-tuc", params={"q": "giay khai sinh"})
    assert "Đăng ký khai sinh" in _result_names(r.text)[:3]


async def test_a_query_that_finds_nothing_offers_a_way_forward(client):
    r = await client.get("/thu-tuc", params={"q": "khai sihn"})
    assert "Không tìm thấy thủ tục nào cho “khai sihn”" in r.text
    assert 'href="/thu-tuc?q=khai%20sinh"' in r.text
    assert "Đăng ký khai sinh" in _result_names(r.text)
    nothing_close = await client.get("/thu-tuc", params={"q": "qqqqzz"})
    assert "Thủ tục được sử dụng nhiều" in nothing_close.text
    assert len(_result_names(nothing_close.text)) == 5
    assert "Cách tìm:" in nothing_close.text
