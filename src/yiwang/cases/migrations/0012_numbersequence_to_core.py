"""The SQLite counters move to core (core.sequences numbers licences too, which sit below cases):
their values are copied there before the cases table goes."""

from django.db import migrations


def copy_forward(apps, schema_editor):
    old, new = apps.get_model("cases", "NumberSequence"), apps.get_model("core", "NumberSequence")
    new.objects.bulk_create([new(name=n, value=v) for n, v in old.objects.values_list("name", "value")])


def copy_back(apps, schema_editor):
    old, new = apps.get_model("cases", "NumberSequence"), apps.get_model("core", "NumberSequence")
    old.objects.bulk_create([old(name=n, value=v) for n, v in new.objects.values_list("name", "value")])


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_uscc_sequence"), ("core", "0001_initial")]

    operations = [
        migrations.RunPython(copy_forward, copy_back),
        migrations.DeleteModel(name="NumberSequence"),
    ]
