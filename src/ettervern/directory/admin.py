"""The directory in Django's admin: organisations, units, staff, cooperation agreements.

Patient data is never registered here. Because unit membership grants access to the pathways a
unit coordinates or treats, staff changes are guarded: nobody but a superuser may rebind a staff
record's login or HPR number (that would let one person sign in as another), nobody but a
superuser may edit their own staff record (that would let an administrator give themselves
access), and every staff change is written to the audit log.

A new staff member gets their login in the same form (and the same transaction as the admin's
save): a unit administrator names it and it has no password, so the person signs in with
HelseID (matched on the HPR number). Only a superuser may give it a local password or bind an
existing login instead; an administrator who could set a password could sign in as the new
staff member and so reach any unit's patients (docs/decisions/0010).

Pickers offer only what fits: a cooperation agreement's trust is a hospital trust and its
municipality a municipality (`limit_choices_to` on the model, so model validation refuses others
too). The long lists (every organisation, every unit) are searched (`autocomplete_fields`), with
labels that tell namesakes apart (the models' __str__).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin, UsernameField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import Basis, actor_from_request
from ettervern.directory.models import CooperationAgreement, Organisation, Staff, Unit

admin.site.site_header = _("Ettervern administration")
admin.site.site_title = _("Ettervern administration")
admin.site.index_title = _("Administration")

STAFF_FIELDS = ["name", "hpr_number", "profession", "units"]


class DirectoryAdmin(admin.ModelAdmin):
    exclude = ["updated_at", "version"]


@admin.register(Organisation)
class OrganisationAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "org_number", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "org_number"]
    ordering = ["name", "id"]  # namesakes keep their places between pages
    autocomplete_fields = ["parent"]


@admin.register(Unit)
class UnitAdmin(DirectoryAdmin):
    list_display = ["name", "kind", "organisation", "municipality_name"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality_name", "organisation__name", "organisation__org_number"]
    list_select_related = ["organisation"]
    ordering = ["name", "id"]
    autocomplete_fields = ["organisation", "leaders"]  # any kind of organisation has units

    def get_queryset(self, request: HttpRequest) -> QuerySet[Unit]:
        # The autocomplete labels a unit with its organisation: one query, not one per unit.
        return super().get_queryset(request).select_related("organisation")


# --- staff ---------------------------------------------------------------------------------

# Logins that belong to nobody yet: no staff record, no patient, no next of kin.
UNBOUND = Q(staff__isnull=True, patient__isnull=True, next_of_kin_roles__isnull=True)


hpr_digits = RegexValidator(r"^\d{1,9}$", _("An HPR number is up to nine digits."))


class StaffForm(forms.ModelForm):
    """The change form (and the base of the add forms): an HPR number names one person."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # a superuser's form: only logins nobody else has
            field: Any = self.fields["user"]
            field.queryset = get_user_model().objects.filter(
                UNBOUND | Q(pk=self.instance.user_id)).distinct().order_by("username")
        if "hpr_number" in self.fields:
            self.fields["hpr_number"].validators.append(hpr_digits)

    def clean_hpr_number(self) -> str:
        hpr = str(self.cleaned_data.get("hpr_number") or "").strip()
        if hpr and Staff.objects.filter(hpr_number=hpr).exclude(pk=self.instance.pk).exists():
            # HelseID sign-in finds the staff record by HPR number: it must name one record.
            raise ValidationError(_("Another staff member already has this HPR number."),
                                  code="unique")
        return hpr


class StaffAddForm(StaffForm):
    """A new staff member with a new login, which has no password: HelseID signs them in."""

    username = UsernameField(
        label=_("Username"), max_length=150,
        help_text=_("The new login's name. Letters, digits and @ . + - _ only."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_model = get_user_model()
        username_field: Any = user_model._meta.get_field(user_model.USERNAME_FIELD)
        self.fields["username"].validators.extend(username_field.validators)
        # Someone else's login: the browser must not fill in the administrator's own.
        self.fields["username"].widget.attrs["autocomplete"] = "off"

    def clean_username(self) -> str:
        username = str(self.cleaned_data.get("username") or "")
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("A login with this username already exists."),
                                  code="unique")
        return username

    def new_login(self) -> Any:
        """The login this form asks for, created now (in the admin's transaction)."""
        given, _sep, family = str(self.cleaned_data["name"]).rpartition(" ")
        return get_user_model().objects.create_user(
            username=self.cleaned_data["username"], password=None,
            first_name=given[:150], last_name=family[:150])


class SuperuserStaffAddForm(SetPasswordMixin, StaffAddForm):
    """A superuser may also give the new login a local password, or bind an existing login."""

    password1, password2 = SetPasswordMixin.create_password_fields()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("username", "password1", "password2", "user"):
            self.fields[name].required = False
        self.fields["user"].help_text = _(
            "Or an existing login that belongs to nobody yet, instead of a new one.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        new, existing = cleaned.get("username"), cleaned.get("user")
        if new and existing:
            raise ValidationError(_("Give a username for a new login or choose an existing "
                                    "login, not both."), code="login")
        if not new and not existing and "username" not in self.errors:
            self.add_error("username", _("Give a username for a new login, or choose an "
                                         "existing login."))
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if existing and (password1 or password2):
            self.add_error("password1", _("A password can only be set for a new login."))
        elif bool(password1) != bool(password2):
            self.add_error("password2", _("Enter the password twice, or leave both empty."))
        else:
            self.validate_passwords()
            if password2 and new:
                self.validate_password_for_user(get_user_model()(username=new))
        return cleaned

    def new_login(self) -> Any:
        if self.cleaned_data.get("user"):
            return None
        user = super().new_login()
        if self.cleaned_data.get("password1"):
            self.set_password_and_save(user)
        return user


@admin.register(Staff)
class StaffAdmin(DirectoryAdmin):
    list_display = ["name", "profession", "hpr_number"]
    list_filter = ["profession"]
    search_fields = ["name", "hpr_number", "user__username"]
    ordering = ["name", "id"]
    autocomplete_fields = ["units"]
    form = StaffForm

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return [(None, {"fields": ["user", *STAFF_FIELDS]})]
        if request.user.is_superuser:
            login = {"fields": ["username", "password1", "password2", "user"],
                     "description": _("Leave the password empty for a login without one: the "
                                      "person signs in with HelseID (by the HPR number).")}
        else:
            login = {"fields": ["username"],
                     "description": _("The new login has no password: the person signs in "
                                      "with HelseID, found by the HPR number below.")}
        return [(_("User account"), login), (None, {"fields": STAFF_FIELDS})]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = (SuperuserStaffAddForm if request.user.is_superuser
                              else StaffAddForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return []
        if obj is None:
            return []  # a new staff record gets a new login (never an existing one), here
        if obj.user_id == request.user.pk:
            return ["user", *STAFF_FIELDS]
        return ["user", "hpr_number"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            login = form.new_login()
            if login is not None:
                obj.user = login
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        staff = form.instance
        notes = []
        if not change and form.cleaned_data.get("username"):
            how = ("with a password" if staff.user.has_usable_password()
                   else "without a password (HelseID)")
            notes.append(f"new login {staff.user.get_username()} {how}")
        elif "user" in form.changed_data:
            notes.append(f"login {staff.user.get_username()}")
        if change and "hpr_number" in form.changed_data:
            notes.append("HPR number changed")
        units = ", ".join(sorted(unit.name for unit in staff.units.all()))
        notes.append(f"units: {units}")
        audit.record(actor_from_request(request, "web"),
                     action="directory.staff." + ("change" if change else "add"),
                     patient_id=None, obj=staff,
                     basis=Basis("admin", "; ".join(notes)[:180]))


@admin.register(CooperationAgreement)
class CooperationAgreementAdmin(DirectoryAdmin):
    list_display = ["trust", "municipality", "valid_from", "valid_to"]
    list_select_related = ["trust", "municipality"]
    search_fields = ["trust__name", "municipality__name"]
    # The model's limit_choices_to offers hospital trusts (some twenty) and municipalities
    # (at most 357): short enough for a plain, accessible select.
