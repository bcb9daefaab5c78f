"""Modules made of keyed activities: reflection prompts (same rows, same ids) become activities."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_course")]

    operations = [
        migrations.AlterField(
            model_name="module",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="modules",
                to="courses.course",
                verbose_name="course",
            ),
        ),
        migrations.AlterField(
            model_name="module", name="number", field=models.PositiveIntegerField(verbose_name="number")
        ),
        migrations.AlterField(
            model_name="module", name="slug", field=models.SlugField(max_length=100, verbose_name="slug")
        ),
        migrations.AlterModelOptions(
            name="module",
            options={"ordering": ["course", "number"], "verbose_name": "module", "verbose_name_plural": "modules"},
        ),
        migrations.AddConstraint(
            model_name="module",
            constraint=models.UniqueConstraint(fields=("course", "number"), name="module_unique_number_per_course"),
        ),
        migrations.AddConstraint(
            model_name="module",
            constraint=models.UniqueConstraint(fields=("course", "slug"), name="module_unique_slug_per_course"),
        ),
        migrations.RemoveConstraint(model_name="prompt", name="prompt_unique_key_per_module"),
        migrations.RenameModel(old_name="Prompt", new_name="Activity"),
        migrations.AlterModelOptions(
            name="activity",
            options={
                "ordering": ["module", "position"],
                "verbose_name": "activity",
                "verbose_name_plural": "activities",
            },
        ),
        migrations.AlterField(
            model_name="activity",
            name="module",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activities",
                to="courses.module",
                verbose_name="module",
            ),
        ),
        migrations.AddField(
            model_name="activity",
            name="kind",
            field=models.CharField(default="reflection", max_length=32, verbose_name="kind"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="activity",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AddField(
            model_name="activity",
            name="items",
            field=models.JSONField(blank=True, default=list, verbose_name="items (Markdown)"),
        ),
        migrations.AlterField(
            model_name="activity", name="text", field=models.TextField(blank=True, verbose_name="text (Markdown)")
        ),
        migrations.AlterField(
            model_name="activity", name="text_html", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddConstraint(
            model_name="activity",
            constraint=models.UniqueConstraint(fields=("module", "key"), name="activity_unique_key_per_module"),
        ),
    ]
