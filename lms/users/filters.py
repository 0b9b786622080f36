"""Query filters of the admin's user list."""

import django_filters

from lms.common.filters import BooleanFilter

from .models import User


class UserFilter(django_filters.FilterSet):
    """`?role=`, `?cohort=`, `?is_active=`."""

    role = django_filters.ChoiceFilter(choices=User.Role.choices)
    cohort = django_filters.CharFilter(field_name="cohort", lookup_expr="iexact")
    is_active = BooleanFilter()

    class Meta:
        model = User
        fields = ["role", "cohort", "is_active"]
