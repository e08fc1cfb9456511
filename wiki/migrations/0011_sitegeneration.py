import secrets
import time

from django.db import migrations, models


def create_row(apps, schema_editor):
    SiteGeneration = apps.get_model("wiki", "SiteGeneration")
    now = time.time_ns() // 1000
    SiteGeneration.objects.using(schema_editor.connection.alias).create(
        id=1, number=secrets.randbits(62), changed_us=now, previous_changed_us=0
    )


class Migration(migrations.Migration):

    dependencies = [
        ("wiki", "0010_purgerecord"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField()),
                ("changed_us", models.BigIntegerField()),
                ("previous_changed_us", models.BigIntegerField()),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="one_site_generation")],
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
