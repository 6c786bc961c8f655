"""Where a message goes out: a registry of channels, chosen by settings.

`PASAR_MESSAGE_CHANNELS` maps a channel name to a class path, so a local
WhatsApp gateway (or SMS) is one class with `is_configured()` and `send()`,
and one line of settings. A channel raises `DeliveryError`: temporary (the
worker tries again later, with back-off) or permanent (the message fails for
good with the reason, e.g. a number WhatsApp does not know).
"""

import json
import smtplib
import urllib.error
import urllib.request
from functools import cache

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class DeliveryError(Exception):
    """The channel could not deliver; `permanent` means trying again is useless."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason[:1000]
        self.permanent = permanent


class Channel:
    """A way out. `is_configured()` False: messages are sent by hand instead."""

    def is_configured(self) -> bool:
        return True

    def send(self, message) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's mail (MAILERS: SMTP in production, the console in dev)."""

    def send(self, message) -> None:
        try:
            send_mail(
                message.subject,
                message.body,
                settings.DEFAULT_FROM_EMAIL,
                [message.recipient],
            )
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(
                _("Server email menolak alamat penerima: %(recipients)s")
                % {"recipients": ", ".join(error.recipients)},
                permanent=True,
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error


class WhatsAppCloudChannel(Channel):
    """The official WhatsApp Cloud API: a template message with body parameters.

    POST {api_base_url}/{phone_number_id}/messages with the bearer token, by
    urllib (no extra dependency) and a timeout. A 429, a 5xx, a timeout or a
    refused connection is temporary; any other 4xx (an invalid number, an
    unknown template, a bad token) fails for good with the API's own words.
    """

    def __init__(self, config: dict | None = None):
        self._config = config

    @property
    def config(self) -> dict:
        return self._config or settings.PASAR_WHATSAPP

    def is_configured(self) -> bool:
        return bool(self.config.get("token") and self.config.get("phone_number_id"))

    def template_for(self, kind: str) -> str:
        return self.config.get("templates", {}).get(kind) or f"pasar_{kind}"

    def payload(self, message) -> dict:
        return {
            "messaging_product": "whatsapp",
            "to": message.recipient,
            "type": "template",
            "template": {
                "name": self.template_for(message.kind),
                "language": {"code": self.config.get("language", "id")},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": str(value)}
                            for value in message.params
                        ],
                    }
                ],
            },
        }

    def send(self, message) -> None:
        if not self.is_configured():
            raise DeliveryError(_("WhatsApp Cloud API belum diatur."))
        base = self.config.get("api_base_url", "").rstrip("/")
        request = urllib.request.Request(  # noqa: S310 (https URL from settings)
            f"{base}/{self.config['phone_number_id']}/messages",
            data=json.dumps(self.payload(message)).encode(),
            headers={
                "Authorization": f"Bearer {self.config['token']}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(  # noqa: S310  # nosec B310
                request, timeout=self.config.get("timeout", 10)
            ) as response:
                response.read()
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}: {_api_error(error)}"
            temporary = error.code == 429 or error.code >= 500
            raise DeliveryError(reason, permanent=not temporary) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error


def _api_error(error: urllib.error.HTTPError) -> str:
    """The Cloud API's own explanation (`error.message`, code), else the body."""
    try:
        body = error.read().decode("utf-8", "replace")
    except OSError:
        return error.reason or ""
    try:
        detail = json.loads(body)["error"]
        return f"{detail.get('message', '')} (code {detail.get('code', '?')})"
    except (ValueError, KeyError, TypeError):
        return body[:300] or str(error.reason)


@cache
def _channels(paths: tuple) -> dict[str, Channel]:
    return {name: import_string(path)() for name, path in paths}


def get_channel(name: str) -> Channel:
    """Return the channel registered under `name` (PASAR_MESSAGE_CHANNELS)."""
    return _channels(tuple(sorted(settings.PASAR_MESSAGE_CHANNELS.items())))[name]
