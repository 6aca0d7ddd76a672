"""Draws Petrasche's icons (a white paw on the brand colour) into static/icons/.

The SVG is the source of truth for browsers that take vector icons; the PNGs and the ICO are drawn
from the same shapes with Pillow, so nothing comes from outside the repository. Run it again after
changing a shape: ``.venv/bin/python scripts/make_icons.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "static" / "icons"
BRAND = "#b4531a"
PAW = "#ffffff"
# The paw on a 64-unit square: (centre x, centre y, radius x, radius y) of each ellipse.
TOES = [(16, 29, 5, 6.5), (25.5, 18.5, 5, 7), (38.5, 18.5, 5, 7), (48, 29, 5, 6.5)]
PAD = (32, 43, 12.5, 10.5)
CORNER = 14  # the rounded square's corner radius, in the same units


def svg() -> str:
    ellipses = "".join(f'<ellipse cx="{x}" cy="{y}" rx="{rx}" ry="{ry}"/>' for x, y, rx, ry in [*TOES, PAD])
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="{CORNER}" fill="{BRAND}"/>'
        f'<g fill="{PAW}">{ellipses}</g></svg>\n'
    )


def png(size: int, *, rounded: bool = True) -> Image.Image:
    """The icon at ``size`` pixels, drawn four times larger and scaled down for smooth edges."""
    scale = size * 4 / 64
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    box = (0, 0, size * 4 - 1, size * 4 - 1)
    if rounded:
        draw.rounded_rectangle(box, radius=round(CORNER * scale), fill=BRAND)
    else:
        draw.rectangle(box, fill=BRAND)
    for x, y, rx, ry in [*TOES, PAD]:
        draw.ellipse(((x - rx) * scale, (y - ry) * scale, (x + rx) * scale, (y + ry) * scale), fill=PAW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def maskable(size: int) -> Image.Image:
    """The full-bleed icon for launchers that cut their own shape: the paw shrunk into the middle
    80% (the safe zone every mask keeps)."""
    image = Image.new("RGBA", (size, size), BRAND)
    paw = png(round(size * 0.72))
    image.alpha_composite(paw, ((size - paw.width) // 2, (size - paw.height) // 2))
    return image


def badge(size: int) -> Image.Image:
    """The small monochrome icon Android shows in the status bar: the paw alone, white on nothing."""
    scale = size * 4 / 64
    image = Image.new("RGBA", (size * 4, size * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for x, y, rx, ry in [*TOES, PAD]:
        draw.ellipse(((x - rx) * scale, (y - ry) * scale, (x + rx) * scale, (y + ry) * scale), fill=PAW)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon.svg").write_text(svg(), encoding="utf-8")
    # Home-screen icons are square: the system rounds their corners itself.
    png(180, rounded=False).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)
    png(192, rounded=False).save(ICONS / "icon-192.png", optimize=True)
    png(512, rounded=False).save(ICONS / "icon-512.png", optimize=True)
    maskable(512).save(ICONS / "icon-maskable-512.png", optimize=True)
    badge(96).save(ICONS / "badge-96.png", optimize=True)
    png(64).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
