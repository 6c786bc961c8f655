"""System check: a WhatsApp Cloud API set up halfway sends nothing by itself."""

from django.conf import settings
from django.core.checks import Warning, register


@register()
def check_whatsapp(app_configs=None, **kwargs) -> list[Warning]:
    config = settings.PASAR_WHATSAPP
    given = [key for key in ("token", "phone_number_id") if config.get(key)]
    if len(given) != 1:
        return []
    return [
        Warning(
            "PASAR_WHATSAPP has a token or a phone-number id, not both: WhatsApp "
            "messages wait on the dashboards to be sent by hand.",
            hint="Set both PASAR_WHATSAPP_TOKEN and PASAR_WHATSAPP_PHONE_NUMBER_ID, "
            "or neither.",
            obj="PASAR_WHATSAPP",
            id="notifications.W001",
        )
    ]
