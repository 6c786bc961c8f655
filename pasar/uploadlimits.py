"""Refuse a too-large request body before reading it: a 413 page, not a 500.

Django reads a multipart body whole before a view can refuse it. Two guards
stop that early:

- `RequestSizeLimitMiddleware` (before anything reads the body) answers 413
  when the declared Content-Length passes `PASAR_MAX_REQUEST_BYTES`, without
  reading a byte, and turns a refusal raised while parsing the form into the
  same 413 page.
- `LimitedUploadHandler` (first of FILE_UPLOAD_HANDLERS) stops keeping a file
  as soon as the bytes received for it pass `PASAR_MAX_UPLOAD_BYTES`: the rest
  is dropped, not stored, and the form gets an empty file of the size that
  arrived, so it says "too large" next to the field with the rest of the form
  kept (the body is bounded by the request limit, so reading on is cheap).

Form fields other than files are capped by Django's DATA_UPLOAD_MAX_MEMORY_SIZE
(RequestDataTooBig, also a 413 here). The reverse proxy should refuse the same
sizes first (nginx `client_max_body_size`, see the README).
"""

import io

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class UploadTooLarge(RequestDataTooBig):
    """The body or one of its files is over the limit (Django's 400 otherwise)."""


class LimitedUploadHandler(FileUploadHandler):
    """Count each file's bytes as they arrive; keep none past the upload limit."""

    def handle_raw_input(
        self, input_data, META, content_length, boundary, encoding=None
    ):
        if content_length > settings.PASAR_MAX_REQUEST_BYTES:
            raise UploadTooLarge("request body over PASAR_MAX_REQUEST_BYTES")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.PASAR_MAX_UPLOAD_BYTES:
            return None  # the next handlers get no more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.PASAR_MAX_UPLOAD_BYTES:
            return None  # the next handler returns the file
        # Empty, but as large as what arrived: the form refuses it by size.
        return InMemoryUploadedFile(
            io.BytesIO(),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )


class RequestSizeLimitMiddleware:
    """Answer 413 for a body over the limits, before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.PASAR_MAX_REQUEST_BYTES:
            return too_large(request)
        if request.method == "POST":
            try:
                # Parse here, inside the guard, rather than in the CSRF check
                # or the view, where a refusal would be a 400 or a 500.
                request.POST  # noqa: B018
            except RequestDataTooBig:
                return too_large(request)
        return self.get_response(request)


def too_large(request):
    response = render(
        request,
        "413.html",
        {
            "request_limit": filesizeformat(settings.PASAR_MAX_REQUEST_BYTES),
            "file_limit": filesizeformat(settings.PASAR_MAX_UPLOAD_BYTES),
        },
        status=413,
    )
    # The rest of the body is never read: the connection cannot carry on.
    response["Connection"] = "close"
    return response
