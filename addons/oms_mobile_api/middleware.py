"""The WSGI-to-ASGI bridge of OCA ``fastapi`` (a2wsgi), without its race on errors.

a2wsgi 1.10 marks the application done *before* it queues the application's error for the
WSGI side: when the app fails right after reading the request body (e.g. malformed JSON),
the WSGI side may see "done" first, stop, and answer nothing, which the ``fastapi``
dispatcher turns into a 500. Here "done" is marked only once the WSGI side took the error,
so the error always reaches Odoo and becomes the API's JSON error."""

import asyncio

from a2wsgi.asgi import ASGIResponder

from odoo.addons.fastapi.middleware import ASGIMiddleware
from odoo.addons.fastapi.pools import event_loop_pool


class _ASGIResponder(ASGIResponder):
    def asgi_done_callback(self, future):
        try:
            exception = future.exception()
        except asyncio.CancelledError:
            exception = None
        if exception is None:
            self.asgi_done.set()
            return

        async def report_error():
            await self.sync_event_set_lock.acquire()
            self.sync_event.set(
                {
                    "type": "a2wsgi.error",
                    "exception": (type(exception), exception, exception.__traceback__),
                }
            )
            # The WSGI side releases the lock once it took the error: only then done.
            await self.sync_event_set_lock.acquire()
            self.sync_event_set_lock.release()
            self.asgi_done.set()

        self._report_error = asyncio.ensure_future(report_error())


class OmsASGIMiddleware(ASGIMiddleware):
    def __call__(self, environ, start_response):
        with event_loop_pool.get_event_loop() as loop:
            return _ASGIResponder(self.app, loop)(environ, start_response)
