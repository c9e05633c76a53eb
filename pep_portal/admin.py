from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.shortcuts import redirect, render
from django.urls import path

from .accounts import end_all_sessions, invite_user, reset_two_factor, send_invitation

User = get_user_model()


class InviteForm(forms.Form):
    email = forms.EmailField()
    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)
    groups = forms.ModelMultipleChoiceField(Group.objects.all(), required=False, widget=forms.CheckboxSelectMultiple)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("A user with this email address already exists.")
        return email


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    actions = ["reset_two_factor", "end_sessions", "resend_invitation", "disable_users"]
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "groups")

    def get_urls(self):
        return [path("invite/", self.admin_site.admin_view(self.invite_view), name="auth_user_invite")] + super().get_urls()

    def invite_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = InviteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = invite_user(**form.cleaned_data, request=request)
            self.message_user(request, f"Invitation sent to {user.email}.", messages.SUCCESS)
            return redirect("admin:auth_user_change", user.pk)
        context = {**self.admin_site.each_context(request), "form": form, "title": "Invite a user", "opts": self.model._meta}
        return render(request, "admin/invite_user.html", context)

    @admin.action(description="Reset two-factor authentication (the user sets it up again)")
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            reset_two_factor(user)
            end_all_sessions(user)
        self.message_user(request, f"Two-factor reset and sessions ended for {queryset.count()} user(s).")

    @admin.action(description="End all sessions (sign out everywhere)")
    def end_sessions(self, request, queryset):
        for user in queryset:
            end_all_sessions(user)
        self.message_user(request, f"Sessions ended for {queryset.count()} user(s).")

    @admin.action(description="Send the set-password invitation again")
    def resend_invitation(self, request, queryset):
        for user in queryset:
            send_invitation(user, request)
        self.message_user(request, f"Invitation sent to {queryset.count()} user(s).")

    @admin.action(description="Disable (and sign out everywhere)")
    def disable_users(self, request, queryset):
        for user in queryset.exclude(pk=request.user.pk):
            user.is_active = False
            user.save()
        self.message_user(request, "Selected users disabled and signed out.")
