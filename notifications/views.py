"""The outbox pages: the koordinator's list of every message, and each
POSDAYA's WhatsApp messages to send by hand (no Cloud API configured)."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pasar.views import ServiceActionView
from posdaya.permissions import Area, AreaRequiredMixin, KoordinatorRequiredMixin

from . import selectors, services
from .models import Message

PAGE_SIZE = 50


class OutboxView(KoordinatorRequiredMixin, TemplateView):
    """`/dasbor/induk/pesan/`: sent, failed, pending and manual, with reasons."""

    template_name = "notifications/outbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in Message.Status.values:
            status = ""
        page = Paginator(selectors.outbox(status=status), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        counts = selectors.outbox_counts()
        context.update(
            status=status,
            statuses=[(s, s.label, counts[s]) for s in Message.Status],
            total=sum(counts.values()),
            page_obj=page,
            messages_page=page.object_list,
            to_send=selectors.to_send_by_hand(posdaya=None),
        )
        return context


class BranchMessagesView(AreaRequiredMixin, TemplateView):
    """`/dasbor/<posdaya>/pesan/`: the WhatsApp messages this POSDAYA sends."""

    area = Area.MESSAGES
    template_name = "notifications/branch_messages.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["to_send"] = selectors.to_send_by_hand(posdaya=self.posdaya)
        return context


class _MarkSent(ServiceActionView):
    success_message = ""

    def get_message(self):
        raise NotImplementedError

    def perform(self, form):
        message = services.mark_sent_by_hand(
            message=self.get_message(), by=self.request.user
        )
        return message

    def get_success_message(self, result) -> str:
        return _("Pesan untuk %(name)s ditandai terkirim.") % {
            "name": result.recipient_name or result.recipient
        }


class IndukMarkSentView(KoordinatorRequiredMixin, _MarkSent):
    """POST: the koordinator sent one manual message (any POSDAYA's)."""

    def get_message(self):
        return get_object_or_404(Message, pk=self.kwargs["pk"])

    def get_success_url(self, result=None) -> str:
        return reverse("notifications_dashboard:outbox")


class RetryView(KoordinatorRequiredMixin, ServiceActionView):
    """POST: the koordinator tries a failed message again."""

    def perform(self, form):
        message = get_object_or_404(Message, pk=self.kwargs["pk"])
        return services.retry_message(message=message)

    def get_success_message(self, result) -> str:
        return _("Pesan untuk %(name)s dikirim ulang.") % {
            "name": result.recipient_name or result.recipient
        }

    def get_success_url(self, result=None) -> str:
        return reverse("notifications_dashboard:outbox")


class BranchMarkSentView(AreaRequiredMixin, _MarkSent):
    """POST: this POSDAYA's staff sent one of its manual messages."""

    area = Area.MESSAGES

    def get_message(self):
        return get_object_or_404(Message, pk=self.kwargs["pk"], posdaya=self.posdaya)

    def get_success_url(self, result=None) -> str:
        return reverse(
            "notifications_dashboard:branch_messages",
            kwargs={"posdaya": self.posdaya.slug},
        )
