"""The abstract model every LMS table extends."""

from django.db import models


class BaseModel(models.Model):
    """A model with creation and last-update timestamps."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
