"""DRF throttles that know the client by shop.net.client_ip (TRUSTED_PROXIES), never by a
header the client wrote: DRF's own read X-Forwarded-For as sent unless NUM_PROXIES is set,
so a spoofed header gave every request a fresh bucket."""

from rest_framework import throttling

from .net import client_ip


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
