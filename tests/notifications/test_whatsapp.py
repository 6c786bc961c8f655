"""The WhatsApp Cloud API channel against a local stub server (no network)."""

from datetime import timedelta

from django.utils import timezone

from notifications.models import Message
from notifications.services import deliver, queue_message

S = Message.Status


def approved():
    return queue_message(
        kind="payment_approved",
        channel="whatsapp",
        to="6281298765432",
        body="Halo Budi, pembayaran pesanan PB-1 sudah kami terima.",
        params=["Budi", "PB-1", "https://pasarbahagia.id/pesanan/PB-1/?t=x"],
        name="Budi",
    )


def state(message):
    message.refresh_from_db()
    return (message.status, message.attempts, message.last_error)


def test_a_template_message_is_delivered(db, whatsapp_api):
    message = approved()
    assert message.status == S.PENDING  # configured: the worker sends it
    assert deliver(message_id=message.pk) == S.SENT
    assert state(message) == (S.SENT, 1, "")
    ((path, headers, body),) = whatsapp_api.requests
    assert path == "/v21.0/1098765/messages"
    assert headers["Authorization"] == "Bearer token-uji"
    assert headers["Content-Type"] == "application/json"
    assert body == {
        "messaging_product": "whatsapp",
        "to": "6281298765432",
        "type": "template",
        "template": {
            "name": "pembayaran_diterima",  # PASAR_WHATSAPP_TEMPLATES
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Budi"},
                        {"type": "text", "text": "PB-1"},
                        {
                            "type": "text",
                            "text": "https://pasarbahagia.id/pesanan/PB-1/?t=x",
                        },
                    ],
                }
            ],
        },
    }


def test_a_500_is_retried_later_and_then_delivered(db, whatsapp_api):
    whatsapp_api.answers.append(
        (500, {"error": {"message": "Service temporarily unavailable", "code": 2}})
    )
    message = approved()
    now = timezone.now()
    assert deliver(message_id=message.pk, now=now) == S.PENDING
    assert state(message) == (
        S.PENDING,
        1,
        "HTTP 500: Service temporarily unavailable (code 2)",
    )
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert deliver(message_id=message.pk, now=now + timedelta(minutes=1)) == S.SENT
    assert state(message) == (S.SENT, 2, "")
    assert len(whatsapp_api.requests) == 2


def test_an_invalid_number_fails_for_good_with_the_reason(db, whatsapp_api):
    whatsapp_api.answers.append(
        (
            400,
            {
                "error": {
                    "message": "(#131030) Recipient phone number not in allowed list",
                    "code": 131030,
                }
            },
        )
    )
    message = approved()
    assert deliver(message_id=message.pk) == S.FAILED
    assert state(message) == (
        S.FAILED,
        1,
        "HTTP 400: (#131030) Recipient phone number not in allowed list (code 131030)",
    )
    later = timezone.now() + timedelta(days=1)
    assert deliver(message_id=message.pk, now=later) is None
    assert len(whatsapp_api.requests) == 1


def test_an_unreachable_api_is_a_temporary_failure(db, settings):
    settings.PASAR_WHATSAPP = {
        "token": "t",
        "phone_number_id": "1",
        "api_base_url": "http://127.0.0.1:9/v21.0",  # nothing listens there
        "timeout": 2,
    }
    message = approved()
    assert deliver(message_id=message.pk) == S.PENDING
    status, attempts, reason = state(message)
    assert (status, attempts) == (S.PENDING, 1)
    assert reason.startswith("URLError: ")


def test_a_half_configured_api_is_a_warning(settings):
    from notifications.checks import check_whatsapp

    settings.PASAR_WHATSAPP = {"token": "t", "phone_number_id": ""}
    assert [w.id for w in check_whatsapp()] == ["notifications.W001"]
    settings.PASAR_WHATSAPP = {"token": "t", "phone_number_id": "1"}
    assert check_whatsapp() == []
    settings.PASAR_WHATSAPP = {"token": "", "phone_number_id": ""}
    assert check_whatsapp() == []
