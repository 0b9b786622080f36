"""The audit log as the API shows it."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import AuditEntry


class AuditActorSerializer(serializers.Serializer):
    """Who acted: their id and their email at the time."""

    id = serializers.IntegerField()
    email = serializers.EmailField()


class AuditEntrySerializer(serializers.ModelSerializer):
    """One entry: `changes` maps each changed field to `[old, new]`."""

    actor = serializers.SerializerMethodField()
    changes = serializers.JSONField()

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "action", "target_type", "target_id", "changes", "ip"]
        read_only_fields = fields

    @extend_schema_field(AuditActorSerializer(allow_null=True))
    def get_actor(self, entry: AuditEntry) -> dict | None:
        if entry.actor_id is None:
            return None
        return {"id": entry.actor_id, "email": entry.actor_email}
