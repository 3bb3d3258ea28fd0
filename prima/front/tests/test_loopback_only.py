"""PRIMA_LOOPBACK_PLAIN_HTTP (plain HTTP for the loopback load benchmark) answers loopback
clients only; off, it changes nothing."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from prima.front.middleware import LoopbackOnlyMiddleware


def _answer(remote_addr: str) -> HttpResponse:
    middleware = LoopbackOnlyMiddleware(lambda request: HttpResponse("served"))
    return middleware(RequestFactory().get("/healthz", REMOTE_ADDR=remote_addr))


@override_settings(LOOPBACK_PLAIN_HTTP=True)
def test_with_the_switch_on_other_addresses_are_refused():
    for address in ("10.0.0.5", "192.168.1.20", "2001:db8::1", ""):
        response = _answer(address)
        assert response.status_code == 403, address
        assert b"only loopback clients" in response.content


@override_settings(LOOPBACK_PLAIN_HTTP=True)
def test_with_the_switch_on_loopback_clients_are_served():
    for address in ("127.0.0.1", "::1"):
        assert _answer(address).content == b"served"


@override_settings(LOOPBACK_PLAIN_HTTP=False)
def test_with_the_switch_off_everyone_is_served():
    assert _answer("10.0.0.5").content == b"served"
