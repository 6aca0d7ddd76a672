"""The link preview of a finished World Cup game: a 1200×630 PNG (the Open Graph size KakaoTalk and
others crop least) with the champion's photo, its name and the event.

Korean text needs a Korean font: Debian's ``fonts-nanum`` (in the Dockerfile). ``check --deploy``
reports its absence (``check_card_fonts``); elsewhere (``make run`` on a machine without it) games
simply get no card, and their previews show the champion's photo.
"""

from io import BytesIO
from pathlib import Path

from django.core import checks
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

WIDTH, HEIGHT = 1200, 630
FONT_DIR = Path("/usr/share/fonts/truetype/nanum")
REGULAR_FONT = FONT_DIR / "NanumGothic.ttf"
BOLD_FONT = FONT_DIR / "NanumGothicBold.ttf"
BACKGROUND = (255, 247, 240)
ACCENT = (180, 83, 26)  # the site's theme colour
INK = (43, 33, 27)
TEXT_LEFT = HEIGHT + 48
TEXT_WIDTH = WIDTH - TEXT_LEFT - 48


def missing_fonts() -> list[Path]:
    return [path for path in (REGULAR_FONT, BOLD_FONT) if not path.is_file()]


@checks.register(checks.Tags.compatibility, deploy=True)
def check_card_fonts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    missing = missing_fonts()
    if not missing:
        return []
    return [
        checks.Error(
            f"The Korean font for World Cup result cards is missing: {', '.join(map(str, missing))}.",
            hint="Install Debian's fonts-nanum package (apt-get install fonts-nanum).",
            id="worldcup.E001",
        )
    ]


def _fitted(text: str, *, path: Path, size: int, smallest: int, width: int) -> ImageFont.FreeTypeFont:
    """The font at the largest size (from ``size`` down to ``smallest``) at which ``text`` fits."""
    while True:
        font = ImageFont.truetype(str(path), size)
        if size <= smallest or font.getlength(text) <= width:
            return font
        size -= 4


def _lines(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """``text`` broken into at most ``most`` lines of ``width`` (by words, or by letters for a long
    word), the last one cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    for letter in text:
        if font.getlength(current + letter) <= width:
            current += letter
            continue
        if " " in current and letter != " ":
            head, _space, tail = current.rpartition(" ")
            lines.append(head)
            current = tail + letter
        else:
            lines.append(current.rstrip())
            current = letter.lstrip()
    lines.append(current)
    if len(lines) > most:
        lines = lines[:most]
        last = lines[-1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def render_result_card(*, photo, pet_name: str, event_title: str) -> ContentFile:
    """The card as a PNG (``photo``: an open file of the champion's photo)."""
    card = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    with Image.open(photo) as source:
        picture = ImageOps.fit(ImageOps.exif_transpose(source).convert("RGB"), (HEIGHT, HEIGHT))
    card.paste(picture, (0, 0))
    draw = ImageDraw.Draw(card)
    label_font = ImageFont.truetype(str(BOLD_FONT), 40)
    event_font = ImageFont.truetype(str(REGULAR_FONT), 36)
    name_font = _fitted(pet_name, path=BOLD_FONT, size=112, smallest=56, width=TEXT_WIDTH)
    top = 120
    for line in _lines(event_title, event_font, TEXT_WIDTH, 2):
        draw.text((TEXT_LEFT, top), line, font=event_font, fill=INK)
        top += 50
    top += 40
    draw.text((TEXT_LEFT, top), _("Champion"), font=label_font, fill=ACCENT)
    top += 64
    for line in _lines(pet_name, name_font, TEXT_WIDTH, 2):
        draw.text((TEXT_LEFT, top), line, font=name_font, fill=INK)
        top += name_font.size + 16
    draw.text((TEXT_LEFT, HEIGHT - 88), "Petrasche", font=label_font, fill=ACCENT)
    buffer = BytesIO()
    card.save(buffer, "PNG", optimize=True)
    return ContentFile(buffer.getvalue())
