"""Running the ml cluster's queued tasks in the test process, with django-q2's own code.

``run_queued_tasks()`` does what one pass of ``Q_CLUSTER_NAME=ml manage.py qcluster`` does, without
forking: the ORM broker's ``dequeue`` (locks each due task for ``retry`` seconds), the pusher's
unpacking, django-q2's ``worker`` loop (timeout, result capture) and its ``monitor`` (saves the
``Task`` row, counts attempts, acknowledges = deletes the queue row on success or after
``max_attempts``). The task function is the real one.
"""

from __future__ import annotations

import queue
from datetime import timedelta
from multiprocessing import Value

from django.utils import timezone
from django_q.brokers import get_broker
from django_q.models import OrmQ, Task
from django_q.signing import SignedPackage

from pets.services import ML_CLUSTER


def queued(cluster: str = ML_CLUSTER) -> int:
    """Task rows waiting in a cluster's queue (due or locked)."""
    return OrmQ.objects.filter(key=cluster).count()


def make_locked_tasks_due(cluster: str = ML_CLUSTER) -> int:
    """As if the cluster's `retry` seconds had passed since the failed tasks were pulled."""
    return OrmQ.objects.filter(key=cluster).update(lock=timezone.now() - timedelta(seconds=1))


def run_queued_tasks(cluster: str = ML_CLUSTER, *, timeout: int = 90) -> list[Task]:
    """Runs every due task of the cluster's queue once; returns their saved ``Task`` rows."""
    from django_q.monitor import monitor
    from django_q.worker import worker

    broker = get_broker(cluster)
    tasks: queue.Queue = queue.Queue()
    results: queue.Queue = queue.Queue()
    ids = []
    while pulled := broker.dequeue():
        for ack_id, payload in pulled:
            task = SignedPackage.loads(payload)
            task["cluster"] = cluster
            task["ack_id"] = ack_id
            ids.append(task["id"])
            tasks.put(task)
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1), timeout=timeout)
    results.put("STOP")
    monitor(results, broker)
    return list(Task.objects.filter(id__in=ids))
