"""A planner's fields are answered like reflections: one row per field, keyed by (learner, activity, field)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_remove_module_body"),
        ("reflections", "0003_reflection_activity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="field",
            field=models.CharField(blank=True, default="", max_length=64, verbose_name="planner field"),
        ),
        migrations.AddConstraint(
            model_name="reflection",
            constraint=models.UniqueConstraint(
                fields=("learner", "activity", "field"), name="reflection_one_per_activity_field"
            ),
        ),
        migrations.RemoveConstraint(model_name="reflection", name="reflection_one_per_activity"),
    ]
