"""looklook operator: Kafka topics and scheduled jobs as Kubernetes custom resources."""
