"""The form → service → message → redirect base answers only what forms send."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from pasar.errors import DomainError
from pasar.views import ServiceActionView, ServiceFormView


class NameForm(forms.Form):
    name = forms.CharField()


class Recorder(ServiceFormView):
    form_class = NameForm
    template_name = "base.html"
    success_url = "/selesai/"
    success_message = "Tersimpan."
    calls: list = None

    def perform(self, form):
        if form.cleaned_data["name"] == "tolak":
            raise DomainError("Ditolak.", field="name")
        self.calls.append(form.cleaned_data["name"])


def request(method, data=None):
    factory = RequestFactory()
    req = getattr(factory, method)("/x/", data or {})
    req.session = SessionStore()
    req._messages = FallbackStorage(req)
    return req


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_and_call_no_service(method):
    calls = []
    response = Recorder.as_view(calls=calls)(request(method, {"name": "a"}))
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]
    assert calls == []


def test_post_calls_the_service_once_and_redirects():
    calls = []
    response = Recorder.as_view(calls=calls)(request("post", {"name": "a"}))
    assert (response.status_code, response["Location"]) == (302, "/selesai/")
    assert calls == ["a"]


@pytest.mark.django_db
def test_a_refusal_lands_on_the_named_field():
    calls = []
    view = Recorder.as_view(calls=calls)
    response = view(request("post", {"name": "tolak"}))
    assert response.status_code == 200
    assert response.context_data["form"].errors == {"name": ["Ditolak."]}
    assert calls == []


def test_an_action_takes_only_post():
    class Action(ServiceActionView):
        success_url = "/"

    assert Action.http_method_names == ["post"]
