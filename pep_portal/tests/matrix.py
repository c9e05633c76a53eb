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
