"""`GET jobs/{id}/`: the job's creator (or an admin) polls its progress."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from lms.common.permissions import is_admin
from lms.common.schema import errors

from .models import Job
from .serializers import JobSerializer


def jobs_visible_to(user):
    """An admin sees every job; anyone else only the jobs they started."""
    jobs = Job.objects.all()
    return jobs if is_admin(user) else jobs.filter(created_by=user)


class JobDetailView(generics.RetrieveAPIView):
    serializer_class = JobSerializer

    def get_queryset(self):
        return jobs_visible_to(self.request.user)

    @extend_schema(
        summary="A job's progress",
        description="The job's creator or an admin (anyone else 404). `processed` grows "
        "while it runs; poll until `status` is `succeeded` or `failed`.",
        responses={200: JobSerializer, **errors(401, 404)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
