"""allauth's adapter, so its rate limits see the client, not the proxy."""

from allauth.account.adapter import DefaultAccountAdapter

from .clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return client_ip(request)
