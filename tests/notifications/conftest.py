import pytest

from .stub import cloud_api


@pytest.fixture
def whatsapp_api(settings):
    """The Cloud API stub, and settings that point the WhatsApp channel at it."""
    with cloud_api() as stub:
        settings.PASAR_WHATSAPP = {
            "token": "token-uji",
            "phone_number_id": "1098765",
            "api_base_url": stub.url,
            "language": "id",
            "timeout": 5,
            "templates": {"payment_approved": "pembayaran_diterima"},
        }
        yield stub
