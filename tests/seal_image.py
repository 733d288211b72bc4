"""A seal image as an office scans it: a red round seal on a transparent background."""

from __future__ import annotations

import io

from desktop_app.core.paths import resource


def seal_png(side: int = 400, *, transparent: bool = True) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    red = (200, 16, 32, 255)
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    draw = ImageDraw.Draw(image)
    ring = max(side // 40, 2)
    draw.ellipse((ring, ring, side - ring, side - ring), outline=red, width=ring * 2)
    inner = side // 6
    draw.ellipse((inner, inner, side - inner, side - inner), outline=red, width=ring)
    middle = side / 2
    star = [
        (middle + radius * cos, middle - side / 20 + radius * sin)
        for index in range(10)
        for radius, cos, sin in [_point(index, side)]
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(resource("fonts", "LiberationSerif-Regular.ttf")), side // 11)
    draw.text((middle, side * 0.7), "TỈNH ỦY", font=font, fill=red, anchor="mm")
    out = io.BytesIO()
    (image if transparent else image.convert("RGB")).save(out, "PNG")
    return out.getvalue()


def _point(index: int, side: int) -> tuple[float, float, float]:
    import math

    angle = math.pi / 2 + index * math.pi / 5
    radius = side / 7 if index % 2 == 0 else side / 17
    return radius, math.cos(angle), math.sin(angle)
