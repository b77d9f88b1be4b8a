-- A test-only table with every column kind and both kinds of unique index.
CREATE DATABASE IF NOT EXISTS `t_data_gadget`;
USE `t_data_gadget`;

CREATE TABLE IF NOT EXISTS `gadget` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `create_time` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `update_time` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  `delete_time` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `del_state` tinyint NOT NULL DEFAULT '0',
  `version` bigint NOT NULL DEFAULT '0',
  `code` varchar(32) NOT NULL DEFAULT '' COMMENT 'it''s unique; semicolons; in comments',
  `owner_id` bigint NOT NULL DEFAULT '0',
  `kind` varchar(12) NOT NULL DEFAULT '',
  `rating` double(2,1) NOT NULL DEFAULT '0.0',
  `ship_date` date NOT NULL,
  PRIMARY KEY (`id`),
  UNIQUE KEY `idx_code` (`code`),
  UNIQUE KEY `idx_owner_kind` (`owner_id`, `kind`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
