"""Content: YAML files validated into typed models at start-up; the `check` command's logic."""
