"""Running work in threads released at the same instant (for the postgres-marked race tests).

Each thread uses its own database connection (Django opens one per thread) and closes it at the
end; tests using it commit for real (django_db(transaction=True)) so the threads see each
other's work.
"""

import threading

from django.db import connection


def run_together(count: int, work) -> list:
    """Runs work(index) in `count` threads released at the same instant; returns outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work(index)
        except Exception as error:  # kept to assert on, never swallowed silently
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes
