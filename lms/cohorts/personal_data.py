"""What cohorts store about a person: bulk-enrollment invitations sent to their address."""

from lms.common.events import iso

from .models import Invitation


def _invitations_of(user):
    return Invitation.objects.filter(email=user.email.lower()).order_by("id")


def personal_data_export(user) -> dict:
    return {
        "invitations": [
            {
                "course": invitation.course_id,
                "cohort": invitation.cohort,
                "created_at": iso(invitation.created_at),
                "accepted_at": iso(invitation.accepted_at),
            }
            for invitation in _invitations_of(user)
        ]
    }


def personal_data_erase(user) -> None:
    """Invitations name the address: pending ones would enroll it again; all go."""
    _invitations_of(user).delete()
