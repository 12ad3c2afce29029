from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from observations.views import accounts

from .health import health

urlpatterns = [
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/exchange/", include("exchange.urls_api")),
    path("api/v1/exports/", include("exchange.exports.api")),
    path("api/v1/summaries/", include("exchange.summaries.api")),
    path("api/v1/datasets/", include("exchange.datasets.api")),
    path("api/v1/", include("observations.imports.api_urls")),
    path("api/v1/", include("observations.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include("observations.urls")),
    path("exchange/", include("exchange.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locks/", accounts.login_locks, name="login-locks"),
    path("accounts/locks/unlock/", accounts.login_unlock, name="login-unlock"),
    path("admin/", admin.site.urls),
)

# No route serves MEDIA_ROOT, even in DEBUG: photos, imports and exports are served by
# views that check access and strip metadata (exchange.media), never as static files.
