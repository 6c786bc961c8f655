"""Gzip for the pages and other text the app itself answers with.

Django's GZipMiddleware compresses any body over 200 bytes; photos (WebP,
JPEG), PDFs and spreadsheets are compressed already, so squeezing them again
only costs CPU and drops their Content-Length. This one leaves them alone.
Static files never reach it: WhiteNoise, above it, serves them pre-compressed
(.br and .gz written by collectstatic).
"""

from django.middleware.gzip import GZipMiddleware

TEXT_TYPES = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    """Compress text responses only (HTML, JSON, XML, the web app manifest)."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)
