"""Writes to POSDAYA and staff roles; each one audited."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.errors import DomainError
from pasar.models import AuditLog
from pasar.pagecache import invalidates_public_pages
from pasar.siteurl import absolute_url

from .models import Membership, Posdaya
from .permissions import policy

PROFILE_FIELDS = (
    "name",
    "rw",
    "address",
    "profile",
    "whatsapp",
    "weighing_days",
    "weighing_hours",
    "weighing_place",
)


class RoleError(DomainError):
    """A role change that is not allowed; the message is for the user."""


def grant_role(*, user, role: str, posdaya: Posdaya | None, by) -> Membership:
    """Give `user` a role at `posdaya` (or koordinator, posdaya None)."""
    if role == Membership.Role.KOORDINATOR:
        if not policy.may_grant_koordinator(by):
            raise RoleError(
                _("Peran koordinator hanya dapat diberikan oleh koordinator.")
            )
        posdaya = None
    elif posdaya is None:
        raise RoleError(_("Pilih POSDAYA untuk peran ini."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, posdaya=posdaya, role=role
            )
            record_audit(
                actor=by,
                action=AuditLog.Action.ROLE_GRANTED,
                target=membership,
                posdaya=posdaya,
                after={"user": user.get_username(), "role": role},
            )
    except IntegrityError as error:
        raise RoleError(
            _("%(user)s sudah memegang peran ini.") % {"user": user.get_username()}
        ) from error
    policy.forget(user)
    return membership


def revoke_role(*, membership: Membership, by) -> None:
    """Take a role away; the last koordinator cannot be removed."""
    with transaction.atomic():
        if membership.role == Membership.Role.KOORDINATOR:
            koordinators = list(
                Membership.objects.select_for_update()
                .filter(role=Membership.Role.KOORDINATOR)
                .values_list("pk", flat=True)
            )
            if koordinators == [membership.pk]:
                raise RoleError(_("Koordinator terakhir tidak dapat dicabut perannya."))
        record_audit(
            actor=by,
            action=AuditLog.Action.ROLE_REVOKED,
            target=membership,
            posdaya=membership.posdaya,
            before={"user": membership.user.get_username(), "role": membership.role},
        )
        membership.delete()
    policy.forget(membership.user)


def invite_staff(
    *,
    email: str,
    username: str,
    role: str,
    posdaya: Posdaya | None,
    by,
    request=None,
    one_time_password: bool = False,
) -> tuple:
    """Find or create the account for `email`, grant the role, send an invitation.

    A new account gets either a one-time password (returned, to be passed on by
    the koordinator in person or by WhatsApp) or no password and an emailed link
    to set one. Returns (user, created, password or None).
    """
    User = get_user_model()
    password = None
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            if User.objects.filter(username__iexact=username).exists():
                raise RoleError(
                    _("Nama pengguna %(username)s sudah dipakai.")
                    % {"username": username}
                )
            user = User(username=username, email=email)
            if one_time_password:
                password = secrets.token_urlsafe(9)
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        grant_role(user=user, role=role, posdaya=posdaya, by=by)
        if created and not one_time_password:
            link = _password_set_link(user)
            transaction.on_commit(
                lambda: send_mail(
                    _("Undangan pengurus Pasar Bahagia Online"),
                    _(
                        "Anda diundang sebagai pengurus Pasar Bahagia Online. "
                        "Buat kata sandi Anda di tautan ini: %(link)s"
                    )
                    % {"link": link},
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                )
            )
    return user, created, password


def _password_set_link(user) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path)


@invalidates_public_pages
def update_posdaya(*, posdaya: Posdaya, data: dict, by) -> Posdaya:
    """Save profile changes, auditing the before and after values."""
    before = {field: getattr(posdaya, field) for field in PROFILE_FIELDS}
    with transaction.atomic():
        for field, value in data.items():
            setattr(posdaya, field, value)
        posdaya.save()
        after = {field: getattr(posdaya, field) for field in PROFILE_FIELDS}
        changed = {k for k in PROFILE_FIELDS if before[k] != after[k]}
        if changed:
            record_audit(
                actor=by,
                action=AuditLog.Action.POSDAYA_CHANGED,
                target=posdaya,
                posdaya=posdaya,
                before={k: before[k] for k in sorted(changed)},
                after={k: after[k] for k in sorted(changed)},
            )
    return posdaya


@invalidates_public_pages
def set_posdaya_active(*, posdaya: Posdaya, active: bool, by) -> Posdaya:
    """Open or close a POSDAYA; closing hides its products, keeps its data."""
    with transaction.atomic():
        if posdaya.is_active != active:
            Posdaya.objects.filter(pk=posdaya.pk).update(is_active=active)
            record_audit(
                actor=by,
                action=AuditLog.Action.POSDAYA_CHANGED,
                target=posdaya,
                posdaya=posdaya,
                before={"is_active": posdaya.is_active},
                after={"is_active": active},
            )
            posdaya.is_active = active
    return posdaya
