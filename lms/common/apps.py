"""Shared building blocks for every LMS app."""

from django.apps import AppConfig
from rest_framework import fields


def _text_only(to_internal_value):
    """Wrap DRF's CharField parsing so that only a JSON string is text."""

    def parse(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return to_internal_value(self, data)

    return parse


class CommonConfig(AppConfig):
    name = "lms.common"
    label = "common"

    def ready(self):
        # DRF's CharField (and Email/Slug/URL/Regex fields) takes a JSON number as its text:
        # `{"cohort": 0}` becomes "0". Our schema says `string`, and bad input is a 400,
        # so every text field in every serializer refuses what is not a string.
        fields.CharField.to_internal_value = _text_only(fields.CharField.to_internal_value)
