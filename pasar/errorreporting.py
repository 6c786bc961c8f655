"""Error reports without secrets: error mail, Sentry events and the access log.

What must never leave the server in a report: the order's secret link
(`?t=…` and the `t`/`secret` fields), passwords, session and CSRF cookies or
tokens, and Authorization headers. One scrubber serves the three outlets:

- Django's error mail to ADMINS (`ExceptionReporter`, `ReporterFilter`, set
  as DEFAULT_EXCEPTION_REPORTER and DEFAULT_EXCEPTION_REPORTER_FILTER);
- Sentry (`scrub_event`, its before_send hook; production settings);
- gunicorn's access log (`pasar.accesslog`).
"""

import re

from django.views.debug import ExceptionReporter as DjangoExceptionReporter
from django.views.debug import SafeExceptionReporterFilter

FILTERED = "[disembunyikan]"
# Field, header, cookie and variable names whose values are secrets.
SENSITIVE_NAME = re.compile(
    r"^(t|secret|.*passw.*|.*csrf.*|.*token.*|.*session.*|cookies?|"
    r"(http_)?authorization|(http_)?cookie|set-cookie|.*api_?key.*|key)$",
    re.IGNORECASE,
)
# `t=<secret>` in a URL or a query string (?t=, &t=, or at the start).
ORDER_SECRET = re.compile(r"(^|[?&;])(t=)[^&#\s\"']*")


def scrub_text(text: str) -> str:
    """Return `text` with every `t=<secret>` query value hidden."""
    return ORDER_SECRET.sub(rf"\1\2{FILTERED}", text)


def scrub(value, name: str = ""):
    """Return a copy of `value` with secrets hidden, recursing into containers."""
    if name and SENSITIVE_NAME.match(name):
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item, str(key)) for key, item in value.items()}
    if isinstance(value, list | tuple):
        # Sentry sends headers and form data as [name, value] pairs too.
        if (
            len(value) == 2
            and isinstance(value[0], str)
            and SENSITIVE_NAME.match(value[0])
        ):
            return [value[0], FILTERED]
        return [scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send: the event with every secret hidden."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("cookies", None)
    return scrub(event)


class ReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, also hiding the order secret in the query and fields."""

    def cleanse_setting(self, key, value):
        if isinstance(key, str) and SENSITIVE_NAME.match(key):
            return self.cleansed_substitute
        value = super().cleanse_setting(key, value)
        return scrub_text(value) if isinstance(value, str) else value

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        cleansed = parameters.copy()
        for name in cleansed:
            if SENSITIVE_NAME.match(name):
                cleansed[name] = self.cleansed_substitute
        return cleansed


class ExceptionReporter(DjangoExceptionReporter):
    """Django's reporter, with the URL and the query parameters scrubbed."""

    def _get_raw_insecure_uri(self):
        return scrub_text(super()._get_raw_insecure_uri())

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (name, self.filter.cleansed_substitute)
                if SENSITIVE_NAME.match(name)
                else (name, value)
                for name, value in data["request_GET_items"]
            ]
        return data
