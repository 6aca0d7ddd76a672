"""Every page in the site's Korean voice: each URL pattern of the catalogue
(site_core/tests/urlcatalogue.py) rendered in Korean — the site's pages as a member (and the
sign-in pages as a visitor), our admin screens as a moderator and as staff — has no 합니다체
ending (…습니다, …ㅂ니다, …습니까, …십시오), no 당신/귀하, and no Latin-letter word outside the
allow-list (the sample members' handles, brand names, what members write in Latin letters).
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from korean.jamo import HANGUL_FIRST, is_syllable
from site_core.tests.urlcatalogue import catalogue as url_catalogue
from site_core.tests.urlcatalogue import make_samples, quiet_request_log

pytestmark = pytest.mark.django_db

# Latin words a Korean page may show: brand and product names, and abbreviations Koreans write
# in Latin letters. Lower case; compared with the word in lower case.
ALLOWED_WORDS = {
    "petrasche",  # the brand, as the logo writes it
    "english",  # the language switcher names each language in itself
    "mb",
    "vs",
    "kakao",
    "gif",
    "jpeg",
    "jpg",
    "png",
    "webp",
    "heic",
    "html",
    "url",
    "qr",
    "api",
    "dm",
    "ai",
    "csv",
    "pdf",
    "zip",
    "json",
    "ip",
    "km",  # units are written in Latin letters ("반경 (km)"); after a number see NOT_WORDS
}
# What the sample rows contain in Latin letters (handles, file names), and the test data's own.
SAMPLE_WORDS = {
    "localhost",
    "dubu",
    "kongi",
    "modu",
    "staffer",
    "example",
    "com",
    "guide",
    "txt",
    "catalogue",
    "member",  # the factories' usernames (member1, member2…), which staff screens list
}
# Elements whose text is not read on the page.
SKIPPED_ELEMENTS = {"script", "style", "noscript", "template", "svg", "code", "pre", "textarea"}
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label"}

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Addresses, handles and paths are names, not words of the copy; nor is a measure ("500m", "1.2km").
NOT_WORDS = re.compile(
    r"\S+@\S+|@[\w.]+|https?://\S+|/\S*|#\S+|\S+\.(?:jpg|png|txt|webp)\b|\d[\d.,]*\s?(?:km|m|cm|kg)\b"
)
COMMAND_ENDING = re.compile(r"십시오|십시요")
FORMAL_ENDING = re.compile(r"니다|니까")
HONORIFIC_YOU = re.compile(r"(당신|귀하)")
FINAL_B = 17  # ㅂ among the final letters (jamo.JONGSUNG)


class VisibleText(HTMLParser):
    """The text a person reads: text nodes outside scripts, styles and hidden elements, and the
    titles, labels, placeholders and alternative texts of elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.hidden: list[list] = []  # [tag, depth] of each hidden element we are inside
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.hidden and tag == self.hidden[-1][0]:
            self.hidden[-1][1] += 1
        if any(name == "hidden" for name, _ in attrs):
            self.hidden.append([tag, 1])
        if tag in SKIPPED_ELEMENTS:
            self.skipping += 1
        if not self.hidden:
            self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in SKIPPED_ELEMENTS and self.skipping:
            self.skipping -= 1
        if self.hidden and tag == self.hidden[-1][0]:
            self.hidden[-1][1] -= 1
            if not self.hidden[-1][1]:
                self.hidden.pop()

    def handle_data(self, data):
        if not self.skipping and not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def formal_endings(text: str) -> list[str]:
    """…습니다, …ㅂ니다 (입니다, 합니다, 됩니다), …습니까, …십시오, in the order they appear."""
    found = [(match.start(), match.group(0)) for match in COMMAND_ENDING.finditer(text)]
    for match in FORMAL_ENDING.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        if before and is_syllable(before) and (ord(before) - HANGUL_FIRST) % 28 == FINAL_B:
            found.append((match.start() - 1, before + match.group(0)))
    return [ending for _, ending in sorted(found)]


def latin_words(text: str, allowed: set[str]) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    return [word for word in LATIN_WORD.findall(text) if word.lower().strip("'’") not in allowed]


def problems(html: str, allowed: set[str]) -> list[str]:
    found = []
    for part in visible_text(html):
        found += [f"합니다체 {ending!r} in {part[:80]!r}" for ending in formal_endings(part)]
        found += [f"{word!r} in {part[:80]!r}" for word in HONORIFIC_YOU.findall(part)]
        found += [f"English {word!r} in {part[:80]!r}" for word in latin_words(part, allowed)]
    return found


def test_the_checks_find_formal_endings_honorifics_and_english():
    page = (
        "<p>저장되었습니다. 계속하시겠습니까? 확인하십시오. 귀하의 계정입니다.</p>"
        '<button title="More actions">더 보기</button><script>var x = "Hello";</script>'
        "<div hidden>None <span>None</span></div>"
        "<p>두부엄마님, 환영해요! 사진 3장을 올렸어요. dubu@example.com @dubu 카카오 Kakao 약 500m, 1.2 km 거리</p>"
    )

    found = problems(page, ALLOWED_WORDS)

    assert found == [
        *[
            f"합니다체 {ending!r} in '저장되었습니다. 계속하시겠습니까? 확인하십시오. 귀하의 계정입니다.'"
            for ending in ("습니다", "습니까", "십시오", "입니다")
        ],
        "'귀하' in '저장되었습니다. 계속하시겠습니까? 확인하십시오. 귀하의 계정입니다.'",
        "English 'More' in 'More actions'",
        "English 'actions' in 'More actions'",
    ]


@pytest.fixture
def samples(member, other_member, moderator):
    return make_samples(member=member, other_member=other_member, moderator=moderator)


def test_every_page_speaks_the_sites_korean(samples, admin_login):
    def client() -> Client:
        return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ko")

    member = client()
    member.force_login(samples.member)
    people = {
        "visitor": client(),
        "member": member,
        "moderator": admin_login(client(), samples.moderator),
        "staff": admin_login(client(), samples.staff),
    }
    allowed = ALLOWED_WORDS | SAMPLE_WORDS
    found = url_catalogue(samples)
    pages = 0
    report = []
    with quiet_request_log():
        for url in found.urls:
            if url.pattern.area == "api":
                continue
            roles = ["moderator", "staff"] if url.pattern.area == "admin" else ["member"]
            if url.pattern.route.startswith("accounts/"):
                roles.append("visitor")
            for role in roles:
                response = people[role].get(url.path)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                pages += 1
                report += [
                    f"{role} {url.pattern.route}: {problem}"
                    for problem in problems(response.content.decode(), allowed)
                ]

    assert pages > 50, "the crawl rendered the site's pages"
    assert report == [], f"{len(report)} problems:\n" + "\n".join(sorted(set(report)))


# Wagtail's own screens that staff use, besides ours (which the catalogue covers).
WAGTAIL_SCREENS = [
    "/admin/pages/",
    "/admin/pages/{home}/",
    "/admin/pages/{home}/edit/",
    "/admin/pages/{legal}/edit/",
    "/admin/moderation/cases/",
    "/admin/moderation/cases/{case}/",
    "/admin/moderation/audit-log/",
]


def test_the_wagtail_screens_staff_and_moderators_use_speak_korean(samples, admin_login):
    from home.models import HomePage

    values = {
        "home": HomePage.objects.first().pk,
        "legal": samples.pages[next(model for model in samples.pages if model.__name__ == "LegalPage")].pk,
        "case": samples.case.pk,
    }
    people = {
        role: admin_login(Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="ko"), user)
        for role, user in (("moderator", samples.moderator), ("staff", samples.staff))
    }
    allowed = ALLOWED_WORDS | SAMPLE_WORDS
    report, seen = [], 0
    with quiet_request_log():
        for screen in WAGTAIL_SCREENS:
            path = screen.format(**values)
            for role, client in people.items():
                response = client.get(path)
                if response.status_code != 200:
                    continue
                seen += 1
                report += [
                    f"{role} {screen}: {problem}" for problem in problems(response.content.decode(), allowed)
                ]

    assert seen >= len(WAGTAIL_SCREENS)
    assert report == [], f"{len(report)} problems:\n" + "\n".join(sorted(set(report)))
