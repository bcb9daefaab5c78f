"""Each module's lesson text and takeaways become its first two activities; its reflection
prompts follow them, so every learner's reflection stays attached."""

from django.db import migrations


def content_into_activities(apps, schema_editor):
    Module = apps.get_model("courses", "Module")
    Activity = apps.get_model("courses", "Activity")
    for module in Module.objects.all():
        # Already rendered and sanitised at import.
        takeaways_html = "".join(f"<li>{item}</li>" for item in module.takeaways_html)
        Activity.objects.bulk_create(
            [
                Activity(
                    module=module, key="lesson", kind="lesson", position=0, text=module.body, text_html=module.body_html
                ),
                Activity(
                    module=module,
                    key="takeaways",
                    kind="takeaways",
                    position=1,
                    items=module.takeaways,
                    text_html=f"<ul>{takeaways_html}</ul>" if module.takeaways else "",
                    is_active=bool(module.takeaways),
                ),
            ]
        )
        reflections = Activity.objects.filter(module=module, kind="reflection").order_by("-is_active", "pk")
        for position, activity in enumerate(reflections, 2):
            activity.position = position
            activity.save(update_fields=["position"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_activity")]

    operations = [migrations.RunPython(content_into_activities, migrations.RunPython.noop)]
