"""``POST /api/v1/auth/token/``: a token for a username and password, throttled.

DRF's own view, except for a sign-in refused by the lock (observations.accounts.logins):
DRF's serializer passes the request to ``authenticate``, so django-axes counts the
failures, but axes marks the lock on DRF's request, where its middleware does not look.
This view answers it: HTTP 429 ``{"code": "locked_out", "detail": ...}`` with
``Retry-After``, the same answer as the login page's in JSON. A right password forgives
that account's failures from that address, as a sign-in on the page does.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from . import logins
from .views import lockout_response


class TokenView(ObtainAuthToken):
    @extend_schema(
        request=AuthTokenSerializer,
        responses={
            200: AuthTokenSerializer,
            400: OpenApiResponse(description="Wrong username or password."),
            429: OpenApiResponse(
                description='Too many failed sign-ins: {"code": "locked_out", "detail": ...} '
                "with Retry-After (seconds)."
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request, None, getattr(request, "axes_credentials", None))
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        logins.signed_in(request, user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
