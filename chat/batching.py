"""Messages from all the sockets of a server process, stored together.

Each socket's message would otherwise be its own transaction and its own trip to a database
thread. Instead, sends wait in one queue per event loop; one drain task takes whatever has
gathered and stores it with ``services.messages_send`` (on PostgreSQL one statement and one
rate-limit command for the batch). With little traffic a batch is one message and waits
for nothing; under load batches grow by themselves while the previous one is being stored.
One batch at a time rather than two: bigger batches cost less CPU per message
(bench/chat.py, same machine: 5.3–5.5 against 6.0–6.2 ms); the price is that a slow batch
holds up the process's next one.
Each socket gets exactly the answer ``services.message_send`` would have given it.
"""

import asyncio
import logging
import weakref
from itertools import groupby

from django.utils import translation

from . import services
from .db import chat_sync_to_async

logger = logging.getLogger(__name__)

MAX_BATCH = 100
MAX_IN_FLIGHT = 1


class SendBatcher:
    def __init__(self) -> None:
        self._queue: list[tuple[str | None, services.SendRequest, asyncio.Future]] = []
        self._draining = 0
        self._tasks: set[asyncio.Task] = set()  # referenced until done

    async def send(
        self, *, room_id: int, sender, client_id, text, language: str | None
    ) -> services.SendOutcome:
        """``language``: the one the outcome's errors are worded in."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        request = services.SendRequest(room_id=room_id, sender=sender, client_id=client_id, text=text)
        self._queue.append((language, request, future))
        if self._draining < MAX_IN_FLIGHT:
            self._draining += 1
            task = loop.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await future

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[:MAX_BATCH]
                del self._queue[:MAX_BATCH]
                # Errors are worded in each sender's language: one call per language.
                for language, items in groupby(
                    sorted(batch, key=lambda item: item[0] or ""), key=lambda item: item[0]
                ):
                    await self._store(language, list(items))
        finally:
            self._draining -= 1

    async def _store(self, language, items) -> None:
        try:
            with translation.override(language):
                outcomes = await chat_sync_to_async(services.messages_send)(
                    requests=[request for _language, request, _future in items]
                )
        except Exception as error:
            logger.exception("chat: a batch of %d messages failed", len(items))
            for _language, _request, future in items:
                if not future.done():
                    future.set_exception(error)
            return
        for (_language, _request, future), outcome in zip(items, outcomes, strict=True):
            if not future.done():  # the socket may have gone meanwhile
                future.set_result(outcome)


_batchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SendBatcher]" = weakref.WeakKeyDictionary()


def send_batcher() -> SendBatcher:
    """The batcher of the running event loop."""
    loop = asyncio.get_running_loop()
    batcher = _batchers.get(loop)
    if batcher is None:
        batcher = _batchers[loop] = SendBatcher()
    return batcher
