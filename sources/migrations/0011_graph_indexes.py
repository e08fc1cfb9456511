from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sources", "0010_source_usage")]

    operations = [
        # A theme's works, the latest added first, a few at a time (the
        # relationship graph, wiki/graph.py); the automatic link table takes
        # no Meta index.
        migrations.RunSQL(
            "CREATE INDEX work_themes_theme_work "
            "ON sources_work_themes (theme_id, work_id)",
            "DROP INDEX work_themes_theme_work",
        ),
    ]
