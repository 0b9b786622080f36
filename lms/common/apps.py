"""Shared building blocks for every LMS app."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "lms.common"
    label = "common"
