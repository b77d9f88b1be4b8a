"""Kafka messaging: publisher, consumer group, transactional outbox, upstream's messages."""
