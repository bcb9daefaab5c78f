"""The lesson text and takeaways now live in activities."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_content_into_activities")]

    operations = [
        migrations.RemoveField(model_name="module", name="body"),
        migrations.RemoveField(model_name="module", name="body_html"),
        migrations.RemoveField(model_name="module", name="takeaways"),
        migrations.RemoveField(model_name="module", name="takeaways_html"),
    ]
