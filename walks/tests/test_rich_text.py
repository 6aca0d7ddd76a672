"""The walk description is cleaned with nh3 against an allow-list; formatting survives."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from walks import services
from walks.rich_text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, clean_html, html_to_text
from walks.tests.factories import WalkFactory, walk_input

PAYLOADS = [
    line
    for line in (Path(__file__).resolve().parents[2] / "community" / "tests" / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("# ")
]


class Markup(HTMLParser):
    """Every tag, attribute and link in a piece of HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_only_allowed(html: str) -> None:
    parser = Markup()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set()), (
                f"{name}= on <{tag}> survived in {html!r}"
            )
            if name == "href":
                assert urlsplit(value.strip()).scheme.lower() in ALLOWED_URL_SCHEMES, value


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>산책<script>alert(1)</script></p>", "<p>산책</p>"),
        ('<p><img src="x" onerror="alert(1)">사진</p>', "<p>사진</p>"),
        ('<p onclick="alert(1)" style="color:red">클릭</p>', "<p>클릭</p>"),
        ('<a href="javascript:alert(1)">링크</a>', '<a rel="nofollow ugc noopener noreferrer">링크</a>'),
        ('<a href="JaVaScRiPt:alert(1)">링크</a>', '<a rel="nofollow ugc noopener noreferrer">링크</a>'),
        ('<a href="&#106;avascript:alert(1)">링크</a>', '<a rel="nofollow ugc noopener noreferrer">링크</a>'),
        (
            '<a href="data:text/html;base64,PHNjcmlwdD4=">링크</a>',
            '<a rel="nofollow ugc noopener noreferrer">링크</a>',
        ),
        ('<iframe src="https://evil.example"></iframe><p>끝</p>', "<p>끝</p>"),
        ("<svg onload=alert(1)><p>벡터</p></svg>", "<p>벡터</p>"),
        ("<style>p{display:none}</style><p>보임</p>", "<p>보임</p>"),
        ("<p>주석<!-- <script>alert(1)</script> --></p>", "<p>주석</p>"),
        ('<form action="/x"><input name="a"><button>보내기</button></form>', "보내기"),
    ],
)
def test_dangerous_markup_is_removed(dirty, clean):
    assert clean_html(dirty) == clean


@pytest.mark.parametrize(
    "kept",
    [
        "<p><strong>굵게</strong> <em>기울임</em> <u>밑줄</u> <s>취소선</s></p>",
        "<ul><li>물</li><li>배변봉투</li></ul>",
        '<ol start="3"><li>셋째</li></ol>',
        "<blockquote><p>천천히 걸어요</p></blockquote>",
        "<p>첫 줄<br>둘째 줄</p>",
        '<p><a href="https://map.example/yangjae" rel="nofollow ugc noopener noreferrer">지도</a></p>',
        '<p><a href="mailto:dubu@example.com" rel="nofollow ugc noopener noreferrer">메일</a></p>',
    ],
)
def test_allowed_formatting_is_kept(kept):
    assert clean_html(kept) == kept


def test_links_get_rel_and_lose_target():
    assert clean_html('<a href="https://example.com" target="_blank" rel="opener">예</a>') == (
        '<a href="https://example.com" rel="nofollow ugc noopener noreferrer">예</a>'
    )


def test_markup_without_words_is_empty():
    assert clean_html("<p><br></p>") == ""
    assert clean_html("<p><script>alert(1)</script></p>") == ""


def test_plain_text_for_search_and_excerpts():
    assert html_to_text(
        "<p>천천히&nbsp;<strong>같이</strong></p><ul><li>물</li><li>간식 &amp; 봉투</li></ul>"
    ) == ("천천히 같이 물 간식 & 봉투")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_attack_string_leaves_markup_outside_the_allow_list(payload):
    assert_only_allowed(clean_html(payload))
    assert_only_allowed(clean_html(f"<p>{payload}</p>"))


@pytest.mark.django_db
def test_the_detail_page_renders_only_clean_markup(client, host, board):
    walk = WalkFactory(
        host=host,
        board=board,
        description_html='<p>같이 <strong>걸어요</strong><img src=x onerror="alert(1)"></p>'
        '<a href="javascript:alert(2)">눌러요</a><script>alert(3)</script>',
    )

    html = client.get(walk.get_absolute_url()).content.decode()
    description = html.split('class="walk-detail__description rich-text">', 1)[1].split("</div>", 1)[0]

    assert "<strong>걸어요</strong>" in description
    assert "alert" not in description
    assert_only_allowed(description.split("{% endcomment %}")[-1])


@pytest.mark.django_db
def test_every_update_is_cleaned_too(host, board):
    walk = WalkFactory(host=host, board=board)
    data = walk_input(description_html='<p onmouseover="steal()">바뀐 <em>설명</em></p>')

    services.walk_update(walk_id=walk.pk, member=host, data=data)

    walk.refresh_from_db()
    assert walk.description_html == "<p>바뀐 <em>설명</em></p>"
