"""Coupons: an admin's CRUD, and the price quote any signed-in user asks before paying."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from lms.audit.services import acting
from lms.common.permissions import IsAdmin
from lms.common.schema import error_response, errors

from .coupons import coupon_create, coupon_delete, coupon_quote, coupon_update, coupons_with_counts
from .serializers import CouponQuoteQuerySerializer, CouponQuoteSerializer, CouponSerializer

ADMINS_ONLY = error_response("Only admins manage coupons.")
COUPON_RULES = (
    "Exactly one of `percent_off` (1-100) and `amount_off` (> 0, with its `currency`); "
    "`valid_from` before `valid_until`; the code is unique whatever its case. Anything "
    "else is a 400 that changes nothing."
)


@extend_schema_view(
    list=extend_schema(
        summary="List coupons (admin)",
        responses={200: CouponSerializer(many=True), **errors(401), 403: ADMINS_ONLY},
    ),
    retrieve=extend_schema(
        summary="A coupon (admin)",
        responses={200: CouponSerializer, **errors(401, 404), 403: ADMINS_ONLY},
    ),
    create=extend_schema(
        summary="Create a coupon (admin)",
        description=COUPON_RULES,
        responses={201: CouponSerializer, **errors(400, 401), 403: ADMINS_ONLY},
    ),
    update=extend_schema(
        summary="Replace a coupon (admin)",
        description=COUPON_RULES + " Payments already made keep their price.",
        responses={200: CouponSerializer, **errors(400, 401, 404), 403: ADMINS_ONLY},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a coupon (admin)",
        description=COUPON_RULES + " Payments already made keep their price.",
        responses={200: CouponSerializer, **errors(400, 401, 404), 403: ADMINS_ONLY},
    ),
    destroy=extend_schema(
        summary="Delete a coupon no payment used (admin)",
        responses={
            204: None,
            **errors(401, 404),
            403: ADMINS_ONLY,
            409: error_response(
                "Payments redeemed this coupon (`code: coupon_in_use`): deactivate it instead."
            ),
        },
    ),
)
class CouponViewSet(viewsets.ModelViewSet):
    """Discount codes: admins only, except the quote."""

    serializer_class = CouponSerializer
    search_fields = ["code"]
    ordering_fields = ["created_at", "code", "valid_until"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return coupons_with_counts()

    def get_permissions(self):
        if self.action == "quote":
            return [IsAuthenticated()]
        return [IsAdmin()]

    def _answer(self, coupon, status_code=status.HTTP_200_OK) -> Response:
        coupon = coupons_with_counts().get(pk=coupon.pk)
        return Response(CouponSerializer(coupon).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coupon = coupon_create(data=serializer.validated_data, **acting(request))
        return self._answer(coupon, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        coupon = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(coupon, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not partial:
            # A PUT states the whole coupon: what it leaves out is cleared.
            data = {"percent_off": None, "amount_off": None, "currency": "", **data}
        coupon = coupon_update(coupon=coupon, data=data, **acting(request))
        return self._answer(coupon)

    def destroy(self, request, *args, **kwargs):
        coupon_delete(coupon=self.get_object(), **acting(request))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="The price of a course with a coupon",
        description="Any signed-in user. Answers what checkout would charge now, or a 400 "
        '`{"coupon": ["why"]}` (unknown, inactive, not yet valid, expired, for another '
        'course, in another currency, used up) or `{"course": [...]}` (unknown, '
        "unpublished or free course).",
        parameters=[CouponQuoteQuerySerializer],
        responses={200: CouponQuoteSerializer, **errors(400, 401)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def quote(self, request):
        query = CouponQuoteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        quote = coupon_quote(
            code=query.validated_data["code"], course=query.validated_data["course"]
        )
        return Response(
            CouponQuoteSerializer(
                {
                    "valid": True,
                    "price": quote.price,
                    "discount": quote.discount,
                    "amount": quote.amount,
                    "currency": quote.currency,
                }
            ).data
        )
