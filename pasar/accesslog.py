"""gunicorn's access log without the order secrets (`?t=…` in URLs, referers).

Used by gunicorn.conf.py at the top of the repository (gunicorn reads it from
its working directory), so the Docker image and a plain `gunicorn pasar.wsgi`
both write it.
"""

from gunicorn.glogging import Logger

from .errorreporting import scrub_text


class SecretFreeLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: scrub_text(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
