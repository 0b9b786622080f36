"""Enrollment.activated_at: when the enrollment last became active (drip release counts from it).

Existing rows take their creation time: the best record of when they opened.
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def fill_from_created_at(apps, schema_editor):
    Enrollment = apps.get_model("enrollments", "Enrollment")
    Enrollment.objects.filter(activated_at__isnull=True).update(activated_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("enrollments", "0005_enrollment_course_newest"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrollment",
            name="activated_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill_from_created_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enrollment",
            name="activated_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
    ]
