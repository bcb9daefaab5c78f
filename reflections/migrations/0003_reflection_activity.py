"""Reflections hang on activities (the same rows as the old prompts, so nothing moves)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_activity"),
        ("reflections", "0002_reflection_current_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reflection", name="reflection_one_per_prompt"),
        migrations.RenameField(model_name="reflection", old_name="prompt", new_name="activity"),
        migrations.AlterField(
            model_name="reflection",
            name="activity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="courses.activity",
                verbose_name="prompt",
            ),
        ),
        migrations.AddConstraint(
            model_name="reflection",
            constraint=models.UniqueConstraint(fields=("learner", "activity"), name="reflection_one_per_activity"),
        ),
    ]
