from django.urls import path

from . import api

urlpatterns = [
    path("chat/rooms/", api.RoomListApi.as_view(), name="api-chat-rooms"),
    path("chat/rooms/<int:pk>/", api.RoomDetailApi.as_view(), name="api-chat-room"),
    path("chat/rooms/<int:pk>/messages/", api.MessageListApi.as_view(), name="api-chat-messages"),
    path("chat/rooms/<int:pk>/read/", api.MarkReadApi.as_view(), name="api-chat-read"),
    path("chat/messages/<int:pk>/", api.MessageDetailApi.as_view(), name="api-chat-message"),
    path("chat/walks/<int:walk_id>/", api.WalkRoomApi.as_view(), name="api-chat-walk-room"),
    path("chat/direct/", api.DirectRoomApi.as_view(), name="api-chat-direct"),
    path("chat/unread/", api.UnreadApi.as_view(), name="api-chat-unread"),
    path("chat/preference/", api.ChatPreferenceApi.as_view(), name="api-chat-preference"),
]
