FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/pufabot.db \
    CONTENT_DIR=/app/content QUIZZES_DIR=/app/quizzes STATUS_FILE=/app/data/status.json

# tini: PID 1 that passes SIGTERM on to the bot (a process that is PID 1 itself gets no default signal
# handling) and reaps. A CJK font for certificates and charts with Chinese labels.
RUN apt-get update && apt-get install -y --no-install-recommends tini fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 pufabot

# The package, installed (migrations included); its sources do not stay where the bot runs.
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY alembic ./alembic
COPY bot ./bot
RUN pip install . && rm -rf /src

# Content and question banks: read-only for the bot (curators' wordings are kept in the database);
# docker-compose.yml mounts the repository's folders over them.
WORKDIR /app
COPY content ./content
COPY quizzes ./quizzes
RUN mkdir -p /app/data && chown pufabot /app/data
USER pufabot
VOLUME ["/app/data"]

# Healthy while the bot renews its status (the Bot API and the database answer it) and the database
# answers; `run` checks the content and applies pending migrations before it serves.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
ENTRYPOINT ["tini", "--"]
CMD ["python", "-m", "bot", "run"]
