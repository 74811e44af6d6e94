"""A lossless JSON fixture format (`yjson`) for backups.

Django's own JSON serializer cuts times to milliseconds, so a backup restored and backed up again
would differ, and anything hashed over a timestamp (the use-log chain) would no longer verify.
This format is the same JSON with times kept to the microsecond; `loaddata` reads it unchanged.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class LosslessJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def start_serialization(self) -> None:
        super().start_serialization()  # sets up json_kwargs, before any object is written
        self.json_kwargs["cls"] = LosslessJSONEncoder


Deserializer = django_json.Deserializer
