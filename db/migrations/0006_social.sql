-- drizzle-kit's output, with WITHOUT ROWID added by hand and the existing mentions carried into
-- the topic "brand" and the 5-minute and hourly buckets (their scores are redone by the rescoring job).
CREATE TABLE `mention_buckets` (
	`grain` text NOT NULL,
	`start` integer NOT NULL,
	`topic` text NOT NULL,
	`platform` text NOT NULL,
	`label` text NOT NULL,
	`count` integer NOT NULL,
	`score_sum` real NOT NULL,
	PRIMARY KEY(`grain`, `topic`, `start`, `platform`, `label`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `mention_topics` (
	`topic` text NOT NULL,
	`mention_id` integer NOT NULL,
	PRIMARY KEY(`topic`, `mention_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `mention_topics_mention` ON `mention_topics` (`mention_id`);--> statement-breakpoint
CREATE TABLE `sentiment_words` (
	`word` text PRIMARY KEY NOT NULL,
	`score` real NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `topics` (
	`name` text PRIMARY KEY NOT NULL,
	`terms` text NOT NULL,
	`owner` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `mentions` ADD `sentiment_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `mentions` ADD `likes` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `reposts` integer;--> statement-breakpoint
ALTER TABLE `mentions` ADD `replies` integer;--> statement-breakpoint
INSERT INTO `mention_topics` (`topic`, `mention_id`) SELECT 'brand', `id` FROM `mentions`;--> statement-breakpoint
INSERT INTO `mention_buckets` (`grain`, `start`, `topic`, `platform`, `label`, `count`, `score_sum`)
  SELECT '5m', (`timestamp` / 300000) * 300000, 'brand', `platform`, `sentiment_label`, count(*), sum(`sentiment_score`)
  FROM `mentions` GROUP BY 2, 4, 5;--> statement-breakpoint
INSERT INTO `mention_buckets` (`grain`, `start`, `topic`, `platform`, `label`, `count`, `score_sum`)
  SELECT '1h', (`timestamp` / 3600000) * 3600000, 'brand', `platform`, `sentiment_label`, count(*), sum(`sentiment_score`)
  FROM `mentions` GROUP BY 2, 4, 5;