from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from prima.organizations import audit
from prima.organizations.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'social-media bridge'")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
        key = ApiToken.new_key()
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=user, name=name, key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
            )
            audit.log(
                None, "apitoken.create", token, after=audit.snapshot(token), office=user.office
            )
        self.stdout.write(key)
