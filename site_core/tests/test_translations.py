"""The Korean catalogues: ours (locale/, written by `make messages`) and the one for third-party
messages (locale_third_party/, kept by hand). Every message is translated and none is fuzzy; the
translations keep their placeholders; the glossary (locale/glossary.tsv) holds for every message;
none uses 합니다체, 당신/귀하 or a "(으)로"-style particle placeholder."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(
    path
    for locale_path in settings.LOCALE_PATHS
    for path in (Path(locale_path) / "ko" / "LC_MESSAGES").glob("*.po")
)
GLOSSARY = settings.BASE_DIR / "locale" / "glossary.tsv"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|%[sd]|\{\w*\}")
FORMAL = re.compile(r"[습입합됩]니다|습니까|십시오|당신|귀하")
PARTICLE_PLACEHOLDER = re.compile(r"\((으|이|을|를|은|는|과|와|가)\)|[을이은과]\([를가는와]\)")


@dataclass
class Message:
    catalogue: str
    context: str
    msgid: str
    msgid_plural: str
    translations: list[str]
    flags: set[str]

    def __str__(self) -> str:
        context = f"[{self.context}] " if self.context else ""
        return f"{self.catalogue}: {context}{self.msgid[:70]!r}"


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def read_catalogue(path: Path) -> list[Message]:
    """The messages of a .po file (the header and obsolete entries left out)."""
    messages, fields, flags, current = [], {}, set(), None
    name = f"{path.parent.parent.parent.name}/{path.name}"

    def finish():
        if fields.get("msgid"):
            translations = [value for key, value in sorted(fields.items()) if key.startswith("msgstr")]
            messages.append(
                Message(
                    name,
                    fields.get("msgctxt", ""),
                    fields["msgid"],
                    fields.get("msgid_plural", ""),
                    translations,
                    set(flags),
                )
            )

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            finish()
            fields, flags, current = {}, set(), None
        elif line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += _unquote(line)
        else:
            current, _, value = line.partition(" ")
            fields[current] = _unquote(value)
    return messages


@pytest.fixture(scope="module")
def messages() -> list[Message]:
    return [message for path in CATALOGUES for message in read_catalogue(path)]


def read_glossary() -> list[tuple[str, str, str, list[str]]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        english, korean, context, avoid = ([*line.split("\t"), "", ""])[:4]
        rows.append((english, korean, context, [word for word in avoid.split(";") if word]))
    return rows


def bare(text: str) -> str:
    return text.strip().rstrip(".:…").lower()


def test_the_korean_catalogues_are_ours_and_the_third_party_ones():
    assert [f"{path.parent.parent.parent.name}/{path.name}" for path in CATALOGUES] == [
        "locale/django.po",
        "locale/djangojs.po",
        "locale_third_party/django.po",
        "locale_third_party/djangojs.po",
    ]


def test_every_korean_message_is_translated_and_none_is_fuzzy(messages):
    untranslated = [str(message) for message in messages if not all(message.translations)]
    fuzzy = [str(message) for message in messages if "fuzzy" in message.flags]

    assert len(messages) > 1300
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_the_placeholders_of_their_message(messages):
    broken = [
        str(message)
        for message in messages
        for translation in message.translations
        if set(PLACEHOLDER.findall(translation))
        - set(PLACEHOLDER.findall(message.msgid + message.msgid_plural))
        or (
            "python-format" in message.flags
            and not PLACEHOLDER.findall(translation)
            and PLACEHOLDER.findall(message.msgid)
        )
    ]

    assert broken == []


def test_no_korean_message_uses_formal_endings_or_particle_placeholders(messages):
    formal = [
        f"{message}: {text}" for message in messages for text in message.translations if FORMAL.search(text)
    ]
    placeholders = [
        f"{message}: {text}"
        for message in messages
        for text in message.translations
        if PARTICLE_PLACEHOLDER.search(text)
    ]

    assert formal == []
    assert placeholders == []


def test_the_glossary_has_forty_terms_and_each_is_used():
    rows = read_glossary()

    assert len(rows) >= 40
    assert len({(english.lower(), context) for english, _, context, _ in rows}) == len(rows)


def test_every_korean_message_follows_the_glossary(messages):
    wrong, unused = [], []
    for english, korean, context, avoid in read_glossary():
        same = [m for m in messages if bare(m.msgid) == bare(english) and m.context == context]
        if not same:
            unused.append(english)
        wrong += [
            f"{m}: {m.translations[0]!r}, not {korean!r}"
            for m in same
            if bare(m.translations[0]) != bare(korean)
        ]
        wrong += [
            f"{m}: {word!r} in {text!r} ({english} → {korean})"
            for m in messages
            for text in m.translations
            for word in avoid
            if word in text
        ]

    assert unused == [], "glossary terms no message uses"
    assert wrong == []


PARTICLE_AFTER_SPACE = re.compile(r"(%\(\w+\)[sd]|\{\w*\}) +(을|를|이|가|은|는|와|과|으로|로)(?=[\s.,!?]|$)")


def test_no_particle_stands_apart_from_the_word_it_follows(messages):
    """ "jiwoo_maltese 으로 로그인": a particle after a placeholder and a space reads as a machine's."""
    apart = [f"{m}: {text}" for m in messages for text in m.translations if PARTICLE_AFTER_SPACE.search(text)]

    assert apart == []


@pytest.mark.django_db
def test_the_walk_editors_toolbar_reads_korean_from_the_javascript_catalogue(client):
    import json

    response = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE="ko")
    catalogue = json.loads(
        re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S).group(1)
    )

    assert catalogue["Toggle fullscreen"] == "전체 화면 전환"
    assert catalogue["Edit Link"] == "링크 수정"
    assert catalogue["Open in new window"] == "새 창에서 열기"
