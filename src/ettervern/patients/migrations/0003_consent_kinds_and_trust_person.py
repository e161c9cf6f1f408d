"""Consent by kind (a code of access.consent_kinds), with a period, who recorded it and how it
was given; its history; trust persons beside next of kin; "what matters to me"."""

import datetime

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q

import ettervern.core.clock


def valid_from_given(apps, schema_editor):
    Consent = apps.get_model("patients", "Consent")
    for consent in Consent.objects.all().only("pk", "given_at"):
        Consent.objects.filter(pk=consent.pk).update(valid_from=consent.given_at.date())


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0002_next_of_kin_national_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="consent", name="consent_one_active_per_scope"),
        migrations.RenameField(model_name="consent", old_name="scope", new_name="kind"),
        migrations.AlterField(model_name="consent", name="kind",
                              field=models.CharField(max_length=32)),
        migrations.AddField(
            model_name="consent", name="method",
            field=models.CharField(choices=[("in_person", "In person"), ("phone", "By phone"),
                                            ("in_writing", "In writing"),
                                            ("digital", "In the app")],
                                   default="in_person", max_length=20)),
        migrations.AddField(
            model_name="consent", name="valid_from",
            field=models.DateField(default=datetime.date(2000, 1, 1)), preserve_default=False),
        migrations.RunPython(valid_from_given, migrations.RunPython.noop),
        migrations.AddField(model_name="consent", name="valid_until",
                            field=models.DateField(blank=True, null=True)),
        migrations.AddField(
            model_name="consent", name="recorded_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddField(
            model_name="consent", name="recorded_as",
            field=models.CharField(choices=[("patient", "The patient"),
                                            ("clinician",
                                             "A clinician, on the patient's decision")],
                                   default="patient", max_length=20)),
        migrations.AddField(
            model_name="consent", name="withdrawn_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.UniqueConstraint(condition=Q(withdrawn_at__isnull=True),
                                               fields=("next_of_kin", "kind"),
                                               name="consent_one_active_per_kind")),
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="consent_period_ends_after_start")),
        migrations.AddField(
            model_name="nextofkin", name="kind",
            field=models.CharField(choices=[("next_of_kin", "Next of kin"),
                                            ("trust_person", "Trust person")],
                                   default="next_of_kin", max_length=20)),
        migrations.AddField(
            model_name="nextofkin", name="added_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddConstraint(
            model_name="nextofkin",
            constraint=models.UniqueConstraint(condition=~Q(national_id=""),
                                               fields=("patient", "national_id"),
                                               name="nextofkin_one_per_person_and_patient")),
        migrations.CreateModel(
            name="ConsentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("action", models.CharField(choices=[("granted", "Given"),
                                                     ("withdrawn", "Withdrawn")],
                                            max_length=20)),
                ("at", models.DateTimeField()),
                ("by_name", models.CharField(blank=True, max_length=200)),
                ("recorded_as", models.CharField(
                    choices=[("patient", "The patient"),
                             ("clinician", "A clinician, on the patient's decision")],
                    max_length=20)),
                ("method", models.CharField(blank=True,
                                            choices=[("in_person", "In person"),
                                                     ("phone", "By phone"),
                                                     ("in_writing", "In writing"),
                                                     ("digital", "In the app")],
                                            max_length=20)),
                ("by", models.ForeignKey(blank=True, null=True,
                                         on_delete=django.db.models.deletion.PROTECT,
                                         related_name="+", to=settings.AUTH_USER_MODEL)),
                ("consent", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="events", to="patients.consent")),
                ("patient", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="+", to="patients.patient")),
            ],
            options={"indexes": [models.Index(fields=["patient", "-at"],
                                              name="consentevent_patient_at")]},
        ),
        migrations.CreateModel(
            name="WhatMatters",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("created_at", models.DateTimeField(default=ettervern.core.clock.now,
                                                    editable=False)),
                ("updated_at", models.DateTimeField(default=ettervern.core.clock.now)),
                ("version", models.PositiveIntegerField(default=1)),
                ("text", models.TextField(blank=True)),
                ("contact_preference", models.TextField(blank=True)),
                ("patient", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="what_matters",
                                                 to="patients.patient")),
            ],
            options={"abstract": False},
        ),
    ]
