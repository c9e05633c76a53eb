"""The partnership itself: one row of settings an admin edits in the portal."""

from django.conf import settings
from django.db import models


class Partnership(models.Model):
    """The partnership's name, LA codes and contact details (a single row, id 1).

    Until an admin first saves the settings page there is no row, and the environment
    (PARTNERSHIP_NAME, PARTNERSHIP_LA_CODES, STATISTICAL_NEIGHBOUR_LA_CODES) gives the values;
    read them through pep_portal.partnership.current(), never from settings."""

    SINGLETON_ID = 1

    name = models.CharField(max_length=200)
    la_codes = models.CharField("LA codes", max_length=200, help_text="Comma-separated DfE LA codes")
    neighbour_la_codes = models.CharField("statistical-neighbour LA codes", max_length=200, blank=True)
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "partnership settings"
        verbose_name_plural = "partnership settings"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="partnership_single_row")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.id = self.SINGLETON_ID
        super().save(*args, **kwargs)
