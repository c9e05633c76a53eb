from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .accounts import end_all_sessions

User = get_user_model()


@receiver(pre_save, sender=User)
def remember_active(sender, instance, **kwargs):
    if instance.pk:
        instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def disabling_ends_sessions(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        end_all_sessions(instance)
