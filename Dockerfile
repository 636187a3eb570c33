FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/pufabot.db

# A CJK font for certificates and charts with Chinese labels.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 pufabot

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install .
COPY alembic.ini ./
COPY alembic ./alembic
COPY content ./content
COPY quizzes ./quizzes

RUN mkdir -p /app/data && chown pufabot /app/data
USER pufabot
VOLUME ["/app/data"]

# The content must validate before anything starts; `run` applies pending migrations itself.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s \
    CMD python -m bot db current >/dev/null || exit 1
CMD ["sh", "-c", "python -m bot check && python -m bot run"]
