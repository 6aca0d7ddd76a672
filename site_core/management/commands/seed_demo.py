"""Loads the demo data `make run` shows a newcomer. Running it again changes nothing."""

import secrets
from functools import partial
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.roles import COMMUNITY_MODERATORS
from community.demo import seed_community, seed_reports, tag_demo_pets
from pets.demo import seed_pets
from privacy.demo import seed_privacy
from walks.demo import seed_walks
from worldcup.demo import seed_worldcup

DEMO_EMAIL_DOMAIN = "petrasche.local"
DEMO_MEMBERS = [
    ("dubu", "두부엄마", "두부와 함께 한강 산책을 좋아해요."),
    ("kongi", "콩이아빠", "말티즈 콩이와 살아요."),
    ("nabi", "나비집사", "고양이 나비, 치즈와 함께 살아요."),
]


class Command(BaseCommand):
    help = "Create the demo accounts (admin, moderator, members) and print the admin login."

    def handle(self, *args, **options):
        credentials = self._credentials_file()
        known = credentials.exists()
        password = credentials.read_text().strip() if known else secrets.token_urlsafe(12)
        # Without the saved password, existing demo accounts get the new one so the printed login works.
        ensure = partial(self._ensure_account, password=password, reset_password=not known)
        with transaction.atomic():
            admin = ensure("admin", "관리자", is_staff=True, is_superuser=True)
            moderator = ensure("moderator", "운영도우미")
            moderator.groups.add(Group.objects.get(name=COMMUNITY_MODERATORS))
            for username, nickname, bio in DEMO_MEMBERS:
                member = ensure(username, nickname)
                if not member.bio:
                    member.bio = bio
                    member.save(update_fields=["bio"])
            posts = seed_community(password_hash=make_password(password))
            self._confirm_addresses()
            walks = seed_walks()
            pets = seed_pets()  # their photo checks are queued for the ml worker on commit
            tag_demo_pets(pets)
            entries = seed_worldcup()
            cases = seed_reports()
            legal_pages = seed_privacy()  # last: records every demo member's agreement
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(password)
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo data ready.\n"
                f"  Admin login:     {admin.username} / {password}  (http://127.0.0.1:8000/admin/)\n"
                f"  Moderator login: {moderator.username} / {password}\n"
                f"  Member logins:   {', '.join(u for u, _, _ in DEMO_MEMBERS)} / {password}\n"
                + (f"  Community:       {posts} demo posts added\n" if posts else "")
                + (f"  Walks:           {walks} demo walks added (/walks/)\n" if walks else "")
                + (
                    f"  Pets:            {len(pets)} demo pets added (photo checks queued for the ml worker)\n"
                    if pets
                    else ""
                )
                + (f"  World Cup:       {entries} demo entries added (/worldcup/)\n" if entries else "")
                + (f"  Moderation:      {cases} reported posts in the review queue\n" if cases else "")
                + (
                    f"  Legal pages:     {legal_pages} published (/terms/, /privacy-policy/)\n"
                    if legal_pages
                    else ""
                )
            )
        )

    @staticmethod
    def _credentials_file() -> Path:
        return Path(settings.BASE_DIR) / "var" / "demo-password.txt"

    @staticmethod
    def _confirm_addresses() -> None:
        """Demo accounts have confirmed their (unreadable) addresses, so their logins open at once."""
        for user in get_user_model().objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}"):
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )

    @staticmethod
    def _ensure_account(username, nickname, *, password, reset_password, is_staff=False, is_superuser=False):
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "nickname": nickname,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created or reset_password:
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
