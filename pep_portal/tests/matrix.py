from tests.world import Route

PUBLIC = {p: 200 for p in ("anonymous", "school_leader", "trust_leader", "chair", "officer", "admin")}
SIGNED_IN = {**PUBLIC, "anonymous": "login"}
ADMIN_ONLY = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 404,
              "admin": 200}

ROUTES = [
    Route("home", expect=PUBLIC, a11y="anonymous"),
    Route("healthz", expect=PUBLIC),
    Route("accessibility", expect=PUBLIC, a11y="anonymous"),
    Route("privacy", expect=PUBLIC, a11y="anonymous"),
    Route("cookies", expect=PUBLIC, a11y="anonymous"),
    Route("contact", expect=PUBLIC, a11y="anonymous"),
    Route("partnership_settings", expect=ADMIN_ONLY, a11y="admin"),
    Route("setup", expect=ADMIN_ONLY, a11y="admin"),
]

# Account pages (django-allauth) checked in the matrix and the accessibility sweep.
ACCOUNT_ROUTES = [
    Route("account_login", expect={**PUBLIC, **{p: 302 for p in SIGNED_IN if p != "anonymous"}}, a11y="anonymous"),
    Route("account_reset_password", expect=PUBLIC, a11y="anonymous"),
    Route("account_reset_password_done", expect=PUBLIC, a11y="anonymous"),
    Route("account_signup", expect={p: 302 for p in PUBLIC}),
    Route("account_email", expect=SIGNED_IN, a11y="school_leader"),
    Route("account_change_password", expect=SIGNED_IN, a11y="school_leader"),
    Route("account_logout", expect={**SIGNED_IN, "anonymous": 302}, a11y="school_leader"),
    Route("mfa_index", expect=SIGNED_IN, a11y="officer"),
    # Two-factor changes ask for the password again first (allauth re-authentication).
    Route("mfa_activate_totp", expect={**SIGNED_IN, **{p: 302 for p in SIGNED_IN if p != "anonymous"}},
          a11y="school_leader"),
    Route("usersessions_list", expect=SIGNED_IN, a11y="school_leader"),
    Route("account_reset_password_from_key", lambda w: {"uidb36": "1", "key": "bad-key"}, PUBLIC, a11y="anonymous"),
    Route("account_reset_password_from_key_done", expect=PUBLIC, a11y="anonymous"),
    Route("account_set_password", expect={**SIGNED_IN, **{p: 302 for p in SIGNED_IN if p != "anonymous"}}),
    Route("account_inactive", expect=PUBLIC, a11y="anonymous"),
    Route("account_reauthenticate", expect=SIGNED_IN, a11y="school_leader"),
    # Email verification and login codes are switched off: these answer 404 or send to login.
    Route("account_confirm_email", lambda w: {"key": "nope"}, PUBLIC),
    Route("account_email_verification_sent", expect=PUBLIC),
    Route("account_confirm_login_code", expect={p: 302 for p in PUBLIC}),
    Route("mfa_authenticate", expect={p: 302 for p in PUBLIC}),
    Route("mfa_reauthenticate", expect={**SIGNED_IN, "school_leader": 302, "trust_leader": 302, "chair": 302}),
    Route("mfa_deactivate_totp", expect={**SIGNED_IN, "school_leader": 404, "trust_leader": 404, "chair": 404,
                                         "officer": 302, "admin": 302}),
    Route("mfa_generate_recovery_codes", expect={p: 302 for p in PUBLIC}),
    Route("mfa_view_recovery_codes", expect={**SIGNED_IN, "school_leader": 404, "trust_leader": 404, "chair": 404,
                                             "officer": 404, "admin": 404}),
    Route("mfa_download_recovery_codes", expect={**SIGNED_IN, "school_leader": 404, "trust_leader": 404,
                                                 "chair": 404, "officer": 404, "admin": 404}),
]
ROUTES += ACCOUNT_ROUTES


# The Django admin: staff only. Its login page sends everyone to the portal's login (TOTP, shared
# rate limits); signed-in users who are not staff get 404 from every admin page.
NOT_STAFF = {"anonymous": "login", "school_leader": 404, "trust_leader": 404, "chair": 404, "officer": 404}
EVERYONE_TO_LOGIN = {p: 302 for p in PUBLIC}
# Admin answers for pages that are not a plain 200: logout is POST only; autocomplete without its
# parameters is refused; a missing object (id 0) sends the admin back to the index (302), or 404 for
# a user's password page; read-only admins (their own has_*_permission) refuse add and delete.
ADMIN_STATUS = {"logout": 405, "autocomplete": 403, "view_on_site": 404, "auth_user_password_change": 404}


def _admin_status(name, params):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    if name in ADMIN_STATUS:
        return ADMIN_STATUS[name]
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for action in ("add", "delete"):
            permission = f"has_{action}_permission"
            if name == prefix + action and getattr(type(model_admin), permission) is not getattr(ModelAdmin, permission):
                return 403
    return 302 if "object_id" in params else 200


def _admin_kwargs(params):
    values = {"app_label": "auth", "object_id": "0", "content_type_id": "1", "id": "0"}
    return lambda world: {name: values[name] for name in params}


def admin_routes():
    from django.contrib import admin
    from django.urls import URLPattern, URLResolver

    routes = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern) and entry.name:
                name, params = entry.name, set(entry.pattern.regex.groupindex)
                expect = EVERYONE_TO_LOGIN if name == "login" else {**NOT_STAFF, "admin": _admin_status(name, params)}
                routes.append(Route(f"admin:{name}", _admin_kwargs(params), expect))

    walk(admin.site.get_urls())
    return routes


ROUTES += admin_routes()
