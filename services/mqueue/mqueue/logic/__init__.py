"""mqueue's job logic, one module per task type (plain functions of their clients)."""
