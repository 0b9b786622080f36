"""`courses/{id}/bulk-enroll/`: enroll a list of addresses (JSON) or a CSV file, as a job."""

import uuid

from django.core.files.storage import default_storage
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.audit.services import client_ip
from lms.common.parsers import JSONParser
from lms.common.schema import errors
from lms.jobs.models import Job
from lms.jobs.serializers import JobSerializer
from lms.jobs.services import job_start

from ..bulk import COHORT_MAX, KIND, csv_header_check
from ..permissions import course_run_by

MAX_EMAILS = 10_000


class BulkEnrollSerializer(serializers.Serializer):
    emails = serializers.ListField(
        child=serializers.CharField(max_length=254, allow_blank=True),
        min_length=1,
        max_length=MAX_EMAILS,
        help_text=f"Addresses, one row each (at most {MAX_EMAILS}; send a CSV file for more). "
        "A bad or repeated address is a row error in the job, not a 400.",
    )
    cohort = serializers.CharField(max_length=COHORT_MAX, required=False, allow_blank=True)
    notify = serializers.BooleanField(
        default=True, help_text="Email the enrolled and invited addresses."
    )


class BulkEnrollFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV, UTF-8 (a BOM is fine), `,` or `;`; a header row with `email` and "
        "optionally `first_name`, `last_name`, `cohort`."
    )
    cohort = serializers.CharField(
        max_length=COHORT_MAX,
        required=False,
        allow_blank=True,
        help_text="For rows without their own cohort.",
    )
    notify = serializers.BooleanField(default=True)


class BulkEnrollView(APIView):
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        summary="Enroll many students at once",
        description="The course's instructor or an admin (others 403; a course outside the "
        "caller's catalog 404). Starts a job and answers 202 with it (its URL in "
        "`Location`); without a broker the job has already finished. Existing users are "
        "enrolled (`source: staff`, whatever the price, within the capacity); unknown "
        "addresses are invited and enrolled once they sign up and verify the address. "
        "`result {enrolled, invited, already_enrolled, failed}`; `errors [{row, message}]`.",
        request={
            "application/json": BulkEnrollSerializer,
            "multipart/form-data": BulkEnrollFileSerializer,
        },
        responses={
            202: OpenApiResponse(JobSerializer, description="The job (poll `jobs/{id}/`)."),
            **errors(400, 401, 403, 404),
        },
        parameters=[
            OpenApiParameter(
                "Location",
                OpenApiTypes.URI,
                OpenApiParameter.HEADER,
                response=[202],
                description="The job's URL.",
            )
        ],
    )
    def post(self, request, pk: int):
        course = course_run_by(request.user, pk)
        if "file" in request.FILES:
            serializer = BulkEnrollFileSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            upload = serializer.validated_data["file"]
            csv_header_check(upload)
            name = default_storage.save(f"jobs/bulk-enroll/{uuid.uuid4().hex}.csv", upload)
            params, total = {"file": name}, None
        else:
            serializer = BulkEnrollSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            emails = serializer.validated_data["emails"]
            params, total = {"emails": emails}, len(emails)
        params.update(
            ip=client_ip(request),
            course_id=course.pk,
            cohort=serializer.validated_data.get("cohort", ""),
            notify=serializer.validated_data["notify"],
        )
        job = job_start(kind=KIND, created_by=request.user, params=params, total=total)
        job = Job.objects.get(pk=job.pk)  # without a broker it ran already
        location = request.build_absolute_uri(reverse("job-detail", args=[job.pk]))
        return Response(
            JobSerializer(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
        )
