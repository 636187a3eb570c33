"""The package's files, for `pip install .`: every `bot*` package, and the migrations (alembic/ in the
repository) installed inside it as `bot/migrations`, so that an installed bot migrates its database
from any working directory. Everything else is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*"]), "bot.migrations", "bot.migrations.versions"],
    package_dir={"bot.migrations": "alembic"},
    package_data={"bot.migrations": ["script.py.mako"]},
)
