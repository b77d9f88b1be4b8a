-- looklook_payment: the transactional outbox of looklook.mq.outbox (payment-rpc writes
-- PaymentStatusMessage rows with the trade-state update, its relay publishes them).
-- Transactional outbox (looklook.mq.outbox): events are written in the same
-- transaction as the business change, then relayed to Kafka in id order.
CREATE TABLE IF NOT EXISTS `looklook_outbox` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `topic` varchar(249) NOT NULL,
  `msg_key` varbinary(255) DEFAULT NULL,
  `payload` mediumblob NOT NULL,
  `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `sent_at` datetime(6) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `idx_sent_at_id` (`sent_at`, `id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci COMMENT='Kafka outbox';
