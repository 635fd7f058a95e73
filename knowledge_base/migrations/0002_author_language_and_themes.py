from django.db import migrations, models

# The controlled vocabulary the network starts with; admins manage it afterwards.
THEMES = [
    ("leesmotivatie", "Leesmotivatie", "Reading motivation"),
    ("feedback", "Feedback", "Feedback"),
    ("differentiatie", "Differentiatie", "Differentiation"),
    ("welbevinden", "Welbevinden", "Wellbeing"),
    ("ouderbetrokkenheid", "Ouderbetrokkenheid", "Parental involvement"),
    ("meertaligheid", "Meertaligheid", "Multilingualism"),
    ("klasmanagement", "Klasmanagement", "Classroom management"),
    ("evaluatie", "Evaluatie en toetsing", "Assessment"),
    ("zelfregulatie", "Zelfregulerend leren", "Self-regulated learning"),
    ("samenwerkend-leren", "Samenwerkend leren", "Cooperative learning"),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("knowledge_base", "Theme")
    for slug, name_nl, name_en in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name_nl": name_nl, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge_base", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="studyauthor",
            name="language",
            field=models.CharField(
                choices=[("nl", "Dutch"), ("en", "English")],
                default="nl",
                max_length=2,
                verbose_name="language of the consent request",
            ),
        ),
        migrations.RunPython(seed_themes, migrations.RunPython.noop),
    ]
