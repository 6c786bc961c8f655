"""View bases shared by every app's dashboard: form → service → message → redirect.

`ServiceFormView` is Django's `FormView` with the one step every write page
repeats: call one service with the valid form, show its success message and
redirect; a `DomainError` from the service lands on the form (on its field
when the error names one) and nothing has changed. `ServiceActionView` is the
same for a button that posts to a list page: there is no page of its own to
show, so the error (or the invalid form's first error) is a flash message on
the page it returns to.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.views.generic import FormView

from .errors import DomainError


class ServiceFormView(FormView):
    """Validate a form, call `perform(form)`, then message and redirect."""

    form_class = forms.Form
    success_message = ""
    # FormView would treat PUT as POST; the pages post forms, nothing else.
    http_method_names = ["get", "post", "head", "options"]
    # The name the template reads the form by (a page with two forms gives
    # each view its own, e.g. "invite_form" and "grant_form").
    form_context_name = "form"

    def perform(self, form):
        """Call one service with the form's data and return its result."""
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def get_success_url(self, result=None) -> str:
        return super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.form_context_name] = context["form"]
        return context

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except DomainError as error:
            return self.service_refused(form, error)
        message = self.get_success_message(result)
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url(result))

    def service_refused(self, form, error: DomainError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return self.form_invalid(form)


class ServiceActionView(ServiceFormView):
    """A POST-only button: errors become a message on the page it returns to."""

    http_method_names = ["post"]

    def get_failure_url(self) -> str:
        return self.get_success_url()

    def form_invalid(self, form):
        for errors in form.errors.values():
            messages.error(self.request, errors[0])
            break
        return HttpResponseRedirect(self.get_failure_url())
