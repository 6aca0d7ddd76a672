"""The OpenAPI description of the consent-checking JWT authentication: plain JWT bearer auth."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class ConsentCheckingJWTScheme(SimpleJWTScheme):
    target_class = "privacy.authentication.ConsentCheckingJWTAuthentication"
