"""Running the system: the task outbox for broker outages, heartbeats for /healthz, backup and restore."""
