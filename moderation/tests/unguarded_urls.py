"""A test-only URLconf and socket: the site plus doors that forget the guards, for the tests that
show the door checks (doors.py) report such a door.

"Poking" a member notifies them without asking the guards: neither a suspension nor a block
stops it. The socket gets a ``pin`` frame that writes in the room the same way.
"""

from uuid import uuid4

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from chat.consumers import ChatConsumer
from chat.models import Message
from notifications.models import Notification
from site_core.urls import urlpatterns as site_urlpatterns


def poke(*, member, username: str) -> None:
    other = get_object_or_404(get_user_model(), username=username)
    Notification.objects.create(recipient=other, actor=member, kind=Notification.Kind.FOLLOW)


class PokeApi(APIView):
    @extend_schema(request=None, responses={200: None})
    def post(self, request, username: str):
        poke(member=request.user, username=username)
        return Response({"poked": True})


class UndocumentedApi(APIView):
    @extend_schema(exclude=True)
    def post(self, request):
        return Response({"done": True})


@login_required
@require_POST
def poke_page(request, username: str):
    poke(member=request.user, username=username)
    return redirect("/")


urlpatterns = [
    path("api/members/<str:username>/poke/", PokeApi.as_view()),
    path("api/undocumented/", UndocumentedApi.as_view()),
    path("members/<str:username>/poke/", poke_page, name="poke"),
    *site_urlpatterns,
]


class PinningChatConsumer(ChatConsumer):
    client_frames = {**ChatConsumer.client_frames, "pin": "on_pin"}

    async def on_pin(self, content):
        await database_sync_to_async(Message.objects.create)(
            room_id=self.room_id, sender=self.user, client_id=f"pin-{uuid4().hex}", text="📌"
        )
        await self.send_json({"type": "pinned"})


websocket_application = AuthMiddlewareStack(
    URLRouter([path("ws/chat/<id:room_id>/", PinningChatConsumer.as_asgi())])
)
