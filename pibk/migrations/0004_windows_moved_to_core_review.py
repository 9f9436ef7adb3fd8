# The collection windows' states and the district's acts now live in core.review.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pibk", "0003_counts_within_limits"),
        # Their rows were carried into core.review's tables first.
        ("review", "0002_carry_ssqs_and_pibk"),
    ]

    operations = [
        migrations.DeleteModel(name="WindowEvent"),
        migrations.DeleteModel(name="WindowStatus"),
    ]
