"""gunicorn settings read from the working directory (the Docker image's /app).

Command-line flags (bind, workers) still come from the command; this file only
keeps order secrets out of the access log.
"""

logger_class = "pasar.accesslog.SecretFreeLogger"
