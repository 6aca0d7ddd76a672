"""The site's URLs plus two trivial views that go through the same middleware and authentication.

- /bench/trivial/: a plain Django view behind login_required (the session, as pages use it);
- /api/bench/trivial/: a DRF APIView with the project's default authentication and permission
  classes (JWT or session, IsAuthenticated), as the API uses them.

Both return the member's username and touch nothing else: they measure the cost of the stack.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from site_core.urls import urlpatterns as site_urlpatterns


@login_required
def trivial_page(request):
    return HttpResponse(request.user.username, content_type="text/plain; charset=utf-8")


class TrivialApi(APIView):
    def get(self, request):
        return Response({"username": request.user.username})


urlpatterns = [
    path("bench/trivial/", trivial_page, name="bench-trivial"),
    path("api/bench/trivial/", TrivialApi.as_view(), name="bench-trivial-api"),
    *site_urlpatterns,
]
