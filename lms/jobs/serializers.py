"""A job as its creator polls it."""

from rest_framework import serializers

from .models import Job


class JobErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="1 = the first data row.")
    message = serializers.CharField()


class JobSerializer(serializers.ModelSerializer):
    result = serializers.DictField(
        help_text="The job's counts so far (bulk enrollment: enrolled, invited, "
        "already_enrolled, failed); complete once `status` is `succeeded`."
    )
    errors = JobErrorSerializer(many=True, help_text="Rows that failed, with their number.")
    message = serializers.CharField(help_text="Why a failed job stopped; empty otherwise.")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "total",
            "processed",
            "result",
            "errors",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
