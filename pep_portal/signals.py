from allauth.account.signals import user_logged_in
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.test.signals import setting_changed

from .accounts import end_all_sessions
from .models import Partnership
from .partnership import SEEDED_FROM, forget, forget_now_and_on_commit

User = get_user_model()


@receiver(pre_save, sender=User)
def remember_active(sender, instance, **kwargs):
    if instance.pk:
        instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def disabling_ends_sessions(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        end_all_sessions(instance)


@receiver(m2m_changed, sender=User.groups.through)
def admins_are_staff(sender, instance, action, **kwargs):
    # Partnership admins work in the Django admin too; nobody else is staff unless made superuser.
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, User):
        return
    staff = instance.is_superuser or instance.groups.filter(name="Partnership admin").exists()
    if staff != instance.is_staff:
        User.objects.filter(pk=instance.pk).update(is_staff=staff)
        instance.is_staff = staff


@receiver(user_logged_in)
def password_just_entered_counts_for_two_factor_setup(sender, request, user, **kwargs):
    # An officer or admin without two-factor is sent straight to set it up; allauth would ask for the
    # password they typed seconds ago again. The sign-in itself counts as that re-authentication.
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    from .middleware import has_totp
    from .roles import needs_two_factor

    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    if records and records[-1].get("method") == "password" and needs_two_factor(user) and not has_totp(user):
        records[-1]["reauthenticated"] = True
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


@receiver([post_save, post_delete], sender=Partnership)
def partnership_changed(sender, **kwargs):
    forget_now_and_on_commit()


@receiver(setting_changed)
def partnership_seed_setting_changed(setting, **kwargs):
    """A changed PARTNERSHIP_* setting (tests override them) seeds the partnership afresh."""
    if setting in SEEDED_FROM:
        try:
            forget()
        except Exception:  # noqa: BLE001 - a test without database access has no cache table
            pass
