from django.urls import path

from . import api

urlpatterns = [
    path("chat/rooms/", api.RoomListApi.as_view(), name="api-chat-rooms"),
    path("chat/rooms/<id:pk>/", api.RoomDetailApi.as_view(), name="api-chat-room"),
    path("chat/rooms/<id:pk>/messages/", api.MessageListApi.as_view(), name="api-chat-messages"),
    path("chat/rooms/<id:pk>/read/", api.MarkReadApi.as_view(), name="api-chat-read"),
    path("chat/messages/<id:pk>/", api.MessageDetailApi.as_view(), name="api-chat-message"),
    path("chat/walks/<id:walk_id>/", api.WalkRoomApi.as_view(), name="api-chat-walk-room"),
    path("chat/direct/", api.DirectRoomApi.as_view(), name="api-chat-direct"),
    path("chat/unread/", api.UnreadApi.as_view(), name="api-chat-unread"),
    path("chat/preference/", api.ChatPreferenceApi.as_view(), name="api-chat-preference"),
]
