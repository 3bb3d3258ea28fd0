from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.urls import reverse

from prima.monitoring import services
from prima.monitoring.models import Platform, SourceKind
from prima.organizations.models import Office, User


class Command(BaseCommand):
    help = (
        "Add a push source to an office on behalf of a user who may manage its sources, and "
        "print its push key once."
    )

    def add_arguments(self, parser):
        parser.add_argument("office", help="code of the office, e.g. kanim-soekarno-hatta")
        parser.add_argument("name", help="name of the source, e.g. 'Jembatan media sosial'")
        parser.add_argument(
            "--user", required=True, help="who adds it (needs source.manage in the office)"
        )
        parser.add_argument(
            "--platform", choices=Platform.values, default="", help="default platform of posts"
        )
        parser.add_argument("--outlet", default="", help="default outlet of posts")

    def handle(self, *args, office, name, user, platform, outlet, **options):
        target = Office.objects.filter(code=office).first()
        if target is None:
            raise CommandError(f"No office with code {office!r}.")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user named {user!r}.")
        try:
            source = services.create_source(
                actor, target, kind=SourceKind.PUSH, name=name, platform=platform, outlet=outlet
            )
        except (PermissionDenied, Http404):
            raise CommandError(
                f"{user} may not manage the media sources of {target.short_name}."
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        path = reverse("api:push_posts", kwargs={"source_id": source.pk})
        self.stderr.write(
            f"Push source {source.pk} ({source.name}) added to {target.short_name}. Clients "
            f"POST to {path} with 'Authorization: Bearer <key>'. The key (shown only now):"
        )
        self.stdout.write(source.new_push_key or "")
