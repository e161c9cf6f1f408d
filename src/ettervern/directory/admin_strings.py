"""Django's own admin strings that Django's Norwegian bokmål catalogue lacks.

Django 5.2 ships `nb` translations for most of the admin, but not for strings added in recent
versions (the colour-theme toggle, the app list's column headings, the sidebar filter, the
password-based authentication switch, ...), so those parts of the admin stayed English under
`nb`. Naming them here puts them in our catalogue (`make messages`), which Django consults before
its own (LOCALE_PATHS), and they get their translation there. Nothing imports this module.

The admin's JavaScript strings (the selector and calendar widgets) cannot be extracted from
Python: they are kept by hand in locale/nb/LC_MESSAGES/djangojs.po, which `make messages`
compiles but `makemessages` leaves alone. tests/directory/test_admin_language.py fails when a
Django upgrade brings another untranslated admin string.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.admin
ADMIN = [
    gettext_noop("Add link"),
    gettext_noop("Added:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Change or view list link"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Error:"),
    gettext_noop("Filter navigation items"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Hide counts"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Model name"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Set password"),
    gettext_noop("Show counts"),
    gettext_noop("Sidebar"),
    gettext_noop("Skip to main content"),
    gettext_noop("Start typing to filter…"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for "
                 "this user."),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("View selected %(model)s"),
    ngettext_lazy("entry", "entries", 1),
    # Django's nb catalogue has this one only without its plural, so ngettext missed it.
    ngettext_lazy("Please correct the error below.", "Please correct the errors below.", 1),
]

# django.contrib.auth (the user admin and its forms)
AUTH = [
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Disabled"),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Enabled"),
    gettext_noop("Enter a valid username. This value may contain only unaccented lowercase a-z "
                 "and uppercase A-Z letters, numbers, and @/./+/-/_ characters."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Password-based authentication"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Reset password"),
    gettext_noop("Set password: %s"),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters.", 1),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If "
                 "disabled, they may still be able to authenticate using other backends, such "
                 "as Single Sign-On or LDAP."),
]
