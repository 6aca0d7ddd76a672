from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.socialaccount.signals import social_account_added
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_migrate

        from .backends import bump_permissions_version
        from .models import User
        from .receivers import social_account_connected

        social_account_added.connect(social_account_connected, dispatch_uid="accounts-social-connected")
        from .roles import apply_roles_after_migrate

        post_migrate.connect(apply_roles_after_migrate, sender=self, dispatch_uid="accounts-roles")

        for relation in (User.groups.through, User.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(
                bump_permissions_version, sender=relation, dispatch_uid=f"perms-{relation.__name__}"
            )
