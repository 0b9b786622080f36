"""The demo data set: every app's demo rows, loaded in layer order by `manage.py seed_demo`."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lms.demo"
    label = "demo"
