"""Accounts: no public sign-up; admins invite users, who set their own password from an email."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .partnership import current
from .roles import is_admin


class RoleBackend(ModelBackend):
    """Partnership admins hold every permission in the Django admin; it never signs anyone in."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and is_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and is_admin(user_obj)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def _get_login_attempts_cache_key(self, request, **credentials):
        # allauth counts failed logins per email alone, so anyone could lock any account out from
        # anywhere; counted per email and client address, a guesser locks only themselves out.
        return f"{self.get_client_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def format_email_subject(self, subject):
        # The partnership's name as saved in the portal, not the one the server started with.
        return f"[{current().name}] {subject}"


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self):
        return current().name


def site_root(request=None):
    """The address the portal is served on: the one the admin is using, else SITE_ROOT (commands)."""
    return request.build_absolute_uri("/").rstrip("/") if request is not None else settings.SITE_ROOT


def set_password_url(user, root=None):
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": key})
    return f"{root or settings.SITE_ROOT}{path}"


def send_invitation(user, request=None):
    root = site_root(request)
    context = {
        "user": user,
        "url": set_password_url(user, root),
        "partnership_name": current().name,
        "login_url": root + reverse("account_login"),
    }
    send_mail(
        f"[{current().name}] You have been invited to the portal",
        render_to_string("pep_portal/email/invitation.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )


@transaction.atomic
def invite_user(email, first_name="", last_name="", groups=(), request=None):
    """Create an account with no usable password and email a link to set one."""
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User(username=email[:150], email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    if groups:
        user.groups.set(groups)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    transaction.on_commit(lambda: send_invitation(user, request))
    return user


def end_all_sessions(user):
    """Sign the user out everywhere: tracked sessions, and any database session carrying their id."""
    for session in UserSession.objects.filter(user=user):
        session.end()
    uid = str(user.pk)
    for session in Session.objects.all().iterator():
        if session.get_decoded().get("_auth_user_id") == uid:
            session.delete()


def reset_two_factor(user):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=user).delete()
