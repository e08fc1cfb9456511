"""Writers at once on the default SQLite database, as ``make run`` configures it.

Run by tests/wiki/test_settings.py in a process of its own, with ``DATABASE_URL``
naming a new database file: the suite's own SQLite database is in memory, one
connection's, and so cannot show how connections wait for each other.  Approves
proposals on some pages while publishing others, each in its own thread and
connection, all released at once; prints each writer's outcome as JSON.
"""

import json
import threading
import time

import django


def main() -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from people.models import Person
    from tests.factories import PersonFactory, UserFactory
    from tests.wiki.moderation_helpers import page_data
    from wiki import moderation
    from wiki.roles import MODERATORS, ensure_roles
    from wiki.services import latest_revision, page_publish

    ensure_roles()
    moderator = UserFactory(username="mod")
    moderator.groups.add(moderator.groups.model.objects.get(name=MODERATORS))
    author = UserFactory(username="carol")
    pages = []
    for number in range(6):
        page = PersonFactory.build(title=f"Person {number}", slug=f"person-{number}")
        page_publish(page=page, user=author, summary="Create")
        pages.append(Person.objects.get(pk=page.pk))
    proposals = [
        moderation.proposal_submit(
            kind="person",
            page=page,
            data=page_data(page, body="Approved text."),
            base_revision=latest_revision(page),
            base_data=page_data(page),
            summary="Approve me",
            minor=False,
            author=author,
        )
        for page in pages[:3]
    ]
    connection.close()

    # Each approval reads the page, then writes: slowed down in between, so
    # the writers' transactions overlap.
    merge = moderation.proposal_merge

    def slow_merge(**kwargs):
        result = merge(**kwargs)
        time.sleep(0.2)
        return result

    moderation.rebase.proposal_merge = slow_merge

    # Each moderator opened their review page before anyone wrote.
    seen = {proposal.pk: moderation.seen_now(proposal) for proposal in proposals}

    def approve(proposal):
        moderation.proposal_approve(
            proposal=proposal, by=moderator, seen=seen[proposal.pk]
        )

    def publish(page):
        page.body = "Published text."
        page_publish(page=page, user=moderator, summary="Publish")

    writers = [(approve, proposal) for proposal in proposals]
    writers += [(publish, page) for page in pages[3:]]
    barrier = threading.Barrier(len(writers))
    outcomes = [""] * len(writers)

    def run(index, write, target):
        try:
            barrier.wait()
            write(target)
            outcomes[index] = "ok"
        except Exception as error:  # noqa: BLE001 - reported to the test
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, write, target))
        for index, (write, target) in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    bodies = sorted(Person.objects.values_list("body", flat=True))
    print(json.dumps({"outcomes": outcomes, "bodies": bodies}))


if __name__ == "__main__":
    main()
