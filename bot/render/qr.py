"""A join link as a QR code (PNG), for a teacher to show the class or print. segno: pure Python."""

from __future__ import annotations

import io

import segno


def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()
