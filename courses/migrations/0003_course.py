"""Several courses: existing modules join the first (the one content/course.yaml describes)."""

import django.db.models.deletion
from django.db import migrations, models

FIRST_COURSE = {
    "slug": "sales-blueprint",
    "title": "The Sales Blueprint System",
    "position": 1,
}


def modules_into_first_course(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    Module = apps.get_model("courses", "Module")
    if Module.objects.exists():
        course, _ = Course.objects.get_or_create(slug=FIRST_COURSE["slug"], defaults=FIRST_COURSE)
        Module.objects.update(course=course)


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_module_updated_at_index")]

    operations = [
        migrations.CreateModel(
            name="Course",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=100, unique=True, verbose_name="slug")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="short description")),
                ("audience", models.TextField(blank=True, verbose_name="who it is for")),
                ("position", models.PositiveSmallIntegerField(default=1, verbose_name="position")),
                ("content_hash", models.CharField(blank=True, editable=False, max_length=64)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={"verbose_name": "course", "verbose_name_plural": "courses", "ordering": ["position", "title"]},
        ),
        migrations.AddField(
            model_name="module",
            name="course",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="modules",
                to="courses.course",
                verbose_name="course",
            ),
        ),
        migrations.RunPython(modules_into_first_course, migrations.RunPython.noop),
    ]
