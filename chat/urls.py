from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("chat/", views.room_list, name="rooms"),
    path("chat/settings/", views.chat_settings, name="settings"),
    path("chat/<id:room_id>/", views.room_detail, name="room"),
    path("chat/<id:room_id>/send/", views.message_send, name="send"),
    path("chat/messages/<id:message_id>/delete/", views.message_delete, name="delete"),
    path("chat/walks/<id:walk_id>/", views.walk_room, name="walk_room"),
    path("chat/direct/<str:username>/", views.direct_start, name="direct"),
]
