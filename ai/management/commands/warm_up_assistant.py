"""Builds (or loads) the shop assistant's intent model, so the first chat message does not wait.

`make setup` runs it: on a fresh machine the built-in model is fitted on the shipped examples
(a minute or two on 2 cores) and cached in AI_ASSISTANT_DIR; afterwards it only loads.
"""

from django.core.management.base import BaseCommand, CommandError

from ai.assistant.backends import warm_up


class Command(BaseCommand):
    help = "Builds or loads the shop assistant's intent model (cached in AI_ASSISTANT_DIR)."

    def handle(self, *args, **options) -> None:
        seconds = warm_up()
        if seconds is None:
            raise CommandError("The assistant's model could not be loaded (see the log above).")
        self.stdout.write(f"Shop assistant ready ({seconds} s).")
